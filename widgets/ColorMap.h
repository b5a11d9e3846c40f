#pragma once
// Perceptually uniform colour maps for heatmaps and the error cells of the layer tree.
#include <QColor>

class QCPColorGradient;

namespace salience::widgets {

// Viridis at t in [0,1] (clamped): dark blue for small, yellow for large.
QColor viridis(double t);

// The same as a 256-level gradient for colour maps.
QCPColorGradient viridisGradient();

} // namespace salience::widgets
