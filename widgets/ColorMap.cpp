#include "ColorMap.h"

#include <qcustomplot.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace salience::widgets {

QColor viridis(double t)
{
    // Nine anchor colours of matplotlib's viridis, linearly interpolated.
    static constexpr std::array<std::array<int, 3>, 9> anchors{{{68, 1, 84},
                                                                {71, 44, 122},
                                                                {59, 81, 139},
                                                                {44, 113, 142},
                                                                {33, 144, 141},
                                                                {39, 173, 129},
                                                                {92, 200, 99},
                                                                {170, 220, 50},
                                                                {253, 231, 37}}};
    if (!std::isfinite(t))
        t = 0;
    t = std::clamp(t, 0.0, 1.0) * double(anchors.size() - 1);
    const size_t i = std::min(size_t(t), anchors.size() - 2);
    const double f = t - double(i);
    auto mix = [&](int c) { return int(std::lround(anchors[i][c] * (1 - f) + anchors[i + 1][c] * f)); };
    return QColor(mix(0), mix(1), mix(2));
}

QCPColorGradient viridisGradient()
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    constexpr int kStops = 16;
    for (int i = 0; i <= kStops; ++i) {
        const double t = double(i) / kStops;
        gradient.setColorStopAt(t, viridis(t));
    }
    gradient.setLevelCount(256);
    return gradient;
}

} // namespace salience::widgets
