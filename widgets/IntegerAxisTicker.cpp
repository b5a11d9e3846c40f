#include "IntegerAxisTicker.h"

#include <algorithm>
#include <cmath>

namespace salience::widgets {

double IntegerAxisTicker::getTickStep(const QCPRange& range)
{
    return std::max(1.0, std::round(QCPAxisTicker::getTickStep(range)));
}

int IntegerAxisTicker::getSubTickCount(double tickStep)
{
    // Sub-ticks between whole-number ticks only where they land on whole numbers too.
    const int base = QCPAxisTicker::getSubTickCount(tickStep);
    const double subStep = tickStep / double(base + 1);
    return (subStep >= 1.0 && std::abs(subStep - std::round(subStep)) < 1e-9) ? base : 0;
}

} // namespace salience::widgets
