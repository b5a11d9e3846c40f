#include "PlotTheme.h"

#include <qcustomplot.h>

#include <QPalette>

namespace salience::widgets {

PlotPalette plotPalette(PlotTheme theme)
{
    PlotPalette p;
    if (theme == PlotTheme::Dark) {
        p.background = QColor(30, 31, 34);
        p.foreground = QColor(230, 230, 230);
        p.muted = QColor(150, 150, 155);
        p.grid = QColor(66, 69, 75);
        p.subGrid = QColor(46, 48, 52);
        p.legendBackground = QColor(40, 42, 46, 230);
        p.legendBorder = QColor(90, 92, 98);
        p.highlight = QColor(255, 85, 85);
        p.nan = QColor(255, 0, 255);
        // Okabe-Ito, lightened a little so thin lines stay visible on a dark background.
        p.series = {QColor(86, 180, 233), QColor(240, 160, 40), QColor(40, 190, 140),
                    QColor(220, 140, 190), QColor(240, 228, 66), QColor(60, 140, 220)};
    } else {
        p.background = Qt::white;
        p.foreground = QColor(30, 30, 30);
        p.muted = QColor(110, 110, 110);
        p.grid = QColor(215, 215, 215);
        p.subGrid = QColor(238, 238, 238);
        p.legendBackground = QColor(255, 255, 255, 230);
        p.legendBorder = QColor(180, 180, 180);
        p.highlight = QColor(214, 39, 40);
        p.nan = QColor(255, 0, 255);
        // Okabe-Ito: distinguishable with the common colour-vision deficiencies.
        p.series = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115),
                    QColor(204, 121, 167), QColor(86, 180, 233), QColor(213, 94, 0)};
    }
    return p;
}

QColor seriesColor(PlotTheme theme, int index)
{
    const PlotPalette p = plotPalette(theme);
    const int n = int(p.series.size());
    return p.series[((index % n) + n) % n];
}

namespace {

QFont sizedFont(double pointSize, bool bold = false)
{
    QFont font;
    font.setPointSizeF(pointSize);
    font.setBold(bold);
    return font;
}

void styleAxis(QCPAxis* axis, const PlotPalette& p)
{
    const QPen axisPen(p.foreground, 1);
    axis->setBasePen(axisPen);
    axis->setTickPen(axisPen);
    axis->setSubTickPen(axisPen);
    axis->setTickLabelColor(p.foreground);
    axis->setLabelColor(p.foreground);
    axis->setTickLabelFont(tickLabelFont());
    axis->setLabelFont(axisLabelFont());
    axis->setSelectedTickLabelFont(tickLabelFont());
    axis->setSelectedLabelFont(axisLabelFont());
    if (QCPGrid* grid = axis->grid()) {
        grid->setPen(QPen(p.grid, 1, Qt::DotLine));
        grid->setSubGridPen(QPen(p.subGrid, 1, Qt::DotLine));
        grid->setZeroLinePen(QPen(p.grid, 1));
    }
}

void styleLegend(QCPLegend* legend, const PlotPalette& p)
{
    // A legend floating over the data needs a box; one in a strip of its own does not.
    const bool floating = qobject_cast<QCPLayoutInset*>(legend->layout()) != nullptr;
    legend->setBrush(floating ? QBrush(p.legendBackground) : QBrush(Qt::NoBrush));
    legend->setBorderPen(floating ? QPen(p.legendBorder) : QPen(Qt::NoPen));
    legend->setTextColor(p.foreground);
    legend->setFont(legendFont());
    legend->setSelectedFont(legendFont());
}

} // namespace

QFont tickLabelFont() { return sizedFont(10); }
QFont axisLabelFont() { return sizedFont(11); }
QFont titleFont() { return sizedFont(12, true); }
QFont legendFont() { return sizedFont(10); }

void applyTheme(QCustomPlot* plot, PlotTheme theme)
{
    if (!plot)
        return;
    const PlotPalette p = plotPalette(theme);
    plot->setBackground(QBrush(p.background));
    const QList<QCPLayoutElement*> elements = plot->plotLayout()->elements(true);
    for (QCPLayoutElement* element : elements) {
        if (auto* rect = qobject_cast<QCPAxisRect*>(element)) {
            rect->setBackground(QBrush(p.background));
            for (QCPAxis* axis : rect->axes())
                styleAxis(axis, p);
        } else if (auto* scale = qobject_cast<QCPColorScale*>(element)) {
            styleAxis(scale->axis(), p);
        } else if (auto* text = qobject_cast<QCPTextElement*>(element)) {
            text->setTextColor(p.foreground);
            text->setFont(titleFont());
        } else if (auto* legend = qobject_cast<QCPLegend*>(element)) {
            styleLegend(legend, p);
        }
    }
    if (plot->legend)
        styleLegend(plot->legend, p);
}

void applyThemeToAxis(QCPAxis* axis, PlotTheme theme)
{
    if (axis)
        styleAxis(axis, plotPalette(theme));
}

void applyThemePalette(QWidget* widget, PlotTheme theme)
{
    if (!widget)
        return;
    const PlotPalette p = plotPalette(theme);
    QPalette palette = widget->palette();
    palette.setColor(QPalette::Window, p.background);
    palette.setColor(QPalette::WindowText, p.foreground);
    palette.setColor(QPalette::Base, p.background);
    palette.setColor(QPalette::Text, p.foreground);
    widget->setPalette(palette);
    widget->setAutoFillBackground(true);
}

} // namespace salience::widgets
