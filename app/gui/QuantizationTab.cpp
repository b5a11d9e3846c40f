#include "QuantizationTab.h"

#include "HeatmapView.h"
#include "HistogramPlot.h"
#include "PlotTheme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace salience::gui {

QuantizationTab::QuantizationTab(QWidget* parent) : QWidget(parent)
{
    m_view = new QComboBox(this);
    m_view->addItems({tr("Error W − Ŵ"), tr("Original |W|"), tr("Quantized |Ŵ|")});
    m_heatmap = new widgets::HeatmapView(this);
    m_heatmap->setAxisLabels(tr("input column"), tr("output row"));
    m_histogram = new widgets::HistogramPlot(this);
    m_scales = new widgets::HeatmapView(this);
    m_scales->setAxisLabels(tr("group"), tr("output row"));
    m_metrics = new QLabel(this);
    m_metrics->setWordWrap(true);
    m_metrics->setTextFormat(Qt::RichText);
    m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_metrics->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_metrics->setMinimumWidth(220);
    m_metrics->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_logCounts = new QCheckBox(tr("Log counts"), this);
    connect(m_logCounts, &QCheckBox::toggled, m_histogram, &widgets::HistogramPlot::setLogCounts);
    connect(m_view, &QComboBox::currentIndexChanged, this, &QuantizationTab::showMatrix);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_view);
    top->addStretch(1);
    top->addWidget(m_logCounts);
    auto* grid = new QGridLayout;
    grid->addWidget(m_heatmap, 0, 0, 2, 1);
    grid->addWidget(m_metrics, 0, 1);
    grid->addWidget(m_histogram, 1, 1);
    grid->addWidget(m_scales, 2, 0, 1, 2);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 2);
    grid->setRowStretch(1, 2);
    grid->setRowStretch(2, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(grid, 1);
    clear();
}

void QuantizationTab::showPreview(const QuantPreview& preview)
{
    m_preview = preview;
    showMatrix();
    m_histogram->setTitle(tr("Distribution of W − Ŵ"));
    m_histogram->setHistogram(preview.errorHistogram, tr("error"));
    const auto& r = preview.result;
    if (r.quantized) {
        const QuantizedLinear& q = *r.quantized;
        const int64_t rows = q.grid.scaleRows(q.outFeatures);
        const int64_t cols = q.grid.groupsPerRow(q.inFeatures);
        // Codebooks replace the grid's scales; dense and low-rank-only results have none.
        if (q.base == QuantBase::Codes && q.hasCodebook()) {
            const int64_t entries = int64_t(1) << q.grid.bits;
            Matrix table = Eigen::Map<const Matrix>(q.codebook.data(), q.outFeatures, entries);
            m_scales->setMatrix(table, tr("Codebook per output row (%1 entries)").arg(entries),
                                widgets::HeatmapMode::Signed);
        } else if (q.base == QuantBase::Codes && int64_t(q.scales.size()) == rows * cols) {
            Matrix scales = Eigen::Map<const Matrix>(q.scales.data(), rows, cols);
            m_scales->setMatrix(scales, tr("Scales per group (%1)").arg(QString::fromStdString(q.grid.describe())),
                                widgets::HeatmapMode::Magnitude);
        } else {
            m_scales->clear();
        }
    } else {
        m_scales->clear();
    }
    const auto& m = r.metrics;
    QString html = QStringLiteral("<h3>%1</h3>").arg(QString::fromStdString(r.recipe.summary()).toHtmlEscaped());
    html += QStringLiteral("<table cellspacing=4>");
    auto row = [&](const QString& name, const QString& value) {
        html += QStringLiteral("<tr><td>%1</td><td align=right><b>%2</b></td></tr>").arg(name, value);
    };
    row(tr("Relative weight error"), QString::number(m.relativeWeightError, 'g', 4));
    row(tr("Relative output error"),
        m.relativeOutputError ? QString::number(*m.relativeOutputError, 'g', 4) : tr("— (no activations)"));
    row(tr("SQNR"), std::isfinite(m.sqnrDb) ? tr("%1 dB").arg(m.sqnrDb, 0, 'f', 2) : QStringLiteral("∞"));
    row(tr("Bits per weight"), QString::number(m.bitsPerWeight, 'f', 3));
    if (r.quantized) {
        const BitsBreakdown b = r.quantized->bits();
        const double w = double(b.weights);
        auto part = [&](const QString& name, double bits) {
            if (bits > 0)
                row(QStringLiteral("&nbsp;&nbsp;") + name, QString::number(bits / w, 'f', 3));
        };
        part(tr("codes"), b.codes);
        part(tr("scales"), b.scales);
        part(tr("zero points"), b.zeroPoints);
        part(tr("permutation"), b.permutation);
        part(tr("input scaling"), b.inputScale);
        part(tr("rotation"), b.rotation);
        part(tr("sparse weights"), b.sparse);
        part(tr("low-rank factors"), b.lowRank);
        part(tr("codebook"), b.codebook);
        part(tr("dense weights"), b.dense);
        part(tr("pruning mask"), b.mask);
    }
    html += QStringLiteral("</table>");
    m_metrics->setText(html);
}

void QuantizationTab::showMatrix()
{
    if (m_preview.weight.size() == 0) {
        m_heatmap->clear();
        return;
    }
    switch (m_view->currentIndex()) {
    case 1:
        m_heatmap->setMatrix(m_preview.weight, tr("|W|"), widgets::HeatmapMode::Magnitude);
        break;
    case 2:
        m_heatmap->setMatrix(m_preview.dequantized, tr("|Ŵ|"), widgets::HeatmapMode::Magnitude);
        break;
    default:
        m_heatmap->setMatrix(m_preview.error, tr("W − Ŵ"), widgets::HeatmapMode::Signed);
    }
}

QString QuantizationTab::metricsText() const { return m_metrics->text(); }

void QuantizationTab::clear()
{
    m_preview = {};
    m_heatmap->clear();
    m_histogram->clear();
    m_scales->clear();
    m_metrics->setText(tr("Select a layer to preview its recipe."));
}

void QuantizationTab::setTheme(widgets::PlotTheme theme)
{
    m_heatmap->setTheme(theme);
    m_histogram->setTheme(theme);
    m_scales->setTheme(theme);
}

} // namespace salience::gui
