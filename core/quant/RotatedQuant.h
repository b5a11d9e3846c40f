#pragma once
// Hadamard rotation + RTN (QuaRot / QuIP#-style incoherence processing, weight side only).
// W_r = W·Hᵀ with H the randomized block Hadamard rotation of Hadamard.h; the inputs would be
// rotated the same way (X·Hᵀ), so X·Wᵀ is unchanged before rounding. The rotation spreads a
// large column (an outlier channel) over the whole block, which lowers the max/RMS ratio of each
// row and so the rounding step. W_r is rounded to nearest; the result stores the rotation, and
// dequantize() gives Ŵ = Q(W_r)·H in original coordinates. Needs no data.
// (A GGUF cannot hold the rotation: its export rounds Ŵ again and reports the change.)
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/RoundingTarget.h"
#include "quant/QuantizedLinear.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

#include <cstdint>

namespace salience {

struct RotatedQuantOptions {
    uint64_t seed = 0; // the random signs (HadamardRotation::randomized)
};

// Method "hadamard": W·Hᵀ rounded onto the target (the uniform grid, or a ggml format, rounded
// there without importance: see RoundingTarget.h), rotation H; parameters "seed" (informational: a
// double holds seeds up to 2^53 exactly). Throws InputError for an empty or non-finite weight
// or an invalid grid, CancelledError when cancelled.
QuantizedLinear quantizeRotated(const Matrix& weight, const RoundingTarget& target, const RotatedQuantOptions& options,
                                Progress& progress);

MethodInfo hadamardMethodInfo();
// recipe.grid(), recipe.seed; `data` is not used.
QuantizedLinear quantizeHadamardRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                       Progress& progress);

} // namespace salience
