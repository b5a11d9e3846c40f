#pragma once
// Float rows into ggml blocks, bit-exact to ggml's reference quantizers (quantize_row_*_ref in
// ggml-quants.c, the ones llama.cpp uses to create model files without an importance matrix):
// the same block layouts, the same float operations in the same order, the same rounding
// tricks. The inverse is dequantizeRow (io/GgmlDequant.h).
//
// Bit-exact here means: equal to the C source evaluated with IEEE float semantics and no
// fused multiply-add. A llama.cpp build that lets the compiler contract a*b+c into an FMA can
// differ in a last bit of a scale for a rare block.
#include "io/GgmlTypes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

// True for the types quantizeRow writes: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q6_K.
bool canQuantize(GgmlType type);
// "F32, F16, BF16, Q4_0, ..." for error messages.
std::string quantizableTypeList();

// Bytes that `n` values of `type` take (n a multiple of the block size). Throws InputError
// (source "ggml quantize") when n is negative, not a multiple of the block size, or the size
// overflows 64 bits.
uint64_t ggmlByteSize(GgmlType type, int64_t n);

// Quantizes n values from src into dst (ggmlByteSize(type, n) bytes). Throws InputError
// (source "ggml quantize") when the type cannot be written, n is not a multiple of its block
// size, or a block type meets a value that is not finite (ggml's rounding tricks are undefined
// there; F32/F16/BF16 pass inf and nan through).
void quantizeRow(GgmlType type, const float* src, uint8_t* dst, int64_t n);

// A row-major [rows, cols] float matrix into ggml rows of `cols` values each.
std::vector<uint8_t> quantizeRows(GgmlType type, const float* src, int64_t rows, int64_t cols);

} // namespace salience
