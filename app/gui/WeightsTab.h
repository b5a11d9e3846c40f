#pragma once
// The Weights tab: where the large weights of a layer sit (|W| heatmap, per-column and
// per-row abs-max with outlier columns marked) and how heavy its tails are (histogram).
#include "run/LayerPreview.h"

#include <QLabel>
#include <QWidget>

class QCheckBox;

namespace salience::widgets {
class HeatmapView;
class ProfilePlot;
class HistogramPlot;
enum class PlotTheme;
} // namespace salience::widgets

namespace salience::gui {

class WeightsTab : public QWidget {
    Q_OBJECT
public:
    explicit WeightsTab(QWidget* parent = nullptr);
    void showInspection(const LinearLayer& layer, const LayerInspection& inspection);
    void clear();
    void setTheme(widgets::PlotTheme theme);

private:
    widgets::HeatmapView* m_heatmap;
    widgets::ProfilePlot* m_columns;
    widgets::ProfilePlot* m_rows;
    widgets::HistogramPlot* m_histogram;
    QCheckBox* m_logCounts;
    QCheckBox* m_logColors;
    QLabel* m_summary;
};

} // namespace salience::gui
