#pragma once
// QER, quantization error reconstruction (ZeroQuant-V2's LoRC; activation-scaled as in QERA):
//   Q = RTN(W) on the grid,  E = W − Q,  L·R = best rank-r approximation of E,  Ŵ = Q + L·R.
// "Best" is measured in ‖·S‖_F with the activation scaling S (ActivationScaling.h):
//   none     S = I: the truncated SVD of E, minimising the weight error
//   diag     S = diag(RMS of each input channel): minimises the output error when channels are
//            uncorrelated (from inputs, a Gram or just channel statistics)
//   whiten   S = Cholesky factor of XᵀX/n: minimises the output error itself (inputs or Gram)
// and computed as L·R = SVD_r(E·S)·S⁻¹ = U_r·U_rᵀ·E in double. L [out, r] and R [r, in] are
// then rounded to float16, which is how QuantizedLinear counts them (16 bits per element).
// Rank 0 is plain RTN; the rank is clamped to min(out, in), where Ŵ = W up to float16.
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantGrid.h"
#include "quant/RoundingTarget.h"
#include "quant/QuantizedLinear.h"
#include "quant/lowrank/ActivationScaling.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

namespace salience {

struct QerOptions {
    int rank = 0;                          // ≥ 0; clamped to min(out, in)
    ScalingKind scaling = ScalingKind::None;
    // false leaves L and R exactly as computed in double (cast to float) for analysis and tests;
    // validate() and dequantize() then reject them, since only float16 factors are counted.
    bool roundFactorsToHalf = true;
};

// Method "qer": W rounded onto the target (RTN codes, or ggml blocks: RoundingTarget.h) plus L, R. parameters: "rank" (after clamping), "scaling"
// (0 none, 1 diag, 2 whiten). Throws InputError("qer", ...) for a negative rank, a scaled
// variant without the activations it needs, or a bad grid/weight; CancelledError when cancelled.
QuantizedLinear quantizeQer(const Matrix& weight, const RoundingTarget& target, const QerOptions& options,
                            const LayerData& data, Progress& progress);

MethodInfo qerMethodInfo();
// roundingTarget(recipe, ...), recipe.rank, recipe.param("scaling").
QuantizedLinear quantizeQerRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                  Progress& progress);

} // namespace salience
