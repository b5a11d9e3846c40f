#include "LayerFilterModel.h"

#include "model/LayerRole.h"

namespace salience::widgets {

LayerFilterModel::LayerFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(true);
}

void LayerFilterModel::setFilterText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    // A bare role name means that role: "o" should not match every "proj" and "model".
    m_textIsRole = roleFromName(m_text.toLower().toStdString()).has_value();
    invalidateFilter();
}

bool LayerFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QString canonical = index.data(CanonicalNameRole).toString();
    if (canonical.isEmpty()) // a block row
        return index.data(Qt::DisplayRole).toString().compare(m_text, Qt::CaseInsensitive) == 0;
    if (m_textIsRole)
        return index.data(RoleNameRole).toString().compare(m_text, Qt::CaseInsensitive) == 0;
    return canonical.contains(m_text, Qt::CaseInsensitive)
        || index.data(TensorNameRole).toString().contains(m_text, Qt::CaseInsensitive);
}

} // namespace salience::widgets
