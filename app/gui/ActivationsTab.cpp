#include "ActivationsTab.h"

#include "HeatmapView.h"
#include "PlotTheme.h"
#include "ProfilePlot.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace salience::gui {

namespace {
// Slider positions to threshold values.
constexpr double kEtaStep = 10.0;     // massive η: 10 .. 1000
constexpr double kGammaStep = 5.0;    // γ: 0 .. 500
constexpr double kChannelStep = 0.1;  // channel η: 0.5 .. 10
constexpr double kBetaStep = 0.05;    // β: 0.05 .. 2

QSlider* makeSlider(int min, int max, QWidget* parent)
{
    auto* s = new QSlider(Qt::Horizontal, parent);
    s->setRange(min, max);
    s->setMinimumWidth(140);
    return s;
}

QString ratioText(double r) { return std::isfinite(r) ? QString::number(r, 'f', 0) + QStringLiteral("×") : QStringLiteral("∞"); }
} // namespace

ActivationsTab::ActivationsTab(QWidget* parent) : QWidget(parent)
{
    m_noData = new QLabel(tr("No activations for this layer.\n\nOpen an activation file (File ▸ Open Activations…) "
                             "or use the demo model, whose activations are built in."),
                          this);
    m_noData->setAlignment(Qt::AlignCenter);
    m_noData->setWordWrap(true);

    auto* content = new QWidget(this);
    m_channels = new widgets::ProfilePlot(content);
    m_channels->setAxisLabels(tr("input channel"), tr("magnitude"));
    m_tokens = new widgets::HeatmapView(content);
    m_tokens->setAxisLabels(tr("input channel"), tr("token"));
    m_site = new QComboBox(content);
    m_siteView = new QComboBox(content);
    m_siteView->addItems({tr("Largest |A| per dimension"), tr("|A| per token and dimension")});
    m_siteProfile = new widgets::ProfilePlot(content);
    m_siteProfile->setAxisLabels(tr("hidden dimension"), tr("max |A| over tokens"));
    m_siteProfile->setDrawStyle(widgets::ProfileStyle::Impulses);
    m_siteHeatmap = new widgets::HeatmapView(content);
    m_siteHeatmap->setAxisLabels(tr("hidden dimension"), tr("token"));
    m_siteStack = new QStackedWidget(content);
    m_siteStack->addWidget(m_siteProfile);
    m_siteStack->addWidget(m_siteHeatmap);
    connect(m_siteView, &QComboBox::currentIndexChanged, m_siteStack, &QStackedWidget::setCurrentIndex);
    m_top = new QTableWidget(0, 5, content);
    m_top->setHorizontalHeaderLabels({tr("Token"), tr("Dim"), tr("Value"), tr("× median"), tr("Massive")});
    m_top->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_top->horizontalHeader()->setStretchLastSection(true);
    m_top->verticalHeader()->setVisible(false);
    m_top->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_top->setSelectionMode(QAbstractItemView::NoSelection);
    m_siteSummary = new QLabel(content);
    m_siteSummary->setWordWrap(true);

    m_eta = makeSlider(1, 100, content);
    m_gamma = makeSlider(0, 100, content);
    m_channelEta = makeSlider(5, 100, content);
    m_beta = makeSlider(1, 40, content);
    m_etaLabel = new QLabel(content);
    m_gammaLabel = new QLabel(content);
    m_channelEtaLabel = new QLabel(content);
    m_betaLabel = new QLabel(content);
    auto* thresholdBox = new QGroupBox(tr("Thresholds"), content);
    auto* form = new QGridLayout(thresholdBox);
    auto addRow = [&](int row, const QString& name, QSlider* s, QLabel* value, const QString& tip) {
        auto* label = new QLabel(name, thresholdBox);
        label->setToolTip(tip);
        s->setToolTip(tip);
        form->addWidget(label, row, 0);
        form->addWidget(s, row, 1);
        form->addWidget(value, row, 2);
    };
    addRow(0, tr("Massive η"), m_eta, m_etaLabel, tr("A massive activation exceeds η × mean|A| …"));
    addRow(1, tr("Massive γ"), m_gamma, m_gammaLabel, tr("… and the absolute value γ"));
    addRow(2, tr("Channel η"), m_channelEta, m_channelEtaLabel,
           tr("An outlier channel's |mean| exceeds η × std(A) + mean|A| …"));
    addRow(3, tr("Channel β"), m_beta, m_betaLabel, tr("… and its spread std/|mean| stays below β"));
    for (QSlider* s : {m_eta, m_gamma, m_channelEta, m_beta})
        connect(s, &QSlider::valueChanged, this, [this] {
            updateThresholdLabels();
            if (!m_updating)
                emit thresholdsChanged(thresholds());
        });
    setThresholds(OutlierThresholds{});

    auto* input = new QGroupBox(tr("Layer input"), content);
    auto* inputLayout = new QHBoxLayout(input);
    inputLayout->addWidget(m_channels, 1);
    inputLayout->addWidget(m_tokens, 1);

    auto* sites = new QGroupBox(tr("Residual stream of this block"), content);
    auto* sitesLayout = new QGridLayout(sites);
    auto* siteRow = new QHBoxLayout;
    siteRow->addWidget(new QLabel(tr("Site:"), sites));
    siteRow->addWidget(m_site);
    siteRow->addWidget(m_siteView);
    siteRow->addWidget(m_siteSummary, 1);
    sitesLayout->addLayout(siteRow, 0, 0, 1, 2);
    sitesLayout->addWidget(m_siteStack, 1, 0);
    auto* right = new QVBoxLayout;
    right->addWidget(m_top, 1);
    right->addWidget(thresholdBox);
    sitesLayout->addLayout(right, 1, 1);
    sitesLayout->setColumnStretch(0, 5);
    sitesLayout->setColumnStretch(1, 3);

    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(input, 1);
    contentLayout->addWidget(sites, 1);

    // Two plots, a table and four sliders need more height than a 1280 × 720 projector leaves
    // the tab: below that the page scrolls instead of making the whole window taller.
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_noData);
    m_stack->addWidget(scroll);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_stack);
    connect(m_site, &QComboBox::currentIndexChanged, this, &ActivationsTab::showSite);
}

OutlierThresholds ActivationsTab::thresholds() const
{
    OutlierThresholds t;
    t.massiveEta = m_eta->value() * kEtaStep;
    t.massiveGamma = m_gamma->value() * kGammaStep;
    t.channelEta = m_channelEta->value() * kChannelStep;
    t.channelBeta = m_beta->value() * kBetaStep;
    return t;
}

void ActivationsTab::setThresholds(const OutlierThresholds& t)
{
    m_updating = true;
    m_eta->setValue(int(std::lround(t.massiveEta / kEtaStep)));
    m_gamma->setValue(int(std::lround(t.massiveGamma / kGammaStep)));
    m_channelEta->setValue(int(std::lround(t.channelEta / kChannelStep)));
    m_beta->setValue(int(std::lround(t.channelBeta / kBetaStep)));
    m_updating = false;
    updateThresholdLabels();
}

void ActivationsTab::updateThresholdLabels()
{
    const OutlierThresholds t = thresholds();
    m_etaLabel->setText(QString::number(t.massiveEta, 'f', 0));
    m_gammaLabel->setText(QString::number(t.massiveGamma, 'f', 0));
    m_channelEtaLabel->setText(QString::number(t.channelEta, 'f', 1));
    m_betaLabel->setText(QString::number(t.channelBeta, 'f', 2));
}

void ActivationsTab::showInspection(const LinearLayer& /*layer*/, const LayerInspection& inspection)
{
    m_inspection = inspection;
    const bool any = inspection.inputs || inspection.analysis.inputStats || !inspection.sites.empty();
    m_stack->setCurrentIndex(any ? 1 : 0);
    if (!any)
        return;
    const auto& a = inspection.analysis;
    if (a.inputStats) {
        std::vector<double> absMax = a.inputStats->absMax;
        QVector<widgets::ProfileSeries> series;
        if (!absMax.empty())
            series.push_back({tr("abs-max"), absMax, QColor()});
        series.push_back({tr("RMS"), a.inputStats->rms(), QColor()});
        m_channels->setTitle(tr("Input per channel"));
        m_channels->setSeries(series);
        std::vector<int64_t> flagged;
        if (a.inputOutliers)
            for (const auto& f : a.inputOutliers->outliers)
                flagged.push_back(f.channel);
        else if (a.inputStatsOutliers)
            for (const auto& f : a.inputStatsOutliers->outliers)
                flagged.push_back(f.channel);
        m_channels->setMarked(flagged, tr("outlier channels"));
    } else {
        m_channels->clear();
    }
    if (inspection.inputs)
        m_tokens->setMatrix(*inspection.inputs, tr("|X|: tokens × channels"), widgets::HeatmapMode::Magnitude);
    else
        m_tokens->clear();

    const QString previous = m_site->currentText();
    m_updating = true;
    m_site->clear();
    for (const auto& s : inspection.sites)
        m_site->addItem(QString::fromStdString(s.site));
    const int keep = m_site->findText(previous);
    m_updating = false;
    m_site->setCurrentIndex(keep >= 0 ? keep : 0);
    showSite(m_site->currentIndex());
}

void ActivationsTab::showSite(int index)
{
    if (m_updating)
        return;
    if (index < 0 || index >= int(m_inspection.sites.size())) {
        m_siteHeatmap->clear();
        m_siteProfile->clear();
        m_top->setRowCount(0);
        m_siteSummary->setText(m_inspection.sites.empty() ? tr("This file has no residual-stream sites.") : QString());
        return;
    }
    const SiteAnalysis& s = m_inspection.sites[size_t(index)];
    m_siteHeatmap->setMatrix(m_inspection.siteValues[size_t(index)],
                             tr("|A| at block %1 %2").arg(s.block).arg(QString::fromStdString(s.site)),
                             widgets::HeatmapMode::Magnitude);
    std::vector<double> dimMax;
    for (const auto& c : s.channels.channels)
        dimMax.push_back(c.absMax);
    m_siteProfile->setTitle(tr("Block %1 %2").arg(s.block).arg(QString::fromStdString(s.site)));
    m_siteProfile->setSeries({{tr("max |A|"), dimMax, QColor()}});
    m_siteProfile->setMarked(s.massive.massiveDims, tr("massive activations"));
    const auto& top = s.massive.top;
    m_top->setRowCount(int(top.size()));
    for (size_t i = 0; i < top.size(); ++i) {
        const auto& m = top[i];
        bool massive = false;
        for (const auto& hit : s.massive.massive)
            massive = massive || (hit.token == m.token && hit.dim == m.dim);
        const QStringList cells{QString::number(m.token), QString::number(m.dim), QString::number(m.value, 'f', 2),
                                ratioText(m.ratioToMedian), massive ? tr("yes") : QString()};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(Qt::AlignCenter);
            if (massive)
                item->setBackground(QColor(255, 200, 120));
            m_top->setItem(int(i), c, item);
        }
    }
    QStringList channels;
    for (const auto& f : s.channels.outliers)
        channels << QString::number(f.channel);
    m_siteSummary->setText(tr("mean|A| %1 · median|A| %2 · %n massive activation(s)", nullptr, int(s.massive.massive.size()))
                               .arg(s.massive.meanAbs, 0, 'g', 3)
                               .arg(s.massive.medianAbs, 0, 'g', 3) +
                           (channels.isEmpty() ? QString() : tr(" · outlier channels %1").arg(channels.join(", "))));
}

int ActivationsTab::massiveRowCount() const
{
    int n = 0;
    for (int r = 0; r < m_top->rowCount(); ++r)
        if (m_top->item(r, 4) && !m_top->item(r, 4)->text().isEmpty())
            ++n;
    return n;
}

QString ActivationsTab::currentSite() const { return m_site->currentText(); }

void ActivationsTab::clear()
{
    m_inspection = {};
    m_stack->setCurrentIndex(0);
}

void ActivationsTab::setTheme(widgets::PlotTheme theme)
{
    m_channels->setTheme(theme);
    m_tokens->setTheme(theme);
    m_siteHeatmap->setTheme(theme);
    m_siteProfile->setTheme(theme);
}

} // namespace salience::gui
