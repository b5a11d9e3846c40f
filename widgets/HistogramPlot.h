#pragma once
// A salience::Histogram as bars, with the values left out of every bin (NaN, ±Inf, outside
// an explicit range) listed under the plot. Counts on a linear or a logarithmic axis.
#include "PlotTheme.h"
#include "analysis/Histogram.h"

#include <QWidget>

class QCustomPlot;
class QCPBars;
class QCPItemText;
class QCPTextElement;
class QLabel;
class QMouseEvent;

namespace salience::widgets {

class HistogramPlot : public QWidget {
    Q_OBJECT
public:
    explicit HistogramPlot(QWidget* parent = nullptr);

    void setHistogram(const salience::Histogram& histogram, const QString& xLabel);
    // Logarithmic count axis (bars keep the raw counts; an empty bin draws nothing).
    void setLogCounts(bool enabled);
    bool logCounts() const { return m_logCounts; }
    void setTitle(const QString& title);
    void setColor(const QColor& color); // invalid: the theme's first series colour
    void setTheme(PlotTheme theme);
    PlotTheme theme() const { return m_theme; }

    void resetView();
    void clear();

    bool hasData() const { return !m_histogram.counts.empty(); }
    const salience::Histogram& histogram() const { return m_histogram; }
    // The line under the plot: totals and the values outside the bins.
    QString summaryText() const;
    QString describeBin(int bin) const;
    QString readoutText() const;

    QCustomPlot* plot() const { return m_plot; }
    QCPBars* bars() const { return m_bars; }

private:
    void rebuild();
    void onMouseMove(QMouseEvent* event);

    QCustomPlot* m_plot = nullptr;
    QCPBars* m_bars = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPItemText* m_hint = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_readout = nullptr;

    salience::Histogram m_histogram;
    QString m_xLabel;
    QColor m_color;
    PlotTheme m_theme = PlotTheme::Light;
    bool m_logCounts = false;
};

} // namespace salience::widgets
