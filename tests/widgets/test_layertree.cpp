// The layer tree over the demo model: rows, columns, filter, selection, result cells.
#include "ErrorScale.h"
#include "LayerFilterModel.h"
#include "LayerTree.h"
#include "demo/DemoModel.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace salience;
using namespace salience::widgets;

namespace {

const QStringList kRoles{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};

QString canonical(int block, const QString& shortName)
{
    const bool attention = kRoles.indexOf(shortName) < 4;
    return QStringLiteral("model.layers.%1.%2.%3").arg(block).arg(QLatin1String(attention ? "self_attn" : "mlp"), shortName);
}

QModelIndex blockRow(const QAbstractItemModel* m, const QString& title)
{
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data().toString() == title)
            return m->index(r, 0);
    return {};
}

QStringList childNames(const QAbstractItemModel* m, const QModelIndex& parent)
{
    QStringList names;
    for (int r = 0; r < m->rowCount(parent); ++r)
        names << m->index(r, 0, parent).data().toString();
    return names;
}

QModelIndex layerIndex(const QAbstractItemModel* m, const QString& canonicalName)
{
    for (int b = 0; b < m->rowCount(); ++b) {
        const QModelIndex block = m->index(b, 0);
        for (int r = 0; r < m->rowCount(block); ++r)
            if (m->index(r, 0, block).data(CanonicalNameRole).toString() == canonicalName)
                return m->index(r, 0, block);
    }
    return {};
}

} // namespace

class TestLayerTree : public QObject {
    Q_OBJECT
private:
    DemoOptions m_options;
    DemoModel m_demo;

private slots:
    void initTestCase() { m_demo = makeDemoModel(m_options); }

    void rowsAndColumnsOfTheDemoModel()
    {
        LayerTree tree;
        tree.setModel(m_demo.model);
        const QAbstractItemModel* m = tree.view()->model();

        QCOMPARE(m->columnCount(), 6);
        const QStringList headers{"Layer", "Shape", "DType", "Recipe", "Bits/w", "Error"};
        for (int c = 0; c < 6; ++c)
            QCOMPARE(m->headerData(c, Qt::Horizontal).toString(), headers[c]);

        const int64_t dim = m_options.dim, hidden = m_options.hiddenDim;
        const int64_t kv = m_options.kvHeads * (m_options.dim / m_options.heads);
        const QList<QPair<int64_t, int64_t>> shapes{{dim, dim},    {kv, dim},     {kv, dim},    {dim, dim},
                                                    {hidden, dim}, {hidden, dim}, {dim, hidden}};
        for (int b = 0; b < 4; ++b) {
            const QModelIndex block = blockRow(m, QStringLiteral("Block %1").arg(b));
            QVERIFY2(block.isValid(), qPrintable(QStringLiteral("Block %1 missing").arg(b)));
            QCOMPARE(m->rowCount(block), 7);
            QCOMPARE(childNames(m, block), kRoles);
            QVERIFY(tree.view()->isExpanded(block));
            for (int r = 0; r < 7; ++r) {
                const QModelIndex layer = m->index(r, 0, block);
                QCOMPARE(layer.data(CanonicalNameRole).toString(), canonical(b, kRoles[r]));
                QVERIFY(layer.data(Qt::ToolTipRole).toString().contains(canonical(b, kRoles[r])));
                QCOMPARE(layer.siblingAtColumn(LayerTree::ShapeColumn).data().toString(),
                         QStringLiteral("%1 × %2").arg(shapes[r].first).arg(shapes[r].second));
                QCOMPARE(layer.siblingAtColumn(LayerTree::DTypeColumn).data().toString(), QStringLiteral("F32"));
                QVERIFY(layer.siblingAtColumn(LayerTree::ErrorColumn).data().toString().isEmpty());
            }
        }
        // Every layer of the model is somewhere in the tree, blocks or the last group.
        int layers = 0;
        for (int r = 0; r < m->rowCount(); ++r)
            layers += m->rowCount(m->index(r, 0));
        QCOMPARE(layers, int(m_demo.model.layers().size()));
        const int groups = m_demo.model.layers().size() > 28 ? 5 : 4;
        QCOMPARE(m->rowCount(), groups);
        if (groups == 5)
            QCOMPARE(m->index(4, 0).data().toString(), QStringLiteral("Embedding & classifier"));
    }

    void filterHidesNonMatchingAndKeepsParents()
    {
        LayerTree tree;
        tree.setModel(m_demo.model);
        const QAbstractItemModel* m = tree.view()->model();

        tree.setFilterText(QStringLiteral("DOWN")); // a role name, case-insensitive
        QCOMPARE(m->rowCount(), 4);
        for (int b = 0; b < 4; ++b) {
            const QModelIndex block = blockRow(m, QStringLiteral("Block %1").arg(b));
            QVERIFY(block.isValid());
            QCOMPARE(childNames(m, block), QStringList{"down_proj"});
            QVERIFY(tree.view()->isExpanded(block));
        }

        // "o" is the output projection, not every name containing an o.
        tree.setFilterText(QStringLiteral("o"));
        QCOMPARE(m->rowCount(), 4);
        QCOMPARE(childNames(m, m->index(0, 0)), QStringList{"o_proj"});

        tree.setFilterText(QStringLiteral("layers.2.MLP"));
        QCOMPARE(m->rowCount(), 1);
        QCOMPARE(m->index(0, 0).data().toString(), QStringLiteral("Block 2"));
        QCOMPARE(childNames(m, m->index(0, 0)), (QStringList{"gate_proj", "up_proj", "down_proj"}));

        tree.setFilterText(QStringLiteral("block 1"));
        QCOMPARE(m->rowCount(), 1);
        QCOMPARE(m->rowCount(m->index(0, 0)), 7);

        tree.setFilterText(QStringLiteral("no such layer"));
        QCOMPARE(m->rowCount(), 0);

        tree.setFilterText(QString());
        QCOMPARE(m->rowCount(), m_demo.model.layers().size() > 28 ? 5 : 4);
        QCOMPARE(m->rowCount(blockRow(m, QStringLiteral("Block 3"))), 7);
    }

    void selectionSignalsWithMultiSelect()
    {
        LayerTree tree;
        tree.setModel(m_demo.model);
        tree.resize(600, 900);
        tree.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tree));
        QSignalSpy selection(&tree, &LayerTree::selectionChanged);
        QSignalSpy current(&tree, &LayerTree::currentLayerChanged);
        QTreeView* view = tree.view();
        const QAbstractItemModel* m = view->model();

        const QString q0 = canonical(0, "q_proj"), down1 = canonical(1, "down_proj"), up3 = canonical(3, "up_proj");
        auto click = [&](const QModelIndex& index, Qt::KeyboardModifiers modifiers = {}) {
            view->scrollTo(index);
            QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers, view->visualRect(index).center());
        };

        click(layerIndex(m, q0));
        QCOMPARE(tree.selectedLayers(), QStringList{q0});
        QCOMPARE(selection.count(), 1);
        QCOMPARE(selection.last().at(0).toStringList(), QStringList{q0});
        QCOMPARE(tree.currentLayer(), q0);
        QCOMPARE(current.count(), 1);
        QCOMPARE(current.last().at(0).toString(), q0);

        click(layerIndex(m, down1), Qt::ControlModifier);
        QCOMPARE(selection.count(), 2);
        QCOMPARE(selection.last().at(0).toStringList(), (QStringList{q0, down1}));
        QCOMPARE(tree.currentLayer(), down1);

        // A block row alone selects none of its layers.
        click(blockRow(m, QStringLiteral("Block 2")));
        QCOMPARE(tree.selectedLayers(), QStringList{});
        QCOMPARE(selection.last().at(0).toStringList(), QStringList{});
        QCOMPARE(tree.currentLayer(), QString());

        // Programmatic selection, in model order whatever the order asked, and through a filter.
        tree.setFilterText(QStringLiteral("k_proj"));
        selection.clear();
        tree.selectLayers({up3, q0});
        QCOMPARE(tree.filterText(), QString()); // up3 was filtered out, so the filter was cleared
        QCOMPARE(tree.selectedLayers(), (QStringList{q0, up3}));
        QCOMPARE(selection.count(), 1);
        QCOMPARE(selection.last().at(0).toStringList(), (QStringList{q0, up3}));
        QCOMPARE(tree.currentLayer(), q0);

        // Shift-click extends from the current row over the whole range.
        click(layerIndex(m, canonical(0, "v_proj")), Qt::ShiftModifier);
        QCOMPARE(tree.selectedLayers(), (QStringList{q0, canonical(0, "k_proj"), canonical(0, "v_proj")}));
    }

    void resultColoursTheErrorCell()
    {
        LayerTree tree;
        tree.setModel(m_demo.model);
        const QAbstractItemModel* m = tree.view()->model();
        const QString small = canonical(0, "q_proj"), large = canonical(3, "down_proj");
        tree.setRecipe(small, QStringLiteral("rtn 4-bit g128 asym"));
        tree.setResult(small, 4.25, 0.004);
        tree.setResult(large, 2.5, 0.6);
        tree.setResult(QStringLiteral("no.such.layer"), 4, 0.1); // ignored

        const QModelIndex s = layerIndex(m, small), l = layerIndex(m, large);
        QCOMPARE(s.siblingAtColumn(LayerTree::RecipeColumn).data().toString(), QStringLiteral("rtn 4-bit g128 asym"));
        QCOMPARE(s.siblingAtColumn(LayerTree::BitsColumn).data().toString(), QStringLiteral("4.25"));
        QCOMPARE(s.siblingAtColumn(LayerTree::ErrorColumn).data().toString(), QStringLiteral("0.0040"));
        QCOMPARE(l.siblingAtColumn(LayerTree::ErrorColumn).data().toString(), QStringLiteral("0.600"));

        const QColor green = s.siblingAtColumn(LayerTree::ErrorColumn).data(Qt::BackgroundRole).value<QBrush>().color();
        const QColor red = l.siblingAtColumn(LayerTree::ErrorColumn).data(Qt::BackgroundRole).value<QBrush>().color();
        QVERIFY2(green.green() > green.red() + 40, qPrintable(green.name()));
        QVERIFY2(red.red() > red.green() + 40, qPrintable(red.name()));
        QCOMPARE(green, errorColor(0.004));
        // A layer without a result has no colour.
        QVERIFY(!layerIndex(m, canonical(1, "q_proj")).siblingAtColumn(LayerTree::ErrorColumn).data(Qt::BackgroundRole).isValid());

        tree.clearResults();
        QVERIFY(s.siblingAtColumn(LayerTree::ErrorColumn).data().toString().isEmpty());
        QVERIFY(!s.siblingAtColumn(LayerTree::ErrorColumn).data(Qt::BackgroundRole).isValid());
        QCOMPARE(s.siblingAtColumn(LayerTree::RecipeColumn).data().toString(), QStringLiteral("rtn 4-bit g128 asym"));
    }

    void errorScaleIsMonotonicAndClamped()
    {
        QCOMPARE(errorScalePosition(0.0), 0.0);
        QCOMPARE(errorScalePosition(0.003), 0.0);
        QCOMPARE(errorScalePosition(1.0), 1.0);
        QCOMPARE(errorScalePosition(5.0), 1.0);
        // Logarithmic: sqrt(0.003 * 1) sits in the middle.
        QVERIFY(std::abs(errorScalePosition(std::sqrt(0.003)) - 0.5) < 1e-12);
        QVERIFY(errorScalePosition(0.01) < errorScalePosition(0.1));
        QCOMPARE(formatError(0.0912345), QStringLiteral("0.091"));
        QCOMPARE(formatError(0.1), QStringLiteral("0.100"));
        QCOMPARE(formatError(1.5), QStringLiteral("1.50"));
        QCOMPARE(formatError(0.00456), QStringLiteral("0.0046"));
        QCOMPARE(formatError(0.0000123), QStringLiteral("1.2e-05"));
        QCOMPARE(formatError(0.0), QStringLiteral("0"));
        QCOMPARE(formatError(std::numeric_limits<double>::infinity()), QStringLiteral("∞"));
    }

    void rendersForTheProjector()
    {
        LayerTree tree;
        tree.setModel(m_demo.model);
        const char* recipes[] = {"rtn 4-bit g128 asym", "rtn 3-bit per-channel sym", "rtn 8-bit g64 asym"};
        int i = 0;
        for (const LinearLayer& layer : m_demo.model.layers()) {
            const QString name = QString::fromStdString(layer.name);
            if (!layer.isQuantizable())
                continue;
            tree.setRecipe(name, QString::fromLatin1(recipes[i % 3]));
            if (layer.block < 3)
                tree.setResult(name, i % 3 == 2 ? 8.25 : i % 3 == 1 ? 3.06 : 4.25,
                               i % 3 == 2 ? 0.004 + 0.0005 * i : i % 3 == 1 ? 0.22 + 0.01 * (i % 7) : 0.08 + 0.004 * (i % 7));
            ++i;
        }
        tree.resize(560, 880);
        tree.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tree));
        tree.selectLayers({canonical(1, "q_proj"), canonical(1, "k_proj")});
        const QString dir = QStringLiteral(SALIENCE_BINARY_DIR "/screenshots");
        QDir().mkpath(dir);
        QTest::qWait(30);
        QVERIFY(tree.grab().save(dir + "/layertree.png"));
        tree.setFilterText(QStringLiteral("down"));
        QTest::qWait(30);
        QVERIFY(tree.grab().save(dir + "/layertree_filtered.png"));
    }
};

QTEST_MAIN(TestLayerTree)
#include "test_layertree.moc"
