// HistogramPlot: bars from a salience::Histogram, log counts, the outside-the-bins summary,
// clear, rendering.
#include "HistogramPlot.h"
#include "PlotTestSupport.h"

#include <qcustomplot.h>

#include <QTest>

#include <cmath>
#include <limits>
#include <random>

using namespace salience;
using namespace salience::widgets;

namespace {

Histogram handMade()
{
    Histogram h;
    h.edges = {-1.0, 0.0, 1.0, 2.0};
    h.counts = {5, 0, 2};
    return h;
}

} // namespace

class TestHistogramPlot : public QObject {
    Q_OBJECT
private slots:
    void barsMatchTheHistogram()
    {
        HistogramPlot plot;
        plot.setHistogram(handMade(), QStringLiteral("weight"));
        QCPBars* bars = plot.bars();
        QCOMPARE(bars->dataCount(), 3);
        QCOMPARE(bars->width(), 1.0);
        QCOMPARE(bars->widthType(), QCPBars::wtPlotCoords);
        const double keys[] = {-0.5, 0.5, 1.5};
        const double heights[] = {5, 0, 2};
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(bars->data()->at(i)->key, keys[i]);
            QCOMPARE(bars->data()->at(i)->value, heights[i]);
        }
        QCOMPARE(plot.plot()->xAxis->label(), QStringLiteral("weight"));
        QCOMPARE(plot.plot()->yAxis->range().lower, 0.0);
        QVERIFY(plot.plot()->yAxis->range().upper >= 5.0);
        QVERIFY(plot.plot()->xAxis->range().lower < -1.0);
        QVERIFY(plot.plot()->xAxis->range().upper > 2.0);
        QCOMPARE(plot.summaryText(), QStringLiteral("7 values in 3 bins of width 1"));
        QCOMPARE(plot.describeBin(0), QStringLiteral("bin 0: [-1, 0): 5 values"));
        QCOMPARE(plot.describeBin(2), QStringLiteral("bin 2: [1, 2]: 2 values"));
        QVERIFY(plot.describeBin(3).isEmpty());
    }

    void barsFromCoreHistogram()
    {
        // Values 0..99 in 10 bins over [0, 100): ten in each, counted by hand.
        std::vector<float> values(100);
        for (int i = 0; i < 100; ++i)
            values[size_t(i)] = float(i);
        const Histogram h = histogram(values.data(), values.size(), 10, HistogramRange{0.0, 100.0});
        HistogramPlot plot;
        plot.setHistogram(h, QStringLiteral("x"));
        QCOMPARE(plot.bars()->dataCount(), 10);
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(plot.bars()->data()->at(i)->key, 10.0 * i + 5.0);
            QCOMPARE(plot.bars()->data()->at(i)->value, 10.0);
        }
        QCOMPARE(plot.bars()->width(), 10.0);
    }

    void logCounts()
    {
        HistogramPlot plot;
        plot.setHistogram(handMade(), QStringLiteral("weight"));
        plot.setLogCounts(true);
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        // Raw counts, drawn from 0.5 so that a single count still shows.
        QCOMPARE(plot.bars()->data()->at(0)->value, 5.0);
        QCOMPARE(plot.bars()->baseValue(), 0.5);
        QCOMPARE(plot.plot()->yAxis->range().lower, 0.5);
        QVERIFY(plot.plot()->yAxis->range().upper >= 10.0);
        plot.setLogCounts(false);
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(plot.bars()->baseValue(), 0.0);
    }

    void summaryListsValuesOutsideTheBins()
    {
        Histogram h = handMade();
        h.nanCount = 3;
        h.posInfCount = 1;
        h.aboveRange = 4;
        HistogramPlot plot;
        plot.setHistogram(h, QStringLiteral("w"));
        QCOMPARE(plot.summaryText(),
                 QStringLiteral("7 values in 3 bins of width 1; not in any bin: NaN: 3, +Inf: 1, "
                                "above range: 4"));
    }

    void inconsistentHistogramClears()
    {
        Histogram h;
        h.edges = {0.0, 1.0};
        h.counts = {1, 2};
        HistogramPlot plot;
        plot.setHistogram(handMade(), QStringLiteral("w"));
        plot.setHistogram(h, QStringLiteral("w"));
        QVERIFY(!plot.hasData());
        QCOMPARE(plot.bars()->dataCount(), 0);
        Histogram decreasing = handMade();
        decreasing.edges = {0.0, 2.0, 1.0, 3.0};
        plot.setHistogram(decreasing, QStringLiteral("w"));
        QVERIFY(!plot.hasData());
        Histogram infinite = handMade();
        infinite.edges.back() = std::numeric_limits<double>::infinity();
        plot.setHistogram(infinite, QStringLiteral("w"));
        QVERIFY(!plot.hasData());
    }

    void clearShowsTheHint()
    {
        HistogramPlot plot;
        plot.setHistogram(handMade(), QStringLiteral("w"));
        plot.clear();
        QVERIFY(!plot.hasData());
        QCOMPARE(plot.bars()->dataCount(), 0);
        QVERIFY(plot.summaryText().isEmpty());
        const QImage image = plottest::renderToPng(plot, QStringLiteral("histogram_cleared"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 0);
    }

    void renders()
    {
        // Heavy-tailed weights: a Gaussian bulk and a few large values.
        Matrix w = plottest::gaussianMatrix(256, 256, 0.02f, 11);
        std::mt19937 rng(12);
        std::uniform_int_distribution<int> pick(0, 255);
        for (int i = 0; i < 40; ++i)
            w(pick(rng), pick(rng)) *= 9.0f;
        const Histogram h = histogram(w, 121);
        HistogramPlot plot;
        plot.setTitle(QStringLiteral("blk.0.attn_q.weight"));
        plot.setHistogram(h, QStringLiteral("Weight value"));
        QImage image = plottest::renderToPng(plot, QStringLiteral("histogram_linear"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 5000);
        plot.setLogCounts(true);
        image = plottest::renderToPng(plot, QStringLiteral("histogram_log"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 5000);
        plot.setTheme(PlotTheme::Dark);
        image = plottest::renderToPng(plot, QStringLiteral("histogram_log_dark"));
        const QColor dark = plotPalette(PlotTheme::Dark).background;
        QCOMPARE(QColor(image.pixel(2, 2)), dark);
        QVERIFY(plottest::pixelsUnlike(image, dark) > 5000);
    }
};

QTEST_MAIN(TestHistogramPlot)
#include "test_histogramplot.moc"
