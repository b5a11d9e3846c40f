#include "quant/lowrank/Qer.h"

#include "base/Error.h"
#include "quant/RoundingTarget.h"

#include <algorithm>

namespace salience {

QuantizedLinear quantizeQer(const Matrix& weight, const RoundingTarget& target, const QerOptions& options,
                            const LayerData& data, Progress& progress)
{
    const std::string method = "qer";
    if (options.rank < 0)
        throw InputError(method, "rank must not be negative, got " + std::to_string(options.rank));
    checkLowRankWeight(weight, method);
    target.validate(weight.cols());
    progress.throwIfCancelled();
    // Fetch the scaling first: a missing activation fails before any work is done.
    const ActivationScaling scaling = makeScaling(options.scaling, data, weight.cols(), method);
    const int64_t rank = std::min<int64_t>(options.rank, std::min(weight.rows(), weight.cols()));
    progress.report(0.1, "rounding to nearest");

    QuantizedLinear q = roundOnto(weight, target, method);
    q.parameters["rank"] = double(rank);
    q.parameters["scaling"] = double(int(options.scaling));
    if (rank == 0) {
        progress.report(1.0);
        return q;
    }
    progress.throwIfCancelled();
    progress.report(0.3, "SVD of the quantization error");
    const MatrixD error = weight.cast<double>() - q.dequantizeCodes().cast<double>();
    const LowRankFactors factors = scaledLowRank(error, scaling, rank);
    progress.throwIfCancelled();
    setLowRankFactors(q, factors, options.roundFactorsToHalf);
    progress.report(1.0);
    return q;
}

MethodInfo qerMethodInfo()
{
    MethodInfo info;
    info.name = "qer";
    info.ggmlGrids = true;
    info.title = "Quantization error reconstruction";
    info.description =
        "Rounds the weights to the grid (RTN), then adds a small full-precision correction L·R of rank r "
        "that captures as much of the rounding error W − Q as r directions can: the truncated SVD of the "
        "error. With scaling 'diag' or 'whiten' the error is first weighted by how strongly each input "
        "channel is used (per-channel RMS, or the full whitening of the inputs' correlations), so the rank "
        "is spent where it reduces the layer's OUTPUT error most. L and R are stored in float16 and add "
        "16·r·(out+in) bits.";
    info.usesGrid = true;
    info.usesRank = true;
    info.needsActivations = false; // the default variant (none) needs none; scaled variants check
    info.params.push_back(choiceParam("scaling",
                                      "How the error is weighted before the SVD: none (weight error), diag "
                                      "(per-channel RMS of the inputs), whiten (Cholesky factor of XᵀX/n)",
                                      {"none", "diag", "whiten"}, 0));
    return info;
}

QuantizedLinear quantizeQerRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                  Progress& progress)
{
    QerOptions options;
    options.rank = recipe.rank;
    options.scaling = scalingKindFromIndex(recipe.param("scaling"), "qer");
    return quantizeQer(weight, roundingTarget(recipe, data, weight.cols()), options, data, progress);
}

} // namespace salience
