#include "ProfilePlot.h"

#include "IntegerAxisTicker.h"
#include "LogAxisTicker.h"
#include "PlotSupport.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace salience::widgets {

ProfilePlot::ProfilePlot(QWidget* parent) : QWidget(parent)
{
    m_plot = createTitledPlot(this, m_title);
    moveLegendAbovePlot(m_plot);

    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new IntegerAxisTicker));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // Profiles are read along the index axis; the value axis stays fitted.
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_xLabel = tr("Index");
    m_yLabel = tr("Value");

    m_hint = addCenteredHint(m_plot, tr("No data"));

    m_readout = createReadoutLabel(this);

    stackPlotAndReadout(this, m_plot, m_readout);

    connect(m_plot, &QCustomPlot::mouseMove, this, &ProfilePlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });

    setTheme(PlotTheme::Light);
    clear();
}

void ProfilePlot::setSeries(const QVector<ProfileSeries>& series)
{
    m_series = series;
    // Drop series with no values: they have nothing to draw.
    m_series.erase(std::remove_if(m_series.begin(), m_series.end(),
                                  [](const ProfileSeries& s) { return s.values.empty(); }),
                   m_series.end());
    rebuild();
}

void ProfilePlot::setMarked(const std::vector<int64_t>& indices, const QString& label)
{
    m_requestedMarks = indices;
    m_markedLabel = label;
    rebuildMarks();
    resetView();
}

void ProfilePlot::setLogY(bool enabled)
{
    if (m_logY == enabled)
        return;
    m_logY = enabled;
    setLogarithmic(m_plot->yAxis, enabled);
    resetView();
}

void ProfilePlot::setAxisLabels(const QString& x, const QString& y)
{
    m_xLabel = x;
    m_yLabel = y;
    if (hasData()) {
        m_plot->xAxis->setLabel(x);
        m_plot->yAxis->setLabel(y);
        m_plot->replot();
    }
}

void ProfilePlot::setTitle(const QString& title)
{
    setTitleText(m_title, title);
    m_plot->replot();
}

void ProfilePlot::setDrawStyle(ProfileStyle style)
{
    m_style = style;
    rebuild();
}

void ProfilePlot::setTheme(PlotTheme theme)
{
    m_theme = theme;
    applyPlotWidgetTheme(this, m_plot, m_hint, m_readout, theme);
    rebuild();
}

void ProfilePlot::resetView()
{
    const int64_t n = longestSeries();
    if (n == 0) {
        m_plot->replot();
        return;
    }
    const double pad = std::max(0.5, 0.01 * double(n));
    m_plot->xAxis->setRange(-pad, double(n - 1) + pad);

    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    double lowPositive = std::numeric_limits<double>::infinity();
    for (const ProfileSeries& s : m_series) {
        for (double v : s.values) {
            if (!std::isfinite(v))
                continue;
            low = std::min(low, v);
            high = std::max(high, v);
            if (v > 0)
                lowPositive = std::min(lowPositive, v);
        }
    }
    if (m_logY) {
        if (!std::isfinite(lowPositive)) {
            m_plot->yAxis->setRange(0.1, 10.0);
        } else {
            const double top = std::max(high, lowPositive);
            m_plot->yAxis->setRange(lowPositive / 1.6, top * 1.6);
        }
    } else if (!std::isfinite(low)) {
        m_plot->yAxis->setRange(0.0, 1.0);
    } else {
        // Keep 0 in view so that heights compare; leave room above the tallest value.
        const double bottom = std::min(0.0, low);
        const double top = std::max(0.0, high);
        const double span = top > bottom ? top - bottom : 1.0;
        m_plot->yAxis->setRange(bottom < 0 ? bottom - 0.06 * span : 0.0, top + 0.08 * span);
    }
    m_plot->replot();
}

void ProfilePlot::clear()
{
    m_series.clear();
    m_requestedMarks.clear();
    m_markedLabel.clear();
    rebuild();
}

QCPGraph* ProfilePlot::seriesGraph(int i) const
{
    return i >= 0 && i < m_graphs.size() ? m_graphs[i] : nullptr;
}

QString ProfilePlot::describeIndex(int64_t index) const
{
    if (index < 0 || index >= longestSeries())
        return QString();
    QStringList parts;
    for (const ProfileSeries& s : m_series)
        if (index < int64_t(s.values.size()))
            parts << tr("%1 = %2").arg(s.name, formatValue(s.values[size_t(index)]));
    QString text = tr("index %1: %2").arg(index).arg(parts.join(QStringLiteral(", ")));
    if (std::binary_search(m_marked.begin(), m_marked.end(), index))
        text += tr(" (%1)").arg(m_markedLabel.isEmpty() ? tr("marked") : m_markedLabel);
    return text;
}

QString ProfilePlot::readoutText() const
{
    return m_readout->text();
}

int64_t ProfilePlot::longestSeries() const
{
    int64_t n = 0;
    for (const ProfileSeries& s : m_series)
        n = std::max(n, int64_t(s.values.size()));
    return n;
}

void ProfilePlot::rebuild()
{
    m_plot->clearGraphs();
    m_graphs.clear();
    m_markedGraph = nullptr;
    const bool empty = m_series.isEmpty();
    for (int i = 0; i < m_series.size(); ++i) {
        const ProfileSeries& s = m_series[i];
        QCPGraph* graph = m_plot->addGraph();
        const QColor color = s.color.isValid() ? s.color : seriesColor(m_theme, i);
        const bool impulses = m_style == ProfileStyle::Impulses;
        graph->setPen(QPen(color, impulses ? 1.0 : 1.6));
        graph->setLineStyle(impulses ? QCPGraph::lsImpulse : QCPGraph::lsLine);
        graph->setName(s.name);
        graph->setSelectable(QCP::stNone);
        QVector<double> keys(int(s.values.size()));
        QVector<double> values(int(s.values.size()));
        for (int j = 0; j < keys.size(); ++j) {
            keys[j] = j;
            values[j] = s.values[size_t(j)];
        }
        graph->setData(keys, values, true);
        m_graphs.push_back(graph);
    }
    m_plot->xAxis->setVisible(!empty);
    m_plot->yAxis->setVisible(!empty);
    m_plot->xAxis->setLabel(m_xLabel);
    m_plot->yAxis->setLabel(m_yLabel);
    m_plot->legend->setVisible(!empty);
    m_hint->setVisible(empty);
    m_readout->setText(empty ? QString()
                             : tr("Hover to read the values. Wheel zooms, drag pans, "
                                  "double-click resets."));
    rebuildMarks();
    resetView();
}

void ProfilePlot::rebuildMarks()
{
    if (m_markedGraph) {
        m_plot->removeGraph(m_markedGraph);
        m_markedGraph = nullptr;
    }
    for (QCPItemStraightLine* line : m_markerLines)
        m_plot->removeItem(line);
    m_markerLines.clear();
    m_marked.clear();

    const int64_t n = longestSeries();
    for (int64_t index : m_requestedMarks)
        if (index >= 0 && index < n)
            m_marked.push_back(index);
    std::sort(m_marked.begin(), m_marked.end());
    m_marked.erase(std::unique(m_marked.begin(), m_marked.end()), m_marked.end());
    if (m_marked.empty())
        return;

    const PlotPalette palette = plotPalette(m_theme);
    QColor lineColor = palette.highlight;
    lineColor.setAlpha(90);
    QVector<double> keys;
    QVector<double> values;
    for (int64_t index : m_marked) {
        // The marker sits on the tallest series value at the index.
        double top = std::numeric_limits<double>::quiet_NaN();
        for (const ProfileSeries& s : m_series)
            if (index < int64_t(s.values.size()) && std::isfinite(s.values[size_t(index)]))
                top = std::isnan(top) ? s.values[size_t(index)]
                                      : std::max(top, s.values[size_t(index)]);
        keys.push_back(double(index));
        values.push_back(top);
        if (int(m_markerLines.size()) < kMaxMarkerLines) {
            auto* line = new QCPItemStraightLine(m_plot);
            line->setSelectable(false);
            line->setPen(QPen(lineColor, 1.0, Qt::DashLine));
            line->point1->setTypeY(QCPItemPosition::ptAxisRectRatio);
            line->point2->setTypeY(QCPItemPosition::ptAxisRectRatio);
            line->point1->setCoords(double(index), 0.0);
            line->point2->setCoords(double(index), 1.0);
            line->setLayer(QStringLiteral("grid"));
            m_markerLines.push_back(line);
        }
    }
    m_markedGraph = m_plot->addGraph();
    m_markedGraph->setLineStyle(QCPGraph::lsNone);
    m_markedGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(palette.highlight, 2.0), Qt::NoBrush, 9));
    m_markedGraph->setPen(QPen(palette.highlight, 2.0));
    m_markedGraph->setName(m_markedLabel.isEmpty() ? tr("Marked") : m_markedLabel);
    m_markedGraph->setSelectable(QCP::stNone);
    m_markedGraph->setData(keys, values, true);
}

void ProfilePlot::onMouseMove(QMouseEvent* event)
{
    const int64_t n = longestSeries();
    if (n == 0)
        return;
    const QPointF pos = event->position();
    if (!m_plot->axisRect()->rect().contains(pos.toPoint()))
        return;
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    if (!(x >= -0.5 && x < double(n) - 0.5))
        return;
    const auto index = int64_t(std::floor(x + 0.5));
    m_readout->setText(describeIndex(index));
    emit indexHovered(index);
}

} // namespace salience::widgets
