#pragma once
// The Activations tab: the layer's input per channel (abs-max and RMS, outlier channels
// marked) and per token, and the block's residual-stream sites with their massive
// activations listed, under sliders for the thresholds η, γ and β that redraw at once.
#include "analysis/LayerAnalysis.h"
#include "run/LayerPreview.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QStackedWidget;
class QTableWidget;

namespace salience::widgets {
class HeatmapView;
class ProfilePlot;
enum class PlotTheme;
} // namespace salience::widgets

namespace salience::gui {

class ActivationsTab : public QWidget {
    Q_OBJECT
public:
    explicit ActivationsTab(QWidget* parent = nullptr);

    void showInspection(const LinearLayer& layer, const LayerInspection& inspection);
    void clear();
    void setTheme(widgets::PlotTheme theme);

    OutlierThresholds thresholds() const;
    void setThresholds(const OutlierThresholds& thresholds);
    QString currentSite() const;
    int massiveRowCount() const; // rows of the top-values table flagged massive (tests)

signals:
    void thresholdsChanged(const salience::OutlierThresholds& thresholds);

private:
    void showSite(int index);
    void updateThresholdLabels();

    QStackedWidget* m_stack;
    QLabel* m_noData;
    widgets::ProfilePlot* m_channels;
    widgets::HeatmapView* m_tokens;
    QComboBox* m_site;
    QComboBox* m_siteView;
    QStackedWidget* m_siteStack;
    widgets::ProfilePlot* m_siteProfile;
    widgets::HeatmapView* m_siteHeatmap;
    QTableWidget* m_top;
    QLabel* m_siteSummary;
    QSlider* m_eta;
    QSlider* m_gamma;
    QSlider* m_channelEta;
    QSlider* m_beta;
    QLabel* m_etaLabel;
    QLabel* m_gammaLabel;
    QLabel* m_channelEtaLabel;
    QLabel* m_betaLabel;
    LayerInspection m_inspection;
    bool m_updating = false;
};

} // namespace salience::gui
