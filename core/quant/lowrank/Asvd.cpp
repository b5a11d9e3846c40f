#include "quant/lowrank/Asvd.h"

#include "base/Error.h"
#include "quant/Rtn.h"

#include <algorithm>

namespace salience {

namespace {

const std::string kMethod = "asvd";

double factorBits(int64_t rows, int64_t cols, const QuantGrid& grid)
{
    const double groups = double(grid.groupCount(rows, cols));
    return double(rows) * double(cols) * grid.bits + 16.0 * groups + (grid.symmetric ? 0.0 : groups * grid.bits);
}

} // namespace

double quantizedFactorBitsPerWeight(int64_t out, int64_t in, int64_t rank, const QuantGrid& grid)
{
    if (rank <= 0)
        return 0.0;
    return (factorBits(out, rank, grid) + factorBits(rank, in, grid)) / (double(out) * double(in));
}

QuantizedLinear approximateAsvd(const Matrix& weight, const QuantGrid& grid, const AsvdOptions& options,
                                const LayerData& data, Progress& progress)
{
    if (options.rank < 1)
        throw InputError(kMethod, "rank must be at least 1 (low rank alone at rank 0 is the zero matrix), got " +
                                      std::to_string(options.rank));
    checkLowRankWeight(weight, kMethod);
    grid.validate();
    progress.throwIfCancelled();
    const ActivationScaling scaling =
        options.scaling == ScalingKind::Diagonal ? absMeanScaling(data, weight.cols(), options.alpha, kMethod)
                                                 : makeScaling(options.scaling, data, weight.cols(), kMethod);
    const int64_t rank = std::min<int64_t>(options.rank, std::min(weight.rows(), weight.cols()));
    progress.report(0.1, "SVD of the activation-scaled weight");

    LowRankFactors factors = scaledLowRank(weight.cast<double>(), scaling, rank);
    progress.throwIfCancelled();

    QuantizedLinear q(weight.rows(), weight.cols(), grid, kMethod);
    q.base = QuantBase::Zero;
    q.codes.clear();
    q.scales.clear();
    q.zeroPoints.clear();
    if (options.quantizeFactors) {
        progress.report(0.8, "quantizing the factors");
        factors.L = fakeQuantizeRtn(factors.L.cast<float>(), grid).cast<double>();
        factors.R = fakeQuantizeRtn(factors.R.cast<float>(), grid).cast<double>();
        q.parameters["factor_bits"] = grid.bits;
        q.parameters["factor_bits_per_weight"] = quantizedFactorBitsPerWeight(weight.rows(), weight.cols(), rank, grid);
    }
    setLowRankFactors(q, factors, options.roundFactorsToHalf);
    q.parameters["rank"] = double(rank);
    q.parameters["scaling"] = double(int(options.scaling));
    q.parameters["alpha"] = options.alpha;
    q.parameters["quantize_factors"] = options.quantizeFactors ? 1.0 : 0.0;
    progress.report(1.0);
    return q;
}

MethodInfo asvdMethodInfo()
{
    MethodInfo info;
    info.name = kMethod;
    info.title = "Activation-aware SVD (low rank alone)";
    info.description =
        "Replaces the weight by a product of two thin matrices L·R of rank r, with no quantized base at "
        "all: the truncated SVD of the weight after scaling each input channel by how strongly it is used. "
        "With scaling 'diag' (ASVD) channel j is scaled by mean|x_j|^alpha; with 'whiten' (SVD-LLM) by the "
        "full whitening of the inputs' correlations, which gives the smallest output error any rank-r "
        "matrix can; 'none' is the plain truncated SVD. L and R take 16·r·(out+in) bits, so this pays off "
        "only at small ranks. With quantize_factors L and R are rounded to the grid too (counted at 16 "
        "bits until the result type can hold quantized factors; the honest count is recorded).";
    info.usesGrid = true; // only for quantize_factors
    info.usesRank = true;
    info.needsActivations = true; // the default scaling (diag) does; scaling 'none' works without
    info.params.push_back(choiceParam("scaling",
                                      "How input channels are weighted before the SVD: none (plain truncated "
                                      "SVD), diag (ASVD: mean|x|^alpha), whiten (SVD-LLM: Cholesky factor of XᵀX/n)",
                                      {"none", "diag", "whiten"}, 1));
    ParamSpec alpha;
    alpha.name = "alpha";
    alpha.description = "Exponent of the diagonal scaling mean|x_j|^alpha (0 = plain SVD)";
    alpha.defaultValue = 0.5;
    alpha.minValue = 0.0;
    alpha.maxValue = 4.0;
    info.params.push_back(alpha);
    ParamSpec quantize;
    quantize.name = "quantize_factors";
    quantize.description = "1: round L and R themselves to the grid (RTN), 0: keep them in float16";
    quantize.defaultValue = 0;
    quantize.minValue = 0;
    quantize.maxValue = 1;
    quantize.integer = true;
    info.params.push_back(quantize);
    return info;
}

QuantizedLinear quantizeAsvdRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                   Progress& progress)
{
    AsvdOptions options;
    options.rank = recipe.rank;
    options.scaling = scalingKindFromIndex(recipe.param("scaling"), kMethod);
    options.alpha = recipe.param("alpha");
    options.quantizeFactors = recipe.param("quantize_factors") != 0.0;
    return approximateAsvd(weight, recipe.grid(), options, data, progress);
}

} // namespace salience
