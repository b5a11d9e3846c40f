#include "quant/GgmlBlockLevels.h"

#include "base/Error.h"
#include "quant/GgmlQuantize.h"
#include "tensor/Half.h"

#include <algorithm>
#include <cmath>
#include <string>

// Built with -ffp-contract=off (core/CMakeLists.txt), like io/GgmlDequant.cpp: a·l + b must round
// as ggml's a·l − dmin·m does, not as a fused multiply-add.

namespace salience {

namespace {

const char* kSource = "ggml levels";

inline float readHalf(const uint8_t* p) { return halfToFloat(uint16_t(p[0] | (uint16_t(p[1]) << 8))); }
inline uint32_t readU32(const uint8_t* p)
{
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}
inline void writeU32(uint8_t* p, uint32_t v)
{
    for (int k = 0; k < 4; ++k)
        p[k] = uint8_t(v >> (8 * k));
}

GgmlLevelGrid scaleOnly(float a) { return GgmlLevelGrid{a, 0.0f, false, nullptr}; }
// ggml's a·l − ml, written as a·l + (−ml): the same IEEE result.
GgmlLevelGrid scaleMinus(float a, float ml) { return GgmlLevelGrid{a, -ml, true, nullptr}; }

// Nibble j of a 32-value block whose 16 bytes hold value j in the low and value j+16 in the high
// nibble (Q4_0, Q4_1, Q5_*'s low bits, IQ4_NL).
inline int nibble32(const uint8_t* qs, int j) { return j < 16 ? (qs[j] & 0xF) : (qs[j - 16] >> 4); }
inline void setNibble32(uint8_t* qs, int j, int v)
{
    if (j < 16)
        qs[j] = uint8_t((qs[j] & 0xF0) | v);
    else
        qs[j - 16] = uint8_t((qs[j - 16] & 0x0F) | (v << 4));
}

// The 6-bit scale and min of sub-block j of a Q4_K/Q5_K super-block (as GgmlDequant's scaleMinK4).
inline void scaleMinK4(int j, const uint8_t* q, int& scale, int& min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

// Q2_K / Q3_K low 2 bits of value p of a super-block: byte 32·(p/128) + p%32, shift 2·((p%128)/32).
inline int lowByteK2(int p) { return 32 * (p / 128) + p % 32; }
inline int lowShiftK2(int p) { return 2 * ((p % 128) / 32); }
// Q3_K: its hmask bit, byte p%32, bit 4·(p/128) + (p%128)/32.
inline int hmaskBitK3(int p) { return 4 * (p / 128) + (p % 128) / 32; }
// Q4_K / Q5_K nibble of value p: byte 32·(p/64) + p%32, high nibble when p%64 ≥ 32; Q5_K's fifth
// bit: byte p%32 of qh, bit 2·(p/64) + (p%64 ≥ 32).
inline int byteK4(int p) { return 32 * (p / 64) + p % 32; }
inline bool highK4(int p) { return p % 64 >= 32; }
// Q6_K value p: half h = p/128, r = p%128, k = r/32, l = r%32: ql byte 64h + l + 32·(k&1), high
// nibble when k ≥ 2; qh byte 32h + l, shift 2k.
inline int qlByteK6(int p) { const int r = p % 128; return 64 * (p / 128) + r % 32 + 32 * ((r / 32) & 1); }
inline bool qlHighK6(int p) { return (p % 128) / 32 >= 2; }
inline int qhByteK6(int p) { return 32 * (p / 128) + p % 32; }
inline int qhShiftK6(int p) { return 2 * ((p % 128) / 32); }

// One block: its levels (blockSize of them) and grids (blockSize / subBlock).
void readBlock(GgmlType type, const uint8_t* b, int16_t* lv, GgmlLevelGrid* g)
{
    switch (type) {
    case GgmlType::Q4_0:
        g[0] = scaleOnly(readHalf(b));
        for (int j = 0; j < 32; ++j)
            lv[j] = int16_t(nibble32(b + 2, j) - 8);
        return;
    case GgmlType::Q4_1:
        g[0] = GgmlLevelGrid{readHalf(b), readHalf(b + 2), true, nullptr};
        for (int j = 0; j < 32; ++j)
            lv[j] = int16_t(nibble32(b + 4, j));
        return;
    case GgmlType::Q5_0: {
        g[0] = scaleOnly(readHalf(b));
        const uint32_t qh = readU32(b + 2);
        for (int j = 0; j < 32; ++j)
            lv[j] = int16_t((nibble32(b + 6, j) | (((qh >> j) & 1) << 4)) - 16);
        return;
    }
    case GgmlType::Q5_1: {
        g[0] = GgmlLevelGrid{readHalf(b), readHalf(b + 2), true, nullptr};
        const uint32_t qh = readU32(b + 4);
        for (int j = 0; j < 32; ++j)
            lv[j] = int16_t(nibble32(b + 8, j) | (((qh >> j) & 1) << 4));
        return;
    }
    case GgmlType::Q8_0:
        g[0] = scaleOnly(readHalf(b));
        for (int j = 0; j < 32; ++j)
            lv[j] = int8_t(b[2 + j]);
        return;
    case GgmlType::IQ4_NL:
        g[0] = GgmlLevelGrid{readHalf(b), 0.0f, false, kIq4NlValues};
        for (int j = 0; j < 32; ++j)
            lv[j] = int16_t(nibble32(b + 2, j));
        return;
    case GgmlType::Q2_K: {
        const uint8_t* q = b + 16;
        const float d = readHalf(b + 80), dmin = readHalf(b + 82);
        for (int s = 0; s < 16; ++s)
            g[s] = scaleMinus(d * float(b[s] & 0xF), dmin * float(b[s] >> 4));
        for (int p = 0; p < 256; ++p)
            lv[p] = int16_t((q[lowByteK2(p)] >> lowShiftK2(p)) & 3);
        return;
    }
    case GgmlType::Q3_K: {
        const uint8_t* hm = b;
        const uint8_t* q = b + 32;
        const uint8_t* packed = b + 96;
        const float d = readHalf(b + 108);
        for (int s = 0; s < 16; ++s) {
            const int low = s < 8 ? (packed[s] & 0xF) : (packed[s - 8] >> 4);
            const int high = (packed[8 + s % 4] >> (2 * (s / 4))) & 3;
            g[s] = scaleOnly(d * float(int8_t((low | (high << 4)) - 32)));
        }
        for (int p = 0; p < 256; ++p)
            lv[p] = int16_t(((q[lowByteK2(p)] >> lowShiftK2(p)) & 3) + 4 * ((hm[p % 32] >> hmaskBitK3(p)) & 1) - 4);
        return;
    }
    case GgmlType::Q4_K:
    case GgmlType::Q5_K: {
        const float d = readHalf(b), dmin = readHalf(b + 2);
        for (int s = 0; s < 8; ++s) {
            int sc = 0, m = 0;
            scaleMinK4(s, b + 4, sc, m);
            g[s] = scaleMinus(d * float(sc), dmin * float(m));
        }
        if (type == GgmlType::Q4_K) {
            const uint8_t* qs = b + 16;
            for (int p = 0; p < 256; ++p)
                lv[p] = int16_t(highK4(p) ? qs[byteK4(p)] >> 4 : qs[byteK4(p)] & 0xF);
        } else {
            const uint8_t* qh = b + 16;
            const uint8_t* ql = b + 48;
            for (int p = 0; p < 256; ++p) {
                const int low = highK4(p) ? ql[byteK4(p)] >> 4 : ql[byteK4(p)] & 0xF;
                const int bit = 2 * (p / 64) + (highK4(p) ? 1 : 0);
                lv[p] = int16_t(low | (((qh[p % 32] >> bit) & 1) << 4));
            }
        }
        return;
    }
    case GgmlType::Q6_K: {
        const uint8_t* ql = b;
        const uint8_t* qh = b + 128;
        const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192);
        const float d = readHalf(b + 208);
        for (int s = 0; s < 16; ++s)
            g[s] = scaleOnly(d * float(sc[s]));
        for (int p = 0; p < 256; ++p) {
            const int low = qlHighK6(p) ? ql[qlByteK6(p)] >> 4 : ql[qlByteK6(p)] & 0xF;
            const int high = (qh[qhByteK6(p)] >> qhShiftK6(p)) & 3;
            lv[p] = int16_t((low | (high << 4)) - 32);
        }
        return;
    }
    default:
        break;
    }
    throw InputError(kSource, ggmlTypeName(type) + " is no ggml grid type");
}

void writeBlock(GgmlType type, uint8_t* b, const int16_t* lv)
{
    switch (type) {
    case GgmlType::Q4_0:
        for (int j = 0; j < 32; ++j)
            setNibble32(b + 2, j, lv[j] + 8);
        return;
    case GgmlType::Q4_1:
    case GgmlType::IQ4_NL:
        for (int j = 0; j < 32; ++j)
            setNibble32(b + (type == GgmlType::Q4_1 ? 4 : 2), j, lv[j]);
        return;
    case GgmlType::Q5_0:
    case GgmlType::Q5_1: {
        const bool zero = type == GgmlType::Q5_0;
        uint8_t* qs = b + (zero ? 6 : 8);
        uint32_t qh = 0;
        for (int j = 0; j < 32; ++j) {
            const int v = lv[j] + (zero ? 16 : 0);
            setNibble32(qs, j, v & 0xF);
            qh |= uint32_t((v >> 4) & 1) << j;
        }
        writeU32(b + (zero ? 2 : 4), qh);
        return;
    }
    case GgmlType::Q8_0:
        for (int j = 0; j < 32; ++j)
            b[2 + j] = uint8_t(int8_t(lv[j]));
        return;
    case GgmlType::Q2_K:
    case GgmlType::Q3_K: {
        const bool three = type == GgmlType::Q3_K;
        uint8_t* q = b + (three ? 32 : 16);
        std::fill_n(q, 64, uint8_t(0));
        if (three)
            std::fill_n(b, 32, uint8_t(0)); // hmask
        for (int p = 0; p < 256; ++p) {
            const int v = lv[p] + (three ? 4 : 0);
            q[lowByteK2(p)] |= uint8_t((v & 3) << lowShiftK2(p));
            if (three)
                b[p % 32] |= uint8_t(((v >> 2) & 1) << hmaskBitK3(p));
        }
        return;
    }
    case GgmlType::Q4_K: {
        uint8_t* qs = b + 16;
        for (int p = 0; p < 256; ++p) {
            uint8_t& byte = qs[byteK4(p)];
            byte = highK4(p) ? uint8_t((byte & 0x0F) | (lv[p] << 4)) : uint8_t((byte & 0xF0) | lv[p]);
        }
        return;
    }
    case GgmlType::Q5_K: {
        uint8_t* qh = b + 16;
        uint8_t* ql = b + 48;
        std::fill_n(qh, 32, uint8_t(0));
        for (int p = 0; p < 256; ++p) {
            uint8_t& byte = ql[byteK4(p)];
            const int low = lv[p] & 0xF;
            byte = highK4(p) ? uint8_t((byte & 0x0F) | (low << 4)) : uint8_t((byte & 0xF0) | low);
            qh[p % 32] |= uint8_t(((lv[p] >> 4) & 1) << (2 * (p / 64) + (highK4(p) ? 1 : 0)));
        }
        return;
    }
    case GgmlType::Q6_K: {
        uint8_t* ql = b;
        uint8_t* qh = b + 128;
        std::fill_n(qh, 64, uint8_t(0));
        for (int p = 0; p < 256; ++p) {
            const int v = lv[p] + 32;
            uint8_t& byte = ql[qlByteK6(p)];
            byte = qlHighK6(p) ? uint8_t((byte & 0x0F) | ((v & 0xF) << 4)) : uint8_t((byte & 0xF0) | (v & 0xF));
            qh[qhByteK6(p)] |= uint8_t(((v >> 4) & 3) << qhShiftK6(p));
        }
        return;
    }
    default:
        break;
    }
    throw InputError(kSource, ggmlTypeName(type) + " is no ggml grid type");
}

const GgmlTypeTraits& checkedTraits(GgmlType type, int64_t n)
{
    const GgmlTypeTraits* traits = ggmlTypeTraits(type);
    if (!traits || !isGgmlGridType(type))
        throw InputError(kSource, ggmlTypeName(type) + " is no ggml grid type (known: " + ggmlGridTypeList() + ")");
    if (n < 0 || n % traits->blockSize != 0)
        throw InputError(kSource, "a row of " + std::to_string(n) + " values is not whole " + std::string(traits->name) +
                                      " blocks of " + std::to_string(traits->blockSize));
    return *traits;
}

} // namespace

float GgmlLevelGrid::value(int level) const
{
    const float v = a * float(lut ? lut[level] : level);
    return hasB ? v + b : v;
}

int GgmlLevelGrid::nearest(double w, int lo, int hi) const
{
    const auto distance = [&](int l) { return std::abs(w - double(value(l))); };
    int best = lo;
    double bestDistance = distance(lo);
    if (lut) {
        for (int l = lo + 1; l <= hi; ++l)
            if (const double e = distance(l); e < bestDistance) {
                best = l;
                bestDistance = e;
            }
        return best;
    }
    if (a == 0.0f || !std::isfinite(a))
        return best; // every level has the same value
    // The rounded quotient, then its neighbours by the float values themselves.
    const double t = (w - (hasB ? double(b) : 0.0)) / double(a);
    const int center = int(std::clamp(std::nearbyint(std::clamp(t, double(lo) - 1.0, double(hi) + 1.0)),
                                      double(lo), double(hi)));
    best = center;
    bestDistance = distance(center);
    for (int l : {center - 1, center + 1})
        if (l >= lo && l <= hi)
            if (const double e = distance(l); e < bestDistance) {
                best = l;
                bestDistance = e;
            }
    return best;
}

GgmlLevelFormat ggmlLevelFormat(GgmlType type)
{
    switch (type) {
    case GgmlType::Q4_0: return {32, -8, 7};
    case GgmlType::Q4_1: return {32, 0, 15};
    case GgmlType::Q5_0: return {32, -16, 15};
    case GgmlType::Q5_1: return {32, 0, 31};
    case GgmlType::Q8_0: return {32, -127, 127};
    case GgmlType::Q2_K: return {16, 0, 3};
    case GgmlType::Q3_K: return {16, -4, 3};
    case GgmlType::Q4_K: return {32, 0, 15};
    case GgmlType::Q5_K: return {32, 0, 31};
    case GgmlType::Q6_K: return {16, -32, 31};
    case GgmlType::IQ4_NL: return {32, 0, 15};
    default:
        break;
    }
    throw InputError(kSource, ggmlTypeName(type) + " is no ggml grid type (known: " + ggmlGridTypeList() + ")");
}

void readGgmlLevels(GgmlType type, const uint8_t* row, int64_t n, int16_t* levels, GgmlLevelGrid* grids)
{
    const GgmlTypeTraits& traits = checkedTraits(type, n);
    const GgmlLevelFormat format = ggmlLevelFormat(type);
    const int64_t bs = traits.blockSize, gridsPerBlock = bs / format.subBlock;
    for (int64_t i = 0; i < n / bs; ++i)
        readBlock(type, row + i * traits.bytesPerBlock, levels + i * bs, grids + i * gridsPerBlock);
}

GgmlRowLevels readGgmlLevels(GgmlType type, const uint8_t* row, int64_t n)
{
    checkedTraits(type, n);
    GgmlRowLevels out;
    out.levels.resize(size_t(n));
    out.grids.resize(size_t(n / ggmlLevelFormat(type).subBlock));
    readGgmlLevels(type, row, n, out.levels.data(), out.grids.data());
    return out;
}

void writeGgmlLevels(GgmlType type, uint8_t* row, int64_t n, const int16_t* levels)
{
    const GgmlTypeTraits& traits = checkedTraits(type, n);
    const GgmlLevelFormat format = ggmlLevelFormat(type);
    for (int64_t i = 0; i < n; ++i)
        if (levels[i] < format.minLevel || levels[i] > format.maxLevel)
            throw InputError(kSource, "level " + std::to_string(levels[i]) + " of value " + std::to_string(i) +
                                          " lies outside " + std::string(traits.name) + "'s [" +
                                          std::to_string(format.minLevel) + ", " + std::to_string(format.maxLevel) +
                                          "]");
    const int64_t bs = traits.blockSize;
    for (int64_t i = 0; i < n / bs; ++i)
        writeBlock(type, row + i * traits.bytesPerBlock, levels + i * bs);
}

} // namespace salience
