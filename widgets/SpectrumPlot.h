#pragma once
// The singular spectrum of a weight W, and optionally of the activation-scaled W·diag(s), on a
// log axis, their cumulative energy on a right axis (0..1), effective and stable ranks, and a
// draggable marker for the rank budget k with the share of energy the first k values keep.
// Press or drag anywhere in the plot to move the marker; wheel zooms the index axis,
// double-click resets.
#include "PlotTheme.h"
#include "analysis/Spectrum.h"

#include <QWidget>

#include <optional>

class QCustomPlot;
class QCPGraph;
class QCPItemLine;
class QCPItemText;
class QCPItemTracer;
class QCPTextElement;
class QLabel;
class QMouseEvent;

namespace salience::widgets {

class SpectrumPlot : public QWidget {
    Q_OBJECT
public:
    explicit SpectrumPlot(QWidget* parent = nullptr);

    // `scaled` may be null. Until setRank() is first called, the marker starts at the k that
    // keeps 90% of W's energy.
    void setSpectra(const salience::Spectrum& weight, const salience::Spectrum* scaled);
    // Clamped to [0, number of singular values] once spectra are set; emits rankChanged when
    // the value changes.
    void setRank(int k);
    int rank() const { return m_rank; }
    int maxRank() const;
    // Plot σᵢ / σ₁ instead of σᵢ, so that spectra of different scale compare by shape.
    void setNormalized(bool enabled);
    bool normalized() const { return m_normalized; }
    void setTitle(const QString& title);
    void setTheme(PlotTheme theme);
    PlotTheme theme() const { return m_theme; }

    void resetView();
    void clear();

    bool hasData() const { return m_weight.has_value(); }
    bool hasScaled() const { return m_scaled.has_value(); }
    // "k = 16: 83.2% of W's energy, 91.0% of W·diag(s)"
    QString energyText() const;
    // "W: effective rank 45.3, stable rank 3.21 · W·diag(s): …"
    QString rankText() const;

    QCustomPlot* plot() const { return m_plot; }
    QCPGraph* weightGraph() const { return m_weightGraph; }
    QCPGraph* scaledGraph() const { return m_scaledGraph; }
    QCPGraph* weightEnergyGraph() const { return m_weightEnergy; }
    QCPGraph* scaledEnergyGraph() const { return m_scaledEnergy; }
    QCPItemLine* rankMarker() const { return m_marker; }

signals:
    void rankChanged(int k);

private:
    void rebuild();
    void updateMarker();
    void updateLabels();
    void setRankFromPixel(double x);
    void onMousePress(QMouseEvent* event);
    void onMouseMove(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);

    QCustomPlot* m_plot = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPGraph* m_weightGraph = nullptr;
    QCPGraph* m_scaledGraph = nullptr;
    QCPGraph* m_weightEnergy = nullptr;
    QCPGraph* m_scaledEnergy = nullptr;
    QCPItemLine* m_marker = nullptr;
    QCPItemText* m_markerText = nullptr;
    QCPItemTracer* m_weightTracer = nullptr;
    QCPItemTracer* m_scaledTracer = nullptr;
    QCPItemText* m_hint = nullptr;
    QLabel* m_energyLabel = nullptr;
    QLabel* m_rankLabel = nullptr;

    std::optional<salience::Spectrum> m_weight;
    std::optional<salience::Spectrum> m_scaled;
    int m_rank = 0;
    bool m_rankSet = false;
    bool m_dragging = false;
    bool m_normalized = false;
    PlotTheme m_theme = PlotTheme::Light;
};

} // namespace salience::widgets
