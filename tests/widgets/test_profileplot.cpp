// ProfilePlot: series as graphs, marked indices, log axis, clear, rendering.
#include "PlotTestSupport.h"
#include "ProfilePlot.h"

#include <qcustomplot.h>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace salience;
using namespace salience::widgets;

namespace {

// Per-channel abs-max and RMS of seeded activations with a few outlier channels.
QVector<ProfileSeries> channelProfiles(int channels, const std::vector<int>& outliers)
{
    std::mt19937 rng(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> absMax(size_t(channels), 0.0);
    std::vector<double> sumSq(size_t(channels), 0.0);
    constexpr int tokens = 64;
    for (int t = 0; t < tokens; ++t)
        for (int c = 0; c < channels; ++c) {
            double x = normal(rng);
            if (std::find(outliers.begin(), outliers.end(), c) != outliers.end())
                x = 40.0 + 2.0 * x;
            absMax[size_t(c)] = std::max(absMax[size_t(c)], std::abs(x));
            sumSq[size_t(c)] += x * x;
        }
    std::vector<double> rms(static_cast<size_t>(channels));
    for (int c = 0; c < channels; ++c)
        rms[size_t(c)] = std::sqrt(sumSq[size_t(c)] / tokens);
    return {ProfileSeries{QStringLiteral("abs-max"), absMax, QColor()},
            ProfileSeries{QStringLiteral("RMS"), rms, QColor()}};
}

} // namespace

class TestProfilePlot : public QObject {
    Q_OBJECT
private slots:
    void holdsTheSeries()
    {
        ProfilePlot plot;
        const QVector<ProfileSeries> series{
            {QStringLiteral("a"), {1.0, 2.0, 3.0, 0.5}, QColor(Qt::darkGreen)},
            {QStringLiteral("b"), {4.0, std::numeric_limits<double>::quiet_NaN(), 1.0}, QColor()}};
        plot.setSeries(series);
        QVERIFY(plot.hasData());
        QCOMPARE(plot.plot()->graphCount(), 2);
        QCPGraph* a = plot.seriesGraph(0);
        QCPGraph* b = plot.seriesGraph(1);
        QCOMPARE(a->name(), QStringLiteral("a"));
        QCOMPARE(a->dataCount(), 4);
        QCOMPARE(b->dataCount(), 3);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(a->data()->at(i)->key, double(i));
            QCOMPARE(a->data()->at(i)->value, series[0].values[size_t(i)]);
        }
        QVERIFY(std::isnan(b->data()->at(1)->value)); // a gap, not a zero
        QCOMPARE(a->pen().color(), QColor(Qt::darkGreen));
        QCOMPARE(b->pen().color(), seriesColor(PlotTheme::Light, 1)); // the theme's second colour
        QVERIFY(plot.plot()->legend->hasItemWithPlottable(a));
        // The value axis starts at 0 and shows the largest value, 4.
        QCOMPARE(plot.plot()->yAxis->range().lower, 0.0);
        QVERIFY(plot.plot()->yAxis->range().upper > 4.0);
        QVERIFY(plot.plot()->xAxis->range().lower < 0.0);
        QVERIFY(plot.plot()->xAxis->range().upper > 3.0);
        QCOMPARE(plot.describeIndex(2), QStringLiteral("index 2: a = 3, b = 1"));
        QVERIFY(plot.describeIndex(4).isEmpty());
    }

    void marksIndices()
    {
        ProfilePlot plot;
        plot.setSeries({{QStringLiteral("abs-max"), {1.0, 9.0, 2.0, 8.0, 1.0}, QColor()},
                        {QStringLiteral("RMS"), {0.5, 3.0, 2.5, 1.0, 0.2}, QColor()}});
        // Out-of-range and duplicate indices are dropped; the rest are sorted.
        plot.setMarked({3, 1, 2, 7, -1, 3}, QStringLiteral("outlier channels"));
        QCOMPARE(plot.marked(), (std::vector<int64_t>{1, 2, 3}));
        QCPGraph* marked = plot.markedGraph();
        QVERIFY(marked);
        QCOMPARE(marked->name(), QStringLiteral("outlier channels"));
        QVERIFY(plot.plot()->legend->hasItemWithPlottable(marked));
        QCOMPARE(marked->dataCount(), 3);
        // Each marker sits on the larger of the two series at its index.
        QCOMPARE(marked->data()->at(0)->key, 1.0);
        QCOMPARE(marked->data()->at(0)->value, 9.0);
        QCOMPARE(marked->data()->at(1)->value, 2.5);
        QCOMPARE(marked->data()->at(2)->value, 8.0);
        QCOMPARE(marked->lineStyle(), QCPGraph::lsNone);
        QCOMPARE(plot.markerLineCount(), 3);
        QCOMPARE(plot.describeIndex(3),
                 QStringLiteral("index 3: abs-max = 8, RMS = 1 (outlier channels)"));

        // New series keep the marks, re-placed on the new values.
        plot.setSeries({{QStringLiteral("x"), {0.0, 5.0, 6.0}, QColor()}});
        QCOMPARE(plot.marked(), (std::vector<int64_t>{1, 2}));
        QCOMPARE(plot.markedGraph()->data()->at(1)->value, 6.0);

        plot.setMarked({}, QString());
        QVERIFY(!plot.markedGraph());
        QCOMPARE(plot.markerLineCount(), 0);
        QCOMPARE(plot.plot()->graphCount(), 1);
    }

    void manyMarksCapTheLines()
    {
        ProfilePlot plot;
        plot.setSeries({{QStringLiteral("v"), std::vector<double>(2000, 1.0), QColor()}});
        std::vector<int64_t> every(1000);
        for (int i = 0; i < 1000; ++i)
            every[size_t(i)] = 2 * i;
        plot.setMarked(every, QStringLiteral("many"));
        QCOMPARE(plot.markedGraph()->dataCount(), 1000);
        QCOMPARE(plot.markerLineCount(), ProfilePlot::kMaxMarkerLines);
    }

    void logAxis()
    {
        ProfilePlot plot;
        plot.setSeries({{QStringLiteral("v"), {0.0, 0.01, 100.0}, QColor()}});
        plot.setLogY(true);
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        // From below the smallest positive value to above the largest; the zero is left out.
        QVERIFY(plot.plot()->yAxis->range().lower > 0.0);
        QVERIFY(plot.plot()->yAxis->range().lower < 0.01);
        QVERIFY(plot.plot()->yAxis->range().upper > 100.0);
        plot.setLogY(false);
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(plot.plot()->yAxis->range().lower, 0.0);
    }

    void impulses()
    {
        ProfilePlot plot;
        plot.setSeries({{QStringLiteral("v"), {1.0, 2.0}, QColor()}});
        plot.setDrawStyle(ProfileStyle::Impulses);
        QCOMPARE(plot.seriesGraph(0)->lineStyle(), QCPGraph::lsImpulse);
        QCOMPARE(plot.seriesGraph(0)->dataCount(), 2);
    }

    void clearRemovesEverything()
    {
        ProfilePlot plot;
        plot.setSeries({{QStringLiteral("v"), {1.0, 2.0, 3.0}, QColor()}});
        plot.setMarked({1}, QStringLiteral("m"));
        plot.clear();
        QVERIFY(!plot.hasData());
        QCOMPARE(plot.plot()->graphCount(), 0);
        QCOMPARE(plot.markerLineCount(), 0);
        QVERIFY(!plot.markedGraph());
        QVERIFY(!plot.plot()->legend->visible());
        const QImage image = plottest::renderToPng(plot, QStringLiteral("profile_cleared"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 0);
    }

    void renders()
    {
        const std::vector<int> outliers{37, 200, 201, 650};
        ProfilePlot plot;
        plot.setTitle(QStringLiteral("blk.3.attn_q input: per-channel statistics"));
        plot.setAxisLabels(QStringLiteral("Input channel"), QStringLiteral("|x|"));
        plot.setSeries(channelProfiles(768, outliers));
        plot.setMarked({37, 200, 201, 650}, QStringLiteral("Outlier channels (4)"));
        QImage image = plottest::renderToPng(plot, QStringLiteral("profile_lines"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 10000);

        plot.setLogY(true);
        image = plottest::renderToPng(plot, QStringLiteral("profile_lines_log"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 10000);

        plot.setLogY(false);
        plot.setDrawStyle(ProfileStyle::Impulses);
        plot.setTheme(PlotTheme::Dark);
        image = plottest::renderToPng(plot, QStringLiteral("profile_impulses_dark"));
        const QColor dark = plotPalette(PlotTheme::Dark).background;
        QCOMPARE(QColor(image.pixel(2, 2)), dark);
        QVERIFY(plottest::pixelsUnlike(image, dark) > 10000);
        QCOMPARE(plot.markedGraph()->scatterStyle().pen().color(),
                 plotPalette(PlotTheme::Dark).highlight);
    }
};

QTEST_MAIN(TestProfilePlot)
#include "test_profileplot.moc"
