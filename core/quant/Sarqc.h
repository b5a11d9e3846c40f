#pragma once
// SARQC, saliency-aware regularized calibration: calibrate as GPTQ or AWQ do, but add the
// saliency-weighted weight drift λ·Σ_ij s_ij·(W_ij − Ŵ_ij)² to the reconstruction loss, so the
// weights a criterion (core/quant/Saliency.h) calls salient move less.
//
// Normalisation (so λ is dimensionless and λ = 1 weighs the drift like the data term): the
// scores are rescaled so that their mean over all weights equals the mean of the data term's
// diagonal. Both forms then minimise, per layer,
//   ‖(W − Ŵ)·Xᵀ‖²/n + λ·Σ_ij s̃_ij·(W_ij − Ŵ_ij)²,   mean(s̃) = mean_j (XᵀX/n)_jj
// (the GPTQ form up to the factor 2 of its Hessian and its damping; see below). All-zero scores
// add nothing.
//
// (a) Gram-based form, "sarqc-gptq". GPTQ minimises, row by row, (w − ŵ)ᵀH(w − ŵ) with one H
//     shared by every row (H = 2XᵀX/n + damping, Hessian.h). The saliency term makes the exact
//     Hessian of row i H + 2λ·diag(s̃_i), different for each row, which GPTQ's shared Cholesky
//     factor cannot use. We use one shared matrix instead:
//       H' = H + λ·diag(m),   m_j = mean_i s_ij · mean(diag H) / mean_ij s_ij
//     i.e. the row-mean of the scores, normalised to the mean of diag(H) (damping included).
//     This is an APPROXIMATION: every row is regularised by the column profile of the
//     saliency averaged over rows, not by its own scores. Criteria whose saliency is mostly a
//     per-column effect (awq: |W_ij|·‖X_j‖) survive the averaging best; row-specific outliers
//     (magnitude, svd) are only partly seen. The rest is GPTQ exactly: same H from
//     layerHessian, same dead-column zeroing, then quantizeGptqWithHessian(W, grid, options, H').
//     GPTQ's RTN guard (Gptq.h) then judges each row by H' itself, i.e. by the regularised
//     objective with GPTQ's damping included, against RTN of the dead-column-zeroed weight
//     (quantizeGptq judges by the undamped 2XᵀX/n). λ = 0 calls quantizeGptq itself, so the
//     result is GPTQ's exactly; with the guard off, any λ too small to change H in double
//     gives GPTQ's result too.
// (b) Scale-search form, "sarqc-awq": quantizeAwq with AwqOptions::saliency = s̃ and
//     saliencyLambda = λ, whose searches (scale exponent, clipping) then minimise the
//     objective above exactly, per row and per weight. With λ = 0 the result equals
//     quantizeAwq's.
//
// The criterion's scores are taken on the original weight. For the spqr criterion its RTN uses
// the target grid's bits and its Hessian the GPTQ damping (sarqc-gptq) or the default 0.01.
#include "quant/Recipe.h"
#include "quant/Awq.h"
#include "quant/Gptq.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantGrid.h"
#include "quant/RoundingTarget.h"
#include "quant/QuantizedLinear.h"
#include "quant/Saliency.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

namespace salience {

struct SarqcOptions {
    double lambda = 1.0; // λ in [0, 1000]
    SaliencyCriterion criterion = SaliencyCriterion::Svd;
    SaliencyOptions saliency;
};

// H + λ·diag(m) with m as in (a). Throws InputError("sarqc-gptq", ...) for a λ out of range
// or shapes that disagree (scores [out, in], H [in, in]).
MatrixD sarqcHessian(const MatrixD& hessian, const Matrix& scores, double lambda);

// s·mean(d)/mean(s) with d = diag(XᵀX/n) from the layer's Gram (with tokens), inputs or
// statistics, in that order, as in (b). Throws InputError("sarqc-awq", ...) when the layer has
// no activations or their width differs.
Matrix sarqcNormalizedScores(const Matrix& scores, const LayerData& data);

// Σ_ij s_ij·(W_ij − Ŵ_ij)², in double: the drift SARQC penalises. Throws
// InputError("sarqc", ...) when the shapes differ.
double saliencyWeightedDrift(const Matrix& weight, const Matrix& approx, const Matrix& scores);

// Onto a ggml block format (RoundingTarget.h) both forms keep ggml's block scales: the GPTQ form
// chooses levels under H' (quantizeGptqGgmlWithHessian, the scales from the layer's imatrix), the
// AWQ form rounds W·diag(s) with ggml's quantizer.
// Method "sarqc-gptq"; parameters are GPTQ's plus "lambda" and "criterion" (index).
// Throws what quantizeGptq and saliencyScores throw, InputError("sarqc-gptq", ...) for a λ
// out of range, CancelledError when cancelled.
QuantizedLinear quantizeSarqcGptq(const Matrix& weight, const RoundingTarget& target, const SarqcOptions& options,
                                  const GptqOptions& gptq, const LayerData& data, Progress& progress);

// Method "sarqc-awq"; parameters are AWQ's plus "lambda" and "criterion" (index).
// `awq.saliency` and `awq.saliencyLambda` are replaced by SARQC's.
QuantizedLinear quantizeSarqcAwq(const Matrix& weight, const RoundingTarget& target, const SarqcOptions& options,
                                 const AwqOptions& awq, const LayerData& data, Progress& progress);

MethodInfo sarqcGptqMethodInfo();
MethodInfo sarqcAwqMethodInfo();
// Params "lambda", "criterion", "svd_rank", plus GPTQ's own ("damp", "block", "act_order",
// "static_groups", "rtn_guard") or AWQ's ("grid", "clip"), with their defaults.
QuantizedLinear quantizeSarqcGptqRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                        Progress& progress);
QuantizedLinear quantizeSarqcAwqRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                       Progress& progress);

} // namespace salience
