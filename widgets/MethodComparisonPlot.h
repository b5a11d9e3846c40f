#pragma once
// Several methods compared on one model (run/Compare.h), layer by layer: each method's relative
// error per layer as one line over the layers in model order, blocks as alternating bands, and
// a legend entry per method with its bits per weight, its perplexity and on how many layers it
// has the smallest error of all ("awq 4.032 b/w, ppl 6.076, best on 31"), so the plot answers
// "which method wins where".
#include "CategoryAxis.h"
#include "PlotTheme.h"

#include "run/Compare.h"

#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemText;
class QCPTextElement;
class QLabel;
class QMouseEvent;

namespace salience::widgets {

class MethodComparisonPlot : public QWidget {
    Q_OBJECT
public:
    explicit MethodComparisonPlot(QWidget* parent = nullptr);

    // The methods that ran (result.methods), each a graph in recipe order; methods not run (off
    // the budget) have no errors to draw.
    void setComparison(const CompareResult& result);
    void setLogY(bool enabled);
    bool logY() const { return m_logY; }
    void setTheme(PlotTheme theme);
    void clear();

    bool hasData() const { return !m_methods.isEmpty(); }
    // Output errors when every quantized layer of every method has one, else weight errors.
    bool showsOutputError() const { return m_outputError; }
    int methodCount() const { return int(m_methods.size()); }
    QCPGraph* methodGraph(int method) const;
    QString legendName(int method) const;
    // The layers on the x axis, in model order: those at least one method quantized.
    const QStringList& layerNames() const { return m_layers; }
    // The error drawn for a method at a layer (NaN where it has none).
    double error(int method, int layer) const;
    // The layers on which each method's error is the smallest (ties: every method tied wins).
    QVector<int> wins() const;
    // "model.layers.0.self_attn.q_proj: awq 0.0912 (best), gptq 0.0950, rtn 0.120"; empty
    // outside the layers.
    QString describeLayer(int layer) const;
    QString readoutText() const;

    QCustomPlot* plot() const { return m_plot; }

signals:
    void layerHovered(int layer);

private:
    struct Method {
        QString name;
        double bitsPerWeight = 0;
        double perplexity = 0; // 0: not measured
        bool onBudget = true;  // reached the target, or there was none
        std::vector<double> errors; // per layer of m_layers
    };
    void rebuild();
    void resetView();
    void onMouseMove(QMouseEvent* event);

    QCustomPlot* m_plot = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPItemText* m_hint = nullptr;
    QLabel* m_readout = nullptr;
    QVector<QCPGraph*> m_graphs;

    QVector<Method> m_methods;
    QStringList m_layers;
    std::vector<int> m_blocks;
    QVector<CategoryLabel> m_blockLabels;
    double m_floatPerplexity = 0;
    double m_targetBits = 0; // 0: no target
    bool m_outputError = false;
    bool m_logY = false;
    PlotTheme m_theme = PlotTheme::Light;
};

} // namespace salience::widgets
