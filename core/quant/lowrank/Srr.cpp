#include "quant/lowrank/Srr.h"

#include "base/Error.h"
#include "linalg/Svd.h"
#include "quant/RoundingTarget.h"
#include "quant/Rtn.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <span>

namespace salience {

namespace {

const std::string kMethod = "srr";

// What every candidate k shares: W in double, the left singular vectors of W·S, the scaling.
struct SrrSetup {
    const Matrix& weight;
    MatrixD weightD;
    Eigen::MatrixXd U; // left singular vectors of W·S (at least `rank` of them)
    const ActivationScaling& scaling;
    const RoundingTarget& target; // its grid gives the paper proxy its step sizes
    int64_t rank = 0;
    bool roundToHalf = true;
};

LowRankFactors roundedToHalf(LowRankFactors f, bool round)
{
    if (round) {
        // Through float16, so the residual below is taken from the factors as stored.
        QuantizedLinear holder;
        holder.lowRankL = f.L.cast<float>();
        holder.lowRankR = f.R.cast<float>();
        holder.roundSideArraysToHalf();
        f.L = holder.lowRankL.cast<double>();
        f.R = holder.lowRankR.cast<double>();
    }
    return f;
}

// W_k as stored and the residual W − W_k that gets quantized.
std::pair<LowRankFactors, MatrixD> preserve(const SrrSetup& s, int64_t k)
{
    LowRankFactors preserved = roundedToHalf(projectionFactors(s.weightD, s.U, k), s.roundToHalf);
    MatrixD residual = k > 0 ? MatrixD(s.weightD - preserved.product()) : s.weightD;
    return {std::move(preserved), std::move(residual)};
}

// Ŵ(k) exactly as the result would hold it, and its base Q (taken before the factors are
// attached: validate() rejects factors that were left unrounded).
struct Candidate {
    QuantizedLinear q;
    Matrix base;
};

Candidate buildCandidate(const SrrSetup& s, int64_t k)
{
    auto [preserved, residual] = preserve(s, k);
    // k = 0 quantizes W itself, bit for bit as QER does.
    Candidate c{roundOnto(k > 0 ? Matrix(residual.cast<float>()) : s.weight, s.target, kMethod), {}};
    c.base = c.q.dequantizeCodes();
    const MatrixD error = residual - c.base.cast<double>();
    const LowRankFactors correction = scaledLowRank(error, s.scaling, s.rank - k);
    setLowRankFactors(c.q, concatenate(preserved, correction), s.roundToHalf);
    return c;
}

// The squared error the search minimises (see Srr.h).
double candidateError(const SrrSetup& s, const Candidate& c, const std::optional<MatrixD>& outputGram)
{
    const QuantizedLinear& q = c.q;
    Matrix approx = c.base;
    if (q.rank() > 0)
        approx.noalias() += q.lowRankL * q.lowRankR;
    const MatrixD e = s.weightD - approx.cast<double>();
    if (outputGram)
        return (e.array() * (e * *outputGram).array()).sum();
    return s.scaling.apply(e).squaredNorm();
}

// The paper-mode proxy J(k) (see Srr.h).
double predictedError(const SrrSetup& s, int64_t k, const Eigen::VectorXd& columnWeights)
{
    const MatrixD residual = preserve(s, k).second;
    const Matrix values = residual.cast<float>();
    const int64_t out = values.rows(), in = values.cols();
    double exposed = 0.0;
    auto addGroup = [&](int64_t row0, int64_t row1, int64_t col0, int64_t col1, std::span<const float> group) {
        const double step = rtnGroupParams(group, s.target.grid).scale;
        double weightSum = 0.0;
        for (int64_t j = col0; j < col1; ++j)
            weightSum += columnWeights[j];
        exposed += double(row1 - row0) * weightSum * step * step / 12.0;
    };
    if (s.target.grid.granularity == Granularity::PerTensor) {
        addGroup(0, out, 0, in, std::span<const float>(values.data(), size_t(values.size())));
    } else {
        const int64_t groups = s.target.grid.groupsPerRow(in);
        for (int64_t r = 0; r < out; ++r)
            for (int64_t g = 0; g < groups; ++g) {
                const int64_t begin = s.target.grid.groupBegin(g), end = s.target.grid.groupEnd(g, in);
                addGroup(r, r + 1, begin, end,
                         std::span<const float>(values.data() + r * in + begin, size_t(end - begin)));
            }
    }
    const double n = double(std::min(out, in));
    return (1.0 - double(s.rank - k) / n) * exposed;
}

} // namespace

QuantizedLinear quantizeSrr(const Matrix& weight, const RoundingTarget& target, const SrrOptions& options,
                            const LayerData& data, Progress& progress)
{
    if (options.rank < 0)
        throw InputError(kMethod, "rank must not be negative, got " + std::to_string(options.rank));
    if (options.preservedRank > options.rank)
        throw InputError(kMethod, "the preserved rank k = " + std::to_string(options.preservedRank) +
                                      " exceeds the rank budget r = " + std::to_string(options.rank));
    if (options.split != SrrSplit::Paper && options.split != SrrSplit::Search)
        throw InputError(kMethod, "unknown way of choosing k");
    checkLowRankWeight(weight, kMethod);
    target.validate(weight.cols());
    progress.throwIfCancelled();
    const ActivationScaling scaling = makeScaling(options.scaling, data, weight.cols(), kMethod);
    const int64_t rank = std::min<int64_t>(options.rank, std::min(weight.rows(), weight.cols()));

    SrrSetup setup{weight, weight.cast<double>(), {}, scaling, target, rank, options.roundFactorsToHalf};
    progress.report(0.05, "SVD of the activation-scaled weight");
    if (rank > 0)
        setup.U = thinSvd(scaling.apply(setup.weightD)).U;
    progress.throwIfCancelled();

    int64_t chosen = 0;
    double objective = 0.0;
    std::optional<Candidate> best;
    if (options.preservedRank >= 0) {
        chosen = std::min<int64_t>(options.preservedRank, rank);
    } else if (options.split == SrrSplit::Paper) {
        const Eigen::VectorXd columnWeights = scaling.columnWeights();
        objective = std::numeric_limits<double>::infinity();
        for (int64_t k = 0; k <= rank; ++k) {
            progress.throwIfCancelled();
            const double j = predictedError(setup, k, columnWeights);
            if (j < objective) {
                objective = j;
                chosen = k;
            }
            progress.report(0.1 + 0.6 * double(k + 1) / double(rank + 1), "choosing the preserved rank");
        }
    } else {
        const std::optional<MatrixD> outputGram =
            options.scaling == ScalingKind::None ? std::nullopt : normalizedGram(data, weight.cols(), kMethod);
        objective = std::numeric_limits<double>::infinity();
        for (int64_t k = 0; k <= rank; ++k) {
            progress.throwIfCancelled();
            Candidate candidate = buildCandidate(setup, k);
            const double e = candidateError(setup, candidate, outputGram);
            if (e < objective) {
                objective = e;
                chosen = k;
                best = std::move(candidate);
            }
            progress.report(0.1 + 0.9 * double(k + 1) / double(rank + 1), "searching the preserved rank");
        }
    }
    progress.throwIfCancelled();
    Candidate result = best ? std::move(*best) : buildCandidate(setup, chosen);
    if (options.preservedRank >= 0) {
        const std::optional<MatrixD> outputGram =
            options.scaling == ScalingKind::None ? std::nullopt : normalizedGram(data, weight.cols(), kMethod);
        objective = candidateError(setup, result, outputGram);
    }
    QuantizedLinear q = std::move(result.q);
    q.method = kMethod;
    q.parameters["rank"] = double(rank);
    q.parameters["k"] = double(chosen);
    q.parameters["scaling"] = double(int(options.scaling));
    q.parameters["kmode"] = options.preservedRank >= 0 ? -1.0 : double(int(options.split));
    q.parameters["objective"] = objective;
    progress.report(1.0);
    return q;
}

MethodInfo srrMethodInfo()
{
    MethodInfo info;
    info.name = "srr";
    info.ggmlGrids = true;
    info.title = "Structured residual reconstruction";
    info.description =
        "Splits the rank budget r in two. First it keeps the k strongest directions of the "
        "activation-scaled weight (its top singular vectors) in full precision, because rounding would "
        "damage them most; then it rounds only what is left (RTN) and spends the remaining r − k ranks on "
        "the rounding error of that rest, like QER. With k = 0 it is QER. k is chosen either by a cheap "
        "prediction from the rounding step sizes (paper; an energy-based stand-in for the criterion of the "
        "SRR paper) or by trying every k and keeping the best (search; r + 1 SVDs). L and R, preserved "
        "and corrective directions together, are stored in float16: 16·r·(out+in) bits.";
    info.usesGrid = true;
    info.usesRank = true;
    info.needsActivations = true; // the default scaling (diag) does; scaling 'none' works without
    info.params.push_back(choiceParam("scaling",
                                      "How the weight and the error are weighted before their SVDs: none, "
                                      "diag (per-channel RMS of the inputs), whiten (Cholesky factor of XᵀX/n)",
                                      {"none", "diag", "whiten"}, 1));
    info.params.push_back(choiceParam("kmode",
                                      "How the preserved rank k is chosen: paper (predicted from rounding "
                                      "step sizes, one SVD) or search (every k = 0..r tried exactly)",
                                      {"paper", "search"}, 0));
    return info;
}

QuantizedLinear quantizeSrrRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                  Progress& progress)
{
    SrrOptions options;
    options.rank = recipe.rank;
    options.scaling = scalingKindFromIndex(recipe.param("scaling"), kMethod);
    const double kmode = recipe.param("kmode");
    if (kmode != 0.0 && kmode != 1.0)
        throw InputError(kMethod, "parameter 'kmode' must be 0 (paper) or 1 (search), got " + std::to_string(kmode));
    options.split = kmode == 0.0 ? SrrSplit::Paper : SrrSplit::Search;
    return quantizeSrr(weight, roundingTarget(recipe, data, weight.cols()), options, data, progress);
}

} // namespace salience
