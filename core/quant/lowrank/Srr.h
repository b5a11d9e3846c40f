#pragma once
// SRR, structured residual reconstruction ("Preserve-Then-Quantize", arXiv 2602.02001): split
// the rank budget r into k preserved directions and r − k error-correcting ones.
//   1. Preserve: W·S = U·Σ·Vᵀ (S the activation scaling, ActivationScaling.h) and
//      W_k = SVD_k(W·S)·S⁻¹ = U_k·U_kᵀ·W, kept in full precision (float16 factors).
//   2. Quantize the residual: Q_k = RTN(W − W_k),  E_k = W − W_k − Q_k.
//   3. Reconstruct: L_e·R_e = SVD_{r−k}(E_k·S)·S⁻¹, exactly as QER does with the rest of the rank.
//   Ŵ = Q_k + [L_k | L_e]·[R_k; R_e]: one QuantizedLinear with rank r. k = 0 is QER exactly.
//
// Choosing k:
//   search  every k = 0..r is built exactly as the result would be (float16 factors included)
//           and the one with the smallest error wins (the smallest k on ties): the output error
//           tr(E·G·Eᵀ) with G = XᵀX/n when the layer has inputs or a Gram and the scaling is not
//           'none'; otherwise ‖E·S‖_F² (the weight error for 'none', the diagonal approximation
//           of the output error for 'diag' from statistics). Since k = 0 is a candidate, the
//           result is never worse than QER at the same rank in that error. Costs r + 1 SVDs.
//   paper   a cheap prediction with one SVD. The paper's exact criterion (balancing the
//           "quantization-exposed energy" against the error the remaining rank cannot
//           recover) was not available to us, so this is a documented PROXY in that spirit:
//             J(k) = (1 − (r − k)/n) · Σ_ij w_j · Δ_ij(k)²/12,      n = min(out, in)
//           Δ_ij(k) is the RTN step (the float16 scale) of the group holding (i, j) when the
//           residual W − W_k is quantized, Δ²/12 the variance of a uniform rounding error, w_j
//           the weight of column j in ‖·S‖² (s_j², (G/n)_jj or 1), and 1 − (r − k)/n the share an
//           isotropic (white) error keeps after its best r − k directions are removed. The
//           preserved part itself is error free. k = argmin J(k) (the smallest k on ties).
//           It needs only RTN scales per k, no SVD of an error.
// Onto a ggml block format (RoundingTarget.h) the residual is rounded by ggml's quantizer; the
// paper proxy then takes its steps from the format's nominal grid (the recipe's grid of the
// format: Q4_K as 4-bit groups of 32), an approximation of ggml's own block scales.
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

// The order is the index of the "kmode" choice parameter.
enum class SrrSplit { Paper = 0, Search = 1 };

struct SrrOptions {
    int rank = 0;                               // r ≥ 0; clamped to min(out, in)
    ScalingKind scaling = ScalingKind::Diagonal;
    SrrSplit split = SrrSplit::Paper;
    int preservedRank = -1;                     // ≥ 0: use this k (≤ rank) instead of choosing
    bool roundFactorsToHalf = true;             // as QerOptions::roundFactorsToHalf
};

// Method "srr". parameters: "rank" (r after clamping), "k" (chosen), "scaling" (0 none, 1 diag,
// 2 whiten), "kmode" (0 paper, 1 search, −1 fixed by options.preservedRank) and "objective"
// (the chosen candidate's error as described above: J(k) for paper, the squared error for
// search and for a fixed k). Throws InputError("srr", ...) for a negative rank, a preserved rank
// outside 0..rank, a scaled variant without the activations it needs or a bad weight/grid;
// CancelledError when cancelled (between candidates).
QuantizedLinear quantizeSrr(const Matrix& weight, const RoundingTarget& target, const SrrOptions& options,
                            const LayerData& data, Progress& progress);

MethodInfo srrMethodInfo();
// roundingTarget(recipe, ...), recipe.rank, recipe.param("scaling"), recipe.param("kmode").
QuantizedLinear quantizeSrrRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                  Progress& progress);

} // namespace salience
