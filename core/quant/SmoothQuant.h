#pragma once
// SmoothQuant (Xiao et al. 2023): move the difficulty of quantizing from the activations to the
// weights with a per-input-channel scale
//   s_j = max|X_j|^α / max_i|W_ij|^(1−α)                [α = 0.5]
// and the exactly equivalent pair W_s = W·diag(s), X_s = X·diag(s)⁻¹ (X_s·W_sᵀ = X·Wᵀ before
// rounding). Here only the weight is quantized (RTN of W_s); the result keeps s as its input
// scaling, so dequantize() gives Ŵ = Q(W_s)·diag(s)⁻¹ in original coordinates.
//
// Edge cases of s: a channel with max|X_j| = 0 or max|W_j| = 0 gets s_j = 1 (nothing to move),
// and s is rounded to float16 BEFORE W is scaled (what is stored is what is used), clamped to
// the positive float16 range [2^-24, 65504] so it stays > 0 and finite.
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantGrid.h"
#include "quant/RoundingTarget.h"
#include "quant/QuantizedLinear.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

#include <vector>

namespace salience {

struct SmoothQuantOptions {
    double alpha = 0.5; // migration strength in [0, 1]: 0 keeps X, 1 moves all of max|X| into W
};

// s for a weight [out, in] and the per-channel max|X_j| (in entries), float16-rounded as above.
// Throws InputError("smoothquant", ...) for α outside [0, 1], a length mismatch or a
// non-finite / negative activation maximum.
std::vector<float> smoothQuantScales(const Matrix& weight, const std::vector<double>& activationAbsMax,
                                     double alpha);

// max|X_j| per channel from data.inputs (exact) or else data.stats->absMax. Throws
// InputError(method, ...) when neither is there (an imatrix has no abs-max) or the width is not
// `inFeatures`.
std::vector<double> activationAbsMaxOf(const LayerData& data, int64_t inFeatures, const char* method);

// A scale rounded to float16 and kept positive and finite: values above 65504 become 65504,
// values that round to 0 become 2^-24; nan or a value <= 0 becomes 1 (no scaling).
float positiveHalfScale(double s);

// W·diag(s): column j of the weight times s_j.
Matrix scaleWeightColumns(const Matrix& weight, const std::vector<float>& s);
// X·diag(s)⁻¹: column j of the inputs divided by s_j (what the previous layer would absorb).
Matrix scaleInputs(const Matrix& X, const std::vector<float>& s);

// Method "smoothquant": W·diag(s) rounded onto the target (a ggml format weighted by the
// imatrix in scaled coordinates, importance_j / s_j²: see RoundingTarget.h), input scale s;
// parameters "alpha".
QuantizedLinear quantizeSmoothQuant(const Matrix& weight, const RoundingTarget& target, const SmoothQuantOptions& options,
                                    const LayerData& data, Progress& progress);

MethodInfo smoothQuantMethodInfo();
// roundingTarget(recipe, ...), recipe.param("alpha").
QuantizedLinear quantizeSmoothQuantRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                          Progress& progress);

} // namespace salience
