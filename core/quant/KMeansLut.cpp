#include "quant/KMeansLut.h"

#include "base/Error.h"
#include "tensor/Half.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace salience {

namespace {

const char* kSource = "kmeans";
constexpr int kMaxIterations = 1000;

// Index of the nearest of the sorted `centroids`; ties go to the lower one.
int nearest(const std::vector<double>& centroids, double v)
{
    const auto it = std::lower_bound(centroids.begin(), centroids.end(), v);
    if (it == centroids.begin())
        return 0;
    if (it == centroids.end()) {
        int last = int(centroids.size()) - 1;
        while (last > 0 && centroids[size_t(last - 1)] == centroids[size_t(last)])
            --last;
        return last;
    }
    int hi = int(it - centroids.begin());
    int lo = hi - 1;
    // Equal centroids: the lowest index of the run wins.
    while (lo > 0 && centroids[size_t(lo - 1)] == centroids[size_t(lo)])
        --lo;
    return (v - centroids[size_t(lo)] <= centroids[size_t(hi)] - v) ? lo : hi;
}

double weightedError(std::span<const float> values, std::span<const double> importance,
                     const std::vector<double>& centroids, const std::vector<uint8_t>& codes)
{
    double e = 0;
    for (size_t j = 0; j < values.size(); ++j) {
        const double d = double(values[j]) - centroids[codes[j]];
        e += importance[j] * d * d;
    }
    return e;
}

// Assigns every value to its nearest centroid; returns whether any assignment changed.
bool assign(std::span<const float> values, const std::vector<double>& centroids, std::vector<uint8_t>& codes)
{
    bool changed = false;
    for (size_t j = 0; j < values.size(); ++j) {
        const auto c = uint8_t(nearest(centroids, double(values[j])));
        changed |= c != codes[j];
        codes[j] = c;
    }
    return changed;
}

} // namespace

namespace {

// Lloyd's iterations from `centroids` (sorted), as described in the header.
KmeansRowFit lloyd(std::span<const float> values, std::span<const double> importance,
                   std::vector<double> centroids, int maxIterations)
{
    const size_t n = values.size();
    const size_t k = centroids.size();
    KmeansRowFit fit;
    fit.centroids = std::move(centroids);
    fit.codes.assign(n, 0);
    assign(values, fit.centroids, fit.codes);
    fit.objective.push_back(weightedError(values, importance, fit.centroids, fit.codes));
    std::vector<double> sumW(k), sumWV(k), sumV(k);
    std::vector<size_t> members(k);
    for (int it = 0; it < maxIterations; ++it) {
        std::fill(sumW.begin(), sumW.end(), 0.0);
        std::fill(sumWV.begin(), sumWV.end(), 0.0);
        std::fill(sumV.begin(), sumV.end(), 0.0);
        std::fill(members.begin(), members.end(), 0);
        for (size_t j = 0; j < n; ++j) {
            const size_t c = fit.codes[j];
            sumW[c] += importance[j];
            sumWV[c] += importance[j] * double(values[j]);
            sumV[c] += double(values[j]);
            ++members[c];
        }
        std::vector<bool> empty(k, false);
        for (size_t c = 0; c < k; ++c) {
            if (members[c] == 0)
                empty[c] = true;
            else if (sumW[c] > 0)
                fit.centroids[c] = sumWV[c] / sumW[c];
            else
                fit.centroids[c] = sumV[c] / double(members[c]);
        }
        // Empty clusters move onto the worst-served weights, one weight each.
        for (size_t c = 0; c < k; ++c) {
            if (!empty[c])
                continue;
            double worst = 0;
            size_t at = n;
            for (size_t j = 0; j < n; ++j) {
                const double d = double(values[j]) - fit.centroids[fit.codes[j]];
                const double e = importance[j] * d * d;
                if (e > worst) {
                    worst = e;
                    at = j;
                }
            }
            if (at == n)
                continue; // nothing left to improve: the cluster stays where it is
            fit.centroids[c] = double(values[at]);
            fit.codes[at] = uint8_t(c);
        }
        // Codes follow the centroids through the sort.
        std::vector<size_t> order(k);
        std::iota(order.begin(), order.end(), size_t(0));
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return fit.centroids[a] < fit.centroids[b]; });
        std::vector<double> sortedCentroids(k);
        std::vector<uint8_t> newIndex(k);
        for (size_t c = 0; c < k; ++c) {
            sortedCentroids[c] = fit.centroids[order[c]];
            newIndex[order[c]] = uint8_t(c);
        }
        fit.centroids = std::move(sortedCentroids);
        for (auto& code : fit.codes)
            code = newIndex[code];
        fit.objective.push_back(weightedError(values, importance, fit.centroids, fit.codes));
        fit.iterations = it + 1;
        if (!assign(values, fit.centroids, fit.codes))
            break;
    }
    return fit;
}

} // namespace


KmeansRowFit kmeansFitRow(std::span<const float> values, std::span<const double> importance, int clusters,
                          int maxIterations)
{
    if (values.empty() || importance.size() != values.size())
        throw InputError(kSource, "a row has " + std::to_string(values.size()) + " weights and "
                             + std::to_string(importance.size()) + " importances");
    if (clusters < 1 || clusters > 256)
        throw InputError(kSource, "clusters must lie in [1, 256], got " + std::to_string(clusters));
    if (maxIterations < 0 || maxIterations > kMaxIterations)
        throw InputError(kSource, "iterations must lie in [0, " + std::to_string(kMaxIterations) + "]");
    for (size_t j = 0; j < values.size(); ++j) {
        if (!std::isfinite(values[j]))
            throw InputError(kSource, "weight " + std::to_string(j) + " is not finite");
        if (!std::isfinite(importance[j]) || importance[j] < 0)
            throw InputError(kSource, "importance of column " + std::to_string(j) + " is not finite and >= 0");
    }
    const size_t n = values.size();
    const auto k = size_t(clusters);

    std::vector<float> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<float> distinct = sorted;
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::vector<double> start(k);
    if (distinct.size() <= k) {
        for (size_t c = 0; c < k; ++c)
            start[c] = double(distinct[std::min(c, distinct.size() - 1)]);
        return lloyd(values, importance, std::move(start), maxIterations);
    }
    for (size_t c = 0; c < k; ++c)
        start[c] = double(sorted[std::min(n - 1, size_t(std::floor((double(c) + 0.5) * double(n) / double(k))))]);
    KmeansRowFit fit = lloyd(values, importance, std::move(start), maxIterations);
    // Heavy tails can trap the quantile start (every centroid in the bulk, one dragged part way
    // to the outliers); a start spread evenly over [min, max] cannot be trapped that way.
    std::vector<double> even(k);
    const double lo = sorted.front(), hi = sorted.back();
    for (size_t c = 0; c < k; ++c)
        even[c] = k == 1 ? 0.5 * (lo + hi) : lo + (hi - lo) * double(c) / double(k - 1);
    KmeansRowFit spread = lloyd(values, importance, std::move(even), maxIterations);
    return spread.objective.back() < fit.objective.back() ? spread : fit;
}

std::vector<double> kmeansImportance(const LayerData& data, int64_t inFeatures)
{
    std::vector<double> importance(size_t(inFeatures), 1.0);
    auto requireWidth = [&](int64_t width, const char* what) {
        if (width != inFeatures)
            throw InputError(kSource, std::string(what) + " have " + std::to_string(width)
                                 + " columns, the layer has " + std::to_string(inFeatures));
    };
    if (data.stats && data.stats->count > 0) {
        requireWidth(int64_t(data.stats->channels()), "channel statistics");
        for (size_t j = 0; j < importance.size(); ++j)
            importance[j] = data.stats->sumSq[j] / double(data.stats->count);
    } else if (data.inputs && data.inputs->rows() > 0) {
        requireWidth(data.inputs->cols(), "inputs");
        const Matrix& x = *data.inputs;
        const auto tokens = double(x.rows());
        for (Eigen::Index j = 0; j < x.cols(); ++j)
            importance[size_t(j)] = x.col(j).cast<double>().squaredNorm() / tokens;
    } else if (data.gram && data.gramTokens > 0) {
        requireWidth(data.gram->cols(), "Gram matrix");
        if (data.gram->rows() != inFeatures)
            requireWidth(data.gram->rows(), "Gram matrix rows");
        for (size_t j = 0; j < importance.size(); ++j)
            importance[j] = (*data.gram)(Eigen::Index(j), Eigen::Index(j)) / double(data.gramTokens);
    }
    for (size_t j = 0; j < importance.size(); ++j)
        if (!std::isfinite(importance[j]) || importance[j] < 0)
            throw InputError(kSource, "importance of input column " + std::to_string(j) + " ("
                                 + std::to_string(importance[j]) + ") is not a finite value >= 0");
    return importance;
}

QuantizedLinear quantizeKmeans(const Matrix& weight, const QuantGrid& grid, const KmeansOptions& options,
                               const LayerData& data, Progress& progress)
{
    grid.validate();
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(kSource, "weight matrix is empty");
    if (options.maxIterations < 1 || options.maxIterations > kMaxIterations)
        throw InputError(kSource, "iterations must lie in [1, " + std::to_string(kMaxIterations) + "], got "
                             + std::to_string(options.maxIterations));
    const int64_t out = weight.rows(), in = weight.cols();
    const bool weighted = options.useActivations && (data.stats || data.inputs || data.gram);
    const std::vector<double> importance =
        weighted ? kmeansImportance(data, in) : std::vector<double>(size_t(in), 1.0);

    QuantizedLinear q(out, in, grid, kSource);
    const int k = 1 << grid.bits;
    q.codebook.assign(size_t(out) * size_t(k), 0.0f);
    int maxUsed = 0;
    for (int64_t r = 0; r < out; ++r) {
        progress.throwIfCancelled();
        const std::span<const float> row(weight.data() + r * in, size_t(in));
        const KmeansRowFit fit = kmeansFitRow(row, importance, k, options.maxIterations);
        maxUsed = std::max(maxUsed, fit.iterations);
        // Stored centroids are float16; every weight then takes its nearest stored one.
        std::vector<double> stored(static_cast<size_t>(k));
        for (int c = 0; c < k; ++c)
            stored[size_t(c)] = double(roundToHalf(float(fit.centroids[size_t(c)])));
        std::sort(stored.begin(), stored.end());
        for (int c = 0; c < k; ++c)
            q.codebook[size_t(r * k + c)] = float(stored[size_t(c)]);
        for (int64_t j = 0; j < in; ++j)
            q.codes[size_t(r * in + j)] = uint8_t(nearest(stored, double(row[size_t(j)])));
        progress.report(double(r + 1) / double(out), "k-means row " + std::to_string(r + 1));
    }
    q.parameters["iterations"] = options.maxIterations;
    q.parameters["weighted"] = weighted ? 1.0 : 0.0;
    return q;
}

MethodInfo kmeansMethodInfo()
{
    MethodInfo info;
    info.name = kSource;
    info.title = "K-means look-up table";
    info.description =
        "Non-uniform quantization in the manner of SqueezeLLM: every output row gets its own table "
        "of 2^bits values (float16), placed by k-means on the row's weights, and each weight stores "
        "the index of its nearest table entry. Where the weights crowd (near zero) the entries crowd "
        "too, so typical weights are reproduced more finely than on an evenly spaced grid. When "
        "activations are known, each weight's error counts in proportion to its input channel's "
        "mean square (the stand-in here for SqueezeLLM's Fisher information), so the table favours "
        "the weights the output is most sensitive to. Only the number of bits applies; group size "
        "and symmetry do not. Costs 16 bits per table entry per row on top of the codes.";
    info.quantizes = true;
    info.usesGrid = true;
    info.needsActivations = false;
    info.params = {
        numberParam("iterations", "Most Lloyd iterations per row (stops earlier when nothing changes)", 50, 1,
               kMaxIterations, true),
        numberParam("weighted", "1: weight the fit by the activation second moment when data is present", 1, 0, 1,
               true),
    };
    return info;
}

QuantizedLinear quantizeKmeansRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                     Progress& progress)
{
    KmeansOptions options;
    const double iterations = recipe.param("iterations");
    if (!(iterations >= 1 && iterations <= kMaxIterations))
        throw InputError(kSource, "iterations must lie in [1, " + std::to_string(kMaxIterations) + "]");
    options.maxIterations = int(iterations);
    options.useActivations = recipe.param("weighted") != 0.0;
    return quantizeKmeans(weight, recipe.grid(), options, data, progress);
}

} // namespace salience
