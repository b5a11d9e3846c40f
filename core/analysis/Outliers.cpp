#include "analysis/Outliers.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <string>

namespace salience {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

void requireNonNegative(double value, const char* name)
{
    if (!(std::isfinite(value) && value >= 0.0))
        throw InputError(name, "must be a finite number >= 0 (got " + std::to_string(value) + ")");
}

// a / b for magnitudes, where a zero denominator means "infinitely larger" unless a is 0 too.
double ratio(double a, double b)
{
    if (b > 0.0)
        return a / b;
    return a > 0.0 ? infinity : 0.0;
}

template <typename T>
double median(std::vector<T> v)
{
    if (v.empty())
        return 0.0;
    const size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(mid), v.end());
    const double upper = double(v[mid]);
    if (v.size() % 2)
        return upper;
    const double lower = double(*std::max_element(v.begin(), v.begin() + std::ptrdiff_t(mid)));
    return 0.5 * (lower + upper);
}

// Larger |value| first; equal magnitudes in row-major order, so results are deterministic.
bool ranksBefore(float a, Eigen::Index ia, float b, Eigen::Index ib)
{
    const float fa = std::fabs(a), fb = std::fabs(b);
    return fa != fb ? fa > fb : ia < ib;
}

} // namespace

MassiveActivationReport massiveActivations(const Matrix& A, double eta, double gamma,
                                           size_t topK)
{
    requireNonNegative(eta, "eta");
    requireNonNegative(gamma, "gamma");
    MassiveActivationReport report;
    report.eta = eta;
    report.gamma = gamma;

    const float* data = A.data();
    const Eigen::Index n = A.size(), d = A.cols();
    std::vector<float> magnitudes;
    magnitudes.reserve(size_t(n));
    double sumAbs = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        if (!std::isfinite(data[i])) {
            ++report.nonFiniteCount;
            continue;
        }
        magnitudes.push_back(std::fabs(data[i]));
        sumAbs += magnitudes.back();
    }
    if (magnitudes.empty())
        return report;
    report.meanAbs = sumAbs / double(magnitudes.size());
    report.medianAbs = median(std::move(magnitudes));

    auto entry = [&](Eigen::Index i) {
        MassiveActivation m;
        m.token = int64_t(i / d);
        m.dim = int64_t(i % d);
        m.value = data[i];
        m.ratioToMedian = ratio(std::fabs(m.value), report.medianAbs);
        m.ratioToMean = ratio(std::fabs(m.value), report.meanAbs);
        return m;
    };

    // Both thresholds are strict; compare in double so large eta·mean does not round.
    const double threshold = std::max(eta * report.meanAbs, gamma);
    std::vector<Eigen::Index> hits;
    // A heap of the topK best seen so far, the worst of them on top.
    auto worseOnTop = [&](Eigen::Index a, Eigen::Index b) { return ranksBefore(data[a], a, data[b], b); };
    std::priority_queue<Eigen::Index, std::vector<Eigen::Index>, decltype(worseOnTop)> best(worseOnTop);
    for (Eigen::Index i = 0; i < n; ++i) {
        const float v = data[i];
        if (!std::isfinite(v))
            continue;
        if (double(std::fabs(v)) > threshold)
            hits.push_back(i);
        if (topK == 0)
            continue;
        if (best.size() < topK) {
            best.push(i);
        } else if (ranksBefore(v, i, data[best.top()], best.top())) {
            best.pop();
            best.push(i);
        }
    }

    auto byRank = [&](Eigen::Index a, Eigen::Index b) { return ranksBefore(data[a], a, data[b], b); };
    std::sort(hits.begin(), hits.end(), byRank);
    for (Eigen::Index i : hits) {
        report.massive.push_back(entry(i));
        report.massiveDims.push_back(int64_t(i % d));
    }
    std::sort(report.massiveDims.begin(), report.massiveDims.end());
    report.massiveDims.erase(std::unique(report.massiveDims.begin(), report.massiveDims.end()),
                             report.massiveDims.end());

    std::vector<Eigen::Index> top;
    while (!best.empty()) {
        top.push_back(best.top());
        best.pop();
    }
    std::sort(top.begin(), top.end(), byRank);
    for (Eigen::Index i : top)
        report.top.push_back(entry(i));
    return report;
}

ChannelOutlierReport channelOutliers(const Matrix& A, double eta, double beta)
{
    requireNonNegative(eta, "eta");
    requireNonNegative(beta, "beta");
    ChannelOutlierReport report;
    report.eta = eta;
    report.beta = beta;
    const size_t tokens = size_t(A.rows()), d = size_t(A.cols());
    report.channels.assign(d, ChannelSummary{});

    // Pass 1: per-channel and overall sums over the finite entries.
    std::vector<int64_t> count(d, 0);
    int64_t total = 0;
    double sum = 0.0, sumAbs = 0.0;
    for (size_t t = 0; t < tokens; ++t) {
        const float* row = A.data() + t * d;
        for (size_t j = 0; j < d; ++j) {
            const float v = row[j];
            if (!std::isfinite(v)) {
                ++report.nonFiniteCount;
                continue;
            }
            ChannelSummary& c = report.channels[j];
            const double a = std::fabs(double(v));
            c.mean += v;
            c.meanAbs += a;
            c.absMax = std::max(c.absMax, a);
            ++count[j];
            sum += v;
            sumAbs += a;
            ++total;
        }
    }
    if (total == 0)
        return report;
    const double mean = sum / double(total);
    report.meanAbs = sumAbs / double(total);
    for (size_t j = 0; j < d; ++j)
        if (count[j] > 0) {
            report.channels[j].mean /= double(count[j]);
            report.channels[j].meanAbs /= double(count[j]);
        }

    // Pass 2: squared deviations, for the channel stds and std(A).
    double sumSqDev = 0.0;
    for (size_t t = 0; t < tokens; ++t) {
        const float* row = A.data() + t * d;
        for (size_t j = 0; j < d; ++j) {
            const float v = row[j];
            if (!std::isfinite(v))
                continue;
            const double dc = v - report.channels[j].mean;
            const double da = v - mean;
            report.channels[j].std += dc * dc;
            sumSqDev += da * da;
        }
    }
    report.std = std::sqrt(sumSqDev / double(total));
    for (size_t j = 0; j < d; ++j)
        if (count[j] > 0)
            report.channels[j].std = std::sqrt(report.channels[j].std / double(count[j]));

    report.threshold = eta * report.std + report.meanAbs;
    std::vector<double> magnitudes(d);
    for (size_t j = 0; j < d; ++j)
        magnitudes[j] = report.channels[j].meanAbs;
    report.medianChannelMagnitude = median(std::move(magnitudes));

    for (size_t j = 0; j < d; ++j) {
        const ChannelSummary& c = report.channels[j];
        const double magnitude = std::fabs(c.mean);
        // std / |mean| < beta, written without the division (magnitude > threshold >= 0).
        if (count[j] > 0 && magnitude > report.threshold && c.std < beta * magnitude)
            report.outliers.push_back(
                {int64_t(j), magnitude, ratio(magnitude, report.medianChannelMagnitude)});
    }
    return report;
}

StatsOutlierReport channelOutliersFromStats(const ChannelStats& stats, double eta,
                                            ChannelMagnitude measure)
{
    if (!(std::isfinite(eta) && eta > 0.0))
        throw InputError("eta", "must be a finite number > 0 (got " + std::to_string(eta) + ")");
    const size_t d = stats.channels();
    if (stats.count < 0)
        throw InputError("channel statistics",
                         "negative token count " + std::to_string(stats.count));
    if (stats.hasAbsMax() && stats.absMax.size() != d)
        throw InputError("channel statistics",
                         "abs_max has " + std::to_string(stats.absMax.size()) +
                             " channels but sum_sq has " + std::to_string(d));
    if (measure == ChannelMagnitude::AbsMax && !stats.hasAbsMax())
        throw InputError("channel statistics",
                         "abs-max was asked for but these statistics carry none "
                         "(imatrix files have sums of squares only)");

    StatsOutlierReport report;
    report.eta = eta;
    const bool useAbsMax = measure == ChannelMagnitude::AbsMax ||
                           (measure == ChannelMagnitude::Auto && stats.hasAbsMax());
    report.measure = useAbsMax ? ChannelMagnitude::AbsMax : ChannelMagnitude::Rms;
    report.magnitude = useAbsMax ? stats.absMax : stats.rms();
    for (size_t j = 0; j < d; ++j) {
        const double m = report.magnitude[j];
        if (!(std::isfinite(m) && m >= 0.0))
            throw InputError("channel statistics",
                             "channel " + std::to_string(j) + " has the invalid " +
                                 (useAbsMax ? "abs-max " : "sum of squares ") +
                                 std::to_string(useAbsMax ? stats.absMax[j] : stats.sumSq[j]));
    }
    report.median = median(report.magnitude);
    for (size_t j = 0; j < d; ++j)
        if (report.magnitude[j] > eta * report.median)
            report.outliers.push_back(
                {int64_t(j), report.magnitude[j], ratio(report.magnitude[j], report.median)});
    return report;
}

} // namespace salience
