// The overview: table rows, sorting, totals text, chart bars per role, activation signals.
#include "OverviewPanel.h"
#include "demo/DemoModel.h"

#include <qcustomplot.h>

#include <QDir>
#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <set>

using namespace salience;
using namespace salience::widgets;

namespace {

// Plausible made-up results: 4-bit everywhere, larger errors in the MLP and in late blocks,
// the embedding kept at full precision.
QVector<OverviewRow> demoRows(const Model& model, bool withOutputError)
{
    QVector<OverviewRow> rows;
    int i = 0;
    for (const LinearLayer& layer : model.layers()) {
        OverviewRow r;
        r.layer = QString::fromStdString(layer.name);
        r.block = layer.block;
        r.role = QString::fromStdString(std::string(roleName(layer.role)));
        r.quantized = layer.isQuantizable();
        r.method = r.quantized ? QStringLiteral("rtn") : QStringLiteral("none");
        r.bits = r.quantized ? (r.role == "down" ? 8 : 4) : 0;
        r.bitsPerWeight = r.quantized ? r.bits + 0.25 : 32.0;
        r.weightError = r.quantized ? (r.bits == 8 ? 0.005 : 0.07 + 0.01 * (i % 7) + 0.006 * std::max(layer.block, 0)) : 0.0;
        if (r.quantized && withOutputError)
            r.outputError = r.weightError * (1.2 + 0.1 * (i % 3));
        rows << r;
        ++i;
    }
    return rows;
}

QString shortName(const QString& layer)
{
    return layer.mid(layer.lastIndexOf('.') + 1);
}

} // namespace

class TestOverviewPanel : public QObject {
    Q_OBJECT
private:
    DemoModel m_demo;

private slots:
    void initTestCase() { m_demo = makeDemoModel(); }

    void rowsAndColumns()
    {
        OverviewPanel panel;
        const QVector<OverviewRow> rows = demoRows(m_demo.model, true);
        panel.setRows(rows);
        const QAbstractItemModel* m = panel.table()->model();
        QCOMPARE(m->rowCount(), rows.size());
        QCOMPARE(m->columnCount(), 8);
        const QStringList headers{"Layer", "Block", "Role", "Method", "Bits", "Bits/w", "Rel. weight error",
                                  "Rel. output error"};
        for (int c = 0; c < 8; ++c)
            QCOMPARE(m->headerData(c, Qt::Horizontal).toString(), headers[c]);

        // Model order by default.
        for (int i = 0; i < rows.size(); ++i) {
            const OverviewRow& r = rows[i];
            QCOMPARE(m->index(i, OverviewPanel::LayerColumn).data().toString(), shortName(r.layer));
            QCOMPARE(m->index(i, OverviewPanel::LayerColumn).data(Qt::ToolTipRole).toString(), r.layer);
            QCOMPARE(m->index(i, OverviewPanel::BlockColumn).data().toString(),
                     r.block < 0 ? QStringLiteral("—") : QString::number(r.block));
            QCOMPARE(m->index(i, OverviewPanel::RoleColumn).data().toString(), r.role);
            QCOMPARE(m->index(i, OverviewPanel::MethodColumn).data().toString(), r.method);
            QCOMPARE(m->index(i, OverviewPanel::BitsPerWeightColumn).data().toString(),
                     QString::number(r.bitsPerWeight, 'f', 2));
            if (r.quantized) {
                QCOMPARE(m->index(i, OverviewPanel::BitsColumn).data().toString(), QString::number(r.bits));
                // Errors here lie in [0.001, 1): three decimals from 0.01, four below.
                QCOMPARE(m->index(i, OverviewPanel::WeightErrorColumn).data().toString(),
                         QString::number(r.weightError, 'f', r.weightError >= 0.01 ? 3 : 4));
                QCOMPARE(m->index(i, OverviewPanel::OutputErrorColumn).data().toString(),
                         QString::number(*r.outputError, 'f', *r.outputError >= 0.01 ? 3 : 4));
                QVERIFY(m->index(i, OverviewPanel::WeightErrorColumn).data(Qt::BackgroundRole).isValid());
            } else {
                QCOMPARE(m->index(i, OverviewPanel::BitsColumn).data().toString(), QStringLiteral("—"));
                QCOMPARE(m->index(i, OverviewPanel::OutputErrorColumn).data().toString(), QStringLiteral("—"));
            }
        }
        // The block-0 q projection has its expected numbers (4-bit, i = position in the model).
        int q0 = -1;
        for (int i = 0; i < rows.size(); ++i)
            if (rows[i].layer == "model.layers.0.self_attn.q_proj")
                q0 = i;
        QVERIFY(q0 >= 0);
        QCOMPARE(m->index(q0, OverviewPanel::BitsPerWeightColumn).data().toString(), QStringLiteral("4.25"));
        QCOMPARE(m->index(q0, OverviewPanel::BitsColumn).data().toString(), QStringLiteral("4"));
        // The down projections are 8-bit with weight error 0.005 in demoRows.
        for (int i = 0; i < rows.size(); ++i)
            if (rows[i].role == "down")
                QCOMPARE(m->index(i, OverviewPanel::WeightErrorColumn).data().toString(), QStringLiteral("0.0050"));

        // Sorting by weight error, largest first: numeric, not text order.
        panel.table()->sortByColumn(OverviewPanel::WeightErrorColumn, Qt::DescendingOrder);
        const auto worst = std::max_element(rows.begin(), rows.end(),
                                            [](const OverviewRow& a, const OverviewRow& b) { return a.weightError < b.weightError; });
        QCOMPARE(m->index(0, OverviewPanel::LayerColumn).data(Qt::ToolTipRole).toString(), worst->layer);
        double previous = 1e9;
        for (int i = 0; i < m->rowCount(); ++i) {
            const double e = m->index(i, OverviewPanel::WeightErrorColumn).data(Qt::UserRole).toDouble();
            QVERIFY(e <= previous);
            previous = e;
        }
        panel.table()->sortByColumn(OverviewPanel::LayerColumn, Qt::AscendingOrder);
        QCOMPARE(m->index(0, OverviewPanel::LayerColumn).data(Qt::ToolTipRole).toString(), rows[0].layer);
    }

    void totalsText()
    {
        OverviewPanel panel;
        QCOMPARE(panel.perplexityText(), QStringLiteral("Perplexity: —"));
        panel.setTotals(1.12 * 1024 * 1024, 0.31 * 1024 * 1024, 4.625, 35, 37);
        QCOMPARE(panel.totalsText(),
                 QStringLiteral("Size: 1.12 MiB → 0.31 MiB · average 4.63 bits/weight · 35 of 37 layers quantized"));
        panel.setTotals(2048, 512, 4.0, 1, 2);
        QCOMPARE(panel.totalsText(), QStringLiteral("Size: 2.00 KiB → 0.50 KiB · average 4.00 bits/weight · 1 of 2 layers quantized"));
        panel.setTotals(1000, 250, 4.0, 1, 2);
        QCOMPARE(panel.totalsText(), QStringLiteral("Size: 1000 bytes → 250 bytes · average 4.00 bits/weight · 1 of 2 layers quantized"));
        panel.setTotals(3.5 * 1024 * 1024 * 1024, 1.0 * 1024 * 1024 * 1024, 4.0, 1, 2);
        QVERIFY(panel.totalsText().startsWith(QStringLiteral("Size: 3.50 GiB → 1.00 GiB")));
        panel.setPerplexityText(QStringLiteral("Perplexity: 12.3 → 12.9"));
        QCOMPARE(panel.perplexityText(), QStringLiteral("Perplexity: 12.3 → 12.9"));

        panel.setRows(demoRows(m_demo.model, false));
        panel.clear();
        QCOMPARE(panel.table()->model()->rowCount(), 0);
        QCOMPARE(panel.plot()->plottableCount(), 0);
        QCOMPARE(panel.perplexityText(), QStringLiteral("Perplexity: —"));
        QVERIFY(!panel.totalsText().contains("Size"));
    }

    void perplexityComparisonAndStaleNote()
    {
        OverviewPanel panel;
        panel.setPerplexityStale(QStringLiteral("plan changed")); // nothing shown yet: nothing to mark
        QCOMPARE(panel.perplexityText(), QStringLiteral("Perplexity: —"));
        QVERIFY(!panel.isPerplexityStale());

        PerplexityComparison p;
        p.floatPerplexity = 3.6612;
        p.quantizedPerplexity = 3.8113; // 3.8113 / 3.6612 − 1 = +4.0998%
        p.textName = QStringLiteral("tinystories_valid_head.txt");
        p.tokens = 2048;
        panel.setPerplexity(p);
        QCOMPARE(panel.perplexityText(),
                 QStringLiteral("Perplexity 3.66 → 3.81 (+4.1%) on tinystories_valid_head.txt, 2048 tokens"));
        QVERIFY(!panel.isPerplexityStale());
        panel.setPerplexityStale(QStringLiteral("plan changed — evaluate again"));
        QVERIFY(panel.isPerplexityStale());
        QCOMPARE(panel.perplexityText(), QStringLiteral("Perplexity 3.66 → 3.81 (+4.1%) on tinystories_valid_head.txt, "
                                                        "2048 tokens · plan changed — evaluate again"));
        panel.setPerplexityStale(QStringLiteral("model changed")); // the note replaces, never piles up
        QVERIFY(panel.perplexityText().endsWith(QStringLiteral("2048 tokens · model changed")));

        p.quantizedPerplexity = 3.5; // quantization can help: the sign shows it
        p.tokens = 300;
        panel.setPerplexity(p);
        QVERIFY(!panel.isPerplexityStale());
        QCOMPARE(panel.perplexityText(), QStringLiteral("Perplexity 3.66 → 3.50 (-4.4%) on tinystories_valid_head.txt, 300 tokens"));
        panel.clear();
        QVERIFY(!panel.isPerplexityStale());
        QCOMPARE(panel.perplexityText(), QStringLiteral("Perplexity: —"));
    }

    void chartHasOneBarSetPerRole()
    {
        OverviewPanel panel;
        for (bool withOutput : {true, false}) {
            const QVector<OverviewRow> rows = demoRows(m_demo.model, withOutput);
            panel.setRows(rows);
            QCOMPARE(panel.chartShowsOutputError(), withOutput);
            std::set<QString> roles;
            int quantized = 0;
            for (const OverviewRow& r : rows)
                if (r.quantized) {
                    roles.insert(r.role);
                    ++quantized;
                }
            QCOMPARE(panel.plot()->plottableCount(), int(roles.size()));
            int bars = 0;
            for (int p = 0; p < panel.plot()->plottableCount(); ++p) {
                auto* set = qobject_cast<QCPBars*>(panel.plot()->plottable(p));
                QVERIFY(set);
                QVERIFY(roles.count(set->name()));
                for (auto it = set->data()->constBegin(); it != set->data()->constEnd(); ++it) {
                    const OverviewRow& r = rows[int(it->key)];
                    QCOMPARE(r.role, set->name());
                    QCOMPARE(it->value, withOutput ? *r.outputError : r.weightError);
                    ++bars;
                }
            }
            QCOMPARE(bars, quantized);
            QCOMPARE(panel.plot()->yAxis->label(), withOutput ? QStringLiteral("Relative output error")
                                                             : QStringLiteral("Relative weight error"));
        }
    }

    void clicksActivateLayers()
    {
        OverviewPanel panel;
        const QVector<OverviewRow> rows = demoRows(m_demo.model, true);
        panel.setRows(rows);
        panel.resize(1400, 320);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy spy(&panel, &OverviewPanel::layerActivated);

        QTableView* table = panel.table();
        const QModelIndex third = table->model()->index(2, OverviewPanel::RoleColumn);
        table->scrollTo(third);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(third).center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().at(0).toString(), rows[2].layer);

        // Click the middle of a bar.
        int target = -1;
        for (int i = 0; i < rows.size(); ++i)
            if (rows[i].quantized && rows[i].block == 2) {
                target = i;
                break;
            }
        QVERIFY(target >= 0);
        QCustomPlot* plot = panel.plot();
        plot->replot();
        const QPoint at(int(plot->xAxis->coordToPixel(target)), int(plot->yAxis->coordToPixel(*rows[target].outputError / 2)));
        QTest::mouseClick(plot, Qt::LeftButton, {}, at);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.last().at(0).toString(), rows[target].layer);
    }

    void rendersForTheProjector()
    {
        OverviewPanel panel;
        panel.setRows(demoRows(m_demo.model, true));
        panel.setTotals(1.12 * 1024 * 1024, 0.31 * 1024 * 1024, 4.63, 28, 29);
        panel.resize(1400, 330);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const QString dir = QStringLiteral(SALIENCE_BINARY_DIR "/screenshots");
        QDir().mkpath(dir);
        QTest::qWait(30);
        QVERIFY(panel.grab().save(dir + "/overview.png"));
        panel.clear();
        QTest::qWait(30);
        QVERIFY(panel.grab().save(dir + "/overview_empty.png"));
    }
};

QTEST_MAIN(TestOverviewPanel)
#include "test_overviewpanel.moc"
