#include "MethodComparisonPlot.h"

#include "LogAxisTicker.h"
#include "PlotSupport.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QSet>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace salience::widgets {

MethodComparisonPlot::MethodComparisonPlot(QWidget* parent) : QWidget(parent)
{
    m_plot = createTitledPlot(this, m_title);
    moveLegendAbovePlot(m_plot);
    m_plot->legend->setWrap(2);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->xAxis->setSubTicks(false);
    m_plot->xAxis->setTickLength(0, 4);
    m_plot->yAxis->grid()->setSubGridVisible(false);
    m_hint = addCenteredHint(m_plot, tr("No comparison yet"));
    m_readout = createReadoutLabel(this);

    stackPlotAndReadout(this, m_plot, m_readout);

    connect(m_plot, &QCustomPlot::mouseMove, this, &MethodComparisonPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::beforeReplot, this,
            [this] { placeCategoryLabels(m_plot->xAxis, m_blockLabels); });

    setTheme(PlotTheme::Light);
    clear();
}

void MethodComparisonPlot::setComparison(const CompareResult& result)
{
    m_methods.clear();
    m_layers.clear();
    m_blocks.clear();
    m_floatPerplexity = result.floatPerplexity ? result.floatPerplexity->perplexity : 0.0;
    m_targetBits = result.target ? result.target->bitsPerWeight : 0.0;

    // The layers every method quantized, in model order (the first method's order).
    m_outputError = true;
    bool any = false;
    for (const CompareLayer& l : result.layers) {
        any = true;
        if (!l.relativeOutputError && l.relativeWeightError != 0)
            m_outputError = false;
    }
    m_outputError = m_outputError && any;
    // Layers every method keeps in full precision (the embedding) have no error to show.
    QSet<QString> quantized;
    for (const CompareLayer& l : result.layers)
        if (l.relativeWeightError != 0 || l.relativeOutputError)
            quantized.insert(QString::fromStdString(l.name));
    if (!result.methods.empty())
        for (const CompareLayer* l : result.layersOf(result.methods.front().method))
            if (quantized.contains(QString::fromStdString(l->name))) {
                m_layers << QString::fromStdString(l->name);
                m_blocks.push_back(l->block);
            }
    for (const CompareSummary& s : result.methods) {
        Method m;
        m.name = QString::fromStdString(s.method);
        m.bitsPerWeight = s.averageBitsPerWeight;
        m.perplexity = s.perplexity ? s.perplexity->perplexity : 0.0;
        m.onBudget = !s.budget || s.budget->reached;
        m.errors.assign(size_t(m_layers.size()), std::numeric_limits<double>::quiet_NaN());
        for (const CompareLayer* l : result.layersOf(s.method)) {
            const int i = int(m_layers.indexOf(QString::fromStdString(l->name)));
            if (i < 0)
                continue;
            // A layer kept in full precision has no output error, and none to show.
            m.errors[size_t(i)] = m_outputError ? l->relativeOutputError.value_or(0.0) : l->relativeWeightError;
        }
        m_methods.push_back(std::move(m));
    }
    rebuild();
}

void MethodComparisonPlot::setLogY(bool enabled)
{
    if (m_logY == enabled)
        return;
    m_logY = enabled;
    setLogarithmic(m_plot->yAxis, enabled);
    resetView();
}

void MethodComparisonPlot::setTheme(PlotTheme theme)
{
    m_theme = theme;
    applyPlotWidgetTheme(this, m_plot, m_hint, m_readout, theme);
    rebuild();
}

void MethodComparisonPlot::clear()
{
    m_methods.clear();
    m_layers.clear();
    m_blocks.clear();
    m_floatPerplexity = 0;
    m_targetBits = 0;
    m_outputError = false;
    rebuild();
}

QCPGraph* MethodComparisonPlot::methodGraph(int method) const
{
    return method >= 0 && method < m_graphs.size() ? m_graphs[method] : nullptr;
}

QString MethodComparisonPlot::legendName(int method) const
{
    const QCPGraph* graph = methodGraph(method);
    return graph ? graph->name() : QString();
}

double MethodComparisonPlot::error(int method, int layer) const
{
    if (method < 0 || method >= m_methods.size() || layer < 0 || layer >= m_layers.size())
        return std::numeric_limits<double>::quiet_NaN();
    return m_methods[method].errors[size_t(layer)];
}

QVector<int> MethodComparisonPlot::wins() const
{
    QVector<int> wins(m_methods.size(), 0);
    for (int l = 0; l < m_layers.size(); ++l) {
        double best = std::numeric_limits<double>::infinity();
        for (int m = 0; m < m_methods.size(); ++m)
            if (std::isfinite(error(m, l)))
                best = std::min(best, error(m, l));
        for (int m = 0; m < m_methods.size(); ++m)
            if (std::isfinite(best) && error(m, l) == best)
                ++wins[m];
    }
    return wins;
}

QString MethodComparisonPlot::describeLayer(int layer) const
{
    if (layer < 0 || layer >= m_layers.size())
        return QString();
    double best = std::numeric_limits<double>::infinity();
    for (int m = 0; m < m_methods.size(); ++m)
        if (std::isfinite(error(m, layer)))
            best = std::min(best, error(m, layer));
    QStringList parts;
    for (int m = 0; m < m_methods.size(); ++m) {
        const double e = error(m, layer);
        QString part = QStringLiteral("%1 %2").arg(m_methods[m].name, formatValue(e));
        if (e == best)
            part += tr(" (best)");
        parts << part;
    }
    return QStringLiteral("%1: %2").arg(m_layers[layer], parts.join(QStringLiteral(", ")));
}

QString MethodComparisonPlot::readoutText() const { return m_readout->text(); }

void MethodComparisonPlot::rebuild()
{
    m_plot->clearGraphs();
    m_plot->clearItems();
    m_graphs.clear();
    m_blockLabels.clear();
    m_hint = addCenteredHint(m_plot, tr("No comparison yet"));
    m_hint->setColor(plotPalette(m_theme).muted);
    const bool empty = m_methods.isEmpty() || m_layers.isEmpty();
    m_hint->setVisible(empty);
    m_plot->xAxis->setVisible(!empty);
    m_plot->yAxis->setVisible(!empty);
    m_plot->legend->setVisible(!empty);
    if (empty) {
        setTitleText(m_title, QString());
        m_readout->clear();
        m_plot->replot();
        return;
    }

    const QVector<int> won = wins();
    for (int m = 0; m < m_methods.size(); ++m) {
        const Method& method = m_methods[m];
        QCPGraph* graph = m_plot->addGraph();
        const QColor color = seriesColor(m_theme, m);
        graph->setPen(QPen(color, 1.8, method.onBudget ? Qt::SolidLine : Qt::DotLine));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color, 1.5), color, 5));
        graph->setSelectable(QCP::stNone);
        QString name = tr("%1 %2 b/w").arg(method.name).arg(method.bitsPerWeight, 0, 'f', 3);
        if (method.perplexity > 0)
            name += tr(", ppl %1").arg(method.perplexity, 0, 'f', 3);
        name += tr(", best on %n", nullptr, won[m]);
        if (!method.onBudget)
            name += tr(" (off the budget)");
        graph->setName(name);
        QVector<double> keys, values;
        for (int l = 0; l < m_layers.size(); ++l) {
            keys << l;
            values << method.errors[size_t(l)];
        }
        graph->setData(keys, values, true);
        m_graphs << graph;
    }

    const QVector<BlockSpan> spans = blockSpans(m_blocks);
    for (const BlockSpan& span : spans) {
        const double centre = 0.5 * (span.first + span.last);
        if (span.block >= 0) {
            m_blockLabels.push_back({centre, tr("Block %1").arg(span.block), QString::number(span.block)});
        } else {
            const QString name = m_layers[span.first];
            m_blockLabels.push_back({centre, name.mid(name.lastIndexOf(u'.') + 1), name.mid(name.lastIndexOf(u'.') + 1, 3)});
        }
    }
    addBlockBands(m_plot, spans, true);

    QString title = m_outputError ? tr("Relative output error per layer") : tr("Relative weight error per layer");
    if (m_targetBits > 0)
        title += tr(" at %1 bits/w").arg(m_targetBits, 0, 'f', 2);
    if (m_floatPerplexity > 0)
        title += tr(" · float ppl %1").arg(m_floatPerplexity, 0, 'f', 3);
    setTitleText(m_title, title);
    m_plot->xAxis->setLabel(tr("Layer (model order)"));
    m_plot->yAxis->setLabel(m_outputError ? tr("Relative output error") : tr("Relative weight error"));
    m_readout->setText(tr("Hover over a layer to read every method's error there."));
    resetView();
}

void MethodComparisonPlot::resetView()
{
    m_plot->xAxis->setRange(-0.6, std::max<double>(m_layers.size(), 1) - 0.4);
    double high = 0;
    double lowPositive = std::numeric_limits<double>::infinity();
    for (const Method& m : std::as_const(m_methods))
        for (double e : m.errors)
            if (std::isfinite(e)) {
                high = std::max(high, e);
                if (e > 0)
                    lowPositive = std::min(lowPositive, e);
            }
    if (m_logY)
        m_plot->yAxis->setRange(std::isfinite(lowPositive) ? lowPositive / 1.5 : 0.01,
                                high > 0 ? high * 1.5 : 1.0);
    else
        m_plot->yAxis->setRange(0.0, high > 0 ? high * 1.08 : 1.0);
    m_plot->replot();
}

void MethodComparisonPlot::onMouseMove(QMouseEvent* event)
{
    if (!hasData())
        return;
    if (!m_plot->axisRect()->rect().contains(event->pos())) {
        QToolTip::hideText();
        return;
    }
    const double x = m_plot->xAxis->pixelToCoord(event->position().x());
    const int layer = int(std::lround(x));
    if (layer < 0 || layer >= m_layers.size() || std::abs(x - layer) > 0.5)
        return;
    const QString text = describeLayer(layer);
    m_readout->setText(text);
    QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
    emit layerHovered(layer);
}

} // namespace salience::widgets
