#include "WeightsTab.h"

#include "HeatmapView.h"
#include "HistogramPlot.h"
#include "PlotTheme.h"
#include "ProfilePlot.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include <cmath>

namespace salience::gui {

WeightsTab::WeightsTab(QWidget* parent) : QWidget(parent)
{
    m_heatmap = new widgets::HeatmapView(this);
    m_heatmap->setAxisLabels(tr("input column"), tr("output row"));
    m_columns = new widgets::ProfilePlot(this);
    m_columns->setAxisLabels(tr("input column"), tr("abs-max"));
    m_rows = new widgets::ProfilePlot(this);
    m_rows->setAxisLabels(tr("output row"), tr("abs-max"));
    m_histogram = new widgets::HistogramPlot(this);
    m_logCounts = new QCheckBox(tr("Log counts"), this);
    m_logColors = new QCheckBox(tr("Log colour scale"), this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_logCounts, &QCheckBox::toggled, m_histogram, &widgets::HistogramPlot::setLogCounts);
    connect(m_logColors, &QCheckBox::toggled, m_heatmap, &widgets::HeatmapView::setLogScale);

    auto* options = new QHBoxLayout;
    options->addWidget(m_summary, 1);
    options->addWidget(m_logColors);
    options->addWidget(m_logCounts);
    auto* grid = new QGridLayout;
    grid->addWidget(m_heatmap, 0, 0);
    grid->addWidget(m_columns, 0, 1);
    grid->addWidget(m_rows, 1, 0);
    grid->addWidget(m_histogram, 1, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(options);
    layout->addLayout(grid, 1);
}

void WeightsTab::showInspection(const LinearLayer& layer, const LayerInspection& inspection)
{
    const WeightStats& s = inspection.analysis.weights;
    m_heatmap->setMatrix(inspection.weight, tr("|W|"),
                         widgets::HeatmapMode::Magnitude);
    m_columns->setTitle(tr("Per input column"));
    m_columns->setSeries({{tr("column abs-max"), s.colAbsMax, QColor()}});
    m_columns->setMarked(s.outlierColumns, tr("outlier columns (> %1× median)").arg(s.outlierColumnFactor));
    m_rows->setTitle(tr("Per output row"));
    m_rows->setSeries({{tr("row abs-max"), s.rowAbsMax, QColor()}});
    m_histogram->setTitle(tr("Distribution of weights"));
    m_histogram->setHistogram(inspection.weightHistogram, tr("weight value"));
    m_summary->setText(tr("%1 × %2 · abs-max %3 · std %4 · excess kurtosis %5 · beyond 3σ %6% · beyond 6σ %7% · "
                          "%n outlier column(s)",
                          nullptr, int(s.outlierColumns.size()))
                           .arg(layer.outFeatures)
                           .arg(layer.inFeatures)
                           .arg(s.absMax, 0, 'g', 4)
                           .arg(s.std, 0, 'g', 4)
                           .arg(std::isfinite(s.kurtosis) ? QString::number(s.kurtosis, 'f', 2) : QStringLiteral("—"))
                           .arg(100.0 * s.fractionBeyond3Sigma, 0, 'f', 2)
                           .arg(100.0 * s.fractionBeyond6Sigma, 0, 'f', 3));
}

void WeightsTab::clear()
{
    m_heatmap->clear();
    m_columns->clear();
    m_rows->clear();
    m_histogram->clear();
    m_summary->clear();
}

void WeightsTab::setTheme(widgets::PlotTheme theme)
{
    m_heatmap->setTheme(theme);
    m_columns->setTheme(theme);
    m_rows->setTheme(theme);
    m_histogram->setTheme(theme);
}

} // namespace salience::gui
