#pragma once
// One look for relative errors everywhere in the GUI: the same number format and the same
// green (small) to red (large) cell colour in the layer tree and the overview table.
#include <QColor>
#include <QString>

namespace salience::widgets {

// Position of a relative error on a fixed logarithmic scale, 0 at 0.003 and below, 1 at 1.0
// and above. Fixed rather than relative to the data so colours stay comparable between runs.
double errorScalePosition(double relativeError);
// Pastel green → yellow → red at errorScalePosition(e), light enough for black text.
QColor errorColor(double relativeError);
// Fixed decimals by decade: "1.25", "0.091", "0.0040", "1.2e-05", "0"; "∞" for infinity, "—" for NaN.
QString formatError(double relativeError);

} // namespace salience::widgets
