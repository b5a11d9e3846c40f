#pragma once
// Which weights of a layer matter most: one nonnegative score per weight, [out, in], by one
// of four criteria. Saliency protection keeps the highest-scoring weights in full precision;
// SARQC weights its calibration objective by the scores.
//
//   svd        |U_k Σ_k V_kᵀ|_ij: the magnitude of the weight's rank-k reconstruction (k =
//              svdRank, capped at min(out, in)). Data-free: weights aligned with the principal
//              components of W score high even when they are not the largest themselves.
//   awq        |W_ij|·‖X_j‖₂ with ‖X_j‖₂ = sqrt(Σ_tokens x_j²): a weight matters as much as
//              the channel that feeds it. From the inputs when kept, else sqrt(G_jj) of the
//              Gram, else sqrt(sum_sq_j) of the channel statistics (all three are equal).
//   spqr       (W_ij − RTN(W)_ij)² / [H⁻¹]_jj², a Hessian-weighted rounding error:
//                H = layerHessian(data, in, damp) (core/quant/Hessian.h: 2XᵀX/n + damp·mean(diag)·I,
//                  dead columns set to 1 first), from the inputs or the Gram;
//                RTN = asymmetric min-max round-to-nearest with spqrBits bits in groups of
//                  spqrGroup consecutive input columns of a row (SpQR's small groups, β₁ = 16);
//                  the scales are float16 exactly as in core/quant/Rtn.h;
//                [H⁻¹]_jj from the Cholesky factor of H⁻¹ (upperCholeskyOfInverse).
//              Reference SpQR divides the squared error by the squared diagonal of the Cholesky
//              factor of H⁻¹, which is [H⁻¹]_jj only for the last column (or a diagonal H) and
//              otherwise the conditional variance given the earlier columns; we use the plain
//              diagonal [H⁻¹]_jj squared, which does not depend on the column order.
//   magnitude  |W_ij|.
//
// Statistics alone (an imatrix) are enough for awq but not for spqr, which needs the whole
// Gram. A criterion that needs activations the layer does not have throws InputError.
#include "quant/LayerData.h"
#include "tensor/Tensor.h"

#include <string>
#include <string_view>
#include <vector>

namespace salience {

enum class SaliencyCriterion { Svd, Awq, Spqr, Magnitude };

// "svd", "awq", "spqr", "magnitude": in enum order, so the position is the choice index a
// Recipe stores for a criterion parameter.
const std::vector<std::string>& saliencyCriterionNames();
std::string saliencyCriterionName(SaliencyCriterion criterion);
// Throws InputError("saliency criterion", ...) listing the known names.
SaliencyCriterion saliencyCriterionFromName(std::string_view name);
// The criterion at a choice index as a Recipe stores it (a whole number as a double).
// Throws InputError("saliency criterion", ...) when it is not one of 0..3.
SaliencyCriterion saliencyCriterionFromIndex(double index);
// awq and spqr read the layer's activations; svd and magnitude do not.
bool saliencyNeedsActivations(SaliencyCriterion criterion);

struct SaliencyOptions {
    int svdRank = 8;      // k of the svd criterion, >= 1
    int spqrGroup = 16;   // group size of the RTN inside the spqr criterion, >= 1
    double damp = 0.01;   // relative damping of the spqr criterion's Hessian, >= 0
    int spqrBits = 4;     // bits of that RTN, 2..8; callers with a target grid pass its bits
};

// Scores [out, in], every entry finite and >= 0.
// Throws InputError("saliency (<criterion>)", ...) for an empty or non-finite weight, options
// out of range, activations of the wrong width, or activations the criterion needs but the
// layer does not have.
Matrix saliencyScores(const Matrix& weight, SaliencyCriterion criterion, const SaliencyOptions& options,
                      const LayerData& data);

} // namespace salience
