#pragma once
// An end-to-end sensitivity table (run/Sensitivity.h) as a heatmap: one row per unit (layer,
// role or block) in model order, one column per candidate recipe, coloured by the damage of
// quantizing that unit alone with that candidate (mean KL from the float model, or the NLL
// change) on a logarithmic scale. An allocation's choice is marked in every row, and the uniform
// candidate it was checked against is outlined. Hovering a cell names its unit and candidate
// with KL, ΔNLL and bits per weight.
#include "CategoryAxis.h"
#include "PlotTheme.h"

#include "run/Sensitivity.h"
#include "run/SensitivityAllocation.h"

#include <QString>
#include <QVector>
#include <QWidget>

#include <optional>
#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPCurve;
class QCPGraph;
class QCPItemRect;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QLabel;
class QMouseEvent;

namespace salience::widgets {

class SensitivityHeatmap : public QWidget {
    Q_OBJECT
public:
    // Colours span at most this many decades below the largest value; smaller values, and
    // values at or below zero (an NLL change can be negative), take the bottom colour.
    static constexpr double kLogDecades = 5.0;

    explicit SensitivityHeatmap(QWidget* parent = nullptr);

    // Drops any allocation shown: it belongs to another table.
    void setTable(const SensitivityTable& table, SensitivityMeasure measure);
    void setMeasure(SensitivityMeasure measure);
    // Marks each unit's chosen candidate and outlines the allocation's uniform candidate; the
    // allocation must come from the table shown (same units, same candidates).
    void setAllocation(const SensitivityAllocation& allocation);
    void clearAllocation();
    void setTheme(PlotTheme theme);
    void clear();

    bool hasData() const { return !m_table.units.empty(); }
    const SensitivityTable& table() const { return m_table; }
    SensitivityMeasure measure() const { return m_measure; }
    // The value a cell is coloured by (KL or ΔNLL).
    double cellValue(int unit, int candidate) const;
    // Per unit, the marked candidate (-1: none); the outlined uniform candidate (-1: none).
    const std::vector<int>& chosen() const { return m_chosen; }
    int uniformCandidate() const { return m_uniform; }
    // "model.layers.0.self_attn.q_proj · 3g32: KL 0.00326 ± 0.00012 nats, ΔNLL +0.0021, 3.611
    // bits per weight (allocated)"; empty outside the table.
    QString describeCell(int unit, int candidate) const;
    QString readoutText() const;
    // The short row label: "0 q" for a layer, the role or "block 3" for other units.
    static QString unitLabel(const SensitivityUnit& unit);
    // "layer", "role", "block", translated; unitsText: "35 layers".
    static QString unitKindText(SensitivityUnitKind kind);
    static QString unitsText(SensitivityUnitKind kind, int count);
    // The table's text part ("calibration", "held-out", "whole"), translated.
    static QString textPartText(const std::string& part);

    QCustomPlot* plot() const { return m_plot; }
    QCPColorMap* colorMap() const { return m_map; }
    QCPColorScale* colorScale() const { return m_scale; }
    QCPCurve* allocationCurve() const { return m_allocation; }
    QCPItemRect* uniformOutline() const { return m_uniformOutline; }

signals:
    void cellHovered(int unit, int candidate);

private:
    void rebuild();
    void rebuildMarks();
    void updateTickLabels();
    void onMouseMove(QMouseEvent* event);

    QCustomPlot* m_plot = nullptr;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_scale = nullptr;
    QCPCurve* m_allocation = nullptr;
    QCPGraph* m_uniformLegend = nullptr; // a legend entry for the outline, no data
    QCPItemRect* m_uniformOutline = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPItemText* m_hint = nullptr;
    QLabel* m_readout = nullptr;
    std::vector<QCPItemStraightLine*> m_separators; // between blocks
    QVector<CategoryLabel> m_rowLabels;
    QVector<CategoryLabel> m_columnLabels;

    SensitivityTable m_table;
    SensitivityMeasure m_measure = SensitivityMeasure::Kl;
    std::vector<int> m_chosen;
    int m_uniform = -1;
    PlotTheme m_theme = PlotTheme::Light;
};

} // namespace salience::widgets
