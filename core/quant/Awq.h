#pragma once
// AWQ, activation-aware weight quantization (Lin et al. 2024), as AutoAWQ does it for one layer.
//
// Scale search. m_j is the typical activation magnitude of input channel j. For each ratio
// r = i / gridPoints, i = 0 .. gridPoints−1:
//   s_j = max(m_j^r, 1e-4),   s ← s / sqrt(max(s)·min(s)),   s ← float16(s)
//   Ŵ(r) = RTN(W·diag(s))·diag(s)⁻¹                        (what dequantize() gives)
// and the r with the smallest objective wins (the smallest r on ties). r = 0 gives s = 1, i.e.
// plain RTN, so the result is never worse than RTN on the objective.
//
// Objective, with E = Ŵ − W in original coordinates:
//   ‖E·Xᵀ‖²/n  + λ·Σ_ij S_ij·E_ij²
// The first term is the mean over the n tokens of the squared output error. It is computed
// exactly from data.inputs (or data.gram, XᵀX over data.gramTokens tokens) when present. With
// statistics only it uses the diagonal approximation Σ_j d_j·‖E_:,j‖² with d_j = sum_sq_j / count
// = the diagonal of XᵀX/n (cross-channel correlations are ignored). The second term is the
// saliency-weighted drift of SARQC, present only when options.saliency is set and λ > 0.
//
// Activation magnitude m_j: mean|X_j| from data.inputs; from statistics abs_sum / count; from
// statistics without abs_sum (an imatrix file has only sums of squares) the RMS
// sqrt(sum_sq / count); from a Gram alone sqrt(G_jj / n).
//
// Clipping search (optional, after the scale search): each group of W_s = W·diag(s) (a group of
// the grid, a whole row per channel, the whole matrix per tensor) is clamped to ±ρ·max|group|
// for ρ = 1 − k·(1 − clipMinRatio)/clipSteps, k = 0 .. clipSteps, before RTN, and per group the
// ρ with the smallest error of that group's share of the objective is kept (AutoAWQ's
// auto_clip). Since groups are chosen one at a time, cross-group terms of the objective are not
// seen; the clipped result is kept only if the whole objective does not get worse.
//
// Onto a ggml block format (RoundingTarget.h) RTN is ggml's quantizer, weighted by the imatrix in
// scaled coordinates (importance_j / s_j²), and there is no clipping search: ggml's quantizer
// searches each block's scale itself. Ratio 0 is then exactly llama-quantize's rounding.
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

struct AwqOptions {
    int gridPoints = 20;         // ratios tried: 0, 1/n, ..., (n−1)/n; 1..1000
    bool clipSearch = true;
    double clipMinRatio = 0.5;   // smallest shrink ratio tried, in (0, 1]
    int clipSteps = 20;          // shrink ratios tried besides 1; 1..1000
    const Matrix* saliency = nullptr; // [out, in] nonnegative scores S_ij (SARQC); optional
    double saliencyLambda = 0.0;      // λ >= 0; the term is used only when saliency is set and λ > 0
};

// m_j as described above. Throws InputError(method, ...) when the layer has no activations or
// their width is not `inFeatures`.
std::vector<double> awqActivationMagnitude(const LayerData& data, int64_t inFeatures, const char* method);

// The float16 scales for one ratio, as described above (normalised, positive, finite).
std::vector<float> awqScales(const std::vector<double>& magnitude, double ratio);

// Method "awq": input scale s of the best ratio, codes of the (optionally clipped) W·diag(s).
// parameters: "ratio" (chosen), "grid", "clip", "lambda", "objective" and "rtn_objective" (the
// objective of the result and of plain RTN). Throws InputError("awq", ...) when activations are
// missing or options are out of range, CancelledError when cancelled.
QuantizedLinear quantizeAwq(const Matrix& weight, const RoundingTarget& target, const AwqOptions& options,
                            const LayerData& data, Progress& progress);

MethodInfo awqMethodInfo();
// roundingTarget(recipe, ...), recipe.param("grid") → gridPoints, recipe.param("clip") → clipSearch.
QuantizedLinear quantizeAwqRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                  Progress& progress);

} // namespace salience
