#pragma once
// An axis of categories (layers in model order, blocks of layers, candidate recipes): labels
// that never overlap however narrow the plot, and the blocks of a model as alternating bands.
#include <QString>
#include <QVector>

#include <vector>

class QCPAxis;
class QCustomPlot;

namespace salience::widgets {

struct CategoryLabel {
    double position = 0; // axis coordinate of the label's centre
    QString full;        // "Block 3", "model.layers.3.self_attn.q_proj"
    QString brief;       // "3", "3 q": what is shown when the full labels do not all fit
};

// Fills the axis's QCPAxisTickerText (which the axis must have): every full label when they
// all fit along the axis rect's current length, else the brief ones, each placed only where it
// does not overlap the one placed before it (along a vertical axis, by the font's line height).
// Call it from the plot's beforeReplot signal, so it follows resizes and zooms.
void placeCategoryLabels(QCPAxis* axis, const QVector<CategoryLabel>& labels);

// Consecutive positions that belong to one block; positions whose block is -1 (the embedding,
// the classifier, a role unit) are spans of their own.
struct BlockSpan {
    int first = 0;
    int last = 0;
    int block = -1;
};
QVector<BlockSpan> blockSpans(const std::vector<int>& blocks);

// Every other span as a faint band behind the data, across the plot's other axis: vertical
// bands for spans along the x axis, horizontal ones for spans along the y axis.
void addBlockBands(QCustomPlot* plot, const QVector<BlockSpan>& spans, bool alongX);

} // namespace salience::widgets
