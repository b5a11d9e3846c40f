#pragma once
// IEEE binary16 and bfloat16 conversions, exact and portable (no compiler extensions), so
// every reader, writer and quantizer rounds the same way: round to nearest, ties to even.
#include <cstdint>
#include <cstring>

namespace salience {

inline uint32_t floatBits(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

inline float bitsFloat(uint32_t u)
{
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// Branch-free, so a loop over many values vectorizes: placing the exponent and mantissa bits in
// a float's fields and multiplying by 2^(127−15) rebiases the exponent exactly, subnormal halves
// included (their bits form a float subnormal of the same significand); 31 (inf, nan) maps to 255.
inline float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t magnitude = uint32_t(h & 0x7fffu) << 13;
    const float scaled = bitsFloat(magnitude) * 0x1p112f;
    const uint32_t bits = magnitude >= (0x7c00u << 13) ? (magnitude | 0x7f800000u) : floatBits(scaled);
    return bitsFloat(sign | bits);
}

inline uint16_t floatToHalf(float f)
{
    const uint32_t x = floatBits(f);
    const uint16_t sign = uint16_t((x >> 16) & 0x8000u);
    const uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) // inf or nan
        return uint16_t(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u));
    if (absx >= 0x477ff000u) // rounds to >= 65520: overflow to inf
        return uint16_t(sign | 0x7c00u);
    if (absx < 0x38800000u) { // below the smallest normal half (2^-14): subnormal or zero
        if (absx < 0x33000000u) // < 2^-25: rounds to zero
            return sign;
        // value = m * 2^(e-150) and a half subnormal is r * 2^-24, so r = m >> (126 - e).
        const uint32_t e = absx >> 23;
        const uint32_t m = (absx & 0x7fffffu) | 0x800000u;
        const uint32_t drop = 126 - e; // 14..24
        const uint32_t keep = m >> drop;
        const uint32_t rem = m & ((1u << drop) - 1u);
        const uint32_t halfway = 1u << (drop - 1);
        uint32_t r = keep;
        if (rem > halfway || (rem == halfway && (keep & 1u)))
            ++r;
        return uint16_t(sign | r);
    }
    // Normal: rebias exponent, round mantissa 23 -> 10 bits, ties to even.
    uint32_t h = ((absx >> 23) - 112) << 10 | ((absx >> 13) & 0x3ffu);
    const uint32_t rem = absx & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u)))
        ++h; // may carry into the exponent, which is the correct result
    return uint16_t(sign | h);
}

inline float roundToHalf(float f) { return halfToFloat(floatToHalf(f)); }

inline float bf16ToFloat(uint16_t b) { return bitsFloat(uint32_t(b) << 16); }

inline uint16_t floatToBf16(float f)
{
    uint32_t x = floatBits(f);
    if ((x & 0x7fffffffu) > 0x7f800000u)
        return uint16_t((x >> 16) | 0x40u); // quiet nan
    x += 0x7fffu + ((x >> 16) & 1u);
    return uint16_t(x >> 16);
}

} // namespace salience
