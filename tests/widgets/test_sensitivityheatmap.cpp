// SensitivityHeatmap: a sensitivity table's cells as the colours drawn (log scale of the KL or
// the NLL change), an allocation's choice marked per row and its uniform candidate outlined,
// row and column labels, the hover readout, and labels that never overlap on a crowded axis.
#include "PlotTestSupport.h"
#include "SensitivityHeatmap.h"

#include <qcustomplot.h>

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace salience;
using namespace salience::widgets;

namespace {

const char* kRoles[] = {"q_proj", "k_proj"};

// Four layers (q and k of blocks 0 and 1) × three candidates, with KLs over four decades.
SensitivityTable smallTable()
{
    SensitivityTable t;
    t.key.candidates = parseCandidates("3g128,3g32,4g32", "test");
    t.key.unitKind = SensitivityUnitKind::Layer;
    t.textSource = "/texts/stories.txt";
    t.textPart = "calibration";
    t.positions = 510;
    t.tokens = 512;
    t.floatNll = 1.8;
    const double kl[4][3] = {{0.2, 0.05, 0.001}, {0.02, 0.01, 0.0002}, {0.4, 0.1, 0.003}, {0.03, 0.004, 0.00004}};
    const double nll[4][3] = {{0.15, 0.04, -0.002}, {0.01, 0.008, 0.0001}, {0.3, 0.09, 0.002}, {0.02, 0.003, -0.0001}};
    const double bits[3] = {3.25, 3.5, 4.5};
    for (int u = 0; u < 4; ++u) {
        SensitivityUnit unit;
        unit.block = u / 2;
        unit.role = u % 2 == 0 ? LayerRole::Q : LayerRole::K;
        unit.name = "model.layers." + std::to_string(unit.block) + ".self_attn." + kRoles[u % 2];
        unit.layers = {unit.name};
        unit.parameters = u % 2 == 0 ? 4096 : 2048;
        for (int c = 0; c < 3; ++c) {
            SensitivityCell cell;
            cell.kl = kl[u][c];
            cell.klStdError = kl[u][c] / 20;
            cell.nllDelta = nll[u][c];
            cell.bitsPerWeight = bits[c] + 0.01 * u;
            unit.cells.push_back(cell);
        }
        t.units.push_back(unit);
    }
    return t;
}

SensitivityAllocation allocationOf(const SensitivityTable& t, const std::vector<size_t>& chosen, size_t uniform)
{
    SensitivityAllocation a;
    a.candidates = t.candidates();
    for (size_t u = 0; u < chosen.size(); ++u) {
        UnitChoice c;
        c.unit = t.units[u].name;
        c.candidate = chosen[u];
        c.label = t.candidates()[chosen[u]].label();
        a.units.push_back(c);
    }
    UniformChoice same;
    same.candidate = uniform;
    same.label = t.candidates()[uniform].label();
    a.uniform = same;
    return a;
}

QPoint cellCentre(const SensitivityHeatmap& view, int unit, int candidate)
{
    const QCustomPlot* plot = view.plot();
    const QPoint inPlot(int(std::lround(plot->xAxis->coordToPixel(candidate))),
                        int(std::lround(plot->yAxis->coordToPixel(unit))));
    return plot->mapTo(&view, inPlot);
}

QStringList tickLabels(QCPAxis* axis)
{
    auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
    return ticker ? QStringList(ticker->ticks().values()) : QStringList();
}

bool sameColour(QRgb a, const QColor& b, int slack = 3)
{
    return std::abs(qRed(a) - b.red()) <= slack && std::abs(qGreen(a) - b.green()) <= slack &&
           std::abs(qBlue(a) - b.blue()) <= slack;
}

} // namespace

class TestSensitivityHeatmap : public QObject {
    Q_OBJECT
private slots:
    // Each cell holds its KL, the colour range spans the smallest to the largest on a log
    // scale, and what is drawn at each cell is the gradient's colour for its value.
    void drawsEachCellInItsColour()
    {
        const SensitivityTable table = smallTable();
        SensitivityHeatmap view;
        view.setTable(table, SensitivityMeasure::Kl);
        QVERIFY(view.hasData());
        QCPColorMapData* data = view.colorMap()->data();
        QCOMPARE(data->keySize(), 3);
        QCOMPARE(data->valueSize(), 4);
        for (int u = 0; u < 4; ++u)
            for (int c = 0; c < 3; ++c)
                QCOMPARE(data->cell(c, u), table.units[size_t(u)].cells[size_t(c)].kl);
        const QCPRange range = view.colorMap()->dataRange();
        QCOMPARE(range.lower, 0.00004);
        QCOMPARE(range.upper, 0.4);
        QCOMPARE(view.colorScale()->dataScaleType(), QCPAxis::stLogarithmic);

        const QImage image = plottest::renderToPng(view, QStringLiteral("sensitivityheatmap"));
        QCPColorGradient gradient = view.colorMap()->gradient();
        const double cellWidth = std::abs(view.plot()->xAxis->coordToPixel(1) - view.plot()->xAxis->coordToPixel(0));
        for (int u = 0; u < 4; ++u)
            for (int c = 0; c < 3; ++c) {
                const QPoint p = cellCentre(view, u, c) + QPoint(int(cellWidth / 4), 0);
                const QColor expected = QColor::fromRgb(gradient.color(table.units[size_t(u)].cells[size_t(c)].kl, range, true));
                QVERIFY2(sameColour(image.pixel(p), expected),
                         qPrintable(QString("cell %1,%2: drawn %3, expected %4")
                                        .arg(u).arg(c).arg(QColor(image.pixel(p)).name(), expected.name())));
            }
        // The largest KL is drawn brightest, the smallest darkest (viridis).
        const QColor largest(image.pixel(cellCentre(view, 2, 0) + QPoint(int(cellWidth / 4), 0)));
        const QColor smallest(image.pixel(cellCentre(view, 3, 2) + QPoint(int(cellWidth / 4), 0)));
        QVERIFY(largest.lightness() > smallest.lightness() + 100);
    }

    // The NLL change can be negative: such cells take the bottom of the colour range.
    void nllChangeAsTheMeasure()
    {
        const SensitivityTable table = smallTable();
        SensitivityHeatmap view;
        view.setTable(table, SensitivityMeasure::Kl);
        view.setMeasure(SensitivityMeasure::NllDelta);
        QCOMPARE(view.cellValue(0, 2), -0.002);
        const QCPRange range = view.colorMap()->dataRange();
        QCOMPARE(range.upper, 0.3);
        QCOMPARE(range.lower, 0.0001);
        QCOMPARE(view.colorMap()->data()->cell(2, 0), range.lower);
        QCOMPARE(view.colorMap()->data()->cell(1, 2), 0.09);
        QVERIFY(view.colorScale()->label().contains("NLL"));
    }

    // The allocation's choice is a white marker on its cell in every row; the uniform candidate's
    // column is outlined; both are in the legend.
    void marksTheAllocation()
    {
        const SensitivityTable table = smallTable();
        SensitivityHeatmap view;
        view.setTable(table, SensitivityMeasure::Kl);
        const std::vector<size_t> chosen{2, 1, 2, 0};
        view.setAllocation(allocationOf(table, chosen, 1));
        QCOMPARE(view.chosen(), std::vector<int>({2, 1, 2, 0}));
        QCOMPARE(view.uniformCandidate(), 1);
        const QCPCurve* curve = view.allocationCurve();
        QCOMPARE(curve->dataCount(), 4);
        for (int u = 0; u < 4; ++u) {
            QCOMPARE(curve->data()->at(u)->key, double(chosen[size_t(u)]));
            QCOMPARE(curve->data()->at(u)->value, double(u));
        }
        QCOMPARE(view.uniformOutline()->topLeft->coords().x(), 0.5);
        QCOMPARE(view.uniformOutline()->bottomRight->coords().x(), 1.5);
        QStringList legend;
        for (int i = 0; i < view.plot()->legend->itemCount(); ++i)
            if (auto* item = qobject_cast<QCPPlottableLegendItem*>(view.plot()->legend->item(i)))
                legend << item->plottable()->name();
        QCOMPARE(legend, QStringList({QStringLiteral("allocated plan"), QStringLiteral("uniform 3g32 (same budget)")}));

        const QImage image = plottest::renderToPng(view, QStringLiteral("sensitivityheatmap-allocation"));
        for (int u = 0; u < 4; ++u) {
            for (int c = 0; c < 3; ++c) {
                const QColor drawn(image.pixel(cellCentre(view, u, c)));
                const bool marked = size_t(c) == chosen[size_t(u)];
                QVERIFY2(marked == sameColour(drawn.rgb(), Qt::white, 0), qPrintable(QString("unit %1 candidate %2: %3").arg(u).arg(c).arg(drawn.name())));
            }
        }
        view.clearAllocation();
        QCOMPARE(view.allocationCurve()->dataCount(), 0);
        QVERIFY(!view.uniformOutline()->visible());
        // A new table drops the old allocation.
        view.setAllocation(allocationOf(table, chosen, 1));
        view.setTable(table, SensitivityMeasure::Kl);
        QCOMPARE(view.chosen(), std::vector<int>(4, -1));
    }

    // Rows read "block role", columns name the candidate and what it spends over every unit.
    void labelsRowsAndColumns()
    {
        const SensitivityTable table = smallTable();
        SensitivityHeatmap view;
        view.setTable(table, SensitivityMeasure::Kl);
        plottest::renderToPng(view, QStringLiteral("sensitivityheatmap-labels"));
        view.plot()->replot();
        QCOMPARE(tickLabels(view.plot()->yAxis), QStringList({"0 q", "0 k", "1 q", "1 k"}));
        // 3g32 over every unit: (4096·3.50 + 2048·3.51 + 4096·3.52 + 2048·3.53) / 12288 = 3.5133.
        const QStringList columns = tickLabels(view.plot()->xAxis);
        QCOMPARE(columns.size(), 3);
        QCOMPARE(columns[1], QStringLiteral("3g32\n3.51 b/w"));
        QVERIFY(view.plot()->xAxis->label().contains("Candidate"));
        SensitivityUnit role;
        role.role = LayerRole::Down;
        QCOMPARE(SensitivityHeatmap::unitLabel(role), QStringLiteral("down"));
        SensitivityUnit block;
        block.block = 3;
        QCOMPARE(SensitivityHeatmap::unitLabel(block), QStringLiteral("block 3"));
    }

    // On a crowded axis (40 rows in 300 pixels) some row labels are left out, and the ones
    // placed are at least a line apart.
    void crowdedRowLabelsDoNotOverlap()
    {
        SensitivityTable table = smallTable();
        const SensitivityUnit first = table.units.front();
        table.units.clear();
        for (int u = 0; u < 40; ++u) {
            SensitivityUnit unit = first;
            unit.block = u / 7;
            table.units.push_back(unit);
        }
        SensitivityHeatmap view;
        view.setTable(table, SensitivityMeasure::Kl);
        view.resize(600, 300);
        view.show();
        QCoreApplication::processEvents();
        view.plot()->replot();
        view.plot()->replot(); // the second layout sees the axis rect's real height
        auto ticker = view.plot()->yAxis->ticker().dynamicCast<QCPAxisTickerText>();
        const QList<double> rows = ticker->ticks().keys();
        QVERIFY2(rows.size() > 3 && rows.size() < 40, qPrintable(QString::number(rows.size())));
        const double lineHeight = QFontMetrics(view.plot()->yAxis->tickLabelFont()).height();
        for (int i = 1; i < rows.size(); ++i)
            QVERIFY(std::abs(view.plot()->yAxis->coordToPixel(rows[i]) - view.plot()->yAxis->coordToPixel(rows[i - 1])) >=
                    lineHeight);
    }

    // Hovering a cell names it, with KL, NLL change and bits per weight.
    void hoverDescribesTheCell()
    {
        const SensitivityTable table = smallTable();
        SensitivityHeatmap view;
        view.setTable(table, SensitivityMeasure::Kl);
        view.setAllocation(allocationOf(table, {2, 1, 2, 0}, 1));
        const QString text = view.describeCell(1, 1);
        QVERIFY2(text.startsWith("model.layers.0.self_attn.k_proj · 3g32: KL 0.01 ± 0.0005 nats"), qPrintable(text));
        QVERIFY2(text.contains("ΔNLL 0.008") && text.contains("3.510 bits per weight") && text.endsWith("(allocated)"),
                 qPrintable(text));
        QVERIFY(!view.describeCell(0, 1).contains("(allocated)"));
        QVERIFY(view.describeCell(4, 0).isEmpty());
        QVERIFY(view.describeCell(0, 3).isEmpty());

        plottest::renderToPng(view, QStringLiteral("sensitivityheatmap-hover"));
        QSignalSpy hovered(&view, &SensitivityHeatmap::cellHovered);
        QTest::mouseMove(view.plot(), view.plot()->mapFrom(&view, cellCentre(view, 3, 0)));
        QCOMPARE(hovered.count(), 1);
        QCOMPARE(hovered.front().at(0).toInt(), 3);
        QCOMPARE(hovered.front().at(1).toInt(), 0);
        QCOMPARE(view.readoutText(), view.describeCell(3, 0));
    }

    void clearShowsTheHint()
    {
        SensitivityHeatmap view;
        view.setTable(smallTable(), SensitivityMeasure::Kl);
        view.clear();
        QVERIFY(!view.hasData());
        QVERIFY(!view.colorMap()->visible());
        QVERIFY(!view.allocationCurve()->visible());
        const QImage image = plottest::renderToPng(view, QStringLiteral("sensitivityheatmap-empty"));
        QVERIFY(plottest::pixelsUnlike(image, image.pixel(2, 2)) > 0); // the hint is drawn
    }
};

QTEST_MAIN(TestSensitivityHeatmap)
#include "test_sensitivityheatmap.moc"
