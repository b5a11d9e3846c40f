#include "quant/GgmlQuantize.h"

#include "base/Error.h"
#include "tensor/Half.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

namespace salience {

namespace {

const char* const kSource = "ggml quantize";
constexpr int kQK = 256;              // values per K-quant super-block
constexpr float kGroupMaxEps = 1e-15f; // ggml's GROUP_MAX_EPS: a sub-block this small is all zero

void putHalf(uint8_t* p, float v)
{
    const uint16_t h = floatToHalf(v);
    std::memcpy(p, &h, 2);
}

float getHalf(const uint8_t* p)
{
    uint16_t h;
    std::memcpy(&h, p, 2);
    return halfToFloat(h);
}

// ggml's nearest_int: round to nearest (ties to even) by adding 1.5·2^23 and reading the
// mantissa. Only meaningful for |v| <= 2^22 - 1; ggml does not check that in release builds,
// and neither do we, so out-of-range values give what ggml gives.
int nearestInt(float v)
{
    const float biased = v + 12582912.f;
    int32_t i;
    std::memcpy(&i, &biased, 4);
    return (i & 0x007fffff) - 0x00400000;
}

// ---- 32-value blocks ----

// Q8_0: half d, int8 qs[32]; d = amax/127, q = round(x/d).
void q8_0(const float* x, uint8_t* b)
{
    float amax = 0.0f;
    for (int j = 0; j < 32; ++j)
        amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    putHalf(b, d);
    for (int j = 0; j < 32; ++j)
        b[2 + j] = uint8_t(int8_t(std::round(x[j] * id)));
}

// Q4_0: half d, 16 bytes; d = (value of largest magnitude)/-8, nibble = min(15, trunc(x/d + 8.5)).
// Value j sits in the low nibble of byte j, value j+16 in its high nibble.
void q4_0(const float* x, uint8_t* b)
{
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < 32; ++j)
        if (amax < std::fabs(x[j])) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    const float d = max / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    putHalf(b, d);
    for (int j = 0; j < 16; ++j) {
        const uint8_t lo = uint8_t(std::min(15, int(int8_t(x[j] * id + 8.5f))));
        const uint8_t hi = uint8_t(std::min(15, int(int8_t(x[j + 16] * id + 8.5f))));
        b[2 + j] = uint8_t(lo | (hi << 4));
    }
}

// Q4_1: half d, half m, 16 bytes; m = min, d = (max-min)/15, nibble = min(15, trunc((x-m)/d + 0.5)).
void q4_1(const float* x, uint8_t* b)
{
    float min = FLT_MAX, max = -FLT_MAX;
    for (int j = 0; j < 32; ++j) {
        if (x[j] < min) min = x[j];
        if (x[j] > max) max = x[j];
    }
    const float d = (max - min) / 15.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    putHalf(b, d);
    putHalf(b + 2, min);
    for (int j = 0; j < 16; ++j) {
        const uint8_t lo = uint8_t(std::min(15, int(int8_t((x[j] - min) * id + 0.5f))));
        const uint8_t hi = uint8_t(std::min(15, int(int8_t((x[j + 16] - min) * id + 0.5f))));
        b[4 + j] = uint8_t(lo | (hi << 4));
    }
}

// Q5_0: half d, uint32 qh (bit j = fifth bit of value j), 16 bytes of low nibbles;
// d = (value of largest magnitude)/-16, q = min(31, trunc(x/d + 16.5)).
void q5_0(const float* x, uint8_t* b)
{
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < 32; ++j)
        if (amax < std::fabs(x[j])) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    const float d = max / -16.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    putHalf(b, d);
    uint32_t qh = 0;
    for (int j = 0; j < 16; ++j) {
        const uint8_t q0 = uint8_t(std::min(31, int(int8_t(x[j] * id + 16.5f))));
        const uint8_t q1 = uint8_t(std::min(31, int(int8_t(x[j + 16] * id + 16.5f))));
        b[6 + j] = uint8_t((q0 & 0x0f) | ((q1 & 0x0f) << 4));
        qh |= uint32_t((q0 & 0x10u) >> 4) << j;
        qh |= uint32_t((q1 & 0x10u) >> 4) << (j + 16);
    }
    std::memcpy(b + 2, &qh, 4);
}

// Q5_1: half d, half m, uint32 qh, 16 bytes; m = min, d = (max-min)/31, q = trunc((x-m)/d + 0.5).
void q5_1(const float* x, uint8_t* b)
{
    float min = FLT_MAX, max = -FLT_MAX;
    for (int j = 0; j < 32; ++j) {
        if (x[j] < min) min = x[j];
        if (x[j] > max) max = x[j];
    }
    const float d = (max - min) / 31.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    putHalf(b, d);
    putHalf(b + 2, min);
    uint32_t qh = 0;
    for (int j = 0; j < 16; ++j) {
        const uint8_t q0 = uint8_t((x[j] - min) * id + 0.5f);
        const uint8_t q1 = uint8_t((x[j + 16] - min) * id + 0.5f);
        b[8 + j] = uint8_t((q0 & 0x0f) | ((q1 & 0x0f) << 4));
        qh |= uint32_t((q0 & 0x10u) >> 4) << j;
        qh |= uint32_t((q1 & 0x10u) >> 4) << (j + 16);
    }
    std::memcpy(b + 4, &qh, 4);
}

// ---- K-quants ----

// ggml's make_qx_quants with rmse_type 1 and no importance weights (w = x²): a symmetric
// scale for n values on levels -nmax..nmax-1, refined by trying 18 nearby inverse scales.
// L receives the levels shifted by nmax.
float makeQxQuants(int n, int nmax, const float* x, int8_t* L)
{
    float max = 0.0f, amax = 0.0f;
    for (int i = 0; i < n; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    if (amax < kGroupMaxEps) {
        for (int i = 0; i < n; ++i)
            L[i] = 0;
        return 0.0f;
    }
    const auto level = [nmax](float v) { return std::max(-nmax, std::min(nmax - 1, nearestInt(v))); };
    float iscale = float(-nmax) / max;
    float sumlx = 0.0f, suml2 = 0.0f;
    for (int i = 0; i < n; ++i) {
        const int l = level(iscale * x[i]);
        L[i] = int8_t(l + nmax);
        const float w = x[i] * x[i];
        sumlx += w * x[i] * float(l);
        suml2 += w * float(l) * float(l);
    }
    float scale = suml2 != 0.0f ? sumlx / suml2 : 0.0f;
    float best = scale * sumlx;
    for (int is = -9; is <= 9; ++is) {
        if (is == 0)
            continue;
        iscale = -(float(nmax) + 0.1f * float(is)) / max;
        sumlx = suml2 = 0.0f;
        for (int i = 0; i < n; ++i) {
            const int l = level(iscale * x[i]);
            const float w = x[i] * x[i];
            sumlx += w * x[i] * float(l);
            suml2 += w * float(l) * float(l);
        }
        if (suml2 > 0.0f && sumlx * sumlx > best * suml2) {
            for (int i = 0; i < n; ++i)
                L[i] = int8_t(nmax + level(iscale * x[i]));
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

// ggml's make_qkx2_quants: an asymmetric (scale, min) for n values on levels 0..nmax under
// weights, searched over nstep+1 inverse scales, squared error (use_mad false). Returns the
// scale; *theMin receives -min (>= 0).
float makeQkx2Quants(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* theMin,
                     uint8_t* Laux, float rmin, float rdelta, int nstep)
{
    float min = x[0], max = x[0];
    float sumW = weights[0];
    float sumX = sumW * x[0];
    for (int i = 1; i < n; ++i) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
        const float w = weights[i];
        sumW += w;
        sumX += w * x[i];
    }
    if (min > 0.0f)
        min = 0.0f;
    if (max == min) {
        for (int i = 0; i < n; ++i)
            L[i] = 0;
        *theMin = -min;
        return 0.0f;
    }
    float iscale = float(nmax) / (max - min);
    float scale = 1.0f / iscale;
    float bestMad = 0.0f;
    for (int i = 0; i < n; ++i) {
        const int l = nearestInt(iscale * (x[i] - min));
        L[i] = uint8_t(std::max(0, std::min(nmax, l)));
        float diff = scale * float(L[i]) + min - x[i];
        diff = diff * diff;
        bestMad += weights[i] * diff;
    }
    if (nstep < 1) {
        *theMin = -min;
        return scale;
    }
    for (int is = 0; is <= nstep; ++is) {
        iscale = (rmin + rdelta * float(is) + float(nmax)) / (max - min);
        float sumL = 0.0f, sumL2 = 0.0f, sumXL = 0.0f;
        for (int i = 0; i < n; ++i) {
            const int l = std::max(0, std::min(nmax, nearestInt(iscale * (x[i] - min))));
            Laux[i] = uint8_t(l);
            const float w = weights[i];
            sumL += w * float(l);
            sumL2 += w * float(l) * float(l);
            sumXL += w * float(l) * x[i];
        }
        const float D = sumW * sumL2 - sumL * sumL;
        if (D > 0.0f) {
            float thisScale = (sumW * sumXL - sumX * sumL) / D;
            float thisMin = (sumL2 * sumX - sumL * sumXL) / D;
            if (thisMin > 0.0f) {
                thisMin = 0.0f;
                thisScale = sumXL / sumL2;
            }
            float mad = 0.0f;
            for (int i = 0; i < n; ++i) {
                float diff = thisScale * float(Laux[i]) + thisMin - x[i];
                diff = diff * diff;
                mad += weights[i] * diff;
            }
            if (mad < bestMad) {
                for (int i = 0; i < n; ++i)
                    L[i] = Laux[i];
                bestMad = mad;
                scale = thisScale;
                min = thisMin;
            }
        }
    }
    *theMin = -min;
    return scale;
}

// Q4_K: half d, half dmin, scales[12], qs[128]. Eight sub-blocks of 32 with a 6-bit scale and
// 6-bit min each (relative to d and dmin); value = d·sc·q - dmin·m.
void q4_K(const float* x, uint8_t* b)
{
    uint8_t L[kQK];
    uint8_t Laux[32];
    float weights[32];
    float mins[kQK / 32];
    float scales[kQK / 32];
    uint8_t* packed = b + 4; // scales[12]
    std::memset(packed, 0, 12);

    float maxScale = 0.0f, maxMin = 0.0f;
    for (int j = 0; j < kQK / 32; ++j) {
        float sumX2 = 0.0f;
        for (int l = 0; l < 32; ++l)
            sumX2 += x[32 * j + l] * x[32 * j + l];
        const float avX = std::sqrt(sumX2 / 32.0f);
        for (int l = 0; l < 32; ++l)
            weights[l] = avX + std::fabs(x[32 * j + l]);
        scales[j] = makeQkx2Quants(32, 15, x + 32 * j, weights, L + 32 * j, &mins[j], Laux, -1.0f, 0.1f, 20);
        if (scales[j] > maxScale)
            maxScale = scales[j];
        if (mins[j] > maxMin)
            maxMin = mins[j];
    }

    const float invScale = maxScale > 0.0f ? 63.0f / maxScale : 0.0f;
    const float invMin = maxMin > 0.0f ? 63.0f / maxMin : 0.0f;
    for (int j = 0; j < kQK / 32; ++j) {
        // uint8_t, as ggml stores them, before the clamp.
        const uint8_t ls = std::min<uint8_t>(63, uint8_t(nearestInt(invScale * scales[j])));
        const uint8_t lm = std::min<uint8_t>(63, uint8_t(nearestInt(invMin * mins[j])));
        if (j < 4) {
            packed[j] = ls;
            packed[j + 4] = lm;
        } else {
            packed[j + 4] = uint8_t((ls & 0xf) | ((lm & 0xf) << 4));
            packed[j - 4] |= uint8_t((ls >> 4) << 6);
            packed[j] |= uint8_t((lm >> 4) << 6);
        }
    }
    putHalf(b, maxScale / 63.0f);
    putHalf(b + 2, maxMin / 63.0f);
    const float d0 = getHalf(b), dmin0 = getHalf(b + 2);

    for (int j = 0; j < kQK / 32; ++j) {
        uint8_t sc, m;
        if (j < 4) {
            sc = packed[j] & 63;
            m = packed[j + 4] & 63;
        } else {
            sc = uint8_t((packed[j + 4] & 0xf) | ((packed[j - 4] >> 6) << 4));
            m = uint8_t((packed[j + 4] >> 4) | ((packed[j] >> 6) << 4));
        }
        const float d = d0 * float(sc);
        if (d == 0.0f)
            continue; // keeps make_qkx2_quants' levels, as ggml does
        const float dm = dmin0 * float(m);
        for (int ii = 0; ii < 32; ++ii) {
            const int l = nearestInt((x[32 * j + ii] + dm) / d);
            L[32 * j + ii] = uint8_t(std::max(0, std::min(15, l)));
        }
    }

    uint8_t* q = b + 16;
    for (int j = 0; j < kQK; j += 64) {
        for (int l = 0; l < 32; ++l)
            q[l] = uint8_t(L[j + l] | (L[j + l + 32] << 4));
        q += 32;
    }
}

// Q6_K: ql[128], qh[64], int8 scales[16], half d. Sixteen sub-blocks of 16 values with an
// 8-bit signed scale each; value = d·scale·(q - 32), q in 0..63.
void q6_K(const float* x, uint8_t* b)
{
    int8_t L[kQK];
    float scales[kQK / 16];
    uint8_t* ql = b;
    uint8_t* qh = b + 128;
    int8_t* sc = reinterpret_cast<int8_t*>(b + 192);
    uint8_t* dp = b + 208;

    float maxScale = 0.0f, maxAbsScale = 0.0f;
    for (int ib = 0; ib < kQK / 16; ++ib) {
        const float scale = makeQxQuants(16, 32, x + 16 * ib, L + 16 * ib);
        scales[ib] = scale;
        const float absScale = std::fabs(scale);
        if (absScale > maxAbsScale) {
            maxAbsScale = absScale;
            maxScale = scale;
        }
    }
    if (maxAbsScale < kGroupMaxEps) {
        std::memset(b, 0, 210);
        putHalf(dp, 0.0f);
        return;
    }
    const float iscale = -128.0f / maxScale;
    putHalf(dp, 1.0f / iscale);
    for (int ib = 0; ib < kQK / 16; ++ib)
        sc[ib] = int8_t(std::min(127, nearestInt(iscale * scales[ib])));
    const float d0 = getHalf(dp);
    for (int j = 0; j < kQK / 16; ++j) {
        const float d = d0 * float(sc[j]);
        if (d == 0.0f)
            continue;
        for (int ii = 0; ii < 16; ++ii) {
            const int l = std::max(-32, std::min(31, nearestInt(x[16 * j + ii] / d)));
            L[16 * j + ii] = int8_t(l + 32);
        }
    }
    for (int j = 0; j < kQK; j += 128) {
        for (int l = 0; l < 32; ++l) {
            const uint8_t v1 = uint8_t(L[j + l + 0]), v2 = uint8_t(L[j + l + 32]);
            const uint8_t v3 = uint8_t(L[j + l + 64]), v4 = uint8_t(L[j + l + 96]);
            ql[l + 0] = uint8_t((v1 & 0xf) | ((v3 & 0xf) << 4));
            ql[l + 32] = uint8_t((v2 & 0xf) | ((v4 & 0xf) << 4));
            qh[l] = uint8_t((v1 >> 4) | ((v2 >> 4) << 2) | ((v3 >> 4) << 4) | ((v4 >> 4) << 6));
        }
        ql += 64;
        qh += 32;
    }
}

using BlockFn = void (*)(const float*, uint8_t*);

BlockFn blockFunction(GgmlType type)
{
    switch (type) {
    case GgmlType::Q4_0: return q4_0;
    case GgmlType::Q4_1: return q4_1;
    case GgmlType::Q5_0: return q5_0;
    case GgmlType::Q5_1: return q5_1;
    case GgmlType::Q8_0: return q8_0;
    case GgmlType::Q4_K: return q4_K;
    case GgmlType::Q6_K: return q6_K;
    default: return nullptr;
    }
}

} // namespace

bool canQuantize(GgmlType type)
{
    return type == GgmlType::F32 || type == GgmlType::F16 || type == GgmlType::BF16 || blockFunction(type) != nullptr;
}

std::string quantizableTypeList()
{
    std::string out;
    for (uint32_t id = 0; id <= kGgmlTypeMaxId; ++id)
        if (canQuantize(GgmlType(id)))
            out += (out.empty() ? "" : ", ") + ggmlTypeName(id);
    return out;
}

uint64_t ggmlByteSize(GgmlType type, int64_t n)
{
    const GgmlTypeTraits* t = ggmlTypeTraits(type);
    if (!t)
        throw InputError(kSource, "unknown ggml type id " + std::to_string(uint32_t(type)));
    if (n < 0)
        throw InputError(kSource, "negative value count " + std::to_string(n));
    if (n % t->blockSize != 0)
        throw InputError(kSource, std::to_string(n) + " values are not a whole number of " + std::string(t->name) +
                                      " blocks of " + std::to_string(t->blockSize));
    const uint64_t blocks = uint64_t(n / t->blockSize);
    if (blocks > std::numeric_limits<uint64_t>::max() / uint64_t(t->bytesPerBlock))
        throw InputError(kSource, "size of " + std::to_string(n) + " " + std::string(t->name) +
                                      " values overflows 64 bits");
    return blocks * uint64_t(t->bytesPerBlock);
}

void quantizeRow(GgmlType type, const float* src, uint8_t* dst, int64_t n)
{
    if (!canQuantize(type))
        throw InputError(kSource, "cannot write type " + ggmlTypeName(uint32_t(type)) + " (writable types: " +
                                      quantizableTypeList() + ")");
    ggmlByteSize(type, n); // checks n
    switch (type) {
    case GgmlType::F32:
        std::memcpy(dst, src, size_t(n) * 4);
        return;
    case GgmlType::F16:
        for (int64_t i = 0; i < n; ++i) {
            const uint16_t h = floatToHalf(src[i]);
            std::memcpy(dst + 2 * i, &h, 2);
        }
        return;
    case GgmlType::BF16:
        for (int64_t i = 0; i < n; ++i) {
            const uint16_t h = floatToBf16(src[i]);
            std::memcpy(dst + 2 * i, &h, 2);
        }
        return;
    default: break;
    }
    for (int64_t i = 0; i < n; ++i)
        if (!std::isfinite(src[i]))
            throw InputError(kSource, "value " + std::to_string(i) + " is " + std::to_string(src[i]) +
                                          ": " + ggmlTypeName(uint32_t(type)) + " needs finite values");
    const GgmlTypeTraits* t = ggmlTypeTraits(type);
    const BlockFn fn = blockFunction(type);
    for (int64_t i = 0; i < n / t->blockSize; ++i)
        fn(src + i * t->blockSize, dst + i * t->bytesPerBlock);
}

std::vector<uint8_t> quantizeRows(GgmlType type, const float* src, int64_t rows, int64_t cols)
{
    if (rows < 0)
        throw InputError(kSource, "negative row count " + std::to_string(rows));
    const uint64_t rowBytes = ggmlByteSize(type, cols);
    if (rows > 0 && rowBytes > std::numeric_limits<uint64_t>::max() / uint64_t(rows))
        throw InputError(kSource, "tensor size overflows 64 bits");
    if (rowBytes * uint64_t(rows) > std::numeric_limits<size_t>::max() / 2)
        throw InputError(kSource, "tensor too large for memory");
    std::vector<uint8_t> out(size_t(rowBytes * uint64_t(rows)));
    for (int64_t r = 0; r < rows; ++r)
        quantizeRow(type, src + r * cols, out.data() + size_t(r) * size_t(rowBytes), cols);
    return out;
}

} // namespace salience
