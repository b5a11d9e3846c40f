#pragma once
// Non-uniform quantization by k-means (method "kmeans"), in the manner of SqueezeLLM (Kim et
// al., 2023): every output row gets its own look-up table of 2^b float16 centroids, fit by
// WEIGHTED Lloyd's k-means on the row's weights, and each weight stores the index of its
// centroid (QuantizedLinear's codebook: Q[r, i] = codebook[r·2^b + codes[r, i]]).
//
// Weights of the k-means objective. SqueezeLLM weights each W_rj by the Fisher information
// (squared gradients), which needs a backward pass this workbench does not run. The proxy
// here is the activation second moment of input column j, the same for every row:
//   importance_j = E[x_j²] = sumSq_j / count (data.stats), or mean over tokens of X_j²
//   (data.inputs), or diag(XᵀX)_j / tokens (data.gram); uniform 1 when there is no data.
// Σ_j E[x_j²]·(W_rj − Ŵ_rj)² is the row's output error when the input channels are
// uncorrelated, so the fit spends its centroids where the layer's output is sensitive.
//
// Per row (K = 2^b centroids, ties in distance go to the lower centroid):
// 1. Initialisation, deterministic: when the row has at most K distinct values they are the
//    centroids (so the fit is exact up to float16). Otherwise two starts are run through step
//    2 and the one with the lower final objective is kept (the quantile start on a tie):
//    centroid k at the ((k + ½)/K)-quantile of the sorted row (element floor((k + ½)·n/K)),
//    and K centroids evenly spaced over [min, max] of the row. Quantiles follow the bulk of
//    the weights; the even start cannot be trapped by heavy tails (with all centroids in the
//    bulk, Lloyd may drag only one part way to the outliers), which happens on real rows.
// 2. Lloyd's iterations: assign every weight to its nearest centroid; move every centroid to
//    the importance-weighted mean of its weights (a cluster whose weights all have importance
//    0 takes their plain mean; an empty cluster is moved onto the weight with the largest
//    weighted squared error, which cannot increase the objective). Stop when no assignment
//    changes, or after maxIterations. The weighted objective never increases.
// 3. Centroids are rounded to float16 and every weight is assigned to its nearest rounded
//    centroid, so what is stored is what was scored.
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantGrid.h"
#include "quant/QuantizedLinear.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <span>
#include <vector>

namespace salience {

struct KmeansOptions {
    int maxIterations = 50; // Lloyd iterations per row, in [1, 1000]
    bool useActivations = true; // false: uniform importance even when data is present
};

struct KmeansRowFit {
    std::vector<double> centroids;  // K, sorted ascending, before float16 rounding
    std::vector<uint8_t> codes;     // index into centroids per weight
    std::vector<double> objective;  // of the kept start: weighted squared error after the
                                    // initial assignment and after each iteration's update
    int iterations = 0;             // Lloyd iterations run
};

// Weighted 1-D k-means of one row (steps 1–2 above). values and importance have one entry
// per column; importance entries must be finite and ≥ 0; clusters in [1, 256].
// Throws InputError("kmeans", ...) on bad sizes or values.
KmeansRowFit kmeansFitRow(std::span<const float> values, std::span<const double> importance,
                          int clusters, int maxIterations);

// importance_j as defined above, from whichever of data.stats, data.inputs, data.gram is
// present (in that order); all ones when none is. Throws InputError("kmeans", ...) when the
// data's width is not inFeatures or a value is not finite.
std::vector<double> kmeansImportance(const LayerData& data, int64_t inFeatures);

// Method "kmeans", parameters "iterations" and "weighted" (1 when activation importance was
// used). Uses grid.bits only: the granularity, group size and symmetry do not apply. The
// result has the Codes base with a codebook; scales and zero points are left as the
// constructor sizes them (unused, not counted).
// Throws InputError("kmeans", ...) for an empty or non-finite weight or options out of
// range; CancelledError when cancelled (checked between rows).
QuantizedLinear quantizeKmeans(const Matrix& weight, const QuantGrid& grid, const KmeansOptions& options,
                               const LayerData& data, Progress& progress);

MethodInfo kmeansMethodInfo();

// Recipe → options: recipe.grid() (bits), params "iterations", "weighted".
QuantizedLinear quantizeKmeansRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                     Progress& progress);

} // namespace salience
