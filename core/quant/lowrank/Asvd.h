#pragma once
// Low rank alone: Ŵ = L·R with no quantized base (QuantBase::Zero, no codes counted).
//   L·R = SVD_r(W·S)·S⁻¹ = U_r·U_rᵀ·W,  U the left singular vectors of W·S (ActivationScaling.h)
// with S by `scaling`:
//   none     I: the truncated SVD, best in weight error (Eckart–Young:
//            ‖W − W_r‖_F² = Σ_{i>r} σ_i²)
//   diag     ASVD (Yuan et al. 2023): S = diag((mean|x_j|)^α) [α = 0.5]
//   whiten   SVD-LLM's whitened SVD: S = Cholesky factor of XᵀX/n, best in output error
// L and R are float16 (16 bits per element), unless quantizeFactors: then L [out, r] and
// R [r, in] are each fake-quantized with RTN on the recipe's grid (groups along their rows)
// and rounded to float16 afterwards, because QuantizedLinear can only hold float16 factors.
// QuantizedLinear then still COUNTS them at 16 bits (an over-count, never an under-count);
// the honest count at the grid's precision is recorded in parameters["factor_bits_per_weight"].
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantGrid.h"
#include "quant/QuantizedLinear.h"
#include "quant/lowrank/ActivationScaling.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

namespace salience {

struct AsvdOptions {
    int rank = 1;                                // ≥ 1 (rank 0 would be the zero matrix); clamped to min(out, in)
    ScalingKind scaling = ScalingKind::Diagonal;
    double alpha = 0.5;                          // diag: s_j = (mean|x_j|)^α, in [0, 4]; 0 gives S = I
    bool quantizeFactors = false;                // fake-quantize L and R on the grid
    bool roundFactorsToHalf = true;              // as QerOptions::roundFactorsToHalf
};

// Bits of L [out, r] and R [r, in] stored as RTN codes on `grid` (codes, float16 scales, zero
// points when asymmetric, groups along each factor's rows), per weight of the [out, in] layer.
double quantizedFactorBitsPerWeight(int64_t out, int64_t in, int64_t rank, const QuantGrid& grid);

// Method "asvd": base Zero, L and R only. parameters: "rank" (after clamping), "scaling"
// (0 none, 1 diag, 2 whiten), "alpha", "quantize_factors" (0/1) and, when 1, "factor_bits"
// (the grid's bits) and "factor_bits_per_weight". Throws InputError("asvd", ...) for a rank
// below 1, alpha out of range, a scaled variant without activations or a bad weight/grid;
// CancelledError when cancelled.
QuantizedLinear approximateAsvd(const Matrix& weight, const QuantGrid& grid, const AsvdOptions& options,
                                const LayerData& data, Progress& progress);

MethodInfo asvdMethodInfo();
// recipe.grid() (used only for quantize_factors), recipe.rank, recipe.param("scaling"),
// recipe.param("alpha"), recipe.param("quantize_factors").
QuantizedLinear quantizeAsvdRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                  Progress& progress);

} // namespace salience
