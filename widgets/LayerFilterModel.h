#pragma once
// The layer tree's filter: a layer row matches when the text is its role name ("down", "q"),
// or else a case-insensitive substring of its canonical or file name; a block row matches its
// own title ("block 2") and then shows all its layers. Parents of matches stay visible.
#include <QSortFilterProxyModel>

namespace salience::widgets {

// Item data of column 0 of the layer tree's rows.
enum LayerItemRole {
    CanonicalNameRole = Qt::UserRole + 1, // layer rows only
    TensorNameRole,
    RoleNameRole,
    BlockRole, // int; -1 for the embedding and classifier group
};

class LayerFilterModel : public QSortFilterProxyModel {
public:
    explicit LayerFilterModel(QObject* parent = nullptr);

    void setFilterText(const QString& text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    bool m_textIsRole = false;
};

} // namespace salience::widgets
