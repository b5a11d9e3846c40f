#pragma once
// Small pieces every plot widget shares: its titled canvas, the centred "No data" hint, a
// legend strip above the axis rect, and compact number formatting for readouts.
#include "PlotTheme.h"

#include <QString>

class QCustomPlot;
class QVBoxLayout;
class QCPItemText;
class QCPTextElement;
class QWidget;
class QLabel;

namespace salience::widgets {

// A text item centred on the whole plot, hidden until shown; the hint of an empty plot.
QCPItemText* addCenteredHint(QCustomPlot* plot, const QString& text);

// A plot as every Salience plot starts: mouse tracking for the readouts, a minimum size, and
// an (empty) title row above the axes, returned in `title`.
QCustomPlot* createTitledPlot(QWidget* parent, QCPTextElement*& title);

// The one-line readout under a plot (what the mouse points at). Its text never widens the
// plot's minimum size: a long readout is clipped instead.
QLabel* createReadoutLabel(QWidget* parent);

// The plot above its readout line, filling `owner`; further rows may be inserted.
QVBoxLayout* stackPlotAndReadout(QWidget* owner, QCustomPlot* plot, QLabel* readout);

// A plot widget's theme as a whole: the plot (applyTheme), the Qt widgets of `owner`
// (applyThemePalette), and the hint and the readout in the muted colour.
void applyPlotWidgetTheme(QWidget* owner, QCustomPlot* plot, QCPItemText* hint, QLabel* readout, PlotTheme theme);

// Moves plot->legend out of the axis rect into a one-line strip above it, so that it never
// covers data. Call once, right after constructing the plot.
void moveLegendAbovePlot(QCustomPlot* plot);

// Sets a plot's title; an empty title takes no room at all (QCPTextElement keeps a line's
// height for empty text).
void setTitleText(QCPTextElement* title, const QString& text);

// Four significant digits ("0.01234", "1.235e+05"); "NaN", "+Inf", "−Inf" spelled out.
QString formatValue(double value);

} // namespace salience::widgets
