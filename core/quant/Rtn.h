#pragma once
// Round-to-nearest onto a QuantGrid, defined exactly so that results can be checked
// independently (the tests redo it by hand; numpy agrees).
//
// For each group of weights w (see QuantGrid for what a group is), with maxq = 2^b − 1:
//   Asymmetric: lo = min(0, min w), hi = max(0, max w),
//               raw = float((double(hi) − double(lo)) / maxq)
//   Symmetric:  raw = float(2·double(max|w|) / maxq)
//   scale = float16(raw)      (round to nearest, ties to even; from here on only this
//                              float16 value is used, so what is stored is what is computed)
//   Asymmetric: zero = clamp(round(−lo / scale), 0, maxq)   (zero uses the float16 scale)
//   Symmetric:  zero = 2^(b−1)
//   q = clamp(round(w / scale) + zero, 0, maxq),   ŵ = (q − zero)·scale
//
// "round" is round half to EVEN (like torch.round and numpy.round), applied to the double
// quotient of the two floats. ŵ is exact in float: |q − zero| < 2^9 and scale has 11
// significant bits.
//
// Edge cases:
// - A group whose weights are all zero (max|w| = 0) gets scale 1 and its zero point as above
//   (0 asymmetric, 2^(b−1) symmetric), so it dequantizes to zeros.
// - A raw scale so small that it rounds to 0 in float16 (below 2^-25) is replaced by the
//   smallest positive float16, 2^-24: the group then quantizes to (nearly) zero instead of
//   dividing by zero.
// - A raw scale above the largest float16 (65504) is clamped to 65504; out-of-range weights
//   are then clipped by the clamp on q.
// - A weight that is nan or inf throws InputError.
#include "quant/QuantGrid.h"
#include "quant/QuantizedLinear.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace salience {

struct GroupParams {
    float scale = 1.0f; // float16-representable, > 0
    int zero = 0;       // in [0, maxq]
};

// The one rounding rule of the quantizers: nearest integer, ties to even.
double roundHalfEven(double x);

// Scale and zero point of one group of weights (any contiguous copy of the group's values).
GroupParams rtnGroupParams(std::span<const float> values, const QuantGrid& grid);

// Code of one weight and its dequantized value.
uint8_t rtnCode(float w, const GroupParams& params, int maxCode);
inline float rtnDequant(uint8_t code, const GroupParams& params)
{
    return float(int(code) - params.zero) * params.scale;
}

// RTN of a whole matrix [out, in]: method "rtn", no permutation, scaling, rotation, sparse or
// low-rank part. Throws InputError for an invalid grid, an empty matrix or a non-finite weight.
QuantizedLinear quantizeRtn(const Matrix& weight, const QuantGrid& grid);

// W onto a ggml block format (Q4_K, ...; isGgmlGridType) exactly as llama-quantize writes it:
// the bytes of ggml_quantize_chunk, weighted by `importance` when given (in values, llama.cpp's
// imatrix entries: the mean squared input of each column). The result's base is those blocks
// (QuantBase::Ggml), so a GGUF export copies them unchanged. Throws InputError for a type that is
// no block format, rows that are not whole blocks, or a weight that is not finite.
QuantizedLinear quantizeRtnGgml(const Matrix& weight, GgmlType type, const std::vector<float>* importance = nullptr);

// A result whose base is `blocks` (out rows of ggmlByteSize(type, in) bytes; QuantBase::Ggml), its
// grid the recipe grid of the format (informational), codes, scales and zero points empty.
QuantizedLinear ggmlResult(int64_t out, int64_t in, GgmlType type, std::vector<uint8_t> blocks, std::string method);
// llama-quantize's last fallback for rows that are no whole blocks of any type: float16, as a
// dense base (QuantBase::Dense), parameter "fallback" = 1.
QuantizedLinear halfFallbackResult(const Matrix& weight, const QuantGrid& grid, std::string method);

// ŵ directly, without building a QuantizedLinear: for searches (AWQ, clipping) that
// quantize many candidates. Equal to quantizeRtn(weight, grid).dequantize().
Matrix fakeQuantizeRtn(const Matrix& weight, const QuantGrid& grid);

} // namespace salience
