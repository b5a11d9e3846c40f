#pragma once
// Pruning methods that choose a mask once and keep the surviving weights as they are:
//   "prune-magnitude"  drop the weights of smallest |W_ij| in each row (no data needed)
//   "prune-wanda"      drop the smallest |W_ij|·‖X_j‖₂ in each row (Sun et al., 2023)
// Masks and tie rules: PruneMask.h. SparseGPT, which also updates the kept weights, is in
// SparseGpt.h.
//
// The result (QuantizedLinear, keepMask in the layer's own coordinates, no permutation):
//   quantize = false  base Dense: kept weights rounded to float16, pruned ones 0
//                     (16 bits per kept weight + the mask)
//   quantize = true   base Codes: round-to-nearest (Rtn.h) of the masked weight on the
//                     recipe's grid; pruned weights are 0 there, so their code is their
//                     group's zero point (Q = 0) and they do not widen any group's range
// Parameters recorded: "sparsity" (the requested one, unstructured) or "prune_n"/"prune_m"
// (N:M, which QuantizedLinear checks and counts), and "quantize".
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantGrid.h"
#include "quant/QuantizedLinear.h"
#include "quant/prune/PruneMask.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

#include <string>
#include <vector>

namespace salience {

struct PruneOptions {
    PrunePattern pattern; // sparsity 0.5 unstructured by default
    bool quantize = false;
};

// The layer keeping `mask` of `weight` as described above (method name and parameters set).
// Throws InputError(method, ...) for a mask of the wrong size or values other than 0/1, a
// non-finite weight, or (quantize = false) a kept weight beyond the float16 range.
QuantizedLinear prunedLayer(const Matrix& weight, const std::vector<uint8_t>& mask, const QuantGrid& grid,
                            const PruneOptions& options, const std::string& method);

// Method "prune-magnitude". `data` is not used (same signature as the other methods).
QuantizedLinear pruneMagnitude(const Matrix& weight, const QuantGrid& grid, const PruneOptions& options,
                               const LayerData& data, Progress& progress);

// Method "prune-wanda". Throws InputError("prune-wanda", ...) when the layer has no inputs,
// statistics or Gram.
QuantizedLinear pruneWanda(const Matrix& weight, const QuantGrid& grid, const PruneOptions& options,
                           const LayerData& data, Progress& progress);

// Parameters every pruning method takes: "sparsity", "n", "m", "quantize".
std::vector<ParamSpec> pruneParams();
// Reads them from a recipe (registered params or defaults). Throws InputError(source, ...)
// when out of range.
PruneOptions pruneOptionsFromRecipe(const Recipe& recipe, const std::string& source);
// Writes "sparsity" or "prune_n"/"prune_m", and "quantize", into q.parameters.
void recordPruneParameters(QuantizedLinear& q, const PruneOptions& options);

MethodInfo pruneMagnitudeMethodInfo();
MethodInfo pruneWandaMethodInfo();

QuantizedLinear quantizePruneMagnitudeRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                             Progress& progress);
QuantizedLinear quantizePruneWandaRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                         Progress& progress);

} // namespace salience
