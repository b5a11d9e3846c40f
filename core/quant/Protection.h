#pragma once
// Saliency protection: keep a budget of p% of a layer's weights in full precision (float16) as
// a sparse set and round the rest to the grid, the criterion that picks them being a
// parameter (core/quant/Saliency.h), so criteria can be compared at the same budget.
//
//   count     = ⌊p/100 · out · in⌋ (computed in double; a product within 1e-9 relative of an
//               integer counts as that integer, so p = 1 of 300 weights protects 3)
//   selection = the `count` largest scores; ties go to the weight that comes first in
//               row-major order (smaller row, then smaller column), so the choice is
//               deterministic and independent of the sort algorithm
//   sparse    = their original values rounded to float16 (roundSideArraysToHalf), sorted by
//               row then column (CSR order)
//   the rest  = RTN (core/quant/Rtn.h) where each group's scale and zero point come from
//               rtnGroupParams over the group's UNPROTECTED values only, so the protected
//               outliers no longer stretch the grid. A fully protected group gets scale 1 and
//               the grid's default zero point (0 asymmetric, 2^(b−1) symmetric).
//               A protected position still gets a code (the nearest, clamped, on its group's
//               grid) but dequantize() overrides it with the sparse value.
// At p = 0 nothing is protected and the codes, scales and zero points equal quantizeRtn's.
// Onto a ggml block format (RoundingTarget.h) the rest is ggml's quantizer run on W with the
// protected positions set to 0 (a block's scales cannot skip single weights, but a zero neither
// stretches its range nor is kept: dequantize() overrides it with the sparse value).
// Bits per weight count the sparse entries (16-bit value + 16- or 32-bit column index each,
// plus out + 1 row pointers of 32 bits): see QuantizedLinear.h.
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantGrid.h"
#include "quant/RoundingTarget.h"
#include "quant/QuantizedLinear.h"
#include "quant/Saliency.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <vector>

namespace salience {

struct ProtectionOptions {
    double percent = 1.0; // p in [0, 100]
    SaliencyCriterion criterion = SaliencyCriterion::Svd;
    // Used by the criterion; spqrBits is replaced by the grid's bits, so the spqr criterion
    // measures the rounding the layer will actually get (at SpQR's small group size).
    SaliencyOptions saliency;
};

// ⌊percent/100 · out · in⌋ as described above. Throws InputError("protect", ...) for a percent
// outside [0, 100] or not finite, or a size below 1.
int64_t protectedCount(double percent, int64_t out, int64_t in);

// Row-major indices (row·in + col) of the `count` largest scores, ties to the smaller index,
// in ascending index order. count is clamped to [0, size]. Scores must be finite.
std::vector<int64_t> topScoreIndices(const Matrix& scores, int64_t count);

// Method "protect". parameters: "percent", "criterion" (index in saliencyCriterionNames()),
// "svd_rank", "spqr_group", "protected" (the number of sparse entries).
// Throws InputError("protect", ...) for options out of range, InputError("saliency (...)", ...)
// when the criterion needs activations the layer lacks, CancelledError when cancelled.
QuantizedLinear quantizeProtected(const Matrix& weight, const RoundingTarget& target, const ProtectionOptions& options,
                                  const LayerData& data, Progress& progress);

MethodInfo protectMethodInfo();
// roundingTarget(recipe, ...), recipe.protectPercent → percent, recipe.param("criterion") → criterion,
// recipe.param("svd_rank") → svdRank.
QuantizedLinear quantizeProtectRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                      Progress& progress);

} // namespace salience
