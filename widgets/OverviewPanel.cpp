#include "OverviewPanel.h"

#include "CategoryAxis.h"
#include "ErrorScale.h"

#include <qcustomplot.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QMouseEvent>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace salience::widgets {

namespace {

constexpr int kSortRole = Qt::UserRole;
constexpr int kLayerRole = Qt::UserRole + 1;
constexpr Qt::Alignment kNumberAlignment = Qt::AlignRight | Qt::AlignVCenter;

// Roles in the order a block runs through them, each with a colour that stays distinct on a
// projector (Tableau 10).
struct RoleStyle {
    const char* role;
    QColor color;
};
const RoleStyle kRoleStyles[] = {
    {"q", QColor(0x4e, 0x79, 0xa7)},          {"k", QColor(0xf2, 0x8e, 0x2b)},
    {"v", QColor(0xe1, 0x57, 0x59)},          {"o", QColor(0x76, 0xb7, 0xb2)},
    {"gate", QColor(0x59, 0xa1, 0x4f)},       {"up", QColor(0xed, 0xc9, 0x48)},
    {"down", QColor(0xb0, 0x7a, 0xa1)},       {"embedding", QColor(0xff, 0x9d, 0xa7)},
    {"classifier", QColor(0x9c, 0x75, 0x5f)}, {"other", QColor(0xba, 0xb0, 0xac)},
};

QString shortName(const QString& canonical)
{
    const qsizetype dot = canonical.lastIndexOf(u'.');
    return dot < 0 ? canonical : canonical.mid(dot + 1);
}

QStandardItem* makeItem(const QString& text, const QVariant& sortKey, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto* item = new QStandardItem(text);
    item->setEditable(false);
    item->setData(sortKey, kSortRole);
    item->setTextAlignment(alignment);
    return item;
}

QStandardItem* makeErrorItem(std::optional<double> error, bool quantized)
{
    if (!quantized || !error)
        return makeItem(QStringLiteral("—"), -1.0, kNumberAlignment);
    auto* item = makeItem(formatError(*error), *error, kNumberAlignment);
    item->setBackground(errorColor(*error));
    item->setForeground(QColor(Qt::black));
    return item;
}

} // namespace

OverviewPanel::OverviewPanel(QWidget* parent)
    : QWidget(parent)
    , m_totals(new QLabel(this))
    , m_perplexity(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new QStandardItemModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_plot(new QCustomPlot(this))
{
    QFont strong = m_totals->font();
    strong.setBold(true);
    m_totals->setFont(strong);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_perplexity->setFont(strong);
    m_perplexity->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_model->setColumnCount(ColumnCount);
    m_model->setHorizontalHeaderLabels({tr("Layer"), tr("Block"), tr("Role"), tr("Method"), tr("Bits"), tr("Bits/w"),
                                        tr("Rel. weight error"), tr("Rel. output error")});
    m_model->setHeaderData(BitsPerWeightColumn, Qt::Horizontal,
                           tr("Bits per weight, scales and zero points included"), Qt::ToolTipRole);
    m_model->setHeaderData(WeightErrorColumn, Qt::Horizontal, tr("‖W − Ŵ‖ / ‖W‖"), Qt::ToolTipRole);
    m_model->setHeaderData(OutputErrorColumn, Qt::Horizontal,
                           tr("‖(W − Ŵ)·X‖ / ‖W·X‖ on the collected activations X"), Qt::ToolTipRole);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(kSortRole);

    m_table->setModel(m_sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(LayerColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setHighlightSections(false);

    m_plot->setMinimumSize(320, 140);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->xAxis->setTickLength(0, 4);
    m_plot->xAxis->setSubTicks(false);
    m_plot->yAxis->grid()->setSubGridVisible(false);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setMargins(QMargins(4, 2, 4, 2));
    m_plot->legend->setVisible(true);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_plot);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_userSizedSplitter = true; });

    auto* header = new QHBoxLayout;
    header->addWidget(m_totals, 1);
    header->addWidget(m_perplexity);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(header);
    layout->addWidget(m_splitter, 1);

    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& index) {
        const QString layer = index.siblingAtColumn(LayerColumn).data(kLayerRole).toString();
        if (!layer.isEmpty())
            emit layerActivated(layer);
    });
    connect(m_plot, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* bars, int dataIndex, QMouseEvent*) {
        const QVector<int> rows = m_barRows.value(bars);
        if (dataIndex >= 0 && dataIndex < rows.size())
            emit layerActivated(m_rows[rows[dataIndex]].layer);
    });
    connect(m_plot, &QCustomPlot::mouseMove, this, &OverviewPanel::onPlotMouseMove);
    connect(m_plot, &QCustomPlot::beforeReplot, this, &OverviewPanel::updateTickLabels);

    clear();
}

void OverviewPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    placeSplitter();
}

void OverviewPanel::placeSplitter()
{
    if (m_userSizedSplitter || width() <= 0)
        return;
    // The table as wide as its columns (up to 60%), the chart takes the rest.
    int tableWidth = m_table->frameWidth() * 2 + m_table->verticalScrollBar()->sizeHint().width();
    for (int c = 0; c < ColumnCount; ++c)
        tableWidth += m_table->columnWidth(c);
    const int total = m_splitter->width() - m_splitter->handleWidth();
    tableWidth = std::min(tableWidth, total * 3 / 5);
    m_splitter->setSizes({tableWidth, total - tableWidth});
}

void OverviewPanel::setRows(const QVector<OverviewRow>& rows)
{
    m_rows = rows;
    rebuildTable();
    rebuildChart();
}

void OverviewPanel::setTotals(double originalBytes, double quantizedBytes, double averageBitsPerWeight,
                              int quantizedLayers, int totalLayers)
{
    // Both sizes in the unit of the larger one, so the reduction reads at a glance.
    static const char* const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    double scale = 1;
    while (unit < 4 && std::max(originalBytes, quantizedBytes) >= scale * 1024) {
        scale *= 1024;
        ++unit;
    }
    auto size = [&](double bytes) {
        return unit == 0 ? QStringLiteral("%1 bytes").arg(qlonglong(std::llround(bytes)))
                         : QStringLiteral("%1 %2").arg(bytes / scale, 0, 'f', 2).arg(QLatin1String(units[unit]));
    };
    m_totals->setText(tr("Size: %1 → %2 · average %3 bits/weight · %4 of %5 layers quantized")
                          .arg(size(originalBytes), size(quantizedBytes), QString::number(averageBitsPerWeight, 'f', 2))
                          .arg(quantizedLayers)
                          .arg(totalLayers));
}

void OverviewPanel::setPerplexityText(const QString& text)
{
    m_perplexityBase.clear();
    m_perplexityStale = false;
    m_perplexity->setForegroundRole(QPalette::WindowText);
    m_perplexity->setToolTip(QString());
    m_perplexity->setText(text);
}

void OverviewPanel::setPerplexity(const PerplexityComparison& p)
{
    const double change = p.floatPerplexity > 0 ? 100.0 * (p.quantizedPerplexity / p.floatPerplexity - 1.0) : 0.0;
    const QString text = tr("Perplexity %1 → %2 (%3) on %4, %n tokens", nullptr, int(p.tokens))
                             .arg(QString::number(p.floatPerplexity, 'f', 2), QString::number(p.quantizedPerplexity, 'f', 2),
                                  QString::asprintf("%+.1f%%", change), p.textName);
    setPerplexityText(text);
    m_perplexityBase = text;
    m_perplexity->setToolTip(tr("Perplexity of the float model → of the model quantized by the current plan, on the "
                                "first tokens of the text. Lower is better."));
}

void OverviewPanel::setPerplexityStale(const QString& reason)
{
    if (m_perplexityBase.isEmpty())
        return;
    m_perplexityStale = true;
    m_perplexity->setForegroundRole(QPalette::PlaceholderText);
    m_perplexity->setText(m_perplexityBase + QStringLiteral(" · ") + reason);
}

void OverviewPanel::clear()
{
    m_rows.clear();
    rebuildTable();
    rebuildChart();
    m_totals->setText(tr("No quantization results yet: run a plan to see sizes and errors."));
    setPerplexityText(tr("Perplexity: —"));
}

QString OverviewPanel::totalsText() const
{
    return m_totals->text();
}

QString OverviewPanel::perplexityText() const
{
    return m_perplexity->text();
}

void OverviewPanel::rebuildTable()
{
    m_model->removeRows(0, m_model->rowCount());
    for (int i = 0; i < m_rows.size(); ++i) {
        const OverviewRow& r = m_rows[i];
        auto* layer = makeItem(shortName(r.layer), i); // sorting by layer means model order
        layer->setData(r.layer, kLayerRole);
        layer->setToolTip(r.layer);
        QList<QStandardItem*> row{
            layer,
            makeItem(r.block < 0 ? QStringLiteral("—") : QString::number(r.block), r.block, kNumberAlignment),
            makeItem(r.role, r.role),
            makeItem(r.method, r.method),
            makeItem(r.quantized ? QString::number(r.bits) : QStringLiteral("—"), r.quantized ? r.bits : 0,
                     kNumberAlignment),
            makeItem(QString::number(r.bitsPerWeight, 'f', 2), r.bitsPerWeight, kNumberAlignment),
            makeErrorItem(r.weightError, r.quantized),
            makeErrorItem(r.outputError, r.quantized),
        };
        if (!r.quantized)
            for (QStandardItem* item : row)
                item->setForeground(QColor(128, 128, 128));
        m_model->appendRow(row);
    }
    m_table->resizeColumnsToContents();
    // Room for the longest names and numbers even before any row exists.
    const QFontMetrics metrics(m_table->font());
    const int pad = metrics.horizontalAdvance(QStringLiteral("MM"));
    auto atLeast = [&](int column, const QString& sample) {
        m_table->setColumnWidth(column, std::max(m_table->columnWidth(column), metrics.horizontalAdvance(sample) + pad));
    };
    atLeast(LayerColumn, QStringLiteral("embed_tokens"));
    atLeast(MethodColumn, QStringLiteral("none"));
    atLeast(BitsPerWeightColumn, QStringLiteral("16.00"));
    atLeast(WeightErrorColumn, QStringLiteral("0.0000"));
    atLeast(OutputErrorColumn, QStringLiteral("0.0000"));
    placeSplitter();
}

double OverviewPanel::chartValue(const OverviewRow& row) const
{
    return m_chartShowsOutputError && row.outputError ? *row.outputError : row.weightError;
}

void OverviewPanel::rebuildChart()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_barRows.clear();
    m_groups.clear();

    bool anyQuantized = false;
    m_chartShowsOutputError = true;
    for (const OverviewRow& r : std::as_const(m_rows)) {
        anyQuantized |= r.quantized;
        if (r.quantized && !r.outputError)
            m_chartShowsOutputError = false;
    }
    m_chartShowsOutputError = m_chartShowsOutputError && anyQuantized;
    m_plot->yAxis->setLabel(m_chartShowsOutputError ? tr("Relative output error") : tr("Relative weight error"));

    // One bar set per role, so the legend explains the colours.
    double maxValue = 0;
    for (const RoleStyle& style : kRoleStyles) {
        const QString role = QString::fromLatin1(style.role);
        QVector<double> keys, values;
        QVector<int> rows;
        for (int i = 0; i < m_rows.size(); ++i) {
            const OverviewRow& r = m_rows[i];
            const bool known = std::any_of(std::begin(kRoleStyles), std::end(kRoleStyles),
                                           [&](const RoleStyle& s) { return r.role == QLatin1String(s.role); });
            if (!r.quantized || (known ? r.role != role : role != QLatin1String("other")))
                continue;
            const double value = chartValue(r);
            keys << i;
            values << (std::isfinite(value) ? value : 0.0);
            rows << i;
            maxValue = std::max(maxValue, values.back());
        }
        if (keys.isEmpty())
            continue;
        auto* bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(role);
        bars->setWidth(0.78);
        bars->setPen(QPen(style.color.darker(130), 1));
        bars->setBrush(style.color);
        bars->setData(keys, values, true);
        m_barRows.insert(bars, rows);
    }

    // Blocks as alternating bands with their names as the x axis labels.
    std::vector<int> blocks;
    for (const OverviewRow& r : std::as_const(m_rows))
        blocks.push_back(r.block);
    const QVector<BlockSpan> spans = blockSpans(blocks);
    for (const BlockSpan& span : spans) {
        const OverviewRow& r = m_rows[span.first];
        const double centre = 0.5 * (span.first + span.last);
        if (r.block >= 0)
            m_groups.push_back({centre, tr("Block %1").arg(r.block), QString::number(r.block)});
        else
            m_groups.push_back({centre, shortName(r.layer), r.role.left(3)});
    }
    addBlockBands(m_plot, spans, true);

    // An empty legend would still cap its layout column at its own tiny width and squeeze the
    // axis rect, so it leaves the layout while there is nothing to explain.
    QCPLayoutGrid* layout = m_plot->plotLayout();
    if (m_barRows.isEmpty() && m_plot->legend->layout())
        layout->take(m_plot->legend); // row 0 stays, empty, for the legend's return
    else if (!m_barRows.isEmpty() && !m_plot->legend->layout())
        layout->addElement(0, 0, m_plot->legend);
    m_plot->legend->setVisible(!m_barRows.isEmpty());
    m_plot->legend->setWrap(m_plot->legend->itemCount() > 8 ? (m_plot->legend->itemCount() + 1) / 2 : 0);
    m_plot->xAxis->setRange(-0.6, std::max<double>(m_rows.size(), 1) - 0.4);
    m_plot->yAxis->setRange(0, maxValue > 0 ? maxValue * 1.1 : 1.0);

    if (m_barRows.isEmpty()) {
        auto* empty = new QCPItemText(m_plot);
        empty->position->setType(QCPItemPosition::ptAxisRectRatio);
        empty->position->setCoords(0.5, 0.5);
        empty->setText(m_rows.isEmpty() ? tr("No results yet") : tr("No layer is quantized"));
        empty->setColor(QColor(128, 128, 128));
        QFont font = m_plot->font();
        font.setPointSizeF(font.pointSizeF() * 1.3);
        empty->setFont(font);
    }
    m_plot->replot();
}

void OverviewPanel::updateTickLabels() { placeCategoryLabels(m_plot->xAxis, m_groups); }

int OverviewPanel::rowAtPlotX(double pixelX) const
{
    const double x = m_plot->xAxis->pixelToCoord(pixelX);
    const int i = int(std::lround(x));
    if (i < 0 || i >= m_rows.size() || std::abs(x - i) > 0.45)
        return -1;
    return i;
}

void OverviewPanel::onPlotMouseMove(QMouseEvent* event)
{
    const int i = m_plot->axisRect()->rect().contains(event->pos()) ? rowAtPlotX(event->position().x()) : -1;
    if (i < 0) {
        QToolTip::hideText();
        return;
    }
    const OverviewRow& r = m_rows[i];
    QString text = QStringLiteral("<b>%1</b><br>").arg(r.layer.toHtmlEscaped());
    if (!r.quantized) {
        text += tr("kept at full precision");
    } else {
        text += tr("%1 %2-bit · %3 bits/weight").arg(r.method.toHtmlEscaped()).arg(r.bits).arg(r.bitsPerWeight, 0, 'f', 2);
        text += QStringLiteral("<br>") + tr("weight error %1").arg(formatError(r.weightError));
        if (r.outputError)
            text += QStringLiteral("<br>") + tr("output error %1").arg(formatError(*r.outputError));
    }
    QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

} // namespace salience::widgets
