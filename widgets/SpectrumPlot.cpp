#include "SpectrumPlot.h"

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

// The marker starts where W keeps this share of its energy, until a rank is set.
constexpr double kDefaultEnergy = 0.9;
// A log axis showing more decades than this below σ₁ only shows round-off.
constexpr double kMaxDecades = 10.0;
// The energy axis reads 0..1 with a little room above, so that marks at 1 are not cut.
constexpr double kEnergyAxisTop = 1.04;

QString percent(double share)
{
    return QString::number(100.0 * share, 'f', 1);
}

} // namespace

SpectrumPlot::SpectrumPlot(QWidget* parent) : QWidget(parent)
{
    m_plot = createTitledPlot(this, m_title);
    moveLegendAbovePlot(m_plot);

    QCPAxis* x = m_plot->xAxis;
    QCPAxis* y = m_plot->yAxis;
    QCPAxis* energy = m_plot->yAxis2;
    x->setTicker(QSharedPointer<QCPAxisTicker>(new IntegerAxisTicker));
    x->setLabel(tr("Index i (singular values in decreasing order)"));
    y->setScaleType(QCPAxis::stLogarithmic);
    y->setTicker(QSharedPointer<QCPAxisTicker>(new LogAxisTicker));
    y->setNumberFormat(QStringLiteral("gb"));
    energy->setVisible(true);
    energy->setLabel(tr("Cumulative energy (fraction kept)"));
    energy->setRange(0.0, kEnergyAxisTop);
    energy->grid()->setVisible(false);

    m_weightGraph = m_plot->addGraph(x, y);
    m_scaledGraph = m_plot->addGraph(x, y);
    m_weightEnergy = m_plot->addGraph(x, energy);
    m_scaledEnergy = m_plot->addGraph(x, energy);
    m_weightGraph->setName(tr("σᵢ(W)"));
    m_scaledGraph->setName(tr("σᵢ(W·diag(s))"));
    m_weightEnergy->setName(tr("energy of W"));
    m_scaledEnergy->setName(tr("energy of W·diag(s)"));
    for (QCPGraph* graph : {m_weightGraph, m_scaledGraph, m_weightEnergy, m_scaledEnergy})
        graph->setSelectable(QCP::stNone);

    m_marker = new QCPItemLine(m_plot);
    m_marker->setSelectable(false);
    for (QCPItemPosition* end : {m_marker->start, m_marker->end})
        end->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_markerText = new QCPItemText(m_plot);
    m_markerText->setSelectable(false);
    m_markerText->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_markerText->setPadding(QMargins(5, 2, 5, 2));
    m_markerText->setFont(axisLabelFont());
    m_weightTracer = new QCPItemTracer(m_plot);
    m_scaledTracer = new QCPItemTracer(m_plot);
    for (QCPItemTracer* tracer : {m_weightTracer, m_scaledTracer}) {
        tracer->setSelectable(false);
        tracer->setStyle(QCPItemTracer::tsCircle);
        tracer->setSize(9);
        tracer->setInterpolating(false);
    }

    // Wheel zoom along the index axis only; a press moves the marker, so no drag-panning.
    m_plot->setInteractions(QCP::iRangeZoom);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoomAxes(x, nullptr);

    m_hint = addCenteredHint(m_plot, tr("No data"));
    m_plot->setToolTip(tr("Press or drag in the plot to move the rank budget k. "
                          "The wheel zooms the index axis; double-click resets."));

    m_energyLabel = new QLabel(this);
    m_energyLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_energyLabel->setFont(axisLabelFont());
    m_energyLabel->setContentsMargins(8, 0, 8, 0);
    m_rankLabel = new QLabel(this);
    m_rankLabel->setFont(tickLabelFont());
    m_rankLabel->setWordWrap(true);
    m_rankLabel->setContentsMargins(8, 0, 8, 4);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_energyLabel);
    layout->addWidget(m_rankLabel);

    connect(m_plot, &QCustomPlot::mousePress, this, &SpectrumPlot::onMousePress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &SpectrumPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &SpectrumPlot::onMouseRelease);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });

    setTheme(PlotTheme::Light);
    clear();
}

void SpectrumPlot::setSpectra(const salience::Spectrum& weight, const salience::Spectrum* scaled)
{
    if (weight.singularValues.empty()) {
        clear();
        return;
    }
    m_weight = weight;
    if (scaled && !scaled->singularValues.empty())
        m_scaled = *scaled;
    else
        m_scaled.reset();
    rebuild();
    const int k = m_rankSet ? m_rank : int(weight.rankForEnergy(kDefaultEnergy));
    const int clamped = std::clamp(k, 0, maxRank());
    if (clamped != m_rank) {
        m_rank = clamped;
        emit rankChanged(m_rank);
    }
    resetView();
    updateMarker();
    updateLabels();
    m_plot->replot();
}

void SpectrumPlot::setRank(int k)
{
    m_rankSet = true;
    const int clamped = hasData() ? std::clamp(k, 0, maxRank()) : std::max(0, k);
    if (clamped == m_rank)
        return;
    m_rank = clamped;
    updateMarker();
    updateLabels();
    m_plot->replot();
    emit rankChanged(m_rank);
}

int SpectrumPlot::maxRank() const
{
    size_t n = 0;
    if (m_weight)
        n = m_weight->singularValues.size();
    if (m_scaled)
        n = std::max(n, m_scaled->singularValues.size());
    return int(std::min<size_t>(n, size_t(std::numeric_limits<int>::max())));
}

void SpectrumPlot::setNormalized(bool enabled)
{
    if (m_normalized == enabled)
        return;
    m_normalized = enabled;
    rebuild();
    resetView();
}

void SpectrumPlot::setTitle(const QString& title)
{
    setTitleText(m_title, title);
    m_plot->replot();
}

void SpectrumPlot::setTheme(PlotTheme theme)
{
    m_theme = theme;
    applyTheme(m_plot, theme);
    applyThemePalette(this, theme);
    const PlotPalette palette = plotPalette(theme);
    const QColor weightColor = seriesColor(theme, 0);
    const QColor scaledColor = seriesColor(theme, 1);
    m_weightGraph->setPen(QPen(weightColor, 2.0));
    m_scaledGraph->setPen(QPen(scaledColor, 2.0));
    m_weightEnergy->setPen(QPen(weightColor, 1.6, Qt::DashLine));
    m_scaledEnergy->setPen(QPen(scaledColor, 1.6, Qt::DashLine));
    m_weightTracer->setPen(QPen(weightColor, 2.0));
    m_weightTracer->setBrush(palette.background);
    m_scaledTracer->setPen(QPen(scaledColor, 2.0));
    m_scaledTracer->setBrush(palette.background);
    m_marker->setPen(QPen(palette.highlight, 2.0));
    m_markerText->setColor(palette.highlight);
    m_markerText->setBrush(QBrush(palette.legendBackground));
    m_markerText->setPen(QPen(palette.highlight, 1.0));
    m_hint->setColor(palette.muted);
    QPalette mutedPalette = m_rankLabel->palette();
    mutedPalette.setColor(QPalette::WindowText, palette.muted);
    m_rankLabel->setPalette(mutedPalette);
    m_plot->replot();
}

void SpectrumPlot::resetView()
{
    if (!hasData()) {
        m_plot->replot();
        return;
    }
    const int n = maxRank();
    m_plot->xAxis->setRange(0.0, double(n) + std::max(0.5, 0.02 * double(n)));

    double top = 0.0;
    double low = std::numeric_limits<double>::infinity();
    for (QCPGraph* graph : {m_weightGraph, m_scaledGraph}) {
        if (!graph->visible())
            continue;
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
            if (!std::isfinite(it->value) || it->value <= 0)
                continue;
            top = std::max(top, it->value);
            low = std::min(low, it->value);
        }
    }
    if (top <= 0) {
        m_plot->yAxis->setRange(1e-3, 1.0);
    } else {
        low = std::max(low, top * std::pow(10.0, -kMaxDecades));
        m_plot->yAxis->setRange(low / 2.0, top * 2.0);
    }
    m_plot->yAxis2->setRange(0.0, kEnergyAxisTop);
    m_plot->replot();
}

void SpectrumPlot::clear()
{
    m_weight.reset();
    m_scaled.reset();
    m_dragging = false;
    rebuild();
    updateMarker();
    updateLabels();
    m_plot->replot();
}

QString SpectrumPlot::energyText() const
{
    return m_energyLabel->text();
}

QString SpectrumPlot::rankText() const
{
    return m_rankLabel->text();
}

void SpectrumPlot::rebuild()
{
    auto fill = [this](QCPGraph* values, QCPGraph* energy, const std::optional<Spectrum>& s) {
        QVector<double> keys;
        QVector<double> sigma;
        QVector<double> energyKeys;
        QVector<double> kept;
        if (s) {
            const size_t n = s->singularValues.size();
            const double first = s->singularValues.front();
            const double norm = m_normalized && first > 0 ? first : 1.0;
            keys.reserve(int(n));
            sigma.reserve(int(n));
            for (size_t i = 0; i < n; ++i) {
                keys.push_back(double(i + 1));
                sigma.push_back(s->singularValues[i] / norm);
            }
            // Energy at x = k is what the first k values keep, from k = 0 on, so the curve
            // meets the marker exactly where the label reads it.
            for (size_t k = 0; k <= n; ++k) {
                energyKeys.push_back(double(k));
                kept.push_back(s->energyKept(k));
            }
        }
        values->setData(keys, sigma, true);
        energy->setData(energyKeys, kept, true);
        values->setVisible(s.has_value());
        energy->setVisible(s.has_value());
        values->addToLegend();
        energy->addToLegend();
        if (!s) {
            values->removeFromLegend();
            energy->removeFromLegend();
        }
    };
    fill(m_weightGraph, m_weightEnergy, m_weight);
    fill(m_scaledGraph, m_scaledEnergy, m_scaled);
    // Few values read better as dots on the line.
    const bool dots = maxRank() <= 64;
    for (QCPGraph* graph : {m_weightGraph, m_scaledGraph})
        graph->setScatterStyle(dots ? QCPScatterStyle(QCPScatterStyle::ssDisc, 5)
                                    : QCPScatterStyle(QCPScatterStyle::ssNone));

    const bool empty = !hasData();
    m_plot->yAxis->setLabel(m_normalized ? tr("σᵢ / σ\u2081 (log scale)")
                                         : tr("Singular value σᵢ (log scale)"));
    m_plot->xAxis->setVisible(!empty);
    m_plot->yAxis->setVisible(!empty);
    m_plot->yAxis2->setVisible(!empty);
    m_plot->legend->setVisible(!empty);
    m_hint->setVisible(empty);
}

void SpectrumPlot::updateMarker()
{
    const bool shown = hasData();
    m_marker->setVisible(shown);
    m_markerText->setVisible(shown);
    // A tracer follows its graph only while the graph has points: QCustomPlot complains on every
    // replot about a tracer on an empty graph (the energy curves fill after the values).
    const auto follow = [](QCPItemTracer* tracer, QCPGraph* graph, bool wanted) {
        const bool on = wanted && !graph->data()->isEmpty();
        tracer->setGraph(on ? graph : nullptr);
        tracer->setVisible(on);
    };
    follow(m_weightTracer, m_weightEnergy, shown);
    follow(m_scaledTracer, m_scaledEnergy, shown && hasScaled());
    if (!shown)
        return;
    const double k = double(m_rank);
    m_marker->start->setCoords(k, 0.0);
    m_marker->end->setCoords(k, 1.0);
    m_markerText->setText(tr("k = %1").arg(m_rank));
    m_markerText->position->setCoords(k, 0.0);
    // The label sits beside the line, on whichever side has room.
    const bool rightHalf = k > 0.7 * m_plot->xAxis->range().upper;
    m_markerText->setPositionAlignment(Qt::AlignTop | (rightHalf ? Qt::AlignRight : Qt::AlignLeft));
    m_weightTracer->setGraphKey(k);
    m_scaledTracer->setGraphKey(k);
}

void SpectrumPlot::updateLabels()
{
    if (!hasData()) {
        m_energyLabel->clear();
        m_rankLabel->clear();
        return;
    }
    const size_t k = size_t(m_rank);
    if (m_scaled)
        m_energyLabel->setText(tr("k = %1: %2% of W's energy, %3% of W·diag(s)")
                                   .arg(m_rank)
                                   .arg(percent(m_weight->energyKept(k)),
                                        percent(m_scaled->energyKept(k))));
    else
        m_energyLabel->setText(
            tr("k = %1: %2% of W's energy").arg(m_rank).arg(percent(m_weight->energyKept(k))));

    auto ranks = [](const QString& name, const Spectrum& s) {
        return tr("%1: effective rank %2, stable rank %3")
            .arg(name, QString::number(s.effectiveRank, 'f', 1),
                 QString::number(s.stableRank, 'f', 2));
    };
    QString text = ranks(tr("W"), *m_weight);
    if (m_scaled)
        text += QStringLiteral("  ·  ") + ranks(tr("W·diag(s)"), *m_scaled);
    text += tr("  ·  %1 singular values").arg(maxRank());
    m_rankLabel->setText(text);
}

void SpectrumPlot::setRankFromPixel(double x)
{
    const double coord = m_plot->xAxis->pixelToCoord(x);
    if (!std::isfinite(coord))
        return;
    const double clamped = std::clamp(coord, 0.0, double(maxRank()));
    setRank(int(std::lround(clamped)));
}

void SpectrumPlot::onMousePress(QMouseEvent* event)
{
    if (!hasData() || event->button() != Qt::LeftButton)
        return;
    if (!m_plot->axisRect()->rect().contains(event->position().toPoint()))
        return;
    m_dragging = true;
    setRankFromPixel(event->position().x());
}

void SpectrumPlot::onMouseMove(QMouseEvent* event)
{
    if (!hasData())
        return;
    if (m_dragging) {
        setRankFromPixel(event->position().x());
        return;
    }
    // Show that the marker can be grabbed.
    const double markerX = m_plot->xAxis->coordToPixel(double(m_rank));
    const bool near = std::abs(event->position().x() - markerX) <= 6.0 &&
                      m_plot->axisRect()->rect().contains(event->position().toPoint());
    m_plot->setCursor(near ? Qt::SizeHorCursor : Qt::ArrowCursor);
}

void SpectrumPlot::onMouseRelease(QMouseEvent* event)
{
    if (m_dragging && event->button() == Qt::LeftButton)
        m_dragging = false;
}

} // namespace salience::widgets
