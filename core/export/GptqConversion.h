#pragma once
// A QuantizedLinear in the GPTQ checkpoint layout (io/GptqPacking.h): what can be packed
// losslessly, and the conversion itself.
#include "io/GptqPacking.h"
#include "quant/QuantizedLinear.h"

#include <cstdint>
#include <span>
#include <string>

namespace salience {

struct GptqConversion {
    GptqLayer layer;
    int64_t zeroShiftedGroups = 0; // v1: (row, group) pairs with zero 0 moved up by one
    int64_t clippedCodes = 0;      // v1: codes that moved from maxq down by one step (lossy)
};

// Why `q` cannot be written as GPTQ without requantizing ("" when it can): bits other than
// 2/3/4/8, an input scaling, a rotation, sparse or low-rank parts. Shapes are not judged here.
std::string gptqIncompatibility(const QuantizedLinear& q);

// `q` in the GPTQ layout. Per-tensor grids become per-channel (the one scale repeated on
// every row); per-channel grids get group_size −1. `rowOrder`, when not empty, lists for each
// stored output row the row of `q` it holds (e.g. Hugging Face's rotary order for q/k).
// Throws InputError when gptqIncompatibility(q) is not empty, `rowOrder` is not a permutation
// of the rows, or in·b or out·b is not a multiple of 32.
GptqConversion toGptqLayer(const QuantizedLinear& q, GptqFormat format, std::span<const int64_t> rowOrder = {});

} // namespace salience
