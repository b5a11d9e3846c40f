#include "quant/GgmlQuantize.h"

#include "base/Error.h"
#include "base/PageAdvice.h"
#include "base/ParallelFor.h"
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

// ---- helpers of the K-quants (ggml's make_*_quants) ----
// Each mirrors its ggml namesake operation for operation: the order of every sum and product
// decides the last bit of a scale, and with it which level a value rounds to.

int clampInt(int v, int lo, int hi) { return std::max(lo, std::min(hi, v)); }

// The value of largest magnitude (the first of equals), sign kept: the symmetric makers scale by it.
float signedAbsMax(const float* x, int n)
{
    float max = 0.0f, amax = 0.0f;
    for (int i = 0; i < n; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    return max;
}

// make_qx_quants with rmse_type 1: a symmetric scale for n values on levels -nmax..nmax-1 under
// weights qw (x² when qw is null), refined over 18 nearby inverse scales. L receives the levels
// shifted by nmax.
float makeQxQuants(int n, int nmax, const float* x, int8_t* L, const float* qw)
{
    const float max = signedAbsMax(x, n);
    if (std::fabs(max) < kGroupMaxEps) {
        for (int i = 0; i < n; ++i)
            L[i] = 0;
        return 0.0f;
    }
    const auto level = [nmax](float v) { return clampInt(nearestInt(v), -nmax, nmax - 1); };
    const auto weight = [x, qw](int i) { return qw ? qw[i] : x[i] * x[i]; };
    float iscale = float(-nmax) / max;
    float sumlx = 0.0f, suml2 = 0.0f;
    for (int i = 0; i < n; ++i) {
        const int l = level(iscale * x[i]);
        L[i] = int8_t(l + nmax);
        const float w = weight(i);
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
            const float w = weight(i);
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

// make_q3_quants with do_rmse: symmetric levels -nmax..nmax-1 under weights x², then up to five
// passes moving single values to the level that best raises sumlx²/suml2. L gets levels + nmax.
float makeQ3Quants(int n, int nmax, const float* x, int8_t* L)
{
    const float max = signedAbsMax(x, n);
    if (std::fabs(max) < kGroupMaxEps) {
        for (int i = 0; i < n; ++i)
            L[i] = 0;
        return 0.0f;
    }
    const float iscale = float(-nmax) / max;
    float sumlx = 0.0f, suml2 = 0.0f;
    for (int i = 0; i < n; ++i) {
        const int l = clampInt(nearestInt(iscale * x[i]), -nmax, nmax - 1);
        L[i] = int8_t(l);
        const float w = x[i] * x[i];
        sumlx += w * x[i] * float(l);
        suml2 += w * float(l) * float(l);
    }
    for (int itry = 0; itry < 5; ++itry) {
        int changed = 0;
        for (int i = 0; i < n; ++i) {
            const float w = x[i] * x[i];
            float slx = sumlx - w * x[i] * float(L[i]);
            if (slx > 0.0f) {
                float sl2 = suml2 - w * float(L[i]) * float(L[i]);
                const int newL = clampInt(nearestInt(x[i] * sl2 / slx), -nmax, nmax - 1);
                if (newL != L[i]) {
                    slx += w * x[i] * float(newL);
                    sl2 += w * float(newL) * float(newL);
                    if (sl2 > 0.0f && slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = int8_t(newL);
                        sumlx = slx;
                        suml2 = sl2;
                        ++changed;
                    }
                }
            }
        }
        if (changed == 0)
            break;
    }
    for (int i = 0; i < n; ++i)
        L[i] = int8_t(L[i] + nmax);
    return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

// make_qkx2_quants: an asymmetric (scale, min) for n values on levels 0..nmax under weights,
// searched over nstep+1 inverse scales; the error is squared or, with useMad, absolute. Returns
// the scale; *theMin receives -min (>= 0). With non-null weights and squared error this is also
// ggml's make_qkx3_quants: its only other difference, max <= min instead of max == min for an
// empty range, cannot tell once min is clamped to at most 0 and max >= x[0] >= min.
float makeQkx2Quants(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* theMin,
                     uint8_t* Laux, float rmin, float rdelta, int nstep, bool useMad)
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
    const auto error = [useMad](float diff) { return useMad ? std::fabs(diff) : diff * diff; };
    float iscale = float(nmax) / (max - min);
    float scale = 1.0f / iscale;
    float bestError = 0.0f;
    for (int i = 0; i < n; ++i) {
        const int l = nearestInt(iscale * (x[i] - min));
        L[i] = uint8_t(clampInt(l, 0, nmax));
        bestError += weights[i] * error(scale * float(L[i]) + min - x[i]);
    }
    if (nstep < 1) {
        *theMin = -min;
        return scale;
    }
    for (int is = 0; is <= nstep; ++is) {
        iscale = (rmin + rdelta * float(is) + float(nmax)) / (max - min);
        float sumL = 0.0f, sumL2 = 0.0f, sumXL = 0.0f;
        for (int i = 0; i < n; ++i) {
            const int l = clampInt(nearestInt(iscale * (x[i] - min)), 0, nmax);
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
            float thisError = 0.0f;
            for (int i = 0; i < n; ++i)
                thisError += weights[i] * error(thisScale * float(Laux[i]) + thisMin - x[i]);
            if (thisError < bestError) {
                for (int i = 0; i < n; ++i)
                    L[i] = Laux[i];
                bestError = thisError;
                scale = thisScale;
                min = thisMin;
            }
        }
    }
    *theMin = -min;
    return scale;
}

// make_qp_quants: a positive scale for n non-negative values (sub-block scales or mins) on
// levels 0..nmax under weights qw: 9 candidate inverse scales, then up to five passes moving
// single levels. L is uint8_t as in ggml, so a negative level wraps the same way.
float makeQpQuants(int n, int nmax, const float* x, uint8_t* L, const float* qw)
{
    float max = 0.0f;
    for (int i = 0; i < n; ++i)
        max = max > x[i] ? max : x[i];
    if (max < kGroupMaxEps) {
        for (int i = 0; i < n; ++i)
            L[i] = 0;
        return 0.0f;
    }
    float iscale = float(nmax) / max;
    for (int i = 0; i < n; ++i)
        L[i] = uint8_t(nearestInt(iscale * x[i]));
    const float scale = 1.0f / iscale;
    float bestMse = 0.0f;
    for (int i = 0; i < n; ++i) {
        const float diff = x[i] - scale * float(L[i]);
        bestMse += qw[i] * diff * diff;
    }
    for (int is = -4; is <= 4; ++is) {
        if (is == 0)
            continue;
        const float iscaleIs = (0.1f * float(is) + float(nmax)) / max;
        const float scaleIs = 1.0f / iscaleIs;
        float mse = 0.0f;
        for (int i = 0; i < n; ++i) {
            const int l = std::min(nmax, nearestInt(iscaleIs * x[i]));
            const float diff = x[i] - scaleIs * float(l);
            mse += qw[i] * diff * diff;
        }
        if (mse < bestMse) {
            bestMse = mse;
            iscale = iscaleIs;
        }
    }
    float sumlx = 0.0f, suml2 = 0.0f;
    for (int i = 0; i < n; ++i) {
        const int l = std::min(nmax, nearestInt(iscale * x[i]));
        L[i] = uint8_t(l);
        const float w = qw[i];
        sumlx += w * x[i] * float(l);
        suml2 += w * float(l) * float(l);
    }
    for (int itry = 0; itry < 5; ++itry) {
        int changed = 0;
        for (int i = 0; i < n; ++i) {
            const float w = qw[i];
            float slx = sumlx - w * x[i] * float(L[i]);
            float sl2 = suml2 - w * float(L[i]) * float(L[i]);
            if (slx > 0.0f && sl2 > 0.0f) {
                const int newL = std::min(nmax, nearestInt(x[i] * sl2 / slx));
                if (newL != int(L[i])) {
                    slx += w * x[i] * float(newL);
                    sl2 += w * float(newL) * float(newL);
                    if (slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = uint8_t(newL);
                        sumlx = slx;
                        suml2 = sl2;
                        ++changed;
                    }
                }
            }
        }
        if (changed == 0)
            break;
    }
    return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

// ggml's weights for an importance-guided sub-block: imatrix entry × sqrt(sigma2 + x²).
void importanceWeights(int n, const float* x, const float* qw, float sigma2, float* weights)
{
    for (int l = 0; l < n; ++l)
        weights[l] = qw[l] * std::sqrt(sigma2 + x[l] * x[l]);
}

float sumOf(int n, const float* v)
{
    float s = 0.0f;
    for (int l = 0; l < n; ++l)
        s += v[l];
    return s;
}

float sumOfSquares(int64_t n, const float* x)
{
    float s = 0.0f;
    for (int64_t j = 0; j < n; ++j)
        s += x[j] * x[j];
    return s;
}

// ---- 32-value blocks under an importance matrix (quantize_row_q*_impl) ----
// rowSigma2: the mean square of the whole row, as ggml computes it for these types.

void q4_0Weighted(const float* x, uint8_t* b, const float* qw, float rowSigma2)
{
    float weights[32];
    int8_t L[32];
    importanceWeights(32, x, qw, rowSigma2, weights);
    putHalf(b, makeQxQuants(32, 8, x, L, weights));
    for (int j = 0; j < 16; ++j)
        b[2 + j] = uint8_t(L[j] | (L[j + 16] << 4));
}

void q5_0Weighted(const float* x, uint8_t* b, const float* qw, float rowSigma2)
{
    float weights[32];
    int8_t L[32];
    importanceWeights(32, x, qw, rowSigma2, weights);
    putHalf(b, makeQxQuants(32, 16, x, L, weights));
    uint32_t qh = 0;
    for (int j = 0; j < 16; ++j) {
        const uint8_t q0 = uint8_t(L[j]), q1 = uint8_t(L[j + 16]);
        b[6 + j] = uint8_t((q0 & 0x0f) | ((q1 & 0x0f) << 4));
        qh |= uint32_t((q0 & 0x10u) >> 4) << j;
        qh |= uint32_t((q1 & 0x10u) >> 4) << (j + 16);
    }
    std::memcpy(b + 2, &qh, 4);
}

void q4_1Weighted(const float* x, uint8_t* b, const float* qw, float rowSigma2)
{
    float weights[32];
    uint8_t L[32], Laux[32];
    importanceWeights(32, x, qw, rowSigma2, weights);
    float min;
    putHalf(b, makeQkx2Quants(32, 15, x, weights, L, &min, Laux, -0.9f, 0.05f, 36, false));
    putHalf(b + 2, -min);
    for (int j = 0; j < 16; ++j)
        b[4 + j] = uint8_t(L[j] | (L[j + 16] << 4));
}

void q5_1Weighted(const float* x, uint8_t* b, const float* qw, float rowSigma2)
{
    float weights[32];
    uint8_t L[32], Laux[32];
    importanceWeights(32, x, qw, rowSigma2, weights);
    float min;
    putHalf(b, makeQkx2Quants(32, 31, x, weights, L, &min, Laux, -0.9f, 0.05f, 36, false));
    putHalf(b + 2, -min);
    uint32_t qh = 0;
    for (int j = 0; j < 16; ++j) {
        const uint8_t q0 = L[j], q1 = L[j + 16];
        b[8 + j] = uint8_t((q0 & 0x0f) | ((q1 & 0x0f) << 4));
        qh |= uint32_t((q0 & 0x10u) >> 4) << j;
        qh |= uint32_t((q1 & 0x10u) >> 4) << (j + 16);
    }
    std::memcpy(b + 4, &qh, 4);
}

// ---- Q2_K: scales[16] (low nibble scale, high nibble min), qs[64], half d, half dmin ----
// Sixteen sub-blocks of 16 values on levels 0..3; value = d·sc·q - dmin·m.

// The common tail: levels again from the stored scales, then four 2-bit levels per byte.
void q2_KFinish(const float* x, uint8_t* b, uint8_t* L)
{
    const uint8_t* sc = b;
    const float d0 = getHalf(b + 80), dmin0 = getHalf(b + 82);
    for (int j = 0; j < kQK / 16; ++j) {
        const float d = d0 * float(sc[j] & 0xF);
        if (d == 0.0f)
            continue; // keeps the levels found with the sub-block's own scale, as ggml does
        const float dm = dmin0 * float(sc[j] >> 4);
        for (int ii = 0; ii < 16; ++ii)
            L[16 * j + ii] = uint8_t(clampInt(nearestInt((x[16 * j + ii] + dm) / d), 0, 3));
    }
    uint8_t* qs = b + 16;
    for (int j = 0; j < kQK; j += 128)
        for (int l = 0; l < 32; ++l)
            qs[j / 4 + l] =
                uint8_t(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
}

void q2_K(const float* x, uint8_t* b)
{
    uint8_t L[kQK], Laux[16];
    float weights[16], mins[kQK / 16], scales[kQK / 16];
    uint8_t* sc = b;
    float maxScale = 0.0f, maxMin = 0.0f;
    for (int j = 0; j < kQK / 16; ++j) {
        for (int l = 0; l < 16; ++l)
            weights[l] = std::fabs(x[16 * j + l]);
        scales[j] = makeQkx2Quants(16, 3, x + 16 * j, weights, L + 16 * j, &mins[j], Laux, -0.5f, 0.1f, 15, true);
        if (scales[j] > maxScale)
            maxScale = scales[j];
        if (mins[j] > maxMin)
            maxMin = mins[j];
    }
    constexpr float q4scale = 15.0f;
    if (maxScale > 0.0f) {
        const float iscale = q4scale / maxScale;
        for (int j = 0; j < kQK / 16; ++j)
            sc[j] = uint8_t(nearestInt(iscale * scales[j]));
        putHalf(b + 80, maxScale / q4scale);
    } else {
        std::memset(sc, 0, kQK / 16);
        putHalf(b + 80, 0.0f);
    }
    if (maxMin > 0.0f) {
        const float iscale = q4scale / maxMin;
        for (int j = 0; j < kQK / 16; ++j)
            sc[j] = uint8_t(sc[j] | (uint32_t(nearestInt(iscale * mins[j])) << 4));
        putHalf(b + 82, maxMin / q4scale);
    } else {
        putHalf(b + 82, 0.0f);
    }
    q2_KFinish(x, b, L);
}

void q2_KWeighted(const float* x, uint8_t* b, const float* qw, float)
{
    uint8_t L[kQK], Laux[16], Ls[kQK / 16], Lm[kQK / 16];
    float weights[16], sw[kQK / 16], mins[kQK / 16], scales[kQK / 16];
    const float sigma2 = sumOfSquares(kQK, x) / float(kQK);
    for (int j = 0; j < kQK / 16; ++j) {
        importanceWeights(16, x + 16 * j, qw + 16 * j, sigma2, weights);
        sw[j] = sumOf(16, weights);
        scales[j] = makeQkx2Quants(16, 3, x + 16 * j, weights, L + 16 * j, &mins[j], Laux, -0.9f, 0.05f, 36, false);
    }
    putHalf(b + 80, makeQpQuants(kQK / 16, 15, scales, Ls, sw));
    putHalf(b + 82, makeQpQuants(kQK / 16, 15, mins, Lm, sw));
    for (int j = 0; j < kQK / 16; ++j)
        b[j] = uint8_t(Ls[j] | (Lm[j] << 4));
    q2_KFinish(x, b, L);
}

// ---- Q3_K: hmask[32], qs[64], scales[12], half d ----
// Sixteen sub-blocks of 16 values on levels -4..3 (two low bits in qs, the third in hmask) with
// a 6-bit signed scale each (low nibbles in scales[0..7], high pairs in scales[8..11]).

void putQ3Scale(uint8_t* sc, int j, int l)
{
    if (j < 8)
        sc[j] = uint8_t(l & 0xF);
    else
        sc[j - 8] = uint8_t(sc[j - 8] | ((l & 0xF) << 4));
    l >>= 4;
    sc[j % 4 + 8] = uint8_t(sc[j % 4 + 8] | (l << (2 * (j / 4))));
}

void q3_KFinish(const float* x, uint8_t* b, int8_t* L)
{
    const uint8_t* scales = b + 96;
    const float d0 = getHalf(b + 108);
    for (int j = 0; j < kQK / 16; ++j) {
        int8_t sc = int8_t(j < 8 ? scales[j] & 0xF : scales[j - 8] >> 4);
        sc = int8_t((sc | (((scales[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32);
        const float d = d0 * float(sc);
        if (d == 0.0f)
            continue;
        for (int ii = 0; ii < 16; ++ii)
            L[16 * j + ii] = int8_t(clampInt(nearestInt(x[16 * j + ii] / d), -4, 3) + 4);
    }
    uint8_t* hmask = b;
    std::memset(hmask, 0, kQK / 8);
    int m = 0;
    uint8_t hm = 1;
    for (int j = 0; j < kQK; ++j) {
        if (L[j] > 3) {
            hmask[m] |= hm;
            L[j] = int8_t(L[j] - 4);
        }
        if (++m == kQK / 8) {
            m = 0;
            hm = uint8_t(hm << 1);
        }
    }
    uint8_t* qs = b + 32;
    for (int j = 0; j < kQK; j += 128)
        for (int l = 0; l < 32; ++l)
            qs[j / 4 + l] =
                uint8_t(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
}

void q3_K(const float* x, uint8_t* b)
{
    int8_t L[kQK];
    float scales[kQK / 16];
    float maxScale = 0.0f, amax = 0.0f;
    for (int j = 0; j < kQK / 16; ++j) {
        scales[j] = makeQ3Quants(16, 4, x + 16 * j, L + 16 * j);
        const float scale = std::fabs(scales[j]);
        if (scale > amax) {
            amax = scale;
            maxScale = scales[j];
        }
    }
    uint8_t* sc = b + 96;
    std::memset(sc, 0, 12);
    if (maxScale != 0.0f) {
        const float iscale = -32.0f / maxScale;
        for (int j = 0; j < kQK / 16; ++j) {
            // int8_t before the clamp, as ggml stores it.
            const int8_t l = int8_t(nearestInt(iscale * scales[j]));
            putQ3Scale(sc, j, clampInt(l, -32, 31) + 32);
        }
        putHalf(b + 108, 1.0f / iscale);
    } else {
        putHalf(b + 108, 0.0f);
    }
    q3_KFinish(x, b, L);
}

void q3_KWeighted(const float* x, uint8_t* b, const float* qw, float)
{
    int8_t L[kQK], Ls[kQK / 16];
    float scales[kQK / 16], weights[16], sw[kQK / 16];
    const float sigma2 = 2.0f * sumOfSquares(kQK, x) / float(kQK);
    for (int j = 0; j < kQK / 16; ++j) {
        importanceWeights(16, x + 16 * j, qw + 16 * j, sigma2, weights);
        sw[j] = sumOf(16, weights);
        scales[j] = makeQxQuants(16, 4, x + 16 * j, L + 16 * j, weights);
    }
    uint8_t* sc = b + 96;
    std::memset(sc, 0, 12);
    const float dBlock = makeQxQuants(kQK / 16, 32, scales, Ls, sw);
    for (int j = 0; j < kQK / 16; ++j)
        putQ3Scale(sc, j, Ls[j]);
    putHalf(b + 108, dBlock);
    q3_KFinish(x, b, L);
}

// ---- Q4_K and Q5_K: half d, half dmin, scales[12], (Q5_K: qh[32]), qs ----
// Eight sub-blocks of 32 with a 6-bit scale and 6-bit min each (relative to d and dmin);
// value = d·sc·q - dmin·m, q on 0..15 (Q4_K) or 0..31 (Q5_K).

void putScaleMin(uint8_t* packed, int j, uint8_t ls, uint8_t lm)
{
    if (j < 4) {
        packed[j] = ls;
        packed[j + 4] = lm;
    } else {
        packed[j + 4] = uint8_t((ls & 0xf) | ((lm & 0xf) << 4));
        packed[j - 4] = uint8_t(packed[j - 4] | ((ls >> 4) << 6));
        packed[j] = uint8_t(packed[j] | ((lm >> 4) << 6));
    }
}

// Levels again from the stored 6-bit scales and mins; `nmax` 15 or 31.
void requantizeScaleMin(const float* x, const uint8_t* b, uint8_t* L, int nmax)
{
    const uint8_t* packed = b + 4;
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
            continue; // keeps the levels found with the sub-block's own scale, as ggml does
        const float dm = dmin0 * float(m);
        for (int ii = 0; ii < 32; ++ii)
            L[32 * j + ii] = uint8_t(clampInt(nearestInt((x[32 * j + ii] + dm) / d), 0, nmax));
    }
}

void packQ4_K(const uint8_t* L, uint8_t* b)
{
    uint8_t* q = b + 16;
    for (int j = 0; j < kQK; j += 64) {
        for (int l = 0; l < 32; ++l)
            q[l] = uint8_t(L[j + l] | (L[j + l + 32] << 4));
        q += 32;
    }
}

void packQ5_K(const uint8_t* L, uint8_t* b)
{
    uint8_t* qh = b + 16;
    uint8_t* ql = b + 48;
    std::memset(qh, 0, kQK / 8);
    uint8_t m1 = 1, m2 = 2;
    for (int n = 0; n < kQK; n += 64) {
        for (int j = 0; j < 32; ++j) {
            int l1 = L[n + j];
            if (l1 > 15) {
                l1 -= 16;
                qh[j] |= m1;
            }
            int l2 = L[n + j + 32];
            if (l2 > 15) {
                l2 -= 16;
                qh[j] |= m2;
            }
            ql[j] = uint8_t(l1 | (l2 << 4));
        }
        m1 = uint8_t(m1 << 2);
        m2 = uint8_t(m2 << 2);
        ql += 32;
    }
}

// quantize_row_q4_K_ref / q5_K_ref: per sub-block make_qkx2_quants under weights
// sqrt(mean x²) + |x|, then the scales and mins on 6 bits relative to their largest.
void scaleMinRef(const float* x, uint8_t* b, uint8_t* L, int nmax, float rmin, int nstep)
{
    uint8_t Laux[32];
    float weights[32], mins[kQK / 32], scales[kQK / 32];
    uint8_t* packed = b + 4;
    std::memset(packed, 0, 12);
    float maxScale = 0.0f, maxMin = 0.0f;
    for (int j = 0; j < kQK / 32; ++j) {
        const float avX = std::sqrt(sumOfSquares(32, x + 32 * j) / 32.0f);
        for (int l = 0; l < 32; ++l)
            weights[l] = avX + std::fabs(x[32 * j + l]);
        scales[j] = makeQkx2Quants(32, nmax, x + 32 * j, weights, L + 32 * j, &mins[j], Laux, rmin, 0.1f, nstep, false);
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
        putScaleMin(packed, j, ls, lm);
    }
    putHalf(b, maxScale / 63.0f);
    putHalf(b + 2, maxMin / 63.0f);
    requantizeScaleMin(x, b, L, nmax);
}

// quantize_row_q4_K_impl / q5_K_impl with an importance matrix: make_qkx3_quants under
// imatrix × sqrt(sigma2 + x²), the scales and mins by make_qp_quants under the sub-block weights.
// Only Q5_K clamps the 6-bit levels to 63 (make_qp_quants can wrap a negative one).
void scaleMinWeighted(const float* x, uint8_t* b, const float* qw, uint8_t* L, int nmax, bool clampLevels)
{
    uint8_t Laux[32], Ls[kQK / 32], Lm[kQK / 32];
    float weights[32], sw[kQK / 32], mins[kQK / 32], scales[kQK / 32];
    const float sigma2 = 2.0f * sumOfSquares(kQK, x) / float(kQK);
    for (int j = 0; j < kQK / 32; ++j) {
        importanceWeights(32, x + 32 * j, qw + 32 * j, sigma2, weights);
        sw[j] = sumOf(32, weights);
        scales[j] = makeQkx2Quants(32, nmax, x + 32 * j, weights, L + 32 * j, &mins[j], Laux, -0.9f, 0.05f, 36, false);
    }
    const float dBlock = makeQpQuants(kQK / 32, 63, scales, Ls, sw);
    const float mBlock = makeQpQuants(kQK / 32, 63, mins, Lm, sw);
    uint8_t* packed = b + 4;
    std::memset(packed, 0, 12);
    for (int j = 0; j < kQK / 32; ++j) {
        const uint8_t ls = clampLevels ? std::min<uint8_t>(63, Ls[j]) : Ls[j];
        const uint8_t lm = clampLevels ? std::min<uint8_t>(63, Lm[j]) : Lm[j];
        putScaleMin(packed, j, ls, lm);
    }
    putHalf(b, dBlock);
    putHalf(b + 2, mBlock);
    requantizeScaleMin(x, b, L, nmax);
}

void q4_K(const float* x, uint8_t* b)
{
    uint8_t L[kQK];
    scaleMinRef(x, b, L, 15, -1.0f, 20);
    packQ4_K(L, b);
}

void q4_KWeighted(const float* x, uint8_t* b, const float* qw, float)
{
    uint8_t L[kQK];
    scaleMinWeighted(x, b, qw, L, 15, false);
    packQ4_K(L, b);
}

void q5_K(const float* x, uint8_t* b)
{
    uint8_t L[kQK];
    scaleMinRef(x, b, L, 31, -0.5f, 15);
    packQ5_K(L, b);
}

void q5_KWeighted(const float* x, uint8_t* b, const float* qw, float)
{
    uint8_t L[kQK];
    scaleMinWeighted(x, b, qw, L, 31, true);
    packQ5_K(L, b);
}

// ---- Q6_K: ql[128], qh[64], int8 scales[16], half d ----
// Sixteen sub-blocks of 16 values with an 8-bit signed scale each; value = d·scale·(q - 32),
// q in 0..63. Under an importance matrix ggml weighs make_qx_quants by the imatrix alone.
void q6_KWith(const float* x, uint8_t* b, const float* qw)
{
    int8_t L[kQK];
    float scales[kQK / 16];
    uint8_t* ql = b;
    uint8_t* qh = b + 128;
    int8_t* sc = reinterpret_cast<int8_t*>(b + 192);
    uint8_t* dp = b + 208;

    float maxScale = 0.0f, maxAbsScale = 0.0f;
    for (int ib = 0; ib < kQK / 16; ++ib) {
        const float scale = makeQxQuants(16, 32, x + 16 * ib, L + 16 * ib, qw ? qw + 16 * ib : nullptr);
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
        for (int ii = 0; ii < 16; ++ii)
            L[16 * j + ii] = int8_t(clampInt(nearestInt(x[16 * j + ii] / d), -32, 31) + 32);
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

void q6_K(const float* x, uint8_t* b) { q6_KWith(x, b, nullptr); }
void q6_KWeighted(const float* x, uint8_t* b, const float* qw, float) { q6_KWith(x, b, qw); }

// ---- IQ4_NL: half d, qs[16] ----
// 32 values on ggml's 16 non-uniform levels (kIq4NlValues) times one scale. This is what
// ggml_quantize_chunk writes (quantize_iq4_nl: 7 refinement steps each side, weights x² or
// imatrix × sqrt(sigma2 + x²)); quantize_row_iq4_nl_ref searches less and is not reproduced.

// best_index_int8: the level nearest to v (the lower one on a tie), by bisection as ggml does.
int nearestIq4Level(float v)
{
    const int8_t* val = kIq4NlValues;
    if (v <= float(val[0]))
        return 0;
    if (v >= float(val[15]))
        return 15;
    int ml = 0, mu = 15;
    while (mu - ml > 1) {
        const int mav = (ml + mu) / 2;
        if (v < float(val[mav]))
            mu = mav;
        else
            ml = mav;
    }
    return v - float(val[mu - 1]) < float(val[mu]) - v ? mu - 1 : mu;
}

void iq4_nlWith(const float* x, uint8_t* b, const float* qw)
{
    constexpr int ntry = 7;
    const int8_t* values = kIq4NlValues;
    float weights[32];
    uint8_t L[32];
    if (qw) {
        float sigma2 = sumOfSquares(32, x);
        sigma2 *= 2.0f / 32.0f;
        importanceWeights(32, x, qw, sigma2, weights);
    } else {
        for (int j = 0; j < 32; ++j)
            weights[j] = x[j] * x[j];
    }
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < 32; ++j) {
        const float ax = std::fabs(x[j]);
        if (ax > amax) {
            amax = ax;
            max = x[j];
        }
    }
    float scale = 0.0f;
    if (amax >= kGroupMaxEps) {
        float d = -max / float(values[0]);
        float id = 1.0f / d;
        float sumqx = 0.0f, sumq2 = 0.0f;
        for (int j = 0; j < 32; ++j) {
            const float q = float(values[nearestIq4Level(id * x[j])]);
            const float w = weights[j];
            sumqx += w * q * x[j];
            sumq2 += w * q * q;
        }
        d = sumq2 > 0.0f ? sumqx / sumq2 : 0.0f;
        float best = d * sumqx;
        for (int itry = -ntry; itry <= ntry; ++itry) {
            id = float(itry + values[0]) / max;
            sumqx = sumq2 = 0.0f;
            for (int j = 0; j < 32; ++j) {
                const float q = float(values[nearestIq4Level(id * x[j])]);
                const float w = weights[j];
                sumqx += w * q * x[j];
                sumq2 += w * q * q;
            }
            if (sumq2 > 0.0f && sumqx * sumqx > best * sumq2) {
                d = sumqx / sumq2;
                best = d * sumqx;
            }
        }
        scale = d;
    }
    putHalf(b, scale);
    // The levels from the unrounded scale, as ggml picks them.
    const float id = scale != 0.0f ? 1.0f / scale : 0.0f;
    for (int j = 0; j < 32; ++j)
        L[j] = uint8_t(nearestIq4Level(id * x[j]));
    for (int j = 0; j < 16; ++j)
        b[2 + j] = uint8_t(L[j] | (L[16 + j] << 4));
}

void iq4_nl(const float* x, uint8_t* b) { iq4_nlWith(x, b, nullptr); }
void iq4_nlWeighted(const float* x, uint8_t* b, const float* qw, float) { iq4_nlWith(x, b, qw); }

using BlockFn = void (*)(const float*, uint8_t*);
// A block under importance: its imatrix entries, and the row's mean square for the 32-value
// types (their ggml weights use the whole row's, the K-quants and IQ4_NL their own block's).
using WeightedBlockFn = void (*)(const float* x, uint8_t* b, const float* qw, float rowSigma2);

struct BlockQuantizer {
    BlockFn plain = nullptr;
    WeightedBlockFn weighted = nullptr; // null: ggml ignores the imatrix for this type
};

BlockQuantizer blockQuantizer(GgmlType type)
{
    switch (type) {
    case GgmlType::Q4_0: return {q4_0, q4_0Weighted};
    case GgmlType::Q4_1: return {q4_1, q4_1Weighted};
    case GgmlType::Q5_0: return {q5_0, q5_0Weighted};
    case GgmlType::Q5_1: return {q5_1, q5_1Weighted};
    case GgmlType::Q8_0: return {q8_0, nullptr};
    case GgmlType::Q2_K: return {q2_K, q2_KWeighted};
    case GgmlType::Q3_K: return {q3_K, q3_KWeighted};
    case GgmlType::Q4_K: return {q4_K, q4_KWeighted};
    case GgmlType::Q5_K: return {q5_K, q5_KWeighted};
    case GgmlType::Q6_K: return {q6_K, q6_KWeighted};
    case GgmlType::IQ4_NL: return {iq4_nl, iq4_nlWeighted};
    default: return {};
    }
}

} // namespace

bool canQuantize(GgmlType type)
{
    return type == GgmlType::F32 || type == GgmlType::F16 || type == GgmlType::BF16 ||
           blockQuantizer(type).plain != nullptr;
}

GgmlType ggmlFallbackType(GgmlType type, int64_t rowLength)
{
    const auto fits = [rowLength](GgmlType t) { return rowLength % ggmlTypeTraits(t)->blockSize == 0; };
    if (fits(type))
        return type;
    GgmlType next = GgmlType::F16;
    if (type == GgmlType::Q2_K || type == GgmlType::Q3_K)
        next = GgmlType::Q4_0;
    else if (type == GgmlType::Q4_K)
        next = GgmlType::Q5_0;
    else if (type == GgmlType::Q5_K)
        next = GgmlType::Q5_1;
    else if (type == GgmlType::Q6_K)
        next = GgmlType::Q8_0;
    return fits(next) ? next : GgmlType::F16;
}

bool isGgmlGridType(GgmlType type)
{
    return canQuantize(type) && type != GgmlType::F32 && type != GgmlType::F16 && type != GgmlType::BF16;
}

std::string ggmlGridTypeList()
{
    std::string out;
    for (GgmlType t : {GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K,
                       GgmlType::Q3_K, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K, GgmlType::IQ4_NL})
        out += (out.empty() ? "" : ", ") + ggmlTypeName(t);
    return out;
}

int ggmlNominalBits(GgmlType type)
{
    switch (type) {
    case GgmlType::Q2_K: return 2;
    case GgmlType::Q3_K: return 3;
    case GgmlType::Q4_0: case GgmlType::Q4_1: case GgmlType::Q4_K: case GgmlType::IQ4_NL: return 4;
    case GgmlType::Q5_0: case GgmlType::Q5_1: case GgmlType::Q5_K: return 5;
    case GgmlType::Q6_K: return 6;
    case GgmlType::Q8_0: return 8;
    case GgmlType::F16: case GgmlType::BF16: return 16;
    case GgmlType::F32: return 32;
    default: return 0;
    }
}

bool usesImportance(GgmlType type)
{
    return blockQuantizer(type).weighted != nullptr;
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

void quantizeRow(GgmlType type, const float* src, uint8_t* dst, int64_t n, const float* importance)
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
    const BlockQuantizer q = blockQuantizer(type);
    if (importance && q.weighted) {
        // ggml would take any float here; a negative or non-finite importance is a broken
        // imatrix, and its bytes would mean nothing.
        for (int64_t i = 0; i < n; ++i)
            if (!(importance[i] >= 0.0f) || !std::isfinite(importance[i]))
                throw InputError(kSource, "importance " + std::to_string(i) + " is " + std::to_string(importance[i]) +
                                              ": it must be finite and >= 0");
    }
    const GgmlTypeTraits* t = ggmlTypeTraits(type);
    const int64_t blocks = n / t->blockSize;
    if (!importance || !q.weighted) {
        for (int64_t i = 0; i < blocks; ++i)
            q.plain(src + i * t->blockSize, dst + i * t->bytesPerBlock);
        return;
    }
    const float rowSigma2 = n > 0 ? sumOfSquares(n, src) / float(n) : 0.0f;
    for (int64_t i = 0; i < blocks; ++i)
        q.weighted(src + i * t->blockSize, dst + i * t->bytesPerBlock, importance + i * t->blockSize, rowSigma2);
}

std::vector<uint8_t> quantizeRows(GgmlType type, const float* src, int64_t rows, int64_t cols, const float* importance)
{
    if (rows < 0)
        throw InputError(kSource, "negative row count " + std::to_string(rows));
    const uint64_t rowBytes = ggmlByteSize(type, cols);
    if (rows > 0 && rowBytes > std::numeric_limits<uint64_t>::max() / uint64_t(rows))
        throw InputError(kSource, "tensor size overflows 64 bits");
    if (rowBytes * uint64_t(rows) > std::numeric_limits<size_t>::max() / 2)
        throw InputError(kSource, "tensor too large for memory");
    std::vector<uint8_t> out;
    out.reserve(size_t(rowBytes * uint64_t(rows)));
    adviseHugePages(out.data(), out.capacity());
    out.resize(size_t(rowBytes * uint64_t(rows)));
    // Rows are independent: ranges of them on every core give the same bytes.
    parallelRanges(rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, cols)), [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r)
            quantizeRow(type, src + r * cols, out.data() + size_t(r) * size_t(rowBytes), cols, importance);
    });
    return out;
}

} // namespace salience
