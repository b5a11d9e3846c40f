#pragma once
// The Spectrum tab: singular values of W and of the activation-scaled W, cumulative energy,
// effective and stable rank, and a draggable rank budget k that can become the recipe's rank.
// Large layers show their largest singular values first (a randomized estimate) and the full
// spectrum when it is ready.
#include "run/LayerPreview.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QCheckBox;

namespace salience::widgets {
class SpectrumPlot;
enum class PlotTheme;
} // namespace salience::widgets

namespace salience::gui {

class SpectrumTab : public QWidget {
    Q_OBJECT
public:
    explicit SpectrumTab(QWidget* parent = nullptr);
    void showInspection(const LinearLayer& layer, const LayerInspection& inspection);
    // The spectra of W and W·diag(s); a partial one (the largest values of a large layer) says so
    // and that the full spectrum is on its way.
    void showSpectra(const LinearLayer& layer, const Spectrum& weight, const Spectrum* scaled);
    void setRank(int k);
    int rank() const;
    void clear();
    void setTheme(widgets::PlotTheme theme);
    widgets::SpectrumPlot* plot() const { return m_plot; }
    QString summaryText() const;

signals:
    // The user asked to make the marker's k the rank budget of the selected layers.
    void useRankRequested(int k);

private:
    static QString describe(const QString& what, const Spectrum& spectrum);

    widgets::SpectrumPlot* m_plot;
    QLabel* m_summary;
    QPushButton* m_useRank;
    QCheckBox* m_normalized;
};

} // namespace salience::gui
