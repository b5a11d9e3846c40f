#pragma once
// A matrix (a weight, an activation block, a quantization error) as a colour map with a colour
// scale. Large matrices are max-|x| pooled for display to at most kMaxDisplayCells per side;
// the axes keep the original row and column numbers. Wheel zooms, drag pans, double-click
// resets; the readout under the plot names the cell under the mouse.
#include "MaxAbsPooling.h"
#include "PlotTheme.h"
#include "tensor/Tensor.h"

#include <QWidget>

#include <cstdint>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemText;
class QCPTextElement;
class QCPMarginGroup;
class QLabel;
class QMouseEvent;

namespace salience::widgets {

enum class HeatmapMode {
    Magnitude, // |x| with viridis, 0..max (or a log scale)
    Signed,    // diverging blue-white-red, symmetric around 0
};

class HeatmapView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxDisplayCells = 512;

    explicit HeatmapView(QWidget* parent = nullptr);

    // Rows go down the y axis (row 0 at the top), columns along x.
    void setMatrix(const salience::Matrix& values, const QString& title, HeatmapMode mode);
    void setAxisLabels(const QString& x, const QString& y);
    // Label of the colour scale; by default "|value|" (Magnitude) or "value" (Signed).
    void setValueLabel(const QString& label);
    // Log colour scale; applies to Magnitude mode (a signed scale stays linear).
    void setLogScale(bool enabled);
    bool logScale() const { return m_logScale; }
    void setTheme(PlotTheme theme);
    PlotTheme theme() const { return m_theme; }

    // Shows the whole matrix again after zooming or panning.
    void resetView();
    // Drops the data and shows a centred "No data" hint.
    void clear();

    bool hasData() const { return !m_pooled.isEmpty(); }
    HeatmapMode mode() const { return m_mode; }
    const PooledMatrix& pooled() const { return m_pooled; }
    // What the readout shows for the original (row, col); empty outside the matrix.
    QString describeCell(int64_t row, int64_t col) const;
    QString readoutText() const;

    QCustomPlot* plot() const { return m_plot; }
    QCPColorMap* colorMap() const { return m_map; }
    QCPColorScale* colorScale() const { return m_scale; }

signals:
    // The original row and column under the mouse, and the value shown there.
    void cellHovered(qint64 row, qint64 col, double value);

private:
    void showPooled();
    void updateColorRange();
    void updateGradient();
    void setColorScaleShown(bool shown);
    void onMouseMove(QMouseEvent* event);

    QCustomPlot* m_plot = nullptr;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_scale = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPMarginGroup* m_marginGroup = nullptr;
    QCPItemText* m_hint = nullptr;
    QLabel* m_readout = nullptr;

    PooledMatrix m_pooled;
    HeatmapMode m_mode = HeatmapMode::Magnitude;
    PlotTheme m_theme = PlotTheme::Light;
    bool m_logScale = false;
    bool m_customValueLabel = false;
    QString m_valueLabel;
    QString m_xLabel;
    QString m_yLabel;
};

} // namespace salience::widgets
