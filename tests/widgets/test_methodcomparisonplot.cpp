// MethodComparisonPlot: each method's error per layer as one graph, the legend with bits per
// weight, perplexity and the layers each method wins, weight errors when output errors are
// missing, a method off the budget drawn dotted, block labels, the hover readout.
#include "MethodComparisonPlot.h"
#include "PlotTestSupport.h"

#include <qcustomplot.h>

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace salience;
using namespace salience::widgets;

namespace {

const char* kLayers[] = {"model.layers.0.self_attn.q_proj", "model.layers.0.mlp.down_proj",
                         "model.layers.1.self_attn.q_proj", "model.layers.1.mlp.down_proj"};

// Relative output errors per method (rows) and layer (columns): rtn never wins, awq wins layers
// 0 and 3, gptq layers 1 and 2.
const double kErrors[3][4] = {{0.20, 0.30, 0.25, 0.35}, {0.10, 0.22, 0.21, 0.12}, {0.15, 0.18, 0.11, 0.19}};
const char* kMethods[] = {"rtn", "awq", "gptq"};

CompareResult comparison()
{
    CompareResult r;
    r.target = BudgetTarget{4.0, 0.05};
    PerplexityResult floatPpl;
    floatPpl.perplexity = 4.444;
    r.floatPerplexity = floatPpl;
    const double bits[3] = {4.006, 4.032, 3.991};
    const double ppl[3] = {8.241, 6.134, 7.314};
    for (int m = 0; m < 3; ++m) {
        CompareSummary s;
        s.method = kMethods[m];
        s.recipe.method = kMethods[m];
        s.averageBitsPerWeight = bits[m];
        PerplexityResult p;
        p.perplexity = ppl[m];
        s.perplexity = p;
        BudgetFit fit;
        fit.reached = m != 2; // gptq strayed from its prediction
        fit.reason = "stores 3.991";
        s.budget = fit;
        r.methods.push_back(s);
        for (int l = 0; l < 4; ++l) {
            CompareLayer layer;
            layer.method = kMethods[m];
            layer.name = kLayers[l];
            layer.block = l / 2;
            layer.role = l % 2 == 0 ? LayerRole::Q : LayerRole::Down;
            layer.relativeWeightError = kErrors[m][l] / 2;
            layer.relativeOutputError = kErrors[m][l];
            layer.bitsPerWeight = bits[m];
            r.layers.push_back(layer);
        }
    }
    return r;
}

} // namespace

class TestMethodComparisonPlot : public QObject {
    Q_OBJECT
private slots:
    void oneGraphPerMethodWithItsErrors()
    {
        MethodComparisonPlot plot;
        plot.setComparison(comparison());
        QVERIFY(plot.hasData());
        QVERIFY(plot.showsOutputError());
        QCOMPARE(plot.methodCount(), 3);
        QCOMPARE(plot.layerNames().size(), 4);
        QCOMPARE(plot.layerNames()[1], QString(kLayers[1]));
        for (int m = 0; m < 3; ++m) {
            QCPGraph* graph = plot.methodGraph(m);
            QVERIFY(graph);
            QCOMPARE(graph->dataCount(), 4);
            for (int l = 0; l < 4; ++l) {
                QCOMPARE(graph->data()->at(l)->key, double(l));
                QCOMPARE(graph->data()->at(l)->value, kErrors[m][l]);
            }
        }
        QCOMPARE(plot.wins(), QVector<int>({0, 2, 2}));
        QCOMPARE(plot.legendName(0), QStringLiteral("rtn 4.006 b/w, ppl 8.241, best on 0"));
        QCOMPARE(plot.legendName(1), QStringLiteral("awq 4.032 b/w, ppl 6.134, best on 2"));
        // Off the budget: said in the legend, drawn dotted.
        QVERIFY(plot.legendName(2).endsWith(" (off the budget)"));
        QCOMPARE(plot.methodGraph(2)->pen().style(), Qt::DotLine);
        QCOMPARE(plot.methodGraph(0)->pen().style(), Qt::SolidLine);
        QVERIFY(plot.plot()->yAxis->label().contains("output"));
    }

    // What is drawn: each method's marker sits at its error in its colour.
    void drawsEachMethodWhereItsErrorIs()
    {
        MethodComparisonPlot plot;
        plot.setComparison(comparison());
        const QImage image = plottest::renderToPng(plot, QStringLiteral("methodcomparisonplot"));
        QVERIFY(plottest::pixelsUnlike(image, image.pixel(2, 2)) > 2000);
        for (int m = 0; m < 3; ++m)
            for (int l = 0; l < 4; ++l) {
                const QCustomPlot* p = plot.plot();
                const QPoint at = p->mapTo(&plot, QPoint(int(std::lround(p->xAxis->coordToPixel(l))),
                                                         int(std::lround(p->yAxis->coordToPixel(kErrors[m][l])))));
                const QColor drawn(image.pixel(at));
                const QColor expected = plot.methodGraph(m)->pen().color();
                QVERIFY2(std::abs(drawn.red() - expected.red()) < 12 && std::abs(drawn.green() - expected.green()) < 12 &&
                             std::abs(drawn.blue() - expected.blue()) < 12,
                         qPrintable(QString("%1 at layer %2: %3, expected %4").arg(kMethods[m]).arg(l).arg(drawn.name(), expected.name())));
            }
        // Blocks name the x axis.
        auto ticker = plot.plot()->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().values(), QList<QString>({"Block 0", "Block 1"}));
        QCOMPARE(ticker->ticks().keys(), QList<double>({0.5, 2.5}));
    }

    // A layer without an output error (no activations for it) makes every method show weight errors.
    void weightErrorsWhenOutputErrorsAreMissing()
    {
        CompareResult r = comparison();
        r.layers[5].relativeOutputError.reset();
        MethodComparisonPlot plot;
        plot.setComparison(r);
        QVERIFY(!plot.showsOutputError());
        QCOMPARE(plot.error(1, 2), kErrors[1][2] / 2);
        QVERIFY(plot.plot()->yAxis->label().contains("weight"));
    }

    void hoverNamesTheBestMethod()
    {
        MethodComparisonPlot plot;
        plot.setComparison(comparison());
        QCOMPARE(plot.describeLayer(2), QStringLiteral("model.layers.1.self_attn.q_proj: rtn 0.25, awq 0.21, gptq 0.11 (best)"));
        QVERIFY(plot.describeLayer(4).isEmpty());
        plottest::renderToPng(plot, QStringLiteral("methodcomparisonplot-hover"));
        QSignalSpy hovered(&plot, &MethodComparisonPlot::layerHovered);
        const QCustomPlot* p = plot.plot();
        QTest::mouseMove(plot.plot(), QPoint(int(p->xAxis->coordToPixel(3)), int(p->yAxis->coordToPixel(0.1))));
        QCOMPARE(hovered.count(), 1);
        QCOMPARE(hovered.front().at(0).toInt(), 3);
        QCOMPARE(plot.readoutText(), plot.describeLayer(3));
    }

    void logScaleAndClear()
    {
        MethodComparisonPlot plot;
        plot.setComparison(comparison());
        plot.setLogY(true);
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(plot.plot()->yAxis->range().lower > 0);
        QVERIFY(plot.plot()->yAxis->range().lower < 0.10 && plot.plot()->yAxis->range().upper > 0.35);
        plot.clear();
        QVERIFY(!plot.hasData());
        QCOMPARE(plot.plot()->graphCount(), 0);
        QVERIFY(!plot.plot()->legend->visible());
    }
};

QTEST_MAIN(TestMethodComparisonPlot)
#include "test_methodcomparisonplot.moc"
