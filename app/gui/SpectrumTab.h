#pragma once
// The Spectrum tab: singular values of W and of the activation-scaled W, cumulative energy,
// effective and stable rank, and a draggable rank budget k that can become the recipe's rank.
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
    void setRank(int k);
    int rank() const;
    void clear();
    void setTheme(widgets::PlotTheme theme);
    widgets::SpectrumPlot* plot() const { return m_plot; }

signals:
    // The user asked to make the marker's k the rank budget of the selected layers.
    void useRankRequested(int k);

private:
    widgets::SpectrumPlot* m_plot;
    QLabel* m_summary;
    QPushButton* m_useRank;
    QCheckBox* m_normalized;
};

} // namespace salience::gui
