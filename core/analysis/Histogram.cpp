#include "analysis/Histogram.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace salience {
namespace {

// More bins than any plot can show; guards the allocation against a typo.
constexpr int maxBins = 1 << 24;

} // namespace

int64_t Histogram::binnedCount() const
{
    int64_t total = 0;
    for (int64_t c : counts)
        total += c;
    return total;
}

Histogram histogram(const float* data, size_t n, int bins, std::optional<HistogramRange> range)
{
    if (bins < 1 || bins > maxBins)
        throw InputError("histogram", "the number of bins must be between 1 and " +
                                          std::to_string(maxBins) + " (got " +
                                          std::to_string(bins) + ")");
    if (n > 0 && data == nullptr)
        throw InputError("histogram", "no data for " + std::to_string(n) + " values");
    if (range && !(std::isfinite(range->low) && std::isfinite(range->high) &&
                   range->low < range->high))
        throw InputError("histogram", "the range must be finite with low < high (got [" +
                                          std::to_string(range->low) + ", " +
                                          std::to_string(range->high) + "])");

    Histogram h;
    double low = 0.0, high = 1.0;
    if (range) {
        low = range->low;
        high = range->high;
    } else {
        bool any = false;
        double lo = 0.0, hi = 0.0;
        for (size_t i = 0; i < n; ++i) {
            const float v = data[i];
            if (!std::isfinite(v))
                continue;
            if (!any) {
                lo = hi = v;
                any = true;
            } else {
                lo = std::min(lo, double(v));
                hi = std::max(hi, double(v));
            }
        }
        if (any) {
            low = lo;
            high = hi;
            if (low == high) {
                low -= 0.5;
                high += 0.5;
            }
        }
    }

    h.edges.resize(size_t(bins) + 1);
    const double width = (high - low) / bins; // floats span at most ~6.8e38: finite in double
    for (int i = 0; i <= bins; ++i)
        h.edges[size_t(i)] = low + width * i;
    h.edges.back() = high; // exact, whatever the rounding of low + width * bins
    h.counts.assign(size_t(bins), 0);

    const double scale = bins / (high - low);
    for (size_t i = 0; i < n; ++i) {
        const double v = data[i];
        if (std::isnan(v)) {
            ++h.nanCount;
        } else if (std::isinf(v)) {
            ++(v > 0 ? h.posInfCount : h.negInfCount);
        } else if (v < low) {
            ++h.belowRange;
        } else if (v > high) {
            ++h.aboveRange;
        } else {
            // Clamp: v == high belongs to the last bin, and rounding may land one past it.
            const auto bin = std::min<int64_t>(int64_t((v - low) * scale), bins - 1);
            ++h.counts[size_t(bin)];
        }
    }
    return h;
}

Histogram histogram(const Matrix& values, int bins, std::optional<HistogramRange> range)
{
    return histogram(values.data(), size_t(values.size()), bins, range);
}

std::vector<double> logCounts(const Histogram& histogram)
{
    std::vector<double> out(histogram.counts.size());
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = std::log10(1.0 + double(histogram.counts[i]));
    return out;
}

} // namespace salience
