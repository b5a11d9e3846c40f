#pragma once
// ggml block formats decoded to float exactly as ggml's reference dequantize_row_* does it: the
// same block layouts, the same nibble order, the same float operations in the same order, so a
// value read here is bit-identical to what llama.cpp computes on the CPU.
#include "io/GgmlTypes.h"

#include <cstdint>

namespace salience {

// True for the types dequantizeRow decodes: F32, F16, BF16, F64, I8, I16, I32, Q4_0, Q4_1, Q5_0,
// Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K, IQ4_NL.
bool canDequantize(GgmlType type);

// Decodes `n` values from `src` (n / blockSize blocks of bytesPerBlock bytes, any alignment,
// little-endian) into dst[0..n). Throws salience::Error when the type cannot be decoded or n is
// not a multiple of the type's block size: callers check both before calling.
void dequantizeRow(GgmlType type, const uint8_t* src, float* dst, int64_t n);

} // namespace salience
