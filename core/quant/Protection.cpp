#include "quant/Protection.h"

#include "base/Error.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>

namespace salience {

namespace {

const char* kSource = "protect";

void validateOptions(const ProtectionOptions& options)
{
    if (!std::isfinite(options.percent) || options.percent < 0.0 || options.percent > 100.0)
        throw InputError(kSource, "protection percent must lie in [0, 100]");
    if (options.saliency.svdRank < 1)
        throw InputError(kSource, "svd rank must be at least 1, got " + std::to_string(options.saliency.svdRank));
    if (options.saliency.spqrGroup < 1)
        throw InputError(kSource, "spqr group size must be at least 1, got "
                                      + std::to_string(options.saliency.spqrGroup));
    if (!std::isfinite(options.saliency.damp) || options.saliency.damp < 0.0)
        throw InputError(kSource, "damping must be a finite number >= 0");
    const int c = int(options.criterion);
    if (c < 0 || c >= int(saliencyCriterionNames().size()))
        throw InputError(kSource, "unknown saliency criterion");
}

// Codes of one group from the parameters of its unprotected values. `positions` are the
// row-major indices of the group's weights.
template <typename ForEachPosition>
void quantizeGroup(const Matrix& weight, const std::vector<bool>& isProtected, const QuantGrid& grid,
                   int64_t groupIndex, ForEachPosition forEachPosition, std::vector<float>& scratch,
                   QuantizedLinear& q)
{
    const float* w = weight.data();
    scratch.clear();
    forEachPosition([&](int64_t i) {
        if (!isProtected[size_t(i)])
            scratch.push_back(w[i]);
    });
    GroupParams p;
    if (scratch.empty())
        p = GroupParams{1.0f, grid.symmetric ? grid.symmetricZero() : 0};
    else
        p = rtnGroupParams(std::span<const float>(scratch.data(), scratch.size()), grid);
    q.scales[size_t(groupIndex)] = p.scale;
    q.zeroPoints[size_t(groupIndex)] = p.zero;
    const int maxq = grid.maxCode();
    forEachPosition([&](int64_t i) { q.codes[size_t(i)] = rtnCode(w[i], p, maxq); });
}

} // namespace

int64_t protectedCount(double percent, int64_t out, int64_t in)
{
    if (!std::isfinite(percent) || percent < 0.0 || percent > 100.0)
        throw InputError(kSource, "protection percent must lie in [0, 100]");
    if (out < 1 || in < 1)
        throw InputError(kSource, "a layer needs at least one row and one column");
    if (in > std::numeric_limits<int64_t>::max() / out)
        throw InputError(kSource, "layer size overflows");
    const int64_t total = out * in;
    const double exact = percent * double(total) / 100.0;
    // A product a rounding error below an integer (0.07·300 = 20.999...) counts as that integer.
    double count = std::floor(exact);
    if (exact - count > 1.0 - 1e-9 * std::max(1.0, exact))
        count += 1.0;
    return std::clamp<int64_t>(int64_t(count), 0, total);
}

std::vector<int64_t> topScoreIndices(const Matrix& scores, int64_t count)
{
    const int64_t total = scores.size();
    count = std::clamp<int64_t>(count, 0, total);
    std::vector<int64_t> order(static_cast<size_t>(total));
    std::iota(order.begin(), order.end(), int64_t(0));
    const float* s = scores.data(); // row-major: index = row·in + col
    // A strict total order (score descending, then index ascending): the selection does not
    // depend on how the algorithm visits equal scores.
    const auto before = [s](int64_t a, int64_t b) { return s[a] > s[b] || (s[a] == s[b] && a < b); };
    if (count < total)
        std::nth_element(order.begin(), order.begin() + count, order.end(), before);
    order.resize(size_t(count));
    std::sort(order.begin(), order.end());
    return order;
}

QuantizedLinear quantizeProtected(const Matrix& weight, const RoundingTarget& target, const ProtectionOptions& options,
                                  const LayerData& data, Progress& progress)
{
    const QuantGrid& grid = target.grid;
    validateOptions(options);
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(kSource, "weight matrix is empty");
    target.validate(weight.cols());
    if (!weight.allFinite())
        throw InputError(kSource, "weight matrix holds a value that is not finite");
    const int64_t out = weight.rows(), in = weight.cols();
    const int64_t count = protectedCount(options.percent, out, in);
    progress.throwIfCancelled();
    progress.report(0.0, "scoring weights");

    std::vector<bool> isProtected(size_t(out * in), false);
    std::vector<SparseWeight> sparse;
    if (count > 0) {
        SaliencyOptions saliency = options.saliency;
        saliency.spqrBits = grid.bits;
        const Matrix scores = saliencyScores(weight, options.criterion, saliency, data);
        progress.throwIfCancelled();
        progress.report(0.4, "selecting protected weights");
        const std::vector<int64_t> chosen = topScoreIndices(scores, count);
        sparse.reserve(chosen.size());
        for (int64_t i : chosen) {
            const int64_t r = i / in, c = i % in;
            const float value = roundToHalf(weight(r, c));
            if (!std::isfinite(value))
                throw InputError(kSource, "weight at row " + std::to_string(r) + ", column " + std::to_string(c)
                                              + " is beyond float16's range and cannot be kept as a sparse value");
            isProtected[size_t(i)] = true;
            sparse.push_back(SparseWeight{r, c, value});
        }
    }
    progress.throwIfCancelled();
    progress.report(0.5, "quantizing the rest");

    QuantizedLinear q(out, in, grid, "protect");
    std::vector<float> scratch;
    if (target.isGgml()) {
        Matrix rest = weight;
        for (const SparseWeight& w : sparse)
            rest(w.row, w.col) = 0.0f;
        q = roundOnto(rest, target, "protect");
    } else if (grid.granularity == Granularity::PerTensor) {
        quantizeGroup(weight, isProtected, grid, 0,
                      [&](auto visit) {
                          for (int64_t i = 0; i < out * in; ++i)
                              visit(i);
                      },
                      scratch, q);
    } else {
        const int64_t perRow = grid.groupsPerRow(in);
        for (int64_t r = 0; r < out; ++r) {
            for (int64_t g = 0; g < perRow; ++g) {
                const int64_t begin = r * in + grid.groupBegin(g), end = r * in + grid.groupEnd(g, in);
                quantizeGroup(weight, isProtected, grid, r * perRow + g,
                              [&](auto visit) {
                                  for (int64_t i = begin; i < end; ++i)
                                      visit(i);
                              },
                              scratch, q);
            }
            if ((r & 63) == 63) {
                progress.throwIfCancelled();
                progress.report(0.5 + 0.5 * double(r + 1) / double(out));
            }
        }
    }
    q.sparse = std::move(sparse);
    q.roundSideArraysToHalf();
    q.parameters["percent"] = options.percent;
    q.parameters["criterion"] = double(int(options.criterion));
    q.parameters["svd_rank"] = options.saliency.svdRank;
    q.parameters["spqr_group"] = options.saliency.spqrGroup;
    q.parameters["protected"] = double(count);
    progress.throwIfCancelled();
    progress.report(1.0);
    return q;
}

MethodInfo protectMethodInfo()
{
    MethodInfo info;
    info.name = "protect";
    info.ggmlGrids = true;
    info.title = "Saliency protection";
    info.description =
        "Keeps the most salient p% of the weights in full precision (float16, stored as a sparse list) and "
        "rounds the rest to the grid; the kept weights are left out when each group's scale is computed, so "
        "a few outliers no longer stretch the grid for their neighbours. Which weights are salient is the "
        "criterion: svd (size of the weight in the layer's rank-k reconstruction; needs no data), awq "
        "(|weight| times the norm of its input channel), spqr (rounding error weighted by the inverse "
        "Hessian, as in SpQR) or magnitude (|weight|). The sparse values and their indices are counted in "
        "the bits per weight, so criteria compare at equal budgets.";
    info.usesGrid = true;
    info.usesProtection = true;
    info.needsActivations = false; // only the awq and spqr criteria do; they say so themselves
    info.params.push_back(choiceParam("criterion", "Which weights are kept: svd, awq, spqr or magnitude",
                                      saliencyCriterionNames(), 0));
    info.params.push_back(ParamSpec{"svd_rank", "Rank k of the reconstruction the svd criterion scores", 8, 1, 4096,
                                    true, {}});
    return info;
}

QuantizedLinear quantizeProtectRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                      Progress& progress)
{
    // The recipe's value, else the default listed here (also before the registry knows "protect").
    const MethodInfo info = protectMethodInfo();
    auto param = [&](const char* name) {
        const auto it = recipe.params.find(name);
        return it != recipe.params.end() ? it->second : info.param(name)->defaultValue;
    };
    ProtectionOptions options;
    options.percent = recipe.protectPercent;
    options.criterion = saliencyCriterionFromIndex(param("criterion"));
    const double rank = param("svd_rank");
    if (!(rank >= 1.0 && rank <= 4096.0) || rank != std::floor(rank))
        throw InputError(kSource, "svd_rank must be a whole number in [1, 4096]");
    options.saliency.svdRank = int(rank);
    return quantizeProtected(weight, roundingTarget(recipe, data, weight.cols()), options, data, progress);
}

} // namespace salience
