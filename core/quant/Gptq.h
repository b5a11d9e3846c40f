#pragma once
// GPTQ (Frantar et al., 2022): quantize a layer's input columns one at a time, and after each
// column spread its rounding error over the columns not yet quantized so that the layer's
// OUTPUT changes as little as possible, as measured by the Hessian H of Hessian.h.
//
// With U the upper Cholesky factor of H⁻¹ (H⁻¹ = UᵀU), column i is rounded to q_i and
//   err_i = (w_i − q_i) / U_ii,     w_j −= err_i · U_ij     for every later column j > i.
// "Lazy batch" updates: inside a block of `blockSize` columns the update is applied column by
// column to the block only; the later columns receive the whole block's errors in one matrix
// product at the end of the block. The result equals the column-by-column algorithm up to
// floating-point rounding. GptqColumns.h has the arithmetic: float32 as in the reference, one
// Cholesky factorization of H and no inverse (H = R·Rᵀ gives the same feedback), rows split over
// threads; the result does not depend on the thread count.
//
// Scales and zero points follow Rtn.h exactly (float16 scales, ties to even, rtnGroupParams):
// - per tensor:  from the whole weight up front;
// - per channel: from each whole row up front;
// - per group:   when a group starts, from the group's CURRENT weights (the original weights
//                plus all error feedback received so far, exactly as the column-by-column
//                algorithm would see them, also for the part of the group beyond the block);
// - static groups (per group only): every group's parameters up front from the original
//                weights, groups of consecutive ORIGINAL columns.
// Act-order processes columns by descending diag(H) (ties: lower column first); the
// permutation is stored only where the grid needs it:
// - act-order with per-group (non-static) groups: permutation[i] = original column quantized
//   at position i; codes, scales and groups in those quantized coordinates (groups are
//   consecutive positions, as QuantizedLinear.h defines and as GPTQ's g_idx does);
// - act-order with static groups, per channel or per tensor: the groups (if any) do not depend
//   on the order, so codes are stored in ORIGINAL coordinates, without a permutation (and
//   without its 32 bits per column): this is exactly the result, since the processing order
//   affects only which codes are chosen, not how they are decoded.
// Dead input columns (zero in every token) are zeroed before quantization, as in the
// reference implementation: they cannot change the output.
//
// RTN guard (on by default, not in the reference): GPTQ's greedy order is not guaranteed to
// beat rounding. With few tokens H is nearly singular, and the feedback can push a row's
// weights far outside its grid, where they clip (seen on the demo model at 3 bits per
// channel). The loss tr(E·L·Eᵀ) is a sum over rows and each row owns its codes (and, except
// per tensor, its scales), so every row keeps whichever of GPTQ and RTN (same coordinates)
// has the lower loss; a final check falls back to plain RTN of the whole weight when that is
// still better (possible only with act-order groups). L is the undamped 2·XᵀX/n in
// quantizeGptq, the given Hessian in quantizeGptqWithHessian. So the output error on the
// calibration inputs never exceeds RTN's. Parameter "rtn_rows" records how many rows kept RTN.
//
// Onto a ggml block format (quantizeGptqGgml; a recipe's grid_type) every (sub-)block's scale, min
// and super-scale come from ggml's own quantizer with the inputs' imatrix (importance =
// diag(XᵀX)/n, each column's mean squared input), and the column loop chooses levels: each
// error-updated weight goes to the nearest level of its own block's grid (GgmlBlockLevels.h;
// clamped to the type's level range, the nearest table entry for IQ4_NL), written into the blocks.
// - Natural order, groups not static: when the loop reaches the first column of a ggml block,
//   ggml's quantizer sets that block's grid from its CURRENT weights (as per-group grids above;
//   importance sliced to the block, and the block quantized as a row of its own, so for Q4_0/Q4_1/
//   Q5_0/Q5_1/IQ4_NL ggml's per-row statistic is the block's).
// - Act-order or static groups: every grid is fixed up front, exactly what llama-quantize writes
//   for the weight with that imatrix. Act-order then only changes the order in which levels are
//   chosen: the blocks stay in original coordinates, with no permutation, so it costs nothing
//   here. It lowers the layers' output error further (test_gptqggml), but not the model's: on
//   tinystories-d256 at Q2_K its fixed grids gave a higher llama.cpp perplexity than natural
//   order (README), so natural order stays the default.
// The RTN guard compares each row with the plain quantizer's row and keeps the plain bytes where
// their loss is lower. The result's base is QuantBase::Ggml, so a GGUF holds it unchanged.
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantGrid.h"
#include "quant/QuantizedLinear.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

#include <cstdint>

namespace salience {

struct GptqOptions {
    double damp = 0.01;      // λ: relative damping, in [0, 1]
    int64_t blockSize = 128; // lazy-batch block, in [1, 4096]
    bool actOrder = false;   // process columns by descending diag(H)
    bool staticGroups = false; // per-group grids: group parameters up front from the original W
    bool rtnGuard = true;    // rows where RTN has the lower loss keep RTN (see above)
    int threads = 0;         // row slabs of the column loop on this many threads (0: one per core,
                             // 1 inside a parallelFor task); the result does not depend on it
};

// Method "gptq", parameters "damp", "block", "act_order", "static_groups", "rtn_guard" and
// "rtn_rows" (rows that kept RTN; all rows when the whole layer fell back).
// Throws InputError("gptq", ...) when the layer has neither inputs nor a Gram, widths differ,
// the weight is empty or not finite, an option is out of range or the grid is invalid;
// salience::Error when H is not positive definite even after extra damping; CancelledError
// when `progress` is cancelled (checked once per block).
QuantizedLinear quantizeGptq(const Matrix& weight, const QuantGrid& grid, const GptqOptions& options,
                             const LayerData& data, Progress& progress);

// GPTQ onto the ggml block format `type` (isGgmlGridType), described above: method "gptq", base
// QuantBase::Ggml, parameters as quantizeGptq's (static_groups = 1) and "imatrix" = 1. Throws
// InputError("gptq onto <type>", ...) for a type that is no block format or rows that are not
// whole blocks of it (quantizeGptqRecipe falls back first, as llama-quantize does), and as
// quantizeGptq otherwise.
QuantizedLinear quantizeGptqGgml(const Matrix& weight, GgmlType type, const GptqOptions& options,
                                 const LayerData& data, Progress& progress);

// The same with a Hessian given [in, in] (already damped; options.damp is only recorded):
// for variants that change H (SARQC adds a saliency term). Nothing is zeroed here, and the
// RTN guard judges by this H.
QuantizedLinear quantizeGptqWithHessian(const Matrix& weight, const QuantGrid& grid, const GptqOptions& options,
                                        const MatrixD& hessian, Progress& progress);

// GPTQ onto a ggml format with a Hessian given (already damped; SARQC's): the blocks' scales are
// ggml's quantizer's under `importance` (null: unweighted), the column loop and the RTN guard use
// `hessian`. Throws as quantizeGptqGgml, and InputError for a Hessian or importance of the wrong
// size or a Hessian that is not finite.
QuantizedLinear quantizeGptqGgmlWithHessian(const Matrix& weight, GgmlType type, const GptqOptions& options,
                                            const MatrixD& hessian, const std::vector<float>* importance,
                                            Progress& progress);

MethodInfo gptqMethodInfo();

// Recipe → options: params "damp", "block", "act_order", "static_groups", "rtn_guard";
// recipe.grid(), or with a grid_type quantizeGptqGgml onto ggmlFallbackType(type, in) (parameter
// "fallback" = 1 when that is another type; a dense float16 base when it is F16).
QuantizedLinear quantizeGptqRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                   Progress& progress);

} // namespace salience
