#include "LayerTree.h"

#include "ErrorScale.h"
#include "LayerFilterModel.h"
#include "model/Model.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QLocale>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

#include <map>

namespace salience::widgets {

namespace {

QString shortName(const std::string& canonical)
{
    const QString name = QString::fromStdString(canonical);
    const qsizetype dot = name.lastIndexOf(u'.');
    return dot < 0 ? name : name.mid(dot + 1);
}

QStandardItem* makeItem(const QString& text = {}, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto* item = new QStandardItem(text);
    item->setEditable(false);
    item->setTextAlignment(alignment);
    return item;
}

constexpr Qt::Alignment kNumberAlignment = Qt::AlignRight | Qt::AlignVCenter;

} // namespace

LayerTree::LayerTree(QWidget* parent)
    : QWidget(parent)
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_model(new QStandardItemModel(this))
    , m_proxy(new LayerFilterModel(this))
{
    m_filter->setPlaceholderText(tr("Filter: name, role (q k v o gate up down) or “block 2”"));
    m_filter->setToolTip(tr("Shows layers whose name contains the text, all layers of a role when the "
                            "text is a role name, or a whole block when it is a block's title."));
    m_filter->setClearButtonEnabled(true);

    m_model->setColumnCount(ColumnCount);
    m_model->setHorizontalHeaderLabels({tr("Layer"), tr("Shape"), tr("DType"), tr("Recipe"), tr("Bits/w"), tr("Error")});
    m_model->setHeaderData(ShapeColumn, Qt::Horizontal, tr("Output features × input features"), Qt::ToolTipRole);
    m_model->setHeaderData(DTypeColumn, Qt::Horizontal, tr("Element type as stored in the file"), Qt::ToolTipRole);
    m_model->setHeaderData(BitsColumn, Qt::Horizontal,
                           tr("Bits per weight after quantization, scales and zero points included"), Qt::ToolTipRole);
    m_model->setHeaderData(ErrorColumn, Qt::Horizontal,
                           tr("Relative output error when activations are known, else relative weight error"),
                           Qt::ToolTipRole);
    m_model->setHeaderData(BitsColumn, Qt::Horizontal, int(kNumberAlignment), Qt::TextAlignmentRole);
    m_model->setHeaderData(ErrorColumn, Qt::Horizontal, int(kNumberAlignment), Qt::TextAlignmentRole);
    m_proxy->setSourceModel(m_model);

    m_view->setModel(m_proxy);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->header()->setSectionResizeMode(RecipeColumn, QHeaderView::Stretch);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterText(text);
        m_view->expandAll(); // rows the filter brings back come collapsed and unspanned
        spanBlockRows();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LayerTree::onSelectionChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &LayerTree::onCurrentChanged);
    fitColumns();
}

void LayerTree::setModel(const salience::Model& model)
{
    m_model->removeRows(0, m_model->rowCount());
    m_layerItems.clear();
    m_layerOrder.clear();

    std::map<int, QStandardItem*> groups; // block → top-level row; -1 sorts first, placed last
    auto groupFor = [&](int block) {
        auto it = groups.find(block);
        if (it != groups.end())
            return it->second;
        auto* item = makeItem(block < 0 ? tr("Embedding & classifier") : tr("Block %1").arg(block));
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
        item->setData(block, BlockRole);
        groups.emplace(block, item);
        return item;
    };

    for (const LinearLayer& layer : model.layers()) {
        const QString canonical = QString::fromStdString(layer.name);
        const QString role = QString::fromStdString(std::string(roleName(layer.role)));
        auto* nameItem = makeItem(shortName(layer.name));
        nameItem->setData(canonical, CanonicalNameRole);
        nameItem->setData(QString::fromStdString(layer.tensorName), TensorNameRole);
        nameItem->setData(role, RoleNameRole);
        nameItem->setData(layer.block, BlockRole);
        nameItem->setToolTip(tr("%1\nstored as %2\nrole: %3")
                                 .arg(canonical, QString::fromStdString(layer.tensorName), role));

        auto* shapeItem = makeItem(QStringLiteral("%1 × %2").arg(layer.outFeatures).arg(layer.inFeatures), kNumberAlignment);
        shapeItem->setToolTip(tr("%1 output features × %2 input features (%3 weights)")
                                  .arg(layer.outFeatures)
                                  .arg(layer.inFeatures)
                                  .arg(QLocale().toString(qlonglong(layer.numel()))));
        auto* recipeItem = makeItem(layer.isQuantizable() ? QString() : tr("not quantized"));
        if (!layer.isQuantizable())
            recipeItem->setForeground(QColor(128, 128, 128));

        groupFor(layer.block)->appendRow({nameItem, shapeItem, makeItem(QString::fromStdString(layer.dtype)), recipeItem,
                                          makeItem({}, kNumberAlignment), makeItem({}, kNumberAlignment)});
        m_layerItems.insert(canonical, nameItem);
        m_layerOrder << canonical;
    }

    auto appendGroup = [&](QStandardItem* item) {
        QList<QStandardItem*> row{item};
        for (int c = 1; c < ColumnCount; ++c)
            row << makeItem();
        m_model->appendRow(row);
    };
    for (auto& [block, item] : groups)
        if (block >= 0)
            appendGroup(item);
    if (auto it = groups.find(-1); it != groups.end())
        appendGroup(it->second);

    m_view->expandAll();
    spanBlockRows();
    fitColumns();
    onSelectionChanged();
    onCurrentChanged();
}

QStandardItem* LayerTree::cell(const QString& layer, Column column) const
{
    QStandardItem* nameItem = m_layerItems.value(layer);
    if (!nameItem)
        return nullptr;
    return column == LayerColumn ? nameItem : nameItem->parent()->child(nameItem->row(), column);
}

void LayerTree::setRecipe(const QString& layer, const QString& recipeSummary)
{
    if (QStandardItem* item = cell(layer, RecipeColumn)) {
        item->setText(recipeSummary);
        item->setToolTip(recipeSummary);
        item->setData(QVariant(), Qt::ForegroundRole);
    }
}

void LayerTree::setResult(const QString& layer, double bitsPerWeight, double error)
{
    QStandardItem* bits = cell(layer, BitsColumn);
    QStandardItem* err = cell(layer, ErrorColumn);
    if (!bits || !err)
        return;
    bits->setText(QString::number(bitsPerWeight, 'f', 2));
    bits->setData(bitsPerWeight, Qt::UserRole);
    err->setText(formatError(error));
    err->setData(error, Qt::UserRole);
    err->setBackground(errorColor(error));
    err->setForeground(QColor(Qt::black)); // the pastel background is light in every theme
    err->setToolTip(tr("Relative error %1").arg(QString::number(error, 'g', 6)));
}

void LayerTree::clearResults()
{
    for (const QString& layer : std::as_const(m_layerOrder)) {
        for (Column c : {BitsColumn, ErrorColumn}) {
            QStandardItem* item = cell(layer, c);
            item->setText({});
            item->setData(QVariant(), Qt::UserRole);
            item->setData(QVariant(), Qt::BackgroundRole);
            item->setData(QVariant(), Qt::ForegroundRole);
            item->setToolTip({});
        }
    }
}

QStringList LayerTree::selectedLayers() const
{
    QStringList layers;
    const QItemSelectionModel* selection = m_view->selectionModel();
    for (const QString& layer : m_layerOrder) {
        const QModelIndex index = m_proxy->mapFromSource(m_layerItems.value(layer)->index());
        if (index.isValid() && selection->isSelected(index))
            layers << layer;
    }
    return layers;
}

void LayerTree::selectLayers(const QStringList& layers)
{
    for (const QString& layer : layers) {
        if (QStandardItem* item = m_layerItems.value(layer); item && !m_proxy->mapFromSource(item->index()).isValid()) {
            m_filter->clear(); // a requested layer is filtered out: show everything again
            break;
        }
    }
    QItemSelection selection;
    QModelIndex first;
    for (const QString& layer : m_layerOrder) {
        if (!layers.contains(layer))
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_layerItems.value(layer)->index());
        if (!first.isValid())
            first = index;
        selection.select(index, index.siblingAtColumn(ColumnCount - 1));
    }
    // One selectionChanged for the whole change, not one per step.
    m_selecting = true;
    if (first.isValid()) {
        m_view->setCurrentIndex(first); // also the anchor of a following shift-click
        m_view->scrollTo(first);
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    m_selecting = false;
    onSelectionChanged();
}

QString LayerTree::currentLayer() const
{
    return m_view->selectionModel()->currentIndex().siblingAtColumn(0).data(CanonicalNameRole).toString();
}

void LayerTree::setFilterText(const QString& text)
{
    m_filter->setText(text);
}

QString LayerTree::filterText() const
{
    return m_filter->text();
}

void LayerTree::onSelectionChanged()
{
    if (m_selecting)
        return;
    const QStringList layers = selectedLayers();
    if (layers == m_lastSelection)
        return;
    m_lastSelection = layers;
    emit selectionChanged(layers);
}

void LayerTree::onCurrentChanged()
{
    const QString layer = currentLayer();
    if (layer == m_lastCurrent)
        return;
    m_lastCurrent = layer;
    emit currentLayerChanged(layer);
}

void LayerTree::spanBlockRows()
{
    // Block titles run across the row, so the Layer column only needs the short layer names.
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        m_view->setFirstColumnSpanned(r, QModelIndex(), true);
}

void LayerTree::fitColumns()
{
    const QFontMetrics metrics(m_view->font());
    const int pad = metrics.horizontalAdvance(QStringLiteral("MM"));
    QHeaderView* header = m_view->header();
    auto fit = [&](int column, QStringList samples) {
        samples << m_model->headerData(column, Qt::Horizontal).toString();
        int w = 0;
        for (const QString& t : std::as_const(samples))
            w = std::max(w, metrics.horizontalAdvance(t));
        header->resizeSection(column, w + pad);
    };
    QStringList names{QStringLiteral("down_proj")}, shapes{QStringLiteral("128 × 128")}, dtypes;
    for (const QString& layer : std::as_const(m_layerOrder)) {
        names << m_layerItems.value(layer)->text();
        shapes << cell(layer, ShapeColumn)->text();
        dtypes << cell(layer, DTypeColumn)->text();
    }
    fit(LayerColumn, names);
    header->resizeSection(LayerColumn, header->sectionSize(LayerColumn) + 2 * m_view->indentation());
    fit(ShapeColumn, shapes);
    fit(DTypeColumn, dtypes);
    fit(BitsColumn, {QStringLiteral("16.00")});
    fit(ErrorColumn, {QStringLiteral("0.0000")});
    header->setMinimumSectionSize(metrics.horizontalAdvance(QStringLiteral("MMM")));
}

} // namespace salience::widgets
