#include "io/GgmlDequant.h"

#include "base/Error.h"
#include "tensor/Half.h"

#include <cstring>

namespace salience {

namespace {

constexpr int kQK = 256; // values per super-block of the K-quants

inline uint16_t readU16(const uint8_t* p) { return uint16_t(p[0] | (uint16_t(p[1]) << 8)); }
inline uint32_t readU32(const uint8_t* p)
{
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
inline float readHalf(const uint8_t* p) { return halfToFloat(readU16(p)); }

template <typename T>
inline T readLe(const uint8_t* p)
{
    T v; // the host is little-endian like the files (checked in GgufReader)
    std::memcpy(&v, p, sizeof(T));
    return v;
}

// Q4_0: half d, 16 bytes. Byte j holds value j in its low nibble and value j+16 in its high one.
void q4_0(const uint8_t* b, float* y)
{
    const float d = readHalf(b);
    const uint8_t* qs = b + 2;
    for (int j = 0; j < 16; ++j) {
        const int x0 = (qs[j] & 0x0F) - 8;
        const int x1 = (qs[j] >> 4) - 8;
        y[j] = x0 * d;
        y[j + 16] = x1 * d;
    }
}

// Q4_1: half d, half m, 16 bytes; value = q*d + m.
void q4_1(const uint8_t* b, float* y)
{
    const float d = readHalf(b);
    const float m = readHalf(b + 2);
    const uint8_t* qs = b + 4;
    for (int j = 0; j < 16; ++j) {
        const int x0 = qs[j] & 0x0F;
        const int x1 = qs[j] >> 4;
        y[j] = x0 * d + m;
        y[j + 16] = x1 * d + m;
    }
}

// Q5_0: half d, uint32 qh (bit i = fifth bit of value i), 16 nibble bytes; value = (q-16)*d.
void q5_0(const uint8_t* b, float* y)
{
    const float d = readHalf(b);
    const uint32_t qh = readU32(b + 2);
    const uint8_t* qs = b + 6;
    for (int j = 0; j < 16; ++j) {
        const uint8_t h0 = uint8_t(((qh >> j) << 4) & 0x10);
        const uint8_t h1 = uint8_t((qh >> (j + 12)) & 0x10);
        const int32_t x0 = ((qs[j] & 0x0F) | h0) - 16;
        const int32_t x1 = ((qs[j] >> 4) | h1) - 16;
        y[j] = x0 * d;
        y[j + 16] = x1 * d;
    }
}

// Q5_1: half d, half m, uint32 qh, 16 nibble bytes; value = q*d + m.
void q5_1(const uint8_t* b, float* y)
{
    const float d = readHalf(b);
    const float m = readHalf(b + 2);
    const uint32_t qh = readU32(b + 4);
    const uint8_t* qs = b + 8;
    for (int j = 0; j < 16; ++j) {
        const uint8_t h0 = uint8_t(((qh >> j) << 4) & 0x10);
        const uint8_t h1 = uint8_t((qh >> (j + 12)) & 0x10);
        const int x0 = (qs[j] & 0x0F) | h0;
        const int x1 = (qs[j] >> 4) | h1;
        y[j] = x0 * d + m;
        y[j + 16] = x1 * d + m;
    }
}

// Q8_0: half d, 32 int8.
void q8_0(const uint8_t* b, float* y)
{
    const float d = readHalf(b);
    for (int j = 0; j < 32; ++j)
        y[j] = int8_t(b[2 + j]) * d;
}

// Q2_K: scales[16] (low nibble scale, high nibble min), qs[64] (four 2-bit values a byte),
// half d, half dmin. Each 128 values use 32 bytes of qs: shift 0,2,4,6 picks the group of 32.
void q2_K(const uint8_t* b, float* y)
{
    const uint8_t* scales = b;
    const uint8_t* q = b + 16;
    const float d = readHalf(b + 80);
    const float dmin = readHalf(b + 82);
    int is = 0;
    for (int n = 0; n < kQK; n += 128) {
        int shift = 0;
        for (int j = 0; j < 4; ++j) {
            uint8_t sc = scales[is++];
            float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
            for (int l = 0; l < 16; ++l)
                *y++ = dl * int8_t((q[l] >> shift) & 3) - ml;
            sc = scales[is++];
            dl = d * (sc & 0xF);
            ml = dmin * (sc >> 4);
            for (int l = 0; l < 16; ++l)
                *y++ = dl * int8_t((q[l + 16] >> shift) & 3) - ml;
            shift += 2;
        }
        q += 32;
    }
}

// Q3_K: hmask[32] (third bit, cleared = subtract 4), qs[64] (low 2 bits), scales[12] (sixteen
// 6-bit signed scales, offset 32), half d.
void q3_K(const uint8_t* b, float* y)
{
    const uint8_t* hm = b;
    const uint8_t* q = b + 32;
    const uint8_t* packed = b + 96;
    const float dAll = readHalf(b + 108);
    // Scale j: low 4 bits from byte j (j<8) or the high nibble of byte j-8; top 2 bits from
    // byte 8 + j%4 at bit 2*(j/4).
    int8_t scales[16];
    for (int j = 0; j < 16; ++j) {
        const int low = j < 8 ? (packed[j] & 0xF) : (packed[j - 8] >> 4);
        const int high = (packed[8 + j % 4] >> (2 * (j / 4))) & 3;
        scales[j] = int8_t((low | (high << 4)) - 32);
    }
    int is = 0;
    uint8_t m = 1;
    for (int n = 0; n < kQK; n += 128) {
        int shift = 0;
        for (int j = 0; j < 4; ++j) {
            float dl = dAll * scales[is++];
            for (int l = 0; l < 16; ++l)
                *y++ = dl * (int8_t((q[l] >> shift) & 3) - ((hm[l] & m) ? 0 : 4));
            dl = dAll * scales[is++];
            for (int l = 0; l < 16; ++l)
                *y++ = dl * (int8_t((q[l + 16] >> shift) & 3) - ((hm[l + 16] & m) ? 0 : 4));
            shift += 2;
            m = uint8_t(m << 1);
        }
        q += 32;
    }
}

// The 6-bit scale and min of sub-block j (0..7) of a Q4_K/Q5_K super-block, packed in 12 bytes:
// j<4: low 6 bits of bytes j and j+4; j>=4: a nibble of byte j+4 plus the top 2 bits of bytes
// j-4 (scale) and j (min).
inline void scaleMinK4(int j, const uint8_t* q, uint8_t& scale, uint8_t& min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        min = uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// Q4_K: half d, half dmin, scales[12], qs[128]. Each 64 values use 32 bytes: low nibbles are
// the first 32 values, high nibbles the next 32.
void q4_K(const uint8_t* b, float* y)
{
    const float d = readHalf(b);
    const float dmin = readHalf(b + 2);
    const uint8_t* scales = b + 4;
    const uint8_t* q = b + 16;
    int is = 0;
    uint8_t sc, m;
    for (int j = 0; j < kQK; j += 64) {
        scaleMinK4(is, scales, sc, m);
        const float d1 = d * sc, m1 = dmin * m;
        scaleMinK4(is + 1, scales, sc, m);
        const float d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; ++l)
            *y++ = d1 * (q[l] & 0xF) - m1;
        for (int l = 0; l < 32; ++l)
            *y++ = d2 * (q[l] >> 4) - m2;
        q += 32;
        is += 2;
    }
}

// Q5_K: half d, half dmin, scales[12], qh[32], qs[128]. Like Q4_K plus a fifth bit: for the
// 64 values at 64*k, bit 2k of qh[l] belongs to the low-nibble value l, bit 2k+1 to the high one.
void q5_K(const uint8_t* b, float* y)
{
    const float d = readHalf(b);
    const float dmin = readHalf(b + 2);
    const uint8_t* scales = b + 4;
    const uint8_t* qh = b + 16;
    const uint8_t* ql = b + 48;
    int is = 0;
    uint8_t sc, m;
    uint8_t u1 = 1, u2 = 2;
    for (int j = 0; j < kQK; j += 64) {
        scaleMinK4(is, scales, sc, m);
        const float d1 = d * sc, m1 = dmin * m;
        scaleMinK4(is + 1, scales, sc, m);
        const float d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; ++l)
            *y++ = d1 * ((ql[l] & 0xF) + ((qh[l] & u1) ? 16 : 0)) - m1;
        for (int l = 0; l < 32; ++l)
            *y++ = d2 * ((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - m2;
        ql += 32;
        is += 2;
        u1 = uint8_t(u1 << 2);
        u2 = uint8_t(u2 << 2);
    }
}

// Q6_K: ql[128] (low 4 bits), qh[64] (high 2 bits), int8 scales[16] (one per 16 values),
// half d. Each 128 values use 64 bytes of ql and 32 of qh.
void q6_K(const uint8_t* b, float* y)
{
    const uint8_t* ql = b;
    const uint8_t* qh = b + 128;
    const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192);
    const float d = readHalf(b + 208);
    for (int n = 0; n < kQK; n += 128) {
        for (int l = 0; l < 32; ++l) {
            const int is = l / 16;
            const int8_t q1 = int8_t(((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32);
            const int8_t q2 = int8_t(((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32);
            const int8_t q3 = int8_t(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
            const int8_t q4 = int8_t(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
            y[l] = d * sc[is] * q1;
            y[l + 32] = d * sc[is + 2] * q2;
            y[l + 64] = d * sc[is + 4] * q3;
            y[l + 96] = d * sc[is + 6] * q4;
        }
        y += 128;
        ql += 64;
        qh += 32;
        sc += 8;
    }
}

// Q8_K: float d, int8 qs[256], int16 bsums[16] (sums for dot products, not needed here).
void q8_K(const uint8_t* b, float* y)
{
    const float d = readLe<float>(b);
    for (int j = 0; j < kQK; ++j)
        y[j] = d * int8_t(b[4 + j]);
}

// IQ4_NL: half d, 16 bytes; byte j holds the level index of value j (low nibble) and of value
// j+16 (high nibble); value = d·kIq4NlValues[index].
void iq4_nl(const uint8_t* b, float* y)
{
    const float d = readHalf(b);
    const uint8_t* qs = b + 2;
    for (int j = 0; j < 16; ++j) {
        y[j] = d * float(kIq4NlValues[qs[j] & 0xf]);
        y[j + 16] = d * float(kIq4NlValues[qs[j] >> 4]);
    }
}

template <typename BlockFn>
void eachBlock(const uint8_t* src, float* dst, int64_t n, int64_t blockSize, int64_t blockBytes, BlockFn fn)
{
    const int64_t blocks = n / blockSize;
    for (int64_t i = 0; i < blocks; ++i)
        fn(src + i * blockBytes, dst + i * blockSize);
}

} // namespace

bool canDequantize(GgmlType type)
{
    switch (type) {
    case GgmlType::F32: case GgmlType::F16: case GgmlType::BF16: case GgmlType::F64:
    case GgmlType::I8: case GgmlType::I16: case GgmlType::I32:
    case GgmlType::Q4_0: case GgmlType::Q4_1: case GgmlType::Q5_0: case GgmlType::Q5_1:
    case GgmlType::Q8_0: case GgmlType::Q2_K: case GgmlType::Q3_K: case GgmlType::Q4_K:
    case GgmlType::Q5_K: case GgmlType::Q6_K: case GgmlType::Q8_K: case GgmlType::IQ4_NL:
        return true;
    default:
        return false;
    }
}

void dequantizeRow(GgmlType type, const uint8_t* src, float* dst, int64_t n)
{
    const GgmlTypeTraits* traits = ggmlTypeTraits(type);
    if (!traits || !canDequantize(type))
        throw Error("dequantizeRow: cannot decode ggml type " + ggmlTypeName(uint32_t(type)));
    if (n < 0 || n % traits->blockSize != 0)
        throw Error("dequantizeRow: " + std::to_string(n) + " values is not a whole number of " +
                    std::string(traits->name) + " blocks");
    const int64_t bs = traits->blockSize, bb = traits->bytesPerBlock;
    switch (type) {
    case GgmlType::F32:
        if (n > 0)
            std::memcpy(dst, src, size_t(n) * 4);
        return;
    case GgmlType::F16:
        for (int64_t i = 0; i < n; ++i)
            dst[i] = readHalf(src + 2 * i);
        return;
    case GgmlType::BF16:
        for (int64_t i = 0; i < n; ++i)
            dst[i] = bf16ToFloat(readU16(src + 2 * i));
        return;
    case GgmlType::F64:
        for (int64_t i = 0; i < n; ++i)
            dst[i] = float(readLe<double>(src + 8 * i));
        return;
    case GgmlType::I8:
        for (int64_t i = 0; i < n; ++i)
            dst[i] = float(int8_t(src[i]));
        return;
    case GgmlType::I16:
        for (int64_t i = 0; i < n; ++i)
            dst[i] = float(readLe<int16_t>(src + 2 * i));
        return;
    case GgmlType::I32:
        for (int64_t i = 0; i < n; ++i)
            dst[i] = float(readLe<int32_t>(src + 4 * i));
        return;
    case GgmlType::Q4_0: return eachBlock(src, dst, n, bs, bb, q4_0);
    case GgmlType::Q4_1: return eachBlock(src, dst, n, bs, bb, q4_1);
    case GgmlType::Q5_0: return eachBlock(src, dst, n, bs, bb, q5_0);
    case GgmlType::Q5_1: return eachBlock(src, dst, n, bs, bb, q5_1);
    case GgmlType::Q8_0: return eachBlock(src, dst, n, bs, bb, q8_0);
    case GgmlType::Q2_K: return eachBlock(src, dst, n, bs, bb, q2_K);
    case GgmlType::Q3_K: return eachBlock(src, dst, n, bs, bb, q3_K);
    case GgmlType::Q4_K: return eachBlock(src, dst, n, bs, bb, q4_K);
    case GgmlType::Q5_K: return eachBlock(src, dst, n, bs, bb, q5_K);
    case GgmlType::Q6_K: return eachBlock(src, dst, n, bs, bb, q6_K);
    case GgmlType::Q8_K: return eachBlock(src, dst, n, bs, bb, q8_K);
    case GgmlType::IQ4_NL: return eachBlock(src, dst, n, bs, bb, iq4_nl);
    default:
        break;
    }
    throw Error("dequantizeRow: cannot decode ggml type " + ggmlTypeName(uint32_t(type)));
}

} // namespace salience
