#pragma once
// Light and dark looks shared by every plot, with fonts large enough to read on a projector.
#include <QColor>
#include <QFont>
#include <QVector>

class QCPAxis;
class QCustomPlot;
class QWidget;

namespace salience::widgets {

enum class PlotTheme { Light, Dark };

struct PlotPalette {
    QColor background;
    QColor foreground; // axes, tick labels, text
    QColor muted;      // hints, secondary text
    QColor grid;
    QColor subGrid;
    QColor legendBackground;
    QColor legendBorder;
    QColor highlight;  // marked indices (outliers) and the rank marker
    QColor nan;        // non-finite cells of a heatmap
    QVector<QColor> series; // default colours of successive series, colour-blind friendly
};

PlotPalette plotPalette(PlotTheme theme);

// The default colour of series `index` (cycles through the palette's series).
QColor seriesColor(PlotTheme theme, int index);

// Point sizes chosen for a projector: tick labels 10, axis labels 11, titles 12 bold.
QFont tickLabelFont();
QFont axisLabelFont();
QFont titleFont();
QFont legendFont();

// Colours and fonts of the plot's background, every axis (axis rects and colour scales),
// grid, legend and title element. Plottables and items keep their own colours: each widget
// recolours its own after calling this.
void applyTheme(QCustomPlot* plot, PlotTheme theme);

// The same for one axis, for parts that are not in the plot's layout at the moment (a colour
// scale taken out while a plot is empty).
void applyThemeToAxis(QCPAxis* axis, PlotTheme theme);

// Background and text colours of the plain Qt widgets around a plot (labels, readouts).
void applyThemePalette(QWidget* widget, PlotTheme theme);

} // namespace salience::widgets
