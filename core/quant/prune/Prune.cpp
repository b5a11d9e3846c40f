#include "quant/prune/Prune.h"

#include "base/Error.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include <cmath>

namespace salience {

namespace {

void requireWeight(const Matrix& weight, const std::string& source)
{
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(source, "weight matrix is empty");
    if (!weight.allFinite())
        throw InputError(source, "a weight is not finite");
}

const char* kPatternText =
    " Unstructured pruning drops the given share of every row; N:M pruning keeps the N largest of "
    "every M consecutive weights of a row (2:4 is what sparse tensor cores accelerate). With "
    "quantize = 1 the surviving weights are then rounded to the grid; otherwise they stay float16.";

} // namespace

QuantizedLinear prunedLayer(const Matrix& weight, const std::vector<uint8_t>& mask, const QuantGrid& grid,
                            const PruneOptions& options, const std::string& method)
{
    requireWeight(weight, method);
    const int64_t out = weight.rows(), in = weight.cols();
    if (int64_t(mask.size()) != out * in)
        throw InputError(method, "mask has " + std::to_string(mask.size()) + " entries for "
                             + std::to_string(out * in) + " weights");
    Matrix masked = weight;
    for (int64_t k = 0; k < out * in; ++k) {
        if (mask[size_t(k)] > 1)
            throw InputError(method, "mask value at " + std::to_string(k) + " is not 0 or 1");
        if (mask[size_t(k)] == 0)
            masked.data()[k] = 0.0f;
    }
    QuantizedLinear q;
    if (options.quantize) {
        q = quantizeRtn(masked, grid);
        q.method = method;
    } else {
        q = QuantizedLinear(out, in, grid, method);
        q.base = QuantBase::Dense;
        q.dense = masked;
        q.roundSideArraysToHalf();
        if (!q.dense.allFinite())
            throw InputError(method, "a kept weight is beyond the float16 range");
    }
    q.keepMask = mask;
    recordPruneParameters(q, options);
    return q;
}

QuantizedLinear pruneMagnitude(const Matrix& weight, const QuantGrid& grid, const PruneOptions& options,
                               const LayerData&, Progress& progress)
{
    const std::string method = "prune-magnitude";
    options.pattern.validate(method);
    grid.validate();
    requireWeight(weight, method);
    progress.throwIfCancelled();
    const auto mask = magnitudeMask(weight, options.pattern);
    progress.throwIfCancelled();
    QuantizedLinear q = prunedLayer(weight, mask, grid, options, method);
    progress.report(1.0, "pruned by magnitude");
    return q;
}

QuantizedLinear pruneWanda(const Matrix& weight, const QuantGrid& grid, const PruneOptions& options,
                           const LayerData& data, Progress& progress)
{
    const std::string method = "prune-wanda";
    options.pattern.validate(method);
    grid.validate();
    requireWeight(weight, method);
    progress.throwIfCancelled();
    const std::vector<double> norms = inputColumnNorms(data, weight.cols(), method);
    const auto mask = wandaMask(weight, norms, options.pattern);
    progress.throwIfCancelled();
    QuantizedLinear q = prunedLayer(weight, mask, grid, options, method);
    progress.report(1.0, "pruned by Wanda");
    return q;
}

std::vector<ParamSpec> pruneParams()
{
    return {
        numberParam("sparsity", "Share of each row's weights to prune (unstructured)", 0.5, 0.0, 0.99, false),
        numberParam("n", "0: unstructured; else keep N of every M consecutive weights", 0, 0, 32, true),
        numberParam("m", "M of the N:M pattern", 4, 1, 32, true),
        numberParam("quantize", "1: round the kept weights to the grid; 0: keep them in float16", 0, 0, 1, true),
    };
}

PruneOptions pruneOptionsFromRecipe(const Recipe& recipe, const std::string& source)
{
    PruneOptions options;
    const double n = recipe.param("n"), m = recipe.param("m");
    if (!(n >= 0 && n <= 32 && m >= 1 && m <= 32) || n != std::floor(n) || m != std::floor(m))
        throw InputError(source, "n and m must be whole numbers with 0 <= n <= 32 and 1 <= m <= 32");
    options.pattern.sparsity = recipe.param("sparsity");
    options.pattern.n = int(n);
    options.pattern.m = int(m);
    options.quantize = recipe.param("quantize") != 0.0;
    options.pattern.validate(source);
    return options;
}

void recordPruneParameters(QuantizedLinear& q, const PruneOptions& options)
{
    if (options.pattern.nOfM()) {
        q.parameters["prune_n"] = options.pattern.n;
        q.parameters["prune_m"] = options.pattern.m;
    } else {
        q.parameters["sparsity"] = options.pattern.sparsity;
    }
    q.parameters["quantize"] = options.quantize ? 1.0 : 0.0;
}

MethodInfo pruneMagnitudeMethodInfo()
{
    MethodInfo info;
    info.name = "prune-magnitude";
    info.title = "Magnitude pruning";
    info.description = std::string("Sets to zero the weights of smallest absolute value in each output row: the "
                                   "simplest pruning, needing no data.")
        + kPatternText;
    info.quantizes = true;
    info.usesGrid = true;
    info.needsActivations = false;
    info.params = pruneParams();
    return info;
}

MethodInfo pruneWandaMethodInfo()
{
    MethodInfo info;
    info.name = "prune-wanda";
    info.title = "Wanda pruning";
    info.description = std::string("Wanda (pruning by Weights AND activations): scores each weight by |W_ij| times "
                                   "the norm of its input channel over the calibration tokens and drops the lowest "
                                   "scores of each output row. A small weight on a channel that carries large "
                                   "activations survives; a larger one on a quiet channel may not. Needs the layer's "
                                   "inputs or their statistics.")
        + kPatternText;
    info.quantizes = true;
    info.usesGrid = true;
    info.needsActivations = true;
    info.params = pruneParams();
    return info;
}

QuantizedLinear quantizePruneMagnitudeRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                             Progress& progress)
{
    return pruneMagnitude(weight, recipe.grid(), pruneOptionsFromRecipe(recipe, "prune-magnitude"), data, progress);
}

QuantizedLinear quantizePruneWandaRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                         Progress& progress)
{
    return pruneWanda(weight, recipe.grid(), pruneOptionsFromRecipe(recipe, "prune-wanda"), data, progress);
}

} // namespace salience
