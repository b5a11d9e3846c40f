#include "LogAxisTicker.h"

#include <cmath>

namespace salience::widgets {

namespace {

constexpr double kNarrowDecades = 2.0;

} // namespace

QVector<double> LogAxisTicker::createTickVector(double tickStep, const QCPRange& range)
{
    m_narrow = false;
    if (!(range.lower > 0 && range.upper > range.lower) || !std::isfinite(range.upper))
        return QCPAxisTickerLog::createTickVector(tickStep, range);
    const double decades = std::log10(range.upper / range.lower);
    if (decades >= kNarrowDecades)
        return QCPAxisTickerLog::createTickVector(tickStep, range);
    m_narrow = true;
    QVector<double> ticks;
    const int first = int(std::floor(std::log10(range.lower)));
    const int last = int(std::ceil(std::log10(range.upper)));
    for (int exponent = first; exponent <= last; ++exponent) {
        const double decade = std::pow(10.0, exponent);
        for (double mantissa : {1.0, 2.0, 5.0})
            ticks.push_back(mantissa * decade);
    }
    return ticks; // the caller trims them to the range
}

QVector<double> LogAxisTicker::createSubTickVector(int subTickCount, const QVector<double>& ticks)
{
    // Evenly spaced sub-ticks between 1, 2 and 5 would mean nothing on a log axis.
    if (m_narrow)
        return {};
    return QCPAxisTickerLog::createSubTickVector(subTickCount, ticks);
}

void setLogarithmic(QCPAxis* axis, bool logarithmic)
{
    axis->setScaleType(logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logarithmic)
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new LogAxisTicker));
    else
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
}

} // namespace salience::widgets
