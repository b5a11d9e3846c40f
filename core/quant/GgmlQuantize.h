#pragma once
// Float rows into ggml blocks, bit-exact to what llama.cpp's quantizer writes: ggml_quantize_chunk
// in ggml-quants.c, without an importance matrix (for all types here but IQ4_NL that is the
// reference quantize_row_*_ref) and with one (the quantize_row_*_impl searches). The same block
// layouts, the same float operations in the same order, the same rounding tricks; checked byte for
// byte against llama.cpp's libggml-base (tests/core/test_ggmlreference.cpp). The inverse is
// dequantizeRow (io/GgmlDequant.h).
//
// Bit-exact here means: equal to the C source evaluated with IEEE float semantics and no
// fused multiply-add. A llama.cpp build that lets the compiler contract a*b+c into an FMA can
// differ in a last bit of a scale for a rare block.
#include "io/GgmlTypes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

// True for the types quantizeRow writes: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K,
// Q4_K, Q5_K, Q6_K, IQ4_NL.
bool canQuantize(GgmlType type);
// True when an importance matrix changes what quantizeRow writes for `type` (ggml ignores it for
// F32, F16, BF16 and Q8_0).
bool usesImportance(GgmlType type);
// "F32, F16, BF16, Q4_0, ..." for error messages.
std::string quantizableTypeList();

// The block formats a method can quantize onto directly (a recipe's grid: Q4_0 ... Q8_0,
// Q2_K ... Q6_K, IQ4_NL): canQuantize minus the float types.
bool isGgmlGridType(GgmlType type);
std::string ggmlGridTypeList(); // "Q4_0, Q4_1, ..."
// `type` itself when rows of `rowLength` values are whole blocks of it, else the type llama-quantize
// falls back to (llama-quant.cpp's tensor_type_fallback: Q2_K, Q3_K → Q4_0; Q4_K → Q5_0;
// Q5_K → Q5_1; Q6_K → Q8_0), else F16.
GgmlType ggmlFallbackType(GgmlType type, int64_t rowLength);

// The bits of one weight's code in `type`, block scales not counted (Q4_K 4, Q6_K 6, Q8_0 8);
// ggmlBitsPerWeight counts those too.
int ggmlNominalBits(GgmlType type);

// Bytes that `n` values of `type` take (n a multiple of the block size). Throws InputError
// (source "ggml quantize") when n is negative, not a multiple of the block size, or the size
// overflows 64 bits.
uint64_t ggmlByteSize(GgmlType type, int64_t n);

// Quantizes one row of n values from src into dst (ggmlByteSize(type, n) bytes), as
// ggml_quantize_chunk(type, src, dst, 0, 1, n, importance) does. `importance` is null or n values,
// one per input channel of the row (llama.cpp's imatrix entries for the tensor: mean squared
// activation per channel); it must cover the whole row, since Q4_0..Q5_1 weigh each block by the
// row's mean square. Throws InputError (source "ggml quantize") when the type cannot be written,
// n is not a multiple of its block size, a block type meets a value that is not finite (ggml's
// rounding tricks are undefined there; F32/F16/BF16 pass inf and nan through), or an importance
// that counts is negative or not finite.
void quantizeRow(GgmlType type, const float* src, uint8_t* dst, int64_t n, const float* importance = nullptr);

// A row-major [rows, cols] float matrix into ggml rows of `cols` values each, every row under the
// same `importance` (null or cols values), as ggml_quantize_chunk does for a whole tensor.
std::vector<uint8_t> quantizeRows(GgmlType type, const float* src, int64_t rows, int64_t cols,
                                  const float* importance = nullptr);

} // namespace salience
