// HeatmapView: max-|x| pooling for display, the colour map it holds, axes in original
// coordinates, log scale, clear, and rendering.
#include "ElidedTitle.h"
#include "HeatmapView.h"
#include "MaxAbsPooling.h"
#include "PlotTestSupport.h"

#include <qcustomplot.h>

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace salience;
using namespace salience::widgets;

namespace {

// Block [r0, r1) × [c0, c1) of m: the element of largest |x| (first one on ties).
float largestMagnitude(const Matrix& m, int64_t r0, int64_t r1, int64_t c0, int64_t c1)
{
    float best = 0.0f;
    float bestAbs = -1.0f;
    for (int64_t r = r0; r < std::min(r1, int64_t(m.rows())); ++r)
        for (int64_t c = c0; c < std::min(c1, int64_t(m.cols())); ++c)
            if (std::abs(m(r, c)) > bestAbs) {
                bestAbs = std::abs(m(r, c));
                best = m(r, c);
            }
    return best;
}

QCPItemText* visibleHint(QCustomPlot* plot)
{
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)); text && text->visible())
            return text;
    return nullptr;
}

} // namespace

class TestHeatmapView : public QObject {
    Q_OBJECT
private slots:
    // A title longer than the plot is wide is elided; the axes stay inside the widget.
    void longTitlesAreElidedNotCut()
    {
        HeatmapView view;
        const QString title = QStringLiteral("Scales per group (4-bit asymmetric, per-group g=128, one float16 "
                                             "scale and one zero point per group of 128 input columns)");
        view.setMatrix(salience::Matrix::Ones(40, 4), title, HeatmapMode::Magnitude);
        view.resize(360, 260);
        view.show();
        QCoreApplication::processEvents();
        view.plot()->replot();
        auto* element = qobject_cast<QCPTextElement*>(view.plot()->plotLayout()->element(0, 0));
        QVERIFY(element);
        QCOMPARE(element->text(), title); // the whole title is kept
        auto* elided = dynamic_cast<salience::widgets::ElidedTitle*>(element);
        QVERIFY(elided);
        const QString shown = elided->shownText(element->rect().width());
        QVERIFY2(shown.endsWith(QChar(0x2026)) && shown.size() < title.size(), qPrintable(shown));
        QVERIFY(shown.startsWith(QStringLiteral("Scales per group")));
        const QRect axes = view.plot()->axisRect()->outerRect();
        QVERIFY2(axes.left() >= 0 && axes.right() <= view.plot()->width(),
                 qPrintable(QString("axes %1..%2 in a plot %3 wide").arg(axes.left()).arg(axes.right()).arg(view.plot()->width())));
        // Wide enough, the whole title shows.
        view.resize(1400, 260);
        QCoreApplication::processEvents();
        view.plot()->replot();
        QCOMPARE(elided->shownText(element->rect().width()), title);
    }

    void poolsLargeMatrixToBlockMaxima()
    {
        // 1500 × 700 with 512 cells at most: blocks of ceil(1500/512) = 3 rows and
        // ceil(700/512) = 2 columns, so 500 × 350 display cells.
        Matrix w = plottest::gaussianMatrix(1500, 700, 0.02f, 1);
        w(1234, 77) = -3.5f; // a single outlier must survive the pooling
        HeatmapView view;
        view.setMatrix(w, QStringLiteral("W"), HeatmapMode::Magnitude);
        QCPColorMapData* data = view.colorMap()->data();
        QCOMPARE(data->keySize(), 350);
        QCOMPARE(data->valueSize(), 500);
        QCOMPARE(view.pooled().blockRows, int64_t(3));
        QCOMPARE(view.pooled().blockCols, int64_t(2));
        for (int r = 0; r < 500; ++r)
            for (int c = 0; c < 350; ++c) {
                const float expected =
                    std::abs(largestMagnitude(w, 3 * r, 3 * r + 3, 2 * c, 2 * c + 2));
                QCOMPARE(data->cell(c, r), double(expected));
            }
        // The outlier's cell, found through the plot's own coordinates (original row, col).
        int key = -1, value = -1;
        data->coordToCell(77, 1234, &key, &value);
        QCOMPARE(key, 77 / 2);
        QCOMPARE(value, 1234 / 3);
        QCOMPARE(data->cell(key, value), 3.5);
        QCOMPARE(view.colorMap()->dataRange().upper, 3.5);
        QCOMPARE(view.colorMap()->dataRange().lower, 0.0);

        // Axes in original row/column numbers, row 0 at the top.
        QCOMPARE(view.plot()->xAxis->range().lower, -0.5);
        QCOMPARE(view.plot()->xAxis->range().upper, 699.5);
        QCOMPARE(view.plot()->yAxis->range().upper, 1499.5);
        QVERIFY(view.plot()->yAxis->rangeReversed());
        double x = 0, y = 0;
        data->cellToCoord(349, 499, &x, &y);
        QCOMPARE(x, 349 * 2 + 0.5); // centre of columns 698..699
        QCOMPARE(y, 499 * 3 + 1.0); // centre of rows 1497..1499
    }

    void signedModeKeepsTheSignOfTheLargest()
    {
        Matrix w = plottest::gaussianMatrix(1030, 600, 1.0f, 2);
        HeatmapView view;
        view.setMatrix(w, QStringLiteral("W"), HeatmapMode::Signed);
        QCPColorMapData* data = view.colorMap()->data();
        // ceil(1030/512) = 3 → 344 rows (the last block holds one row); ceil(600/512) = 2 → 300.
        QCOMPARE(data->valueSize(), 344);
        QCOMPARE(data->keySize(), 300);
        bool sawNegative = false;
        double maxAbs = 0;
        for (int r = 0; r < 344; ++r)
            for (int c = 0; c < 300; ++c) {
                const float expected = largestMagnitude(w, 3 * r, 3 * r + 3, 2 * c, 2 * c + 2);
                QCOMPARE(data->cell(c, r), double(expected));
                sawNegative = sawNegative || expected < 0;
                maxAbs = std::max(maxAbs, double(std::abs(expected)));
            }
        QVERIFY(sawNegative);
        // The colour range is symmetric around zero, and zero is (nearly) white.
        QCOMPARE(view.colorMap()->dataRange().lower, -maxAbs);
        QCOMPARE(view.colorMap()->dataRange().upper, maxAbs);
        const QColor zero = QColor::fromRgb(
            view.colorMap()->gradient().color(0.0, view.colorMap()->dataRange()));
        QVERIFY2(zero.red() > 235 && zero.green() > 235 && zero.blue() > 235,
                 qPrintable(zero.name()));
        const QColor negative = QColor::fromRgb(
            view.colorMap()->gradient().color(-maxAbs, view.colorMap()->dataRange()));
        QVERIFY(negative.blue() > negative.red());
        const QColor positive = QColor::fromRgb(
            view.colorMap()->gradient().color(maxAbs, view.colorMap()->dataRange()));
        QVERIFY(positive.red() > positive.blue());
    }

    void smallMatrixIsShownCellForCell()
    {
        Matrix w(2, 3);
        w << 1.0f, -2.0f, 0.5f, //
            0.0f, 4.0f, -8.0f;
        HeatmapView view;
        view.setMatrix(w, QStringLiteral("small"), HeatmapMode::Magnitude);
        QCPColorMapData* data = view.colorMap()->data();
        QCOMPARE(data->keySize(), 3);
        QCOMPARE(data->valueSize(), 2);
        QCOMPARE(data->cell(1, 0), 2.0);
        QCOMPARE(data->cell(2, 1), 8.0);
        QCOMPARE(view.describeCell(1, 2), QStringLiteral("row 1, column 2: |x| = 8"));
        view.setMatrix(w, QStringLiteral("small"), HeatmapMode::Signed);
        QCOMPARE(view.colorMap()->data()->cell(2, 1), -8.0);
        QCOMPARE(view.describeCell(0, 1), QStringLiteral("row 0, column 1: x = -2"));
        QVERIFY(view.describeCell(2, 0).isEmpty());
        QVERIFY(view.describeCell(0, -1).isEmpty());
    }

    void singleRowStillHasWidth()
    {
        // A bias-like 1 × 5 vector: QCPColorMap gives a single cell no height, so it is stored
        // as two equal rows spanning row 0.
        Matrix v(1, 5);
        v << 1, 2, 3, 4, 5;
        HeatmapView view;
        view.setMatrix(v, QString(), HeatmapMode::Magnitude);
        QCPColorMapData* data = view.colorMap()->data();
        QCOMPARE(data->keySize(), 5);
        QCOMPARE(data->valueSize(), 2);
        QCOMPARE(data->cell(4, 0), 5.0);
        QCOMPARE(data->cell(4, 1), 5.0);
        int key = -1, value = -1;
        data->coordToCell(3, 0.0, &key, &value);
        QCOMPARE(key, 3);
        QCOMPARE(view.plot()->yAxis->range().lower, -0.5);
        QCOMPARE(view.plot()->yAxis->range().upper, 0.5);
    }

    void nonFiniteValuesStayReadable()
    {
        Matrix w = Matrix::Constant(4, 4, 0.5f);
        w(0, 0) = std::numeric_limits<float>::quiet_NaN();
        w(1, 1) = std::numeric_limits<float>::infinity();
        w(2, 2) = -2.0f;
        HeatmapView view;
        view.setMatrix(w, QString(), HeatmapMode::Signed);
        // The colour range comes from the finite values; the infinity is drawn at its top.
        QCOMPARE(view.colorMap()->dataRange().upper, 2.0);
        QCOMPARE(view.colorMap()->data()->cell(1, 1), 2.0);
        QVERIFY(std::isnan(view.colorMap()->data()->cell(0, 0)));
        QCOMPARE(view.describeCell(1, 1), QStringLiteral("row 1, column 1: x = +Inf"));
        QCOMPARE(view.describeCell(0, 0), QStringLiteral("row 0, column 0: x = NaN"));
        const QImage image = plottest::renderToPng(view, QStringLiteral("heatmap_nonfinite"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 1000);
    }

    void logScaleIsPositiveAndClampsZeros()
    {
        Matrix w(2, 2);
        w << 0.0f, 1e-3f, 0.1f, 10.0f;
        HeatmapView view;
        view.setLogScale(true);
        view.setMatrix(w, QString(), HeatmapMode::Magnitude);
        QCOMPARE(view.colorScale()->dataScaleType(), QCPAxis::stLogarithmic);
        // Four decades below the maximum at most: 10 · 1e-4 = 1e-3, the smallest positive here.
        QCOMPARE(view.colorMap()->dataRange().lower, double(1e-3f));
        QCOMPARE(view.colorMap()->dataRange().upper, 10.0);
        QCOMPARE(view.colorMap()->data()->cell(0, 0), double(1e-3f)); // 0 drawn at the bottom colour
        QCOMPARE(view.pooled().at(0, 0), 0.0);                // but read out as it is
        view.setLogScale(false);
        QCOMPARE(view.colorScale()->dataScaleType(), QCPAxis::stLinear);
        QCOMPARE(view.colorMap()->data()->cell(0, 0), 0.0);
        QCOMPARE(view.colorMap()->dataRange().lower, 0.0);
    }

    void zoomPanAndReset()
    {
        HeatmapView view;
        view.setMatrix(plottest::gaussianMatrix(64, 128, 1.0f, 3), QString(), HeatmapMode::Signed);
        QVERIFY(view.plot()->interactions().testFlag(QCP::iRangeDrag));
        QVERIFY(view.plot()->interactions().testFlag(QCP::iRangeZoom));
        view.plot()->xAxis->setRange(10, 20);
        view.plot()->yAxis->setRange(5, 6);
        view.resetView();
        QCOMPARE(view.plot()->xAxis->range().lower, -0.5);
        QCOMPARE(view.plot()->xAxis->range().upper, 127.5);
        QCOMPARE(view.plot()->yAxis->range().upper, 63.5);
    }

    void hoverReadsTheCellUnderTheMouse()
    {
        Matrix w(8, 8);
        for (int r = 0; r < 8; ++r)
            for (int c = 0; c < 8; ++c)
                w(r, c) = float(10 * r + c);
        HeatmapView view;
        view.setMatrix(w, QString(), HeatmapMode::Magnitude);
        view.resize(900, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.plot()->replot();
        QSignalSpy hovered(&view, &HeatmapView::cellHovered);
        const QPoint at(int(view.plot()->xAxis->coordToPixel(5)),
                        int(view.plot()->yAxis->coordToPixel(3)));
        QTest::mouseMove(view.plot(), at);
        QTRY_COMPARE(hovered.count(), 1);
        QCOMPARE(hovered.at(0).at(0).toLongLong(), 3LL);
        QCOMPARE(hovered.at(0).at(1).toLongLong(), 5LL);
        QCOMPARE(hovered.at(0).at(2).toDouble(), 35.0);
        QCOMPARE(view.readoutText(), QStringLiteral("row 3, column 5: |x| = 35"));
    }

    void clearShowsTheHint()
    {
        HeatmapView view;
        view.setMatrix(plottest::gaussianMatrix(20, 30, 1.0f, 4), QStringLiteral("W"),
                       HeatmapMode::Magnitude);
        QVERIFY(view.hasData());
        view.clear();
        QVERIFY(!view.hasData());
        QVERIFY(view.colorMap()->data()->isEmpty());
        QVERIFY(!view.colorMap()->visible());
        QCPItemText* hint = visibleHint(view.plot());
        QVERIFY(hint);
        QCOMPARE(hint->text(), QStringLiteral("No data"));
        QVERIFY(view.describeCell(0, 0).isEmpty());
        const QImage image = plottest::renderToPng(view, QStringLiteral("heatmap_cleared"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 0); // the hint is drawn
        // An empty matrix clears too.
        view.setMatrix(Matrix(0, 5), QStringLiteral("empty"), HeatmapMode::Magnitude);
        QVERIFY(!view.hasData());
        // And data comes back after a clear.
        view.setMatrix(plottest::gaussianMatrix(20, 30, 1.0f, 4), QString(), HeatmapMode::Signed);
        QVERIFY(view.colorMap()->visible());
        QCOMPARE(view.colorMap()->data()->keySize(), 30);
        QVERIFY(!visibleHint(view.plot()));
    }

    void rendersInBothThemes()
    {
        // Weights with a few outlier input columns, as LLM weights have.
        Matrix w = plottest::gaussianMatrix(768, 1024, 0.02f, 5);
        for (int c : {17, 300, 301, 777})
            w.col(c) *= 12.0f;
        HeatmapView view;
        view.setAxisLabels(QStringLiteral("Input feature (column)"),
                           QStringLiteral("Output feature (row)"));
        view.setMatrix(w, QStringLiteral("blk.0.ffn_up: |W| (max-pooled 2×2)"),
                       HeatmapMode::Magnitude);
        QImage image = plottest::renderToPng(view, QStringLiteral("heatmap_magnitude"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 100000);

        view.setLogScale(true);
        image = plottest::renderToPng(view, QStringLiteral("heatmap_magnitude_log"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 100000);

        view.setLogScale(false);
        view.setMatrix(w, QStringLiteral("blk.0.ffn_up: W (signed)"), HeatmapMode::Signed);
        image = plottest::renderToPng(view, QStringLiteral("heatmap_signed"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 100000);

        view.setTheme(PlotTheme::Dark);
        image = plottest::renderToPng(view, QStringLiteral("heatmap_signed_dark"));
        QCOMPARE(QColor(image.pixel(2, 2)), plotPalette(PlotTheme::Dark).background);
        QVERIFY(plottest::pixelsUnlike(image, plotPalette(PlotTheme::Dark).background) > 100000);
    }

    void rendersRealWeights()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Matrix w1 = plottest::stories260KW1Layer0();
        QCOMPARE(w1.rows(), 172);
        HeatmapView view;
        view.setAxisLabels(QStringLiteral("Input feature"), QStringLiteral("Hidden unit"));
        view.setMatrix(w1, QStringLiteral("stories260K layers.0.feed_forward.w1"),
                       HeatmapMode::Signed);
        QCOMPARE(view.colorMap()->data()->keySize(), 64);
        QCOMPARE(view.colorMap()->data()->valueSize(), 172);
        QCOMPARE(view.colorMap()->data()->cell(10, 20), double(w1(20, 10)));
        const QImage image = plottest::renderToPng(view, QStringLiteral("heatmap_stories260K_w1"));
        QVERIFY(plottest::pixelsUnlike(image, Qt::white) > 100000);
    }

    void poolingFunctionEdgeCases()
    {
        QVERIFY(maxAbsPool(Matrix(0, 0), 512, false).isEmpty());
        Matrix allNan = Matrix::Constant(4, 4, std::numeric_limits<float>::quiet_NaN());
        allNan(3, 3) = -1.0f;
        const PooledMatrix p = maxAbsPool(allNan, 2, true);
        QCOMPARE(p.rows, 2);
        QCOMPARE(p.cols, 2);
        QVERIFY(std::isnan(p.at(0, 0)));
        QCOMPARE(p.at(1, 1), -1.0);
        // maxCells below 1 is taken as 1: one cell for everything.
        const PooledMatrix one = maxAbsPool(allNan, 0, false);
        QCOMPARE(one.rows, 1);
        QCOMPARE(one.at(0, 0), 1.0);
    }
};

QTEST_MAIN(TestHeatmapView)
#include "test_heatmapview.moc"
