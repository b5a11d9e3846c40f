#pragma once
// The model's linear layers grouped by block, with each layer's shape, stored type, recipe and
// (after a run) bits per weight and error. Multi-selection drives the recipe editor.
#include <QHash>
#include <QStringList>
#include <QWidget>

class QLineEdit;
class QStandardItem;
class QStandardItemModel;
class QTreeView;

namespace salience {
class Model;
}

namespace salience::widgets {

class LayerFilterModel;

class LayerTree : public QWidget {
    Q_OBJECT
public:
    enum Column { LayerColumn, ShapeColumn, DTypeColumn, RecipeColumn, BitsColumn, ErrorColumn, ColumnCount };

    explicit LayerTree(QWidget* parent = nullptr);

    // Rebuilds the tree; recipes and results are cleared.
    void setModel(const salience::Model& model);
    // Layers are addressed by canonical name; unknown names are ignored.
    void setRecipe(const QString& layer, const QString& recipeSummary);
    // `error`: the relative output error when known, else the relative weight error.
    void setResult(const QString& layer, double bitsPerWeight, double error);
    void clearResults();

    // Canonical names in model order. Block rows contribute nothing by themselves.
    QStringList selectedLayers() const;
    // Replaces the selection (clearing the filter if it hides one of them); emits
    // selectionChanged when the selection changes.
    void selectLayers(const QStringList& layers);
    // Canonical name of the current row, empty for a block row or none.
    QString currentLayer() const;

    void setFilterText(const QString& text);
    QString filterText() const;

    // For tests and the app's keyboard shortcuts.
    QTreeView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }

signals:
    void selectionChanged(const QStringList& layers);
    void currentLayerChanged(const QString& layer);

private:
    QStandardItem* cell(const QString& layer, Column column) const;
    void onSelectionChanged();
    void onCurrentChanged();
    void spanBlockRows();
    void fitColumns();

    QLineEdit* m_filter = nullptr;
    QTreeView* m_view = nullptr;
    QStandardItemModel* m_model = nullptr;
    LayerFilterModel* m_proxy = nullptr;
    QHash<QString, QStandardItem*> m_layerItems; // canonical name → column-0 item
    QStringList m_layerOrder;
    QStringList m_lastSelection;
    QString m_lastCurrent;
    bool m_selecting = false;
};

} // namespace salience::widgets
