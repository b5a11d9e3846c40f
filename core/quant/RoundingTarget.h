#pragma once
// Where a grid-based method rounds its (scaled, rotated, residual, ...) weight: the recipe's
// uniform grid, or a ggml block format (Q4_K, ...) exactly as llama-quantize writes it. Methods
// that transform W before rounding (AWQ, SmoothQuant, Hadamard, protection, SARQC-AWQ, QER, SRR)
// take a RoundingTarget instead of a QuantGrid, so the same method works on both: onto a ggml
// format its base is ggml's own blocks (QuantBase::Ggml) and the side parts stay as they are.
//
// Onto a ggml format:
// - rows that are not whole blocks of the type fall back as llama-quantize does
//   (ggmlFallbackType; to F16 at the end, a dense float16 base); the result then has parameter
//   "fallback" = 1;
// - the blocks are weighted by `importance` (llama.cpp's imatrix entries: the mean squared input
//   of each column of the matrix being rounded) when it is not empty, as llama-quantize --imatrix.
//   A method that scales column j of W by s_j sees inputs x_j / s_j, so its importance is
//   importance_j / s_j² (withColumnScales); a rotation mixes the columns, so a rotated weight is
//   rounded unweighted (the per-column statistics do not say what the rotated inputs' are).
// - ggml's quantizer searches every block's scale itself, so there is no separate clipping.
#include "io/GgmlTypes.h"
#include "quant/LayerData.h"
#include "quant/QuantGrid.h"
#include "quant/QuantizedLinear.h"
#include "quant/Recipe.h"
#include "tensor/Tensor.h"

#include <optional>
#include <string>
#include <vector>

namespace salience {

struct RoundingTarget {
    QuantGrid grid;                      // the uniform grid; onto ggml, the format's (informational)
    std::optional<GgmlType> ggmlType;    // set: ggml blocks of this type (the fallback already applied)
    bool fallback = false;               // ggmlType is llama-quantize's fallback for the requested type
    std::vector<float> importance;       // onto ggml: per column of the matrix rounded, or empty

    RoundingTarget() = default;
    RoundingTarget(const QuantGrid& uniform) : grid(uniform) {} // NOLINT: a grid is a target

    bool isGgml() const { return ggmlType.has_value(); }
    // The same target for W·diag(s): importance_j / s_j² (unchanged when empty or uniform).
    RoundingTarget withColumnScales(const std::vector<float>& s) const;
    // The same target without importance (for a rotated weight).
    RoundingTarget unweighted() const;
    // Throws InputError as QuantGrid::validate does; onto ggml, also for importance of the
    // wrong width or with a negative or non-finite entry.
    void validate(int64_t inFeatures) const;
};

// The recipe's target for a layer of `inFeatures` columns: recipe.grid(), or its grid_type with
// llama-quantize's fallback and the layer's imatrix (data.stats' mean squares, when their width
// matches; unweighted otherwise), as rtn onto a ggml format has always used.
RoundingTarget roundingTarget(const Recipe& recipe, const LayerData& data, int64_t inFeatures);

// W rounded onto the target: quantizeRtn, quantizeRtnGgml, or the float16 fallback. The result's
// method is `method`; onto ggml it has parameters "imatrix" (1 when weighted) and, after a
// fallback, "fallback" = 1.
QuantizedLinear roundOnto(const Matrix& weight, const RoundingTarget& target, const std::string& method);
// roundOnto(...).dequantize() without building the result (for searches).
Matrix fakeRoundOnto(const Matrix& weight, const RoundingTarget& target);

} // namespace salience
