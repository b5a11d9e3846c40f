#pragma once
// Ticks for a logarithmic axis that stay readable over a narrow range: QCPAxisTickerLog
// labels only powers of ten, and below about 1.6 decades it falls back to linear ticks
// (2, 4, 6, 8), which crowd at the top of a log axis and leave its bottom unlabelled. Here a
// range of under two decades gets 1-2-5 ticks (0.5, 1, 2, 5, 10) instead.
#include <qcustomplot.h>

namespace salience::widgets {

class LogAxisTicker : public QCPAxisTickerLog {
protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;

private:
    bool m_narrow = false;
};

// Switches an axis between a linear scale and a logarithmic one with this ticker.
void setLogarithmic(QCPAxis* axis, bool logarithmic);

} // namespace salience::widgets
