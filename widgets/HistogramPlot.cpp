#include "HistogramPlot.h"

#include "LogAxisTicker.h"
#include "PlotSupport.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace salience::widgets {

namespace {

// On a log axis bars start here: a bin of one count still shows, an empty one draws nothing.
constexpr double kLogBase = 0.5;

} // namespace

HistogramPlot::HistogramPlot(QWidget* parent) : QWidget(parent)
{
    m_plot = createTitledPlot(this, m_title);

    m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_bars->setWidthType(QCPBars::wtPlotCoords);
    m_bars->setSelectable(QCP::stNone);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);

    m_hint = addCenteredHint(m_plot, tr("No data"));

    m_summary = new QLabel(this);
    m_summary->setFont(tickLabelFont());
    m_summary->setWordWrap(true);
    m_summary->setContentsMargins(8, 0, 8, 0);
    m_readout = createReadoutLabel(this);

    stackPlotAndReadout(this, m_plot, m_readout)->insertWidget(1, m_summary);

    connect(m_plot, &QCustomPlot::mouseMove, this, &HistogramPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });

    setTheme(PlotTheme::Light);
    clear();
}

void HistogramPlot::setHistogram(const salience::Histogram& histogram, const QString& xLabel)
{
    // A histogram whose edges do not match its counts, or are not finite and increasing, has
    // nothing sound to draw.
    bool sound = !histogram.counts.empty() &&
                 histogram.edges.size() == histogram.counts.size() + 1;
    for (size_t i = 0; sound && i < histogram.edges.size(); ++i)
        sound = std::isfinite(histogram.edges[i]) &&
                (i == 0 || histogram.edges[i] > histogram.edges[i - 1]);
    if (!sound) {
        clear();
        return;
    }
    m_histogram = histogram;
    m_xLabel = xLabel;
    rebuild();
}

void HistogramPlot::setLogCounts(bool enabled)
{
    if (m_logCounts == enabled)
        return;
    m_logCounts = enabled;
    setLogarithmic(m_plot->yAxis, enabled);
    m_bars->setBaseValue(enabled ? kLogBase : 0.0);
    m_plot->yAxis->setLabel(enabled ? tr("Count (log scale)") : tr("Count"));
    resetView();
}

void HistogramPlot::setTitle(const QString& title)
{
    setTitleText(m_title, title);
    m_plot->replot();
}

void HistogramPlot::setColor(const QColor& color)
{
    m_color = color;
    setTheme(m_theme);
}

void HistogramPlot::setTheme(PlotTheme theme)
{
    m_theme = theme;
    applyPlotWidgetTheme(this, m_plot, m_hint, m_readout, theme);
    const QColor color = m_color.isValid() ? m_color : seriesColor(theme, 0);
    m_bars->setBrush(color);
    // Outline in the fill colour: with hundreds of narrow bins a contrasting outline would
    // be all one sees.
    m_bars->setPen(QPen(color.darker(115), 1.0));
    m_plot->replot();
}

void HistogramPlot::resetView()
{
    if (!hasData()) {
        m_plot->replot();
        return;
    }
    const double low = m_histogram.edges.front();
    const double high = m_histogram.edges.back();
    const double pad = 0.02 * (high - low);
    m_plot->xAxis->setRange(low - pad, high + pad);
    const int64_t top = *std::max_element(m_histogram.counts.begin(), m_histogram.counts.end());
    if (m_logCounts)
        m_plot->yAxis->setRange(kLogBase, std::max(10.0, double(top) * 2.0));
    else
        m_plot->yAxis->setRange(0.0, top > 0 ? double(top) * 1.08 : 1.0);
    m_plot->replot();
}

void HistogramPlot::clear()
{
    m_histogram = salience::Histogram();
    rebuild();
}

QString HistogramPlot::summaryText() const
{
    return m_summary->text();
}

QString HistogramPlot::describeBin(int bin) const
{
    if (bin < 0 || bin >= m_histogram.bins())
        return QString();
    const bool last = bin + 1 == m_histogram.bins();
    return tr("bin %1: [%2, %3%4: %5 values")
        .arg(bin)
        .arg(formatValue(m_histogram.edges[size_t(bin)]),
             formatValue(m_histogram.edges[size_t(bin) + 1]),
             last ? QStringLiteral("]") : QStringLiteral(")"))
        .arg(m_histogram.counts[size_t(bin)]);
}

QString HistogramPlot::readoutText() const
{
    return m_readout->text();
}

void HistogramPlot::rebuild()
{
    const bool empty = !hasData();
    QVector<double> keys;
    QVector<double> values;
    if (!empty) {
        const int bins = m_histogram.bins();
        keys.reserve(bins);
        values.reserve(bins);
        for (int i = 0; i < bins; ++i) {
            keys.push_back(0.5 * (m_histogram.edges[size_t(i)] + m_histogram.edges[size_t(i) + 1]));
            values.push_back(double(m_histogram.counts[size_t(i)]));
        }
        // Equal-width bins: one width for all.
        m_bars->setWidth((m_histogram.edges.back() - m_histogram.edges.front()) / double(bins));
    }
    m_bars->setData(keys, values, true);
    m_bars->setVisible(!empty);
    m_plot->xAxis->setVisible(!empty);
    m_plot->yAxis->setVisible(!empty);
    m_plot->xAxis->setLabel(m_xLabel);
    m_plot->yAxis->setLabel(m_logCounts ? tr("Count (log scale)") : tr("Count"));
    m_hint->setVisible(empty);

    if (empty) {
        m_summary->clear();
        m_readout->clear();
    } else {
        const Histogram& h = m_histogram;
        QString summary = tr("%1 values in %2 bins of width %3")
                              .arg(h.binnedCount())
                              .arg(h.bins())
                              .arg(formatValue(m_bars->width()));
        QStringList outside;
        if (h.nanCount > 0)
            outside << tr("NaN: %1").arg(h.nanCount);
        if (h.posInfCount > 0)
            outside << tr("+Inf: %1").arg(h.posInfCount);
        if (h.negInfCount > 0)
            outside << tr("\u2212Inf: %1").arg(h.negInfCount);
        if (h.belowRange > 0)
            outside << tr("below range: %1").arg(h.belowRange);
        if (h.aboveRange > 0)
            outside << tr("above range: %1").arg(h.aboveRange);
        if (!outside.isEmpty())
            summary += tr("; not in any bin: %1").arg(outside.join(QStringLiteral(", ")));
        m_summary->setText(summary);
        m_readout->setText(tr("Hover over a bar to read its count. Wheel zooms, drag pans, "
                              "double-click resets."));
    }
    resetView();
}

void HistogramPlot::onMouseMove(QMouseEvent* event)
{
    if (!hasData())
        return;
    const QPointF pos = event->position();
    if (!m_plot->axisRect()->rect().contains(pos.toPoint()))
        return;
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    const double low = m_histogram.edges.front();
    const double high = m_histogram.edges.back();
    if (!(x >= low && x <= high))
        return;
    const int bins = m_histogram.bins();
    const int bin = std::min(bins - 1, int((x - low) / (high - low) * double(bins)));
    m_readout->setText(describeBin(bin));
}

} // namespace salience::widgets
