#include "analysis/WeightStats.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace salience {
namespace {

constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(mid), v.end());
    const double upper = v[mid];
    if (v.size() % 2)
        return upper;
    const double lower = *std::max_element(v.begin(), v.begin() + std::ptrdiff_t(mid));
    return 0.5 * (lower + upper);
}

// Central moments of the finite values, two passes for accuracy.
struct Moments {
    int64_t count = 0;
    double mean = 0.0;
    double m2 = 0.0;
    double m4 = 0.0;

    double excessKurtosis() const { return m2 > 0.0 ? m4 / (m2 * m2) - 3.0 : notANumber; }
};

Moments moments(const float* data, size_t n)
{
    Moments m;
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i)
        if (std::isfinite(data[i])) {
            sum += data[i];
            ++m.count;
        }
    if (m.count == 0)
        return m;
    m.mean = sum / double(m.count);
    for (size_t i = 0; i < n; ++i)
        if (std::isfinite(data[i])) {
            const double d = data[i] - m.mean;
            const double d2 = d * d;
            m.m2 += d2;
            m.m4 += d2 * d2;
        }
    m.m2 /= double(m.count);
    m.m4 /= double(m.count);
    return m;
}

} // namespace

double excessKurtosis(const float* data, size_t n)
{
    if (n > 0 && data == nullptr)
        throw InputError("kurtosis", "no data for " + std::to_string(n) + " values");
    const Moments m = moments(data, n);
    return m.count == 0 ? notANumber : m.excessKurtosis();
}

WeightStats weightStats(const Matrix& W, double outlierColumnFactor)
{
    if (!(std::isfinite(outlierColumnFactor) && outlierColumnFactor > 0.0))
        throw InputError("outlier column factor",
                         "must be a finite positive number (got " +
                             std::to_string(outlierColumnFactor) + ")");
    WeightStats s;
    s.rows = W.rows();
    s.cols = W.cols();
    s.outlierColumnFactor = outlierColumnFactor;
    const size_t rows = size_t(W.rows()), cols = size_t(W.cols());
    s.rowAbsMax.assign(rows, 0.0);
    s.rowL2.assign(rows, 0.0);
    s.rowKurtosis.assign(rows, notANumber);
    s.colAbsMax.assign(cols, 0.0);
    s.colL2.assign(cols, 0.0); // sums of squares until the end

    for (size_t r = 0; r < rows; ++r) {
        const float* row = W.data() + r * cols; // row-major: one row is contiguous
        double sumSq = 0.0, absMax = 0.0;
        for (size_t c = 0; c < cols; ++c) {
            const float v = row[c];
            if (!std::isfinite(v)) {
                ++s.nonFiniteCount;
                continue;
            }
            const double a = std::fabs(double(v));
            sumSq += a * a;
            absMax = std::max(absMax, a);
            s.colL2[c] += a * a;
            s.colAbsMax[c] = std::max(s.colAbsMax[c], a);
        }
        s.rowAbsMax[r] = absMax;
        s.rowL2[r] = std::sqrt(sumSq);
        s.rowKurtosis[r] = excessKurtosis(row, cols);
    }
    for (double& v : s.colL2)
        v = std::sqrt(v);

    const Moments all = moments(W.data(), size_t(W.size()));
    s.mean = all.mean;
    s.std = std::sqrt(all.m2);
    s.kurtosis = all.count == 0 ? notANumber : all.excessKurtosis();
    s.absMax = s.rowAbsMax.empty() ? 0.0 : *std::max_element(s.rowAbsMax.begin(), s.rowAbsMax.end());

    if (all.count > 0) {
        int64_t beyond3 = 0, beyond6 = 0;
        for (Eigen::Index i = 0; i < W.size(); ++i) {
            const float v = W.data()[i];
            if (!std::isfinite(v))
                continue;
            const double d = std::fabs(v - s.mean);
            beyond3 += d > 3.0 * s.std;
            beyond6 += d > 6.0 * s.std;
        }
        s.fractionBeyond3Sigma = double(beyond3) / double(all.count);
        s.fractionBeyond6Sigma = double(beyond6) / double(all.count);
    }

    s.medianColumnAbsMax = median(s.colAbsMax);
    const double threshold = outlierColumnFactor * s.medianColumnAbsMax;
    for (size_t c = 0; c < cols; ++c)
        if (s.colAbsMax[c] > threshold)
            s.outlierColumns.push_back(int64_t(c));
    return s;
}

} // namespace salience
