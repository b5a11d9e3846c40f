#pragma once
// Histograms of weights or activations for display: equal-width bins over a range, with the
// values that do not belong in any bin (NaN, ±Inf, outside an explicit range) counted apart.
#include "tensor/Tensor.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace salience {

struct HistogramRange {
    double low = 0.0;
    double high = 1.0;
};

struct Histogram {
    std::vector<double> edges;   // bins + 1 increasing edges; bin i is [edges[i], edges[i+1])
    std::vector<int64_t> counts; // bins; the last bin also holds values equal to its upper edge
    int64_t nanCount = 0;
    int64_t posInfCount = 0;
    int64_t negInfCount = 0;
    int64_t belowRange = 0; // finite values under an explicit range's low edge
    int64_t aboveRange = 0; // finite values over an explicit range's high edge

    int bins() const { return int(counts.size()); }
    int64_t binnedCount() const;
};

// `bins` equal-width bins over `range`, or over [min, max] of the finite values when no range
// is given (widened to [v - 0.5, v + 0.5] when every finite value is v, and [0, 1] when there
// is none). Throws InputError for bins < 1 or absurdly many, a range that is not finite with
// low < high, or null data with n > 0.
Histogram histogram(const float* data, size_t n, int bins,
                    std::optional<HistogramRange> range = std::nullopt);
Histogram histogram(const Matrix& values, int bins,
                    std::optional<HistogramRange> range = std::nullopt);

// log10(1 + count) per bin, for log-scaled plots where empty bins must stay drawable at 0.
std::vector<double> logCounts(const Histogram& histogram);

} // namespace salience
