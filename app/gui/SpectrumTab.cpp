#include "SpectrumTab.h"

#include "PlotTheme.h"
#include "SpectrumPlot.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace salience::gui {

SpectrumTab::SpectrumTab(QWidget* parent) : QWidget(parent)
{
    m_plot = new widgets::SpectrumPlot(this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_useRank = new QPushButton(tr("Use k as rank budget"), this);
    m_useRank->setToolTip(tr("Set the rank budget of the selected layers' recipe to the marker's k"));
    m_normalized = new QCheckBox(tr("Normalize σ / σ₁"), this);
    connect(m_normalized, &QCheckBox::toggled, m_plot, &widgets::SpectrumPlot::setNormalized);
    connect(m_useRank, &QPushButton::clicked, this, [this] { emit useRankRequested(m_plot->rank()); });
    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_normalized);
    top->addWidget(m_useRank);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
}

void SpectrumTab::showInspection(const LinearLayer& layer, const LayerInspection& inspection)
{
    const auto& a = inspection.analysis;
    showSpectra(layer, a.spectrum, a.scaledSpectrum ? &*a.scaledSpectrum : nullptr);
}

QString SpectrumTab::describe(const QString& what, const Spectrum& s)
{
    if (!s.partial)
        return tr("%1: effective rank %2, stable rank %3, 90% of the energy in rank %4")
            .arg(what)
            .arg(s.effectiveRank, 0, 'f', 1)
            .arg(s.stableRank, 0, 'f', 2)
            .arg(s.rankForEnergy(0.9));
    const double total = s.frobeniusNormSquared > 0 ? s.frobeniusNormSquared : 1.0;
    return tr("%1: largest %2 of %3 singular values (randomized estimate; %4% of the energy lies beyond "
              "them), stable rank %5")
        .arg(what)
        .arg(s.singularValues.size())
        .arg(s.totalValues)
        .arg(100.0 * s.missedEnergy / total, 0, 'f', 1)
        .arg(s.stableRank, 0, 'f', 2);
}

void SpectrumTab::showSpectra(const LinearLayer& layer, const Spectrum& weight, const Spectrum* scaled)
{
    m_plot->setTitle(tr("Singular values of %1").arg(QString::fromStdString(layer.name)));
    m_plot->setSpectra(weight, scaled);
    QString text = describe(tr("W"), weight);
    if (scaled)
        text += tr(" · ") + describe(tr("W·diag(s)"), *scaled);
    if (weight.partial)
        text += tr(" · computing the full spectrum…");
    m_summary->setText(text);
}

QString SpectrumTab::summaryText() const { return m_summary->text(); }

void SpectrumTab::setRank(int k) { m_plot->setRank(k); }

int SpectrumTab::rank() const { return m_plot->rank(); }

void SpectrumTab::clear()
{
    m_plot->clear();
    m_summary->clear();
}

void SpectrumTab::setTheme(widgets::PlotTheme theme) { m_plot->setTheme(theme); }

} // namespace salience::gui
