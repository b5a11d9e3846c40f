#pragma once
// Per-index profiles: one value per column, row or channel (a weight's per-column abs-max,
// a layer input's per-channel abs-max and RMS), as lines or impulses, with chosen indices
// (outlier columns or channels) marked in the highlight colour. Wheel zooms and drag pans
// along the index axis; double-click resets.
#include "PlotTheme.h"

#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>

#include <cstdint>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QLabel;
class QMouseEvent;

namespace salience::widgets {

struct ProfileSeries {
    QString name;
    std::vector<double> values; // values[i] at index i; NaN leaves a gap
    QColor color;               // invalid: the theme's colour for the series' position
};

enum class ProfileStyle {
    Lines,    // a line through the values
    Impulses, // a vertical stick from 0 per index, best for sparse spikes
};

class ProfilePlot : public QWidget {
    Q_OBJECT
public:
    // Marked indices beyond this many get a marker but no vertical line.
    static constexpr int kMaxMarkerLines = 256;

    explicit ProfilePlot(QWidget* parent = nullptr);

    void setSeries(const QVector<ProfileSeries>& series);
    // Highlights these indices with a marker on the largest series value and a vertical line,
    // listed in the legend as `label`. An empty list removes the highlight.
    void setMarked(const std::vector<int64_t>& indices, const QString& label);
    void setLogY(bool enabled);
    bool logY() const { return m_logY; }
    void setAxisLabels(const QString& x, const QString& y);
    void setTitle(const QString& title);
    void setDrawStyle(ProfileStyle style);
    ProfileStyle drawStyle() const { return m_style; }
    void setTheme(PlotTheme theme);
    PlotTheme theme() const { return m_theme; }

    void resetView();
    void clear();

    bool hasData() const { return !m_series.isEmpty(); }
    const QVector<ProfileSeries>& series() const { return m_series; }
    // The marked indices that are drawn (inside the longest series), increasing.
    const std::vector<int64_t>& marked() const { return m_marked; }
    QString describeIndex(int64_t index) const;
    QString readoutText() const;

    QCustomPlot* plot() const { return m_plot; }
    QCPGraph* seriesGraph(int i) const;
    QCPGraph* markedGraph() const { return m_markedGraph; }
    int markerLineCount() const { return int(m_markerLines.size()); }

signals:
    void indexHovered(qint64 index);

private:
    void rebuild();
    void rebuildMarks();
    void onMouseMove(QMouseEvent* event);
    int64_t longestSeries() const;

    QCustomPlot* m_plot = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPItemText* m_hint = nullptr;
    QLabel* m_readout = nullptr;
    QVector<QCPGraph*> m_graphs;
    QCPGraph* m_markedGraph = nullptr;
    std::vector<QCPItemStraightLine*> m_markerLines;

    QVector<ProfileSeries> m_series;
    std::vector<int64_t> m_requestedMarks;
    std::vector<int64_t> m_marked;
    QString m_markedLabel;
    QString m_xLabel;
    QString m_yLabel;
    ProfileStyle m_style = ProfileStyle::Lines;
    PlotTheme m_theme = PlotTheme::Light;
    bool m_logY = false;
};

} // namespace salience::widgets
