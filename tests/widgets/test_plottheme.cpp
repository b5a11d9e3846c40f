// PlotTheme: the two palettes differ where it matters, and applyTheme reaches every axis,
// colour scale, legend and title of a plot.
#include "PlotTheme.h"

#include <qcustomplot.h>

#include <QTest>

using namespace salience::widgets;

class TestPlotTheme : public QObject {
    Q_OBJECT
private slots:
    void palettesContrast()
    {
        const PlotPalette light = plotPalette(PlotTheme::Light);
        const PlotPalette dark = plotPalette(PlotTheme::Dark);
        QVERIFY(light.background.lightness() > 200);
        QVERIFY(dark.background.lightness() < 60);
        // Text must stand out from the background in both.
        QVERIFY(light.background.lightness() - light.foreground.lightness() > 150);
        QVERIFY(dark.foreground.lightness() - dark.background.lightness() > 150);
        QVERIFY(light.series.size() >= 4);
        QCOMPARE(seriesColor(PlotTheme::Light, 0), light.series[0]);
        QCOMPARE(seriesColor(PlotTheme::Light, int(light.series.size())), light.series[0]);
        QVERIFY(axisLabelFont().pointSizeF() >= 10.0);
        QVERIFY(tickLabelFont().pointSizeF() >= 10.0);
    }

    void appliesToEveryPart()
    {
        QCustomPlot plot;
        auto* title = new QCPTextElement(&plot, QStringLiteral("t"));
        plot.plotLayout()->insertRow(0);
        plot.plotLayout()->addElement(0, 0, title);
        auto* scale = new QCPColorScale(&plot);
        plot.plotLayout()->addElement(1, 1, scale);
        applyTheme(&plot, PlotTheme::Dark);
        const PlotPalette dark = plotPalette(PlotTheme::Dark);
        QCOMPARE(QColor(plot.toPixmap(200, 150).toImage().pixel(1, 1)), dark.background);
        for (QCPAxis* axis : plot.axisRect()->axes()) {
            QCOMPARE(axis->tickLabelColor(), dark.foreground);
            QCOMPARE(axis->labelColor(), dark.foreground);
            QCOMPARE(axis->basePen().color(), dark.foreground);
            QCOMPARE(axis->labelFont().pointSizeF(), axisLabelFont().pointSizeF());
        }
        QCOMPARE(scale->axis()->tickLabelColor(), dark.foreground);
        QCOMPARE(title->textColor(), dark.foreground);
        QCOMPARE(plot.legend->textColor(), dark.foreground);
        applyTheme(&plot, PlotTheme::Light);
        QCOMPARE(plot.xAxis->tickLabelColor(), plotPalette(PlotTheme::Light).foreground);
        applyTheme(nullptr, PlotTheme::Light); // harmless
    }
};

QTEST_MAIN(TestPlotTheme)
#include "test_plottheme.moc"
