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
    m_plot->setTitle(tr("Singular values of %1").arg(QString::fromStdString(layer.name)));
    m_plot->setSpectra(a.spectrum, a.scaledSpectrum ? &*a.scaledSpectrum : nullptr);
    QString text = tr("W: effective rank %1, stable rank %2, 90% of the energy in rank %3")
                       .arg(a.spectrum.effectiveRank, 0, 'f', 1)
                       .arg(a.spectrum.stableRank, 0, 'f', 2)
                       .arg(a.spectrum.rankForEnergy(0.9));
    if (a.scaledSpectrum)
        text += tr(" · W·diag(s): effective rank %1, stable rank %2, 90% in rank %3")
                    .arg(a.scaledSpectrum->effectiveRank, 0, 'f', 1)
                    .arg(a.scaledSpectrum->stableRank, 0, 'f', 2)
                    .arg(a.scaledSpectrum->rankForEnergy(0.9));
    m_summary->setText(text);
}

void SpectrumTab::setRank(int k) { m_plot->setRank(k); }

int SpectrumTab::rank() const { return m_plot->rank(); }

void SpectrumTab::clear()
{
    m_plot->clear();
    m_summary->clear();
}

void SpectrumTab::setTheme(widgets::PlotTheme theme) { m_plot->setTheme(theme); }

} // namespace salience::gui
