#include "SensitivityHeatmap.h"

#include "ColorMap.h"
#include "LogAxisTicker.h"
#include "PlotSupport.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace salience::widgets {

namespace {

// A dimension of one cell is stored as two equal cells (QCPColorMap cannot give a single cell
// any width): the range of their centres.
QCPRange cellCentres(int cells)
{
    return cells == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0.0, double(cells - 1));
}

// The parameter-weighted bits per weight of every unit at one candidate.
double candidateBitsPerWeight(const SensitivityTable& table, size_t candidate)
{
    double bits = 0, params = 0;
    for (const SensitivityUnit& u : table.units) {
        bits += u.cells[candidate].bitsPerWeight * double(u.parameters);
        params += double(u.parameters);
    }
    return params > 0 ? bits / params : 0.0;
}

} // namespace

SensitivityHeatmap::SensitivityHeatmap(QWidget* parent) : QWidget(parent)
{
    m_plot = createTitledPlot(this, m_title);
    moveLegendAbovePlot(m_plot);

    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    m_map->setSelectable(QCP::stNone);
    m_map->removeFromLegend();

    m_scale = new QCPColorScale(m_plot);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setBarWidth(16);
    m_scale->setRangeDrag(false);
    m_scale->setRangeZoom(false);
    m_scale->setDataScaleType(QCPAxis::stLogarithmic);
    m_scale->axis()->setTicker(QSharedPointer<QCPAxisTicker>(new LogAxisTicker));
    // Beside the axis rect, in its row (the legend and the title rows are above).
    int axisRow = 0;
    for (int r = 0; r < m_plot->plotLayout()->rowCount(); ++r)
        if (m_plot->plotLayout()->element(r, 0) == m_plot->axisRect())
            axisRow = r;
    m_plot->plotLayout()->addElement(axisRow, 1, m_scale);
    m_map->setColorScale(m_scale);
    m_map->setGradient(viridisGradient());
    auto* group = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    // The first unit at the top, as the table is read.
    m_plot->yAxis->setRangeReversed(true);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
        axis->setTickLength(0, 3);
    }

    m_allocation = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
    m_allocation->setLineStyle(QCPCurve::lsNone);
    m_allocation->setSelectable(QCP::stNone);
    m_allocation->setName(tr("allocated plan"));
    m_uniformLegend = m_plot->addGraph();
    m_uniformLegend->setSelectable(QCP::stNone);
    m_uniformOutline = new QCPItemRect(m_plot);
    m_uniformOutline->setSelectable(false);
    m_uniformOutline->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_uniformOutline->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_uniformOutline->setBrush(Qt::NoBrush);

    m_hint = addCenteredHint(m_plot, tr("No sensitivity measured yet"));
    m_readout = createReadoutLabel(this);

    stackPlotAndReadout(this, m_plot, m_readout);

    connect(m_plot, &QCustomPlot::mouseMove, this, &SensitivityHeatmap::onMouseMove);
    connect(m_plot, &QCustomPlot::beforeReplot, this, &SensitivityHeatmap::updateTickLabels);

    setTheme(PlotTheme::Light);
    clear();
}

QString SensitivityHeatmap::unitLabel(const SensitivityUnit& unit)
{
    const QString role = unit.role ? QString::fromUtf8(roleName(*unit.role).data(), int(roleName(*unit.role).size()))
                                   : QString();
    if (unit.block >= 0 && !role.isEmpty())
        return QStringLiteral("%1 %2").arg(unit.block).arg(role);
    if (!role.isEmpty())
        return role;
    if (unit.block >= 0)
        return tr("block %1").arg(unit.block);
    const QString name = QString::fromStdString(unit.name);
    return name.mid(name.lastIndexOf(u'.') + 1);
}

QString SensitivityHeatmap::unitKindText(SensitivityUnitKind kind)
{
    switch (kind) {
    case SensitivityUnitKind::Role:
        return tr("role");
    case SensitivityUnitKind::Block:
        return tr("block");
    case SensitivityUnitKind::Layer:
        break;
    }
    return tr("layer");
}

QString SensitivityHeatmap::textPartText(const std::string& part)
{
    if (part == "calibration")
        return tr("calibration");
    if (part == "held-out")
        return tr("held-out");
    if (part == "whole")
        return tr("whole text");
    return QString::fromStdString(part);
}

QString SensitivityHeatmap::unitsText(SensitivityUnitKind kind, int count)
{
    switch (kind) {
    case SensitivityUnitKind::Role:
        return tr("%n role(s)", nullptr, count);
    case SensitivityUnitKind::Block:
        return tr("%n block(s)", nullptr, count);
    case SensitivityUnitKind::Layer:
        break;
    }
    return tr("%n layer(s)", nullptr, count);
}

void SensitivityHeatmap::setTable(const SensitivityTable& table, SensitivityMeasure measure)
{
    m_table = table;
    m_measure = measure;
    m_chosen.assign(m_table.units.size(), -1);
    m_uniform = -1;
    rebuild();
}

void SensitivityHeatmap::setMeasure(SensitivityMeasure measure)
{
    m_measure = measure;
    rebuild();
}

void SensitivityHeatmap::setAllocation(const SensitivityAllocation& allocation)
{
    m_chosen.assign(m_table.units.size(), -1);
    const size_t candidates = m_table.candidates().size();
    for (size_t u = 0; u < allocation.units.size() && u < m_chosen.size(); ++u)
        if (allocation.units[u].candidate < candidates)
            m_chosen[u] = int(allocation.units[u].candidate);
    m_uniform = allocation.uniform && allocation.uniform->candidate < candidates ? int(allocation.uniform->candidate) : -1;
    rebuildMarks();
    m_plot->replot();
}

void SensitivityHeatmap::clearAllocation()
{
    m_chosen.assign(m_table.units.size(), -1);
    m_uniform = -1;
    rebuildMarks();
    m_plot->replot();
}

void SensitivityHeatmap::setTheme(PlotTheme theme)
{
    m_theme = theme;
    applyPlotWidgetTheme(this, m_plot, m_hint, m_readout, theme);
    applyThemeToAxis(m_scale->axis(), theme);
    QCPColorGradient gradient = viridisGradient();
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(plotPalette(theme).nan);
    m_map->setGradient(gradient);
    rebuildMarks();
    m_plot->replot();
}

void SensitivityHeatmap::clear()
{
    m_table = SensitivityTable();
    m_chosen.clear();
    m_uniform = -1;
    rebuild();
}

double SensitivityHeatmap::cellValue(int unit, int candidate) const
{
    if (unit < 0 || candidate < 0 || size_t(unit) >= m_table.units.size() ||
        size_t(candidate) >= m_table.candidates().size())
        return std::numeric_limits<double>::quiet_NaN();
    const SensitivityCell& cell = m_table.units[size_t(unit)].cells[size_t(candidate)];
    return m_measure == SensitivityMeasure::Kl ? cell.kl : cell.nllDelta;
}

QString SensitivityHeatmap::describeCell(int unit, int candidate) const
{
    if (std::isnan(cellValue(unit, candidate)))
        return QString();
    const SensitivityUnit& u = m_table.units[size_t(unit)];
    const SensitivityCell& cell = u.cells[size_t(candidate)];
    QString text = tr("%1 · %2: KL %3 ± %4 nats, ΔNLL %5, %6 bits per weight")
                       .arg(QString::fromStdString(u.name),
                            QString::fromStdString(m_table.candidates()[size_t(candidate)].label()),
                            formatValue(cell.kl), formatValue(cell.klStdError))
                       .arg(cell.nllDelta, 0, 'g', 4)
                       .arg(cell.bitsPerWeight, 0, 'f', 3);
    if (cell.rank > 0)
        text += tr(", rank %1").arg(cell.rank);
    if (size_t(unit) < m_chosen.size() && m_chosen[size_t(unit)] == candidate)
        text += tr(" (allocated)");
    return text;
}

QString SensitivityHeatmap::readoutText() const { return m_readout->text(); }

void SensitivityHeatmap::rebuild()
{
    const int units = int(m_table.units.size());
    const int candidates = int(m_table.candidates().size());
    const bool empty = units == 0 || candidates == 0;
    m_rowLabels.clear();
    m_columnLabels.clear();
    for (QCPItemStraightLine* line : m_separators)
        m_plot->removeItem(line);
    m_separators.clear();
    m_map->setVisible(!empty);
    m_scale->setVisible(!empty);
    m_plot->xAxis->setVisible(!empty);
    m_plot->yAxis->setVisible(!empty);
    m_hint->setVisible(empty);
    if (empty) {
        m_map->data()->clear();
        setTitleText(m_title, QString());
        m_readout->clear();
        rebuildMarks();
        m_plot->replot();
        return;
    }

    double top = 0;
    double lowPositive = std::numeric_limits<double>::infinity();
    for (int u = 0; u < units; ++u)
        for (int c = 0; c < candidates; ++c) {
            const double v = cellValue(u, c);
            if (!std::isfinite(v) || v <= 0)
                continue;
            top = std::max(top, v);
            lowPositive = std::min(lowPositive, v);
        }
    QCPRange range(1e-6, 1e-3); // nothing positive to show
    if (top > 0) {
        const double low = std::max(lowPositive, top * std::pow(10.0, -kLogDecades));
        range = low < top ? QCPRange(low, top) : QCPRange(top / 10.0, top);
    }
    auto* data = new QCPColorMapData(std::max(2, candidates), std::max(2, units), cellCentres(candidates),
                                     cellCentres(units));
    for (int r = 0; r < std::max(2, units); ++r)
        for (int c = 0; c < std::max(2, candidates); ++c) {
            double v = cellValue(std::min(r, units - 1), std::min(c, candidates - 1));
            if (std::isfinite(v))
                v = std::clamp(v, range.lower, range.upper); // log 0 has no colour
            data->setCell(c, r, v);
        }
    m_map->setData(data);
    m_map->setDataRange(range);
    m_scale->setLabel(m_measure == SensitivityMeasure::Kl ? tr("KL(P_float ‖ P_quantized), nats")
                                                          : tr("NLL change, nats"));
    const QString what = m_measure == SensitivityMeasure::Kl ? tr("KL divergence") : tr("NLL change");
    setTitleText(m_title, tr("%1 with each %2 alone quantized (%3 positions, %4 part)")
                              .arg(what, unitKindText(m_table.key.unitKind))
                              .arg(m_table.positions)
                              .arg(textPartText(m_table.textPart)));

    for (int c = 0; c < candidates; ++c) {
        const QString label = QString::fromStdString(m_table.candidates()[size_t(c)].label());
        m_columnLabels.push_back({double(c),
                                  tr("%1\n%2 b/w").arg(label).arg(candidateBitsPerWeight(m_table, size_t(c)), 0, 'f', 2),
                                  label});
    }
    std::vector<int> blocks;
    for (int u = 0; u < units; ++u) {
        const QString label = unitLabel(m_table.units[size_t(u)]);
        m_rowLabels.push_back({double(u), label, label});
        blocks.push_back(m_table.units[size_t(u)].block);
    }
    m_plot->xAxis->setLabel(tr("Candidate (bits per weight over all units)"));
    m_plot->yAxis->setLabel(unitKindText(m_table.key.unitKind));
    // A thin line where a block begins, so the rows read block by block.
    const QVector<BlockSpan> spans = blockSpans(blocks);
    for (int s = 1; s < spans.size(); ++s) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->setSelectable(false);
        line->setPen(QPen(QColor(255, 255, 255, 170), 1.5));
        line->point1->setCoords(0.0, spans[s].first - 0.5);
        line->point2->setCoords(1.0, spans[s].first - 0.5);
        m_separators.push_back(line);
    }
    m_plot->xAxis->setRange(-0.5, candidates - 0.5);
    m_plot->yAxis->setRange(-0.5, units - 0.5);
    m_readout->setText(tr("Hover over a cell to read its KL, NLL change and bits per weight."));
    rebuildMarks();
    m_plot->replot();
}

void SensitivityHeatmap::rebuildMarks()
{
    const PlotPalette palette = plotPalette(m_theme);
    QVector<double> t, keys, values;
    for (size_t u = 0; u < m_chosen.size(); ++u)
        if (m_chosen[u] >= 0) {
            t << double(u);
            keys << double(m_chosen[u]);
            values << double(u);
        }
    m_allocation->setData(t, keys, values, true);
    m_allocation->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 1.5), Qt::white, 9));
    m_allocation->setPen(QPen(Qt::black, 1.5));
    const bool allocated = !t.isEmpty();
    m_allocation->setVisible(allocated);
    if (allocated)
        m_allocation->addToLegend();
    else
        m_allocation->removeFromLegend();

    const bool uniform = m_uniform >= 0 && !m_table.units.empty();
    const QPen outline(palette.highlight, 2.5, Qt::DashLine);
    m_uniformOutline->setPen(outline);
    m_uniformOutline->setVisible(uniform);
    m_uniformLegend->setPen(outline);
    if (uniform) {
        m_uniformOutline->topLeft->setCoords(m_uniform - 0.5, 0.0);
        m_uniformOutline->bottomRight->setCoords(m_uniform + 0.5, 1.0);
        m_uniformLegend->setName(tr("uniform %1 (same budget)")
                                     .arg(QString::fromStdString(m_table.candidates()[size_t(m_uniform)].label())));
        m_uniformLegend->addToLegend();
    } else {
        m_uniformLegend->removeFromLegend();
    }
    m_plot->legend->setVisible(allocated || uniform);
}

void SensitivityHeatmap::updateTickLabels()
{
    placeCategoryLabels(m_plot->xAxis, m_columnLabels);
    placeCategoryLabels(m_plot->yAxis, m_rowLabels);
}

void SensitivityHeatmap::onMouseMove(QMouseEvent* event)
{
    if (!hasData())
        return;
    const QPointF pos = event->position();
    if (!m_plot->axisRect()->rect().contains(pos.toPoint())) {
        QToolTip::hideText();
        return;
    }
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    const double y = m_plot->yAxis->pixelToCoord(pos.y());
    const int candidates = int(m_table.candidates().size());
    const int units = int(m_table.units.size());
    if (!(x >= -0.5 && x < candidates - 0.5 && y >= -0.5 && y < units - 0.5))
        return;
    const int candidate = int(std::floor(x + 0.5));
    const int unit = int(std::floor(y + 0.5));
    const QString text = describeCell(unit, candidate);
    m_readout->setText(text);
    QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
    emit cellHovered(unit, candidate);
}

} // namespace salience::widgets
