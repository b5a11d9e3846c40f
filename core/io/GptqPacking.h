#pragma once
// The GPTQ checkpoint layout of one linear layer, as AutoGPTQ, GPTQModel and Hugging Face
// transformers (optimum) store it: packing, unpacking and dequantization, shared by the reader
// (io/GptqReader) and the writer (export/GptqExport, which converts a QuantizedLinear with
// export/GptqConversion).
//
// Per layer, with b bits, in/out features and G groups:
//   qweight  int32 [in·b/32, out]   codes packed along the INPUT dimension, in original
//                                   column order (act-order is expressed by g_idx, not by
//                                   reordering qweight)
//   qzeros   int32 [G, out·b/32]    zero points packed along the OUTPUT dimension
//   scales   float16 [G, out]
//   g_idx    int32 [in]             group of each original input column
//   weight[o, j] = (code[j, o] − zero[g_idx[j], o]) · scale[g_idx[j], o]
//
// Packing: values form one little-endian bit stream, value k in bits [k·b, k·b + b), and
// int32 word w holds stream bits [32w, 32w + 32). For 2, 4 and 8 bits a value never crosses
// a word; for 3 bits, 32 values fill exactly 3 words and values 10 and 21 straddle two words,
// which is how AutoGPTQ's pack loops place them.
//
// Zero points. The classic format ("v1", checkpoint_format "gptq", what transformers and
// AutoGPTQ expect) stores zero − 1; loaders add 1 back (GPTQModel adds 0b0101… / 0b0001… to the
// whole int32 word, so a stored field of all ones carries into its neighbour). A zero point of
// 0 is therefore not representable in v1. "v2" (checkpoint_format "gptq_v2", GPTQModel) stores
// the zero point itself. toGptqLayer handles v1 groups whose zero point is 0 as follows:
//   - if no code of the group is maxq, every code and the zero point move up by one: the
//     values (code − zero)·scale are unchanged (lossless, counted in zeroShiftedGroups);
//   - otherwise the same shift clips the codes that were maxq to maxq (one step lower), the
//     only lossy case (counted in clippedCodes).
// Symmetric grids (zero 2^(b−1)) and asymmetric zero points ≥ 1 are always lossless.
#include "tensor/Tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace salience {

enum class GptqFormat {
    V1, // checkpoint_format "gptq": qzeros hold zero − 1
    V2, // checkpoint_format "gptq_v2": qzeros hold the zero point
};

std::string gptqFormatName(GptqFormat format); // "gptq" or "gptq_v2"

// Bit widths the GPTQ kernels and loaders know: 2, 3, 4 and 8.
bool isGptqBits(int bits);

// Rows of packed int32 words that `count` values of `bits` bits fill along one dimension; throws
// InputError("GPTQ packing", ...) naming `what` when they do not fill whole words.
int64_t gptqPackedRows(int64_t count, int bits, const char* what);

// The bit stream described above. `values.size()·bits` must be a multiple of 32 and every value
// below 2^bits; throws InputError("GPTQ packing", ...) otherwise or for bits outside 2/3/4/8.
std::vector<int32_t> packBits(std::span<const uint8_t> values, int bits);
// The inverse: `count` values from `words` (count·bits must equal 32·words.size()).
std::vector<uint8_t> unpackBits(std::span<const int32_t> words, int bits, size_t count);

// codes [out, in] row-major (original column order) → qweight [in·b/32, out].
std::vector<int32_t> packQweight(std::span<const uint8_t> codes, int64_t out, int64_t in, int bits);
// qweight [in·b/32, out] → codes [out, in] row-major.
std::vector<uint8_t> unpackQweight(std::span<const int32_t> qweight, int64_t out, int64_t in, int bits);
// stored zero fields [groups, out] row-major → qzeros [groups, out·b/32].
std::vector<int32_t> packQzeros(std::span<const uint8_t> zeros, int64_t groups, int64_t out, int bits);
// qzeros [groups, out·b/32] → stored zero fields [groups, out] row-major.
std::vector<uint8_t> unpackQzeros(std::span<const int32_t> qzeros, int64_t groups, int64_t out, int bits);

// One layer in the GPTQ layout (the tensors above, unpacked sizes alongside).
struct GptqLayer {
    int bits = 4;
    int64_t outFeatures = 0;
    int64_t inFeatures = 0;
    int groupSize = -1;            // GPTQ convention: -1 means one group per output channel
    std::vector<int32_t> qweight;  // [in·b/32, out]
    std::vector<int32_t> qzeros;   // [groups, out·b/32]
    std::vector<uint16_t> scales;  // float16 bit patterns [groups, out]
    std::vector<int32_t> gIdx;     // [in]

    int64_t groups() const;        // 1 for -1, else ceil(in / groupSize)
};

// weight [out, in] in the stored row order, as a loader computes it: float(code − zero)·scale
// with scale the float16 value, so a lossless conversion gives exactly q.dequantize() (rows in
// `rowOrder`). In v1 the zero point is the stored field + 1. Throws InputError("GPTQ layer", ...)
// for inconsistent sizes or a g_idx entry outside the groups.
Matrix dequantizeGptqLayer(const GptqLayer& layer, GptqFormat format);

} // namespace salience
