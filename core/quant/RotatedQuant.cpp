#include "quant/RotatedQuant.h"

#include "base/Error.h"
#include "quant/Hadamard.h"
#include "quant/RoundingTarget.h"

namespace salience {

QuantizedLinear quantizeRotated(const Matrix& weight, const RoundingTarget& target, const RotatedQuantOptions& options,
                                Progress& progress)
{
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError("hadamard", "weight matrix is empty");
    target.validate(weight.cols());
    if (!weight.allFinite())
        throw InputError("hadamard", "the weight holds a value that is not finite");
    progress.throwIfCancelled();
    HadamardRotation rotation = HadamardRotation::randomized(weight.cols(), options.seed);
    const Matrix rotated = rotateRows(weight, rotation);
    progress.report(0.5, "hadamard: rotated");
    progress.throwIfCancelled();

    // The per-column statistics do not say what the rotated inputs' are: rounded unweighted.
    QuantizedLinear q = roundOnto(rotated, target.unweighted(), "hadamard");
    q.rotation = std::move(rotation);
    q.parameters["seed"] = double(options.seed);
    progress.report(1.0, "hadamard: done");
    return q;
}

MethodInfo hadamardMethodInfo()
{
    MethodInfo info;
    info.name = "hadamard";
    info.ggmlGrids = true;
    info.title = "Hadamard rotation + RTN";
    info.description =
        "Multiplies the weight by a random orthogonal (Hadamard) matrix before rounding, and would multiply the "
        "layer's inputs by the same matrix, so the output is exactly unchanged before rounding. The rotation "
        "mixes every input channel with the others in its block, so one very large column is spread out over "
        "many: the weights become more even, the grid step shrinks and rounding loses less. Where the number "
        "of input features is not a power of two, smaller Hadamard blocks are used. The random signs come from "
        "the recipe's seed; they cost 1 bit per input column. Needs no activations.";
    info.needsActivations = false;
    return info;
}

QuantizedLinear quantizeHadamardRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                       Progress& progress)
{
    RotatedQuantOptions options;
    options.seed = recipe.seed;
    return quantizeRotated(weight, roundingTarget(recipe, data, weight.cols()), options, progress);
}

} // namespace salience
