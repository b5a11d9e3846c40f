#pragma once
// The Hessian of a linear layer's output error and the factor GPTQ-style methods need.
//
// For a layer with inputs X [n, in], the squared output error ‖(W − Ŵ)Xᵀ‖² summed over rows
// has Hessian 2·XᵀX per output row. Scaling by 1/n keeps it independent of the token count:
//   H = 2·XᵀX/n + λ·mean(diag(2·XᵀX/n))·I        (λ = "damp", 0.01 by default)
// Input columns that never fire (diag = 0, "dead") would make H singular; like the reference
// GPTQ implementation they get H_jj = 1 before damping. Their weight column has no effect on
// the layer's output, so a GPTQ-style method should zero it (quantizeGptq does, as the
// reference does), which makes their error exactly irrelevant to the output.
#include "quant/LayerData.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <vector>

namespace salience {

// `data` with a Gram: its own, or XᵀX formed once from data.inputs into `storage` (when the
// inputs have `inFeatures` columns and at least one row), so the Hessian, the dead columns and
// anything else read from it share one product. Otherwise `data` unchanged.
LayerData withGram(const LayerData& data, int64_t inFeatures, MatrixD& storage);

// What layerHessian reads besides H, from the same pass (GPTQ at in = 14336 would otherwise
// check a 1.6 GB Gram three times).
struct HessianColumns {
    double damp = 0;                // added to every diagonal entry: λ·mean(diag H) before damping
    std::vector<bool> dead;         // as deadInputColumns
    std::vector<float> meanSquares; // as inputMeanSquares
};

// H as above from data.gram (n = data.gramTokens) when present, else from gram(*data.inputs).
// Throws InputError("gptq", ...) when there are no inputs and no Gram, the Gram or inputs
// do not have `inFeatures` columns, there are no tokens, an entry is not finite, or
// dampRelative is negative or not finite. Fills `columns` when given.
MatrixD layerHessian(const LayerData& data, int64_t inFeatures, double dampRelative,
                     HessianColumns* columns = nullptr);

// Which input columns are dead (zero diagonal in the Gram, before damping), as used above.
// Same inputs and errors as layerHessian.
std::vector<bool> deadInputColumns(const LayerData& data, int64_t inFeatures);

// Each input column's mean square, diag(XᵀX)/n: llama.cpp's importance-matrix entries, which
// ggml's quantizers weight by. Same inputs and errors as layerHessian.
std::vector<float> inputMeanSquares(const LayerData& data, int64_t inFeatures);

// U upper triangular with H⁻¹ = UᵀU: the upper Cholesky factor of the inverse, which GPTQ
// uses for its error feedback (row i of U, divided by U_ii, spreads column i's rounding error
// over the later columns).
// H must be symmetric positive definite. When a Cholesky factorization fails (H only
// semi-definite numerically), it retries with H + k·0.01·mean(diag H)·I for k = 1, 2, 4, 8, 16
// (robust GPTQ implementations do the same), and throws salience::Error naming the problem if
// all fail or H is empty, not square or not finite.
MatrixD upperCholeskyOfInverse(const MatrixD& H);

} // namespace salience
