#pragma once
// An axis ticker for index axes (rows, columns, channels, singular value numbers): ticks fall
// on whole numbers only, however far the user zooms in.
#include <qcustomplot.h>

namespace salience::widgets {

class IntegerAxisTicker : public QCPAxisTicker {
protected:
    double getTickStep(const QCPRange& range) override;
    int getSubTickCount(double tickStep) override;
};

} // namespace salience::widgets
