// SpectrumPlot: singular values and cumulative energy, the rank marker moved by setRank and by
// a mouse drag, the energy label, clear, rendering.
#include "PlotTestSupport.h"
#include "SpectrumPlot.h"

#include <qcustomplot.h>

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace salience;
using namespace salience::widgets;

namespace {

// σ = 4, 3, 2, 1, 0.5: energies 16, 9, 4, 1, 0.25 of 30.25.
Spectrum weightSpectrum() { return spectrumFromSingularValues({4.0, 3.0, 2.0, 1.0, 0.5}, 5, 5); }
// σ = 6, 1, 1, 1, 1: energies 36, 1, 1, 1, 1 of 40.
Spectrum scaledSpectrum() { return spectrumFromSingularValues({6.0, 1.0, 1.0, 1.0, 1.0}, 5, 5); }

} // namespace

class TestSpectrumPlot : public QObject {
    Q_OBJECT
private slots:
    void holdsTheSpectra()
    {
        SpectrumPlot plot;
        const Spectrum w = weightSpectrum();
        const Spectrum s = scaledSpectrum();
        plot.setSpectra(w, &s);
        QVERIFY(plot.hasData());
        QVERIFY(plot.hasScaled());
        QCOMPARE(plot.maxRank(), 5);
        QCPGraph* sigma = plot.weightGraph();
        QCOMPARE(sigma->dataCount(), 5);
        QCOMPARE(sigma->data()->at(0)->key, 1.0); // σ₁ at index 1
        QCOMPARE(sigma->data()->at(0)->value, 4.0);
        QCOMPARE(sigma->data()->at(4)->value, 0.5);
        QCOMPARE(plot.scaledGraph()->data()->at(0)->value, 6.0);
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        // Energy at x = k is the share the first k values keep: 0, 16/30.25, 25/30.25, ...
        QCPGraph* energy = plot.weightEnergyGraph();
        QCOMPARE(energy->valueAxis(), plot.plot()->yAxis2);
        QCOMPARE(energy->dataCount(), 6);
        QCOMPARE(energy->data()->at(0)->value, 0.0);
        QCOMPARE(energy->data()->at(2)->value, 25.0 / 30.25);
        QCOMPARE(energy->data()->at(5)->value, 1.0);
        QCOMPARE(plot.scaledEnergyGraph()->data()->at(1)->value, 36.0 / 40.0);
        QCOMPARE(plot.plot()->yAxis2->range().lower, 0.0);
        // 0..1 with a little room above, so that the marks at 1 are not cut.
        QVERIFY(plot.plot()->yAxis2->range().upper >= 1.0);
        QVERIFY(plot.plot()->yAxis2->range().upper <= 1.05);
        QVERIFY(plot.rankText().contains(
            QStringLiteral("W: effective rank %1, stable rank %2")
                .arg(QString::number(w.effectiveRank, 'f', 1))
                .arg(QString::number(30.25 / 16.0, 'f', 2))));

        plot.setNormalized(true);
        QCOMPARE(plot.weightGraph()->data()->at(1)->value, 0.75);
        QCOMPARE(plot.scaledGraph()->data()->at(1)->value, 1.0 / 6.0);
    }

    void defaultRankKeepsNinetyPercent()
    {
        // 16/30.25 = 53%, 25/30.25 = 83%, 29/30.25 = 96%: k = 3.
        SpectrumPlot plot;
        QSignalSpy changed(&plot, &SpectrumPlot::rankChanged);
        plot.setSpectra(weightSpectrum(), nullptr);
        QCOMPARE(plot.rank(), 3);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(plot.energyText(), QStringLiteral("k = 3: 95.9% of W's energy"));
        QVERIFY(!plot.hasScaled());
        QVERIFY(!plot.scaledGraph()->visible());
    }

    void setRankMovesTheMarker()
    {
        SpectrumPlot plot;
        const Spectrum w = weightSpectrum();
        const Spectrum s = scaledSpectrum();
        plot.setSpectra(w, &s);
        QSignalSpy changed(&plot, &SpectrumPlot::rankChanged);
        plot.setRank(2);
        QCOMPARE(plot.rank(), 2);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toInt(), 2);
        QCOMPARE(plot.rankMarker()->start->coords().x(), 2.0);
        QCOMPARE(plot.rankMarker()->end->coords().x(), 2.0);
        // 25/30.25 = 82.6%, 37/40 = 92.5%; and what Spectrum::energyKept says.
        QCOMPARE(plot.energyText(),
                 QStringLiteral("k = 2: 82.6% of W's energy, 92.5% of W\u00b7diag(s)"));
        QCOMPARE(plot.energyText(),
                 QStringLiteral("k = 2: %1% of W's energy, %2% of W\u00b7diag(s)")
                     .arg(QString::number(100 * w.energyKept(2), 'f', 1),
                          QString::number(100 * s.energyKept(2), 'f', 1)));
        plot.setRank(2); // unchanged: no signal
        QCOMPARE(changed.count(), 1);
        plot.setRank(99); // clamped to the number of values
        QCOMPARE(plot.rank(), 5);
        QCOMPARE(plot.energyText(),
                 QStringLiteral("k = 5: 100.0% of W's energy, 100.0% of W\u00b7diag(s)"));
        plot.setRank(-3);
        QCOMPARE(plot.rank(), 0);
        QCOMPARE(plot.energyText(), QStringLiteral("k = 0: 0.0% of W's energy, 0.0% of W\u00b7diag(s)"));
        QCOMPARE(changed.count(), 3);
    }

    void rankSetBeforeDataIsKept()
    {
        SpectrumPlot plot;
        plot.setRank(2);
        plot.setSpectra(weightSpectrum(), nullptr);
        QCOMPARE(plot.rank(), 2);
        plot.setRank(4);
        plot.setSpectra(spectrumFromSingularValues({2.0, 1.0}), nullptr); // fewer values: clamped
        QCOMPARE(plot.rank(), 2);
    }

    void dragMovesTheMarker()
    {
        // 40 values so that neighbouring indices are several pixels apart.
        std::vector<double> sigma(40);
        for (int i = 0; i < 40; ++i)
            sigma[size_t(i)] = std::pow(0.8, i);
        const Spectrum w = spectrumFromSingularValues(sigma, 40, 40);
        SpectrumPlot plot;
        plot.setSpectra(w, nullptr);
        plot.setRank(5);
        plot.resize(900, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.plot()->replot();
        QSignalSpy changed(&plot, &SpectrumPlot::rankChanged);

        QCustomPlot* p = plot.plot();
        const int y = p->axisRect()->center().y();
        auto pixel = [&](double k) { return QPoint(int(std::lround(p->xAxis->coordToPixel(k))), y); };
        QTest::mousePress(p, Qt::LeftButton, Qt::NoModifier, pixel(5));
        QCOMPARE(plot.rank(), 5);
        QTest::mouseMove(p, pixel(12));
        QTRY_COMPARE(plot.rank(), 12);
        QTest::mouseMove(p, pixel(20));
        QTRY_COMPARE(plot.rank(), 20);
        QTest::mouseRelease(p, Qt::LeftButton, Qt::NoModifier, pixel(20));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(1).at(0).toInt(), 20);
        QCOMPARE(plot.rankMarker()->start->coords().x(), 20.0);
        QCOMPARE(plot.energyText(),
                 QStringLiteral("k = 20: %1% of W's energy")
                     .arg(QString::number(100 * w.energyKept(20), 'f', 1)));
        // After the release, moving the mouse no longer drags.
        QTest::mouseMove(p, pixel(30));
        QTest::qWait(20);
        QCOMPARE(plot.rank(), 20);
        // A press elsewhere jumps the marker there.
        QTest::mouseClick(p, Qt::LeftButton, Qt::NoModifier, pixel(33));
        QCOMPARE(plot.rank(), 33);
    }

    void clearEmptiesEverything()
    {
        SpectrumPlot plot;
        const Spectrum w = weightSpectrum();
        plot.setSpectra(w, &w);
        plot.clear();
        QVERIFY(!plot.hasData());
        QCOMPARE(plot.weightGraph()->dataCount(), 0);
        QCOMPARE(plot.scaledEnergyGraph()->dataCount(), 0);
        QVERIFY(plot.energyText().isEmpty());
        QVERIFY(!plot.rankMarker()->visible());
        const QImage image = plottest::renderToPng(plot, QStringLiteral("spectrum_cleared"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 0);
        // An empty spectrum clears as well.
        plot.setSpectra(w, nullptr);
        plot.setSpectra(Spectrum(), nullptr);
        QVERIFY(!plot.hasData());
    }

    void renders()
    {
        // A low-rank-plus-noise weight, and the same weight scaled by activations with a few
        // large channels: the scaled spectrum concentrates its energy in fewer values.
        Matrix w = plottest::gaussianMatrix(256, 192, 0.01f, 21);
        const Matrix u = plottest::gaussianMatrix(256, 8, 1.0f, 22);
        const Matrix v = plottest::gaussianMatrix(8, 192, 0.05f, 23);
        w += u * v;
        std::vector<double> s(192, 1.0);
        for (int c : {5, 90, 150})
            s[size_t(c)] = 20.0;
        const Spectrum weight = spectrum(w);
        const Spectrum scaled = spectrum(w, s);
        SpectrumPlot plot;
        plot.setTitle(QStringLiteral("blk.2.ffn_down: singular spectrum"));
        plot.setSpectra(weight, &scaled);
        plot.setRank(16);
        QImage image = plottest::renderToPng(plot, QStringLiteral("spectrum"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 10000);
        plot.setTheme(PlotTheme::Dark);
        image = plottest::renderToPng(plot, QStringLiteral("spectrum_dark"));
        const QColor dark = plotPalette(PlotTheme::Dark).background;
        QCOMPARE(QColor(image.pixel(2, 2)), dark);
        QVERIFY(plottest::pixelsUnlike(image, dark) > 10000);
        plot.setTheme(PlotTheme::Light);
        plot.setRank(180); // the label goes to the left of the line near the right edge
        image = plottest::renderToPng(plot, QStringLiteral("spectrum_rank_right"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 10000);
    }

    void rendersRealWeights()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Matrix w1 = plottest::stories260KW1Layer0();
        QCOMPARE(w1.cols(), 64);
        const Spectrum weight = spectrum(w1);
        SpectrumPlot plot;
        plot.setTitle(QStringLiteral("stories260K layers.0.feed_forward.w1"));
        plot.setSpectra(weight, nullptr);
        QCOMPARE(plot.weightGraph()->dataCount(), 64);
        plot.setRank(16);
        QCOMPARE(plot.energyText(),
                 QStringLiteral("k = 16: %1% of W's energy")
                     .arg(QString::number(100 * weight.energyKept(16), 'f', 1)));
        const QImage image = plottest::renderToPng(plot, QStringLiteral("spectrum_stories260K_w1"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 10000);
    }
};

QTEST_MAIN(TestSpectrumPlot)
#include "test_spectrumplot.moc"
