#pragma once
// The model overview after a run: a sortable table of every layer's recipe and error, a bar
// chart of the error per layer coloured by role, and the totals (size, bits, perplexity).
#include "CategoryAxis.h"

#include <QHash>
#include <QString>
#include <QVector>
#include <QWidget>

#include <optional>

class QCPAbstractPlottable;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QResizeEvent;
class QSortFilterProxyModel;
class QSplitter;
class QStandardItemModel;
class QTableView;

namespace salience::widgets {

struct OverviewRow {
    QString layer;  // canonical name
    int block = -1; // -1 for the embedding and the classifier
    QString role;   // roleName(): "q", "down", ...
    QString method;
    int bits = 0;
    double bitsPerWeight = 0;
    double weightError = 0;
    std::optional<double> outputError;
    bool quantized = false;
};

// Perplexity of the float and the quantized model on one text, as the overview shows it.
struct PerplexityComparison {
    double floatPerplexity = 0;
    double quantizedPerplexity = 0;
    QString textName; // the text file's name
    qint64 tokens = 0;
};

class OverviewPanel : public QWidget {
    Q_OBJECT
public:
    enum Column {
        LayerColumn,
        BlockColumn,
        RoleColumn,
        MethodColumn,
        BitsColumn,
        BitsPerWeightColumn,
        WeightErrorColumn,
        OutputErrorColumn,
        ColumnCount
    };

    explicit OverviewPanel(QWidget* parent = nullptr);

    // Rows in model order: the chart's x axis follows it.
    void setRows(const QVector<OverviewRow>& rows);
    void setTotals(double originalBytes, double quantizedBytes, double averageBitsPerWeight, int quantizedLayers,
                   int totalLayers);
    void setPerplexityText(const QString& text);
    // "Perplexity 3.66 → 3.81 (+4.1%) on text.txt, 2048 tokens".
    void setPerplexity(const PerplexityComparison& perplexity);
    // Keeps the last numbers, greyed, followed by why they no longer hold ("plan changed —
    // evaluate again"). Does nothing when no perplexity is shown.
    void setPerplexityStale(const QString& reason);
    bool isPerplexityStale() const { return m_perplexityStale; }
    // Back to the empty state: no rows, no totals, "Perplexity: —".
    void clear();

    QString totalsText() const;
    QString perplexityText() const;
    // The chart shows output errors when every quantized row has one, else weight errors.
    bool chartShowsOutputError() const { return m_chartShowsOutputError; }
    QTableView* table() const { return m_table; }
    QCustomPlot* plot() const { return m_plot; }

signals:
    void layerActivated(const QString& layer);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void placeSplitter();
    void rebuildTable();
    void rebuildChart();
    void updateTickLabels();
    void onPlotMouseMove(QMouseEvent* event);
    int rowAtPlotX(double pixelX) const;
    double chartValue(const OverviewRow& row) const;

    QLabel* m_totals = nullptr;
    QLabel* m_perplexity = nullptr;
    QSplitter* m_splitter = nullptr;
    bool m_userSizedSplitter = false;
    QTableView* m_table = nullptr;
    QStandardItemModel* m_model = nullptr;
    QSortFilterProxyModel* m_sorted = nullptr;
    QCustomPlot* m_plot = nullptr;

    QVector<OverviewRow> m_rows;
    QHash<QCPAbstractPlottable*, QVector<int>> m_barRows; // bars' data index → row
    QVector<CategoryLabel> m_groups; // one per block (or per layer outside the blocks)
    bool m_chartShowsOutputError = false;
    QString m_perplexityBase; // the numbers, without a stale note; empty when none are shown
    bool m_perplexityStale = false;
};

} // namespace salience::widgets
