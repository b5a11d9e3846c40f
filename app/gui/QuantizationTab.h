#pragma once
// The Quantization tab: the current recipe's before and after on the selected layer: the
// error W − Ŵ (or W, or Ŵ) as a heatmap, the error histogram, the per-group scales, and the
// metrics with every part of the bits per weight.
#include "run/LayerPreview.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QCheckBox;

namespace salience::widgets {
class HeatmapView;
class HistogramPlot;
enum class PlotTheme;
} // namespace salience::widgets

namespace salience::gui {

class QuantizationTab : public QWidget {
    Q_OBJECT
public:
    explicit QuantizationTab(QWidget* parent = nullptr);
    void showPreview(const QuantPreview& preview);
    void clear();
    void setTheme(widgets::PlotTheme theme);
    QString metricsText() const;

private:
    void showMatrix();

    QComboBox* m_view;
    widgets::HeatmapView* m_heatmap;
    widgets::HistogramPlot* m_histogram;
    widgets::HeatmapView* m_scales;
    QLabel* m_metrics;
    QCheckBox* m_logCounts;
    QuantPreview m_preview;
};

} // namespace salience::gui
