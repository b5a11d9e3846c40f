#include "HeatmapView.h"

#include "ColorMap.h"
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

namespace {

// A log colour scale spans at most this many decades below the maximum: weights hold values
// near zero, and a scale down to 1e-9 would paint everything in the top colours.
constexpr double kLogDecades = 4.0;

// Blue for negative, white at zero, red for positive (ColorBrewer RdBu, reversed).
QCPColorGradient divergingGradient()
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(5, 48, 97));
    gradient.setColorStopAt(0.15, QColor(33, 102, 172));
    gradient.setColorStopAt(0.3, QColor(103, 169, 207));
    gradient.setColorStopAt(0.42, QColor(209, 229, 240));
    gradient.setColorStopAt(0.5, QColor(247, 247, 247));
    gradient.setColorStopAt(0.58, QColor(253, 219, 199));
    gradient.setColorStopAt(0.7, QColor(239, 138, 98));
    gradient.setColorStopAt(0.85, QColor(178, 24, 43));
    gradient.setColorStopAt(1.0, QColor(103, 0, 31));
    gradient.setLevelCount(256);
    return gradient;
}

} // namespace

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent)
{
    m_plot = createTitledPlot(this, m_title);

    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    m_map->setSelectable(QCP::stNone);

    m_scale = new QCPColorScale(m_plot);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setBarWidth(16);
    m_scale->setRangeDrag(false);
    m_scale->setRangeZoom(false);
    m_plot->plotLayout()->addElement(1, 1, m_scale);
    m_map->setColorScale(m_scale);
    m_marginGroup = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);

    // Row 0 at the top, as a matrix is written.
    m_plot->yAxis->setRangeReversed(true);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new IntegerAxisTicker));
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new IntegerAxisTicker));
    m_xLabel = tr("Column");
    m_yLabel = tr("Row");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

    m_hint = addCenteredHint(m_plot, tr("No data"));

    m_readout = createReadoutLabel(this);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);

    stackPlotAndReadout(this, m_plot, m_readout);

    connect(m_plot, &QCustomPlot::mouseMove, this, &HeatmapView::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });

    setTheme(PlotTheme::Light);
    clear();
}

void HeatmapView::setMatrix(const salience::Matrix& values, const QString& title, HeatmapMode mode)
{
    m_mode = mode;
    m_pooled = maxAbsPool(values, kMaxDisplayCells, mode == HeatmapMode::Signed);
    if (m_pooled.isEmpty()) {
        clear();
        return;
    }
    setTitleText(m_title, title);
    showPooled();
    resetView();
}

void HeatmapView::setAxisLabels(const QString& x, const QString& y)
{
    m_xLabel = x;
    m_yLabel = y;
    if (hasData()) {
        m_plot->xAxis->setLabel(x);
        m_plot->yAxis->setLabel(y);
        m_plot->replot();
    }
}

void HeatmapView::setValueLabel(const QString& label)
{
    m_valueLabel = label;
    m_customValueLabel = true;
    if (hasData()) {
        m_scale->setLabel(label);
        m_plot->replot();
    }
}

void HeatmapView::setLogScale(bool enabled)
{
    if (m_logScale == enabled)
        return;
    m_logScale = enabled;
    if (hasData())
        showPooled();
}

void HeatmapView::setTheme(PlotTheme theme)
{
    m_theme = theme;
    applyPlotWidgetTheme(this, m_plot, m_hint, m_readout, theme);
    applyThemeToAxis(m_scale->axis(), theme); // also while it is out of the layout
    updateGradient();
    m_plot->replot();
}

void HeatmapView::resetView()
{
    if (!hasData())
        return;
    m_plot->xAxis->setRange(-0.5, double(m_pooled.sourceCols) - 0.5);
    m_plot->yAxis->setRange(-0.5, double(m_pooled.sourceRows) - 0.5);
    m_plot->replot();
}

void HeatmapView::clear()
{
    m_pooled = PooledMatrix();
    m_map->data()->clear();
    m_map->setVisible(false);
    setColorScaleShown(false);
    setTitleText(m_title, QString());
    m_plot->xAxis->setVisible(false);
    m_plot->yAxis->setVisible(false);
    m_hint->setVisible(true);
    m_readout->clear();
    m_plot->replot();
}

QString HeatmapView::describeCell(int64_t row, int64_t col) const
{
    if (!hasData() || row < 0 || col < 0 || row >= m_pooled.sourceRows || col >= m_pooled.sourceCols)
        return QString();
    const int displayRow = int(row / m_pooled.blockRows);
    const int displayCol = int(col / m_pooled.blockCols);
    const QString value = formatValue(m_pooled.at(displayRow, displayCol));
    const bool magnitude = m_mode == HeatmapMode::Magnitude;
    if (m_pooled.blockRows == 1 && m_pooled.blockCols == 1) {
        return magnitude ? tr("row %1, column %2: |x| = %3").arg(row).arg(col).arg(value)
                         : tr("row %1, column %2: x = %3").arg(row).arg(col).arg(value);
    }
    const int64_t firstRow = int64_t(displayRow) * m_pooled.blockRows;
    const int64_t lastRow = std::min(firstRow + m_pooled.blockRows, m_pooled.sourceRows) - 1;
    const int64_t firstCol = int64_t(displayCol) * m_pooled.blockCols;
    const int64_t lastCol = std::min(firstCol + m_pooled.blockCols, m_pooled.sourceCols) - 1;
    return magnitude
               ? tr("rows %1\u2013%2, columns %3\u2013%4: max |x| = %5")
                     .arg(firstRow).arg(lastRow).arg(firstCol).arg(lastCol).arg(value)
               : tr("rows %1\u2013%2, columns %3\u2013%4: largest-magnitude x = %5")
                     .arg(firstRow).arg(lastRow).arg(firstCol).arg(lastCol).arg(value);
}

QString HeatmapView::readoutText() const
{
    return m_readout->text();
}

void HeatmapView::showPooled()
{
    const PooledMatrix& p = m_pooled;
    const bool isSigned = m_mode == HeatmapMode::Signed;
    const bool isLog = m_logScale && !isSigned;

    double maxAbs = 0.0;
    double minPositive = std::numeric_limits<double>::infinity();
    for (double v : p.values) {
        if (!std::isfinite(v))
            continue;
        maxAbs = std::max(maxAbs, std::abs(v));
        if (v > 0)
            minPositive = std::min(minPositive, v);
    }
    const double top = maxAbs > 0 ? maxAbs : 1.0;
    QCPRange range(0.0, top);
    if (isSigned) {
        range = QCPRange(-top, top);
    } else if (isLog) {
        double low = std::max(std::isfinite(minPositive) ? minPositive : 0.0,
                              top * std::pow(10.0, -kLogDecades));
        if (!(low < top))
            low = top / 10.0;
        range = QCPRange(low, top);
    }

    // A dimension of one cell is stored as two equal cells: QCPColorMap cannot give a single
    // cell any width.
    const int keySize = std::max(2, p.cols);
    const int valueSize = std::max(2, p.rows);
    auto centres = [](int cells, int64_t block) {
        const double first = (double(block) - 1.0) / 2.0;
        if (cells == 1)
            return QCPRange(first - 0.25 * double(block), first + 0.25 * double(block));
        return QCPRange(first, first + double(cells - 1) * double(block));
    };
    auto* data = new QCPColorMapData(keySize, valueSize, centres(p.cols, p.blockCols),
                                     centres(p.rows, p.blockRows));
    for (int r = 0; r < valueSize; ++r) {
        for (int c = 0; c < keySize; ++c) {
            double z = p.at(std::min(r, p.rows - 1), std::min(c, p.cols - 1));
            // What is drawn stays inside the colour range: infinities at its ends, and on a log
            // scale, zeros and tiny values at its bottom (log 0 has no colour).
            if (std::isinf(z))
                z = z > 0 ? range.upper : range.lower;
            else if (isLog && z < range.lower)
                z = range.lower;
            data->setCell(c, r, z);
        }
    }
    m_map->setData(data);

    m_scale->setDataScaleType(isLog ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (isLog)
        m_scale->axis()->setTicker(QSharedPointer<QCPAxisTicker>(new LogAxisTicker));
    else
        m_scale->axis()->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_map->setDataRange(range);
    updateGradient();

    if (!m_customValueLabel)
        m_valueLabel = isSigned ? tr("value") : tr("|value|");
    m_scale->setLabel(m_valueLabel);
    m_plot->xAxis->setLabel(m_xLabel);
    m_plot->yAxis->setLabel(m_yLabel);
    m_plot->xAxis->setVisible(true);
    m_plot->yAxis->setVisible(true);
    m_map->setVisible(true);
    setColorScaleShown(true);
    m_hint->setVisible(false);
    const QString hover =
        tr("Hover over a cell to read its value. Wheel zooms, drag pans, double-click resets.");
    if (p.blockRows > 1 || p.blockCols > 1)
        m_readout->setText(tr("Shown in blocks of %1 \u00d7 %2 (largest |x| of each). %3")
                               .arg(p.blockRows)
                               .arg(p.blockCols)
                               .arg(hover));
    else
        m_readout->setText(hover);
    m_plot->replot();
}

void HeatmapView::updateGradient()
{
    QCPColorGradient gradient =
        m_mode == HeatmapMode::Signed ? divergingGradient() : viridisGradient();
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(plotPalette(m_theme).nan);
    m_map->setGradient(gradient);
}

void HeatmapView::setColorScaleShown(bool shown)
{
    QCPLayoutGrid* layout = m_plot->plotLayout();
    const bool inLayout = m_scale->layout() != nullptr;
    if (shown && !inLayout) {
        layout->addElement(1, 1, m_scale);
    } else if (!shown && inLayout) {
        layout->take(m_scale);
        layout->simplify();
    }
    m_scale->setVisible(shown);
}

void HeatmapView::onMouseMove(QMouseEvent* event)
{
    if (!hasData())
        return;
    const QPointF pos = event->position();
    if (!m_plot->axisRect()->rect().contains(pos.toPoint()))
        return;
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    const double y = m_plot->yAxis->pixelToCoord(pos.y());
    // Checked before converting: a far zoomed-out axis holds coordinates no integer can.
    if (!(x >= -0.5 && x < double(m_pooled.sourceCols) - 0.5 && y >= -0.5 &&
          y < double(m_pooled.sourceRows) - 0.5))
        return;
    const auto col = int64_t(std::floor(x + 0.5));
    const auto row = int64_t(std::floor(y + 0.5));
    const QString text = describeCell(row, col);
    if (text.isEmpty())
        return;
    m_readout->setText(text);
    emit cellHovered(row, col,
                     m_pooled.at(int(row / m_pooled.blockRows), int(col / m_pooled.blockCols)));
}

} // namespace salience::widgets
