#include "ErrorScale.h"

#include <algorithm>
#include <cmath>

namespace salience::widgets {

namespace {
constexpr double kSmallError = 0.003; // about 8-bit round to nearest: plainly fine
constexpr double kLargeError = 1.0;   // as large as the weight itself: broken
} // namespace

double errorScalePosition(double relativeError)
{
    if (std::isnan(relativeError) || relativeError <= kSmallError)
        return 0.0;
    if (relativeError >= kLargeError)
        return 1.0;
    return std::log(relativeError / kSmallError) / std::log(kLargeError / kSmallError);
}

QColor errorColor(double relativeError)
{
    const double t = errorScalePosition(relativeError);
    // Hue 120° (green) down to 0° (red); pastel so black text stays readable on a projector.
    return QColor::fromHsvF(float((1.0 - t) * 120.0 / 360.0), 0.55f, 0.97f);
}

QString formatError(double relativeError)
{
    if (std::isnan(relativeError))
        return QStringLiteral("—");
    if (std::isinf(relativeError))
        return relativeError > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
    // Fixed decimals per decade, so a right-aligned column lines up its digits.
    const double magnitude = std::abs(relativeError);
    if (magnitude == 0)
        return QStringLiteral("0");
    if (magnitude >= 1)
        return QString::number(relativeError, 'f', 2);
    if (magnitude >= 0.01)
        return QString::number(relativeError, 'f', 3);
    if (magnitude >= 0.001)
        return QString::number(relativeError, 'f', 4);
    return QString::number(relativeError, 'e', 1);
}

} // namespace salience::widgets
