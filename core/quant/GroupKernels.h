#pragma once
// The element-wise loops of the uniform grid, one group (a run of consecutive weights sharing a
// scale and zero point) at a time, written so the compiler vectorizes them. They compute exactly
// what the per-element definitions in Rtn.h compute, bit for bit:
//
//   code    q = clamp(roundHalfEven(double(w) / double(scale)) + zero, 0, maxq)
//   value   ŵ = float(q − zero) · scale
//
// Rounding: for |x| ≤ 2^51, (x + 1.5·2^52) − 1.5·2^52 is x rounded to the nearest integer with
// ties to even (the sum lies in [2^52, 2^53), where doubles are exactly the integers, and IEEE
// addition rounds to nearest even). The quotient is first clamped to ±kQuotientLimit: any
// quotient beyond it gives a code outside [0, maxq] before the final clamp (|zero| ≤ 255), so the
// clamp changes no code, and it keeps the trick in range.
#include <algorithm>
#include <cstdint>
#include <cstring>

namespace salience {

// True when none of the n values is inf or nan. Integer operations only, so the loop vectorizes
// (an exponent of all ones, and only that, carries into the top bit when 2^23 is added).
inline bool allFiniteValues(const float* values, int64_t n)
{
    uint32_t seen = 0;
    for (int64_t i = 0; i < n; ++i) {
        uint32_t bits;
        std::memcpy(&bits, values + i, 4);
        seen |= (bits & 0x7f800000u) + 0x00800000u;
    }
    return (seen & 0x80000000u) == 0;
}

// Nearest integer, ties to even, for |x| ≤ 2^51 (exact there; see above).
inline double roundHalfEvenSmall(double x)
{
    constexpr double kShift = 6755399441055744.0; // 1.5 · 2^52
    return (x + kShift) - kShift;
}

constexpr double kQuotientLimit = 1024.0; // > 2 · 255: codes saturate well before it

// The code of one weight: s = scale, z = zero, top = maxq, all as doubles.
inline int32_t codeOf(float w, double s, double z, double top)
{
    double x = double(w) / s;
    x = std::min(std::max(x, -kQuotientLimit), kQuotientLimit);
    x = roundHalfEvenSmall(x) + z;
    return int32_t(std::min(std::max(x, 0.0), top));
}

// Codes of the n weights of one group.
inline void groupCodes(const float* w, int64_t n, float scale, int zero, int maxq, uint8_t* codes)
{
    for (int64_t i = 0; i < n; ++i)
        codes[i] = uint8_t(codeOf(w[i], scale, zero, maxq));
}

// Dequantized values of the n codes of one group.
inline void groupValues(const uint8_t* codes, int64_t n, float scale, int zero, float* out)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = float(int32_t(codes[i]) - zero) * scale;
}

// ŵ of the n weights of one group without storing codes (quantize, then dequantize).
inline void groupFakeQuant(const float* w, int64_t n, float scale, int zero, int maxq, float* out)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = float(codeOf(w[i], scale, zero, maxq) - zero) * scale;
}

} // namespace salience
