// The vectorized kernels against the straightforward per-element definitions they replace:
// RTN codes, scales and zero points (Rtn.h), fake quantization, dequantization through the group
// table (QuantizedLinear.h), round half to even, float16 → float32 and the bf16/f16 decoders.
// Every comparison is bit for bit: the kernels are rewritings, not approximations.
#include "base/Error.h"
#include "base/ParallelFor.h"
#include "io/DTypes.h"
#include "quant/GroupKernels.h"
#include "quant/QuantizedLinear.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace salience;

namespace {

// ---- The definitions, element by element, as the headers state them ----

double referenceRound(double x) // nearest integer, ties to even
{
    const double f = std::floor(x);
    const double diff = x - f;
    if (diff > 0.5)
        return f + 1.0;
    if (diff < 0.5)
        return f;
    return std::fmod(f, 2.0) == 0.0 ? f : f + 1.0;
}

float referenceHalfScale(float raw)
{
    if (raw >= 65504.0f)
        return 65504.0f;
    const float s = roundToHalf(raw);
    return s > 0.0f ? s : 0x1p-24f;
}

GroupParams referenceParams(const std::vector<float>& values, const QuantGrid& grid)
{
    const int maxq = grid.maxCode();
    float lo = 0.0f, hi = 0.0f;
    for (float v : values) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (grid.symmetric) {
        const double maxAbs = std::max(-double(lo), double(hi));
        return {maxAbs == 0.0 ? 1.0f : referenceHalfScale(float(2.0 * maxAbs / maxq)), grid.symmetricZero()};
    }
    if (hi == lo)
        return {1.0f, 0};
    GroupParams p;
    p.scale = referenceHalfScale(float((double(hi) - double(lo)) / maxq));
    p.zero = int(std::clamp(referenceRound(-double(lo) / double(p.scale)), 0.0, double(maxq)));
    return p;
}

uint8_t referenceCode(float w, const GroupParams& p, int maxq)
{
    const double q = referenceRound(double(w) / double(p.scale)) + p.zero;
    return uint8_t(std::clamp(q, 0.0, double(maxq)));
}

// RTN of W weight by weight: each group's values gathered through groupIndex.
QuantizedLinear referenceRtn(const Matrix& w, const QuantGrid& grid)
{
    const int64_t out = w.rows(), in = w.cols();
    QuantizedLinear q(out, in, grid, "rtn");
    std::vector<std::vector<float>> groups(size_t(grid.groupCount(out, in)));
    for (int64_t r = 0; r < out; ++r)
        for (int64_t c = 0; c < in; ++c)
            groups[size_t(grid.groupIndex(r, c, in))].push_back(w(r, c));
    std::vector<GroupParams> params;
    for (size_t g = 0; g < groups.size(); ++g) {
        params.push_back(referenceParams(groups[g], grid));
        q.scales[g] = params.back().scale;
        q.zeroPoints[g] = params.back().zero;
    }
    for (int64_t r = 0; r < out; ++r)
        for (int64_t c = 0; c < in; ++c)
            q.codes[size_t(r * in + c)] = referenceCode(w(r, c), params[size_t(grid.groupIndex(r, c, in))], grid.maxCode());
    return q;
}

Matrix referenceDequantize(const QuantizedLinear& q)
{
    Matrix m(q.outFeatures, q.inFeatures);
    for (int64_t r = 0; r < q.outFeatures; ++r)
        for (int64_t c = 0; c < q.inFeatures; ++c) {
            float v;
            if (q.hasCodebook()) {
                v = q.codebook[size_t(r * (int64_t(1) << q.grid.bits) + q.code(r, c))];
            } else {
                const auto g = size_t(q.groupIndex(r, c));
                v = float(int(q.code(r, c)) - q.zeroPoints[g]) * q.scales[g];
            }
            m(r, c) = q.kept(r, c) ? v : 0.0f;
        }
    return m;
}

float referenceHalfToFloat(uint16_t h) // the textbook decoding, branch by branch
{
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1f;
    const uint32_t mant = h & 0x3ffu;
    if (exp == 0) {
        if (mant == 0)
            return bitsFloat(sign);
        const float v = float(mant) * 0x1p-24f;
        return sign ? -v : v;
    }
    if (exp == 31)
        return bitsFloat(sign | 0x7f800000u | (mant << 13));
    return bitsFloat(sign | ((exp + 112) << 23) | (mant << 13));
}

// ---- Inputs ----

// Gaussian weights with a few planted outliers and exact zeros; every `tieEvery`-th weight is
// moved onto a half-integer multiple of a float16 step, where round-half-even decides.
Matrix oddWeights(int64_t rows, int64_t cols, uint32_t seed, int tieEvery = 5)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        float v = normal(rng);
        if (i % 97 == 13)
            v *= 40.0f;
        if (i % 31 == 7)
            v = 0.0f;
        if (tieEvery > 0 && i % tieEvery == 0)
            v = (float(int(rng() % 15) - 7) + 0.5f) * 0x1p-7f;
        m.data()[i] = v;
    }
    return m;
}

bool sameBits(const Matrix& a, const Matrix& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols()
        && std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0;
}

struct GridCase {
    const char* name;
    QuantGrid grid;
};

std::vector<GridCase> gridCases()
{
    std::vector<GridCase> cases;
    for (int bits = 2; bits <= 8; ++bits)
        for (bool sym : {false, true}) {
            cases.push_back({"per-group 16 (ragged)", {bits, sym, Granularity::PerGroup, 16}});
            cases.push_back({"per-group 1", {bits, sym, Granularity::PerGroup, 1}});
            cases.push_back({"per-group wider than a row", {bits, sym, Granularity::PerGroup, 64}});
            cases.push_back({"per-channel", {bits, sym, Granularity::PerChannel, 128}});
            cases.push_back({"per-tensor", {bits, sym, Granularity::PerTensor, 128}});
        }
    return cases;
}

} // namespace

class TestGroupKernels : public QObject {
    Q_OBJECT
private slots:
    void roundHalfEvenMatchesDefinition()
    {
        // Halves, near-halves, negatives, and the range where doubles are halves (2^51..2^52)
        // or integers only (from 2^52), where the fast path must hand over.
        std::vector<double> xs{0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.5000000000000004, -3.5,
                               1e-300, -1e-300, 0x1p51 - 0.5, 0x1p51, 0x1p51 + 0.5, 0x1p51 + 1.5, -(0x1p51 + 0.5),
                               0x1p52, 0x1p52 + 1, 0x1p52 + 3, -0x1p60, 1e300, -1e300};
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> u(-300.0, 300.0);
        for (int i = 0; i < 20000; ++i) {
            xs.push_back(u(rng));
            xs.push_back(double(int(rng() % 601) - 300) + 0.5);
        }
        for (double x : xs) {
            QCOMPARE(roundHalfEven(x), referenceRound(x));
            if (std::abs(x) < 0x1p51)
                QCOMPARE(roundHalfEvenSmall(x), referenceRound(x));
        }
        QCOMPARE(roundHalfEven(2.5), 2.0);
        QCOMPARE(roundHalfEven(3.5), 4.0);
        QCOMPARE(roundHalfEven(-2.5), -2.0);
    }

    void codesOfSingleWeightsMatchDefinition()
    {
        // Quotients far outside the code range (the clamp before rounding must not change a code),
        // ties, and the smallest and largest float16 scales.
        const std::vector<float> scales{0x1p-24f, 0x1p-14f, 0.0078125f, 0.1f, 1.0f, 3.0f, 65504.0f};
        std::vector<float> weights{0.0f, -0.0f, 1e30f, -1e30f, 3.4e38f, -3.4e38f, 1e-30f, 0.5f, -0.5f, 1.5f, 7.5f};
        std::mt19937 rng(3);
        std::normal_distribution<float> n(0.0f, 4.0f);
        for (int i = 0; i < 2000; ++i)
            weights.push_back(n(rng));
        for (int bits = 2; bits <= 8; ++bits) {
            const int maxq = (1 << bits) - 1;
            for (float s : scales)
                for (int zero : {0, 1, maxq / 2, (maxq + 1) / 2, maxq})
                    for (float w : weights) {
                        const GroupParams p{roundToHalf(s), zero};
                        for (float x : {w, w * p.scale, (std::round(w) + 0.5f) * p.scale})
                            if (std::isfinite(x))
                                QCOMPARE(int(rtnCode(x, p, maxq)), int(referenceCode(x, p, maxq)));
                    }
        }
    }

    void tiesRoundToEven()
    {
        // Asymmetric 4 bits: lo = 0, hi = 3.75 → scale = 3.75 / 15 = 0.25 (a float16), zero 0.
        // 0.125 / 0.25 = 0.5 → 0, 0.375 → 1.5 → 2, 0.625 → 2.5 → 2, 0.875 → 3.5 → 4.
        Matrix w(1, 5);
        w << 0.125f, 0.375f, 0.625f, 0.875f, 3.75f;
        const QuantizedLinear q = quantizeRtn(w, {4, false, Granularity::PerChannel, 128});
        QCOMPARE(q.scales[0], 0.25f);
        QCOMPARE(q.zeroPoints[0], 0);
        QCOMPARE(std::vector<int>(q.codes.begin(), q.codes.end()), (std::vector<int>{0, 2, 2, 4, 15}));
    }

    void rtnMatchesDefinitionOnOddShapes()
    {
        // 7 rows of 37: groups of 16 leave a ragged last group of 5.
        const Matrix w = oddWeights(7, 37, 11);
        for (const auto& c : gridCases()) {
            const QuantizedLinear fast = quantizeRtn(w, c.grid);
            const QuantizedLinear slow = referenceRtn(w, c.grid);
            const QByteArray label = QByteArray(c.name) + " " + QByteArray::fromStdString(c.grid.describe());
            const char* what = label.constData();
            QVERIFY2(fast.codes == slow.codes, what);
            QVERIFY2(fast.zeroPoints == slow.zeroPoints, what);
            QVERIFY2(std::memcmp(fast.scales.data(), slow.scales.data(), slow.scales.size() * sizeof(float)) == 0
                         && fast.scales.size() == slow.scales.size(),
                     what);
            const Matrix expected = referenceDequantize(slow);
            QVERIFY2(sameBits(fast.dequantizeCodes(), expected), what);
            QVERIFY2(sameBits(fakeQuantizeRtn(w, c.grid), expected), what);
        }
    }

    void rtnMatchesDefinitionOnLargeLayers()
    {
        // Large enough that rows are split across threads (ranges of 2^16 weights).
        const Matrix w = oddWeights(300, 700, 5, 7);
        for (const QuantGrid grid : {QuantGrid{4, false, Granularity::PerGroup, 128},
                                     QuantGrid{3, true, Granularity::PerGroup, 100},
                                     QuantGrid{8, false, Granularity::PerTensor, 128}}) {
            const QuantizedLinear fast = quantizeRtn(w, grid);
            const QuantizedLinear slow = referenceRtn(w, grid);
            QVERIFY(fast.codes == slow.codes);
            QVERIFY(fast.scales == slow.scales);
            QVERIFY(fast.zeroPoints == slow.zeroPoints);
            QVERIFY(sameBits(fast.dequantize(), referenceDequantize(slow)));
            QVERIFY(sameBits(fakeQuantizeRtn(w, grid), referenceDequantize(slow)));
        }
    }

    void groupParamsMatchDefinition()
    {
        std::mt19937 rng(9);
        std::normal_distribution<float> n(0.0f, 1.0f);
        for (int trial = 0; trial < 300; ++trial) {
            std::vector<float> v(size_t(1 + trial % 41));
            for (auto& x : v)
                x = n(rng) * std::pow(10.0f, float(trial % 13) - 8.0f); // tiny to huge groups
            if (trial % 5 == 0)
                std::fill(v.begin(), v.end(), trial % 10 == 0 ? 0.0f : -0.0f);
            for (const auto& c : gridCases()) {
                const GroupParams fast = rtnGroupParams(v, c.grid);
                const GroupParams slow = referenceParams(v, c.grid);
                QCOMPARE(fast.scale, slow.scale);
                QCOMPARE(fast.zero, slow.zero);
            }
        }
        const std::vector<float> bad{1.0f, std::numeric_limits<float>::quiet_NaN()};
        QVERIFY_THROWS_EXCEPTION(InputError, rtnGroupParams(bad, QuantGrid{}));
    }

    void dequantizeWithCodebookAndMask()
    {
        const int64_t out = 5, in = 23;
        QuantizedLinear q = quantizeRtn(oddWeights(out, in, 2), {3, false, Granularity::PerGroup, 8});
        QuantizedLinear masked = q;
        masked.keepMask.assign(size_t(out * in), 1);
        for (int64_t r = 0; r < out; ++r)
            for (int64_t c = r % 3; c < in; c += 3) {
                masked.keepMask[size_t(r * in + c)] = 0;
                masked.codes[size_t(r * in + c)] = uint8_t(masked.zeroPoints[size_t(masked.groupIndex(r, c))]);
            }
        QVERIFY(sameBits(masked.dequantizeCodes(), referenceDequantize(masked)));

        QuantizedLinear lut = q;
        lut.codebook.resize(size_t(out * 8));
        for (size_t e = 0; e < lut.codebook.size(); ++e)
            lut.codebook[e] = roundToHalf(float(e % 8) * 0.3f - 1.0f + float(e / 8) * 0.01f);
        QVERIFY(sameBits(lut.dequantizeCodes(), referenceDequantize(lut)));
    }

    void halfToFloatMatchesDefinitionForEveryValue()
    {
        for (uint32_t h = 0; h < 65536; ++h) {
            const float fast = halfToFloat(uint16_t(h)), slow = referenceHalfToFloat(uint16_t(h));
            QCOMPARE(floatBits(fast), floatBits(slow));
        }
        QCOMPARE(halfToFloat(0x0001), 0x1p-24f);      // smallest subnormal
        QCOMPARE(halfToFloat(0x3c00), 1.0f);
        QCOMPARE(halfToFloat(0xfbff), -65504.0f);
        QVERIFY(std::isinf(halfToFloat(0x7c00)));
    }

    void decodersMatchDefinition()
    {
        // An odd count from an odd address, every bit pattern of the first 4099 values.
        const size_t count = 4099;
        std::vector<uint8_t> bytes(2 * count + 1);
        for (size_t i = 0; i < count; ++i) {
            const uint16_t v = uint16_t(i * 16411u + 3u);
            std::memcpy(bytes.data() + 1 + 2 * i, &v, 2);
        }
        std::vector<float> f16(count), bf16(count);
        decodeToFloat(*findDType("F16"), bytes.data() + 1, count, f16.data());
        decodeToFloat(*findDType("BF16"), bytes.data() + 1, count, bf16.data());
        for (size_t i = 0; i < count; ++i) {
            uint16_t v;
            std::memcpy(&v, bytes.data() + 1 + 2 * i, 2);
            QCOMPARE(floatBits(f16[i]), floatBits(referenceHalfToFloat(v)));
            QCOMPARE(floatBits(bf16[i]), uint32_t(v) << 16);
        }
    }

    void finiteCheckMatchesDefinition()
    {
        const float specials[] = {0.0f, -0.0f, 1.0f, std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                                  std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::min(),
                                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                                  std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN(),
                                  bitsFloat(0x7f800001u), bitsFloat(0xff800001u)};
        for (float special : specials)
            for (int64_t n : {1, 7, 33})
                for (int64_t at = 0; at < n; at += 5) {
                    std::vector<float> v(size_t(n), 0.25f);
                    v[size_t(at)] = special;
                    QCOMPARE(allFiniteValues(v.data(), n), bool(std::isfinite(special)));
                }
        QVERIFY(allFiniteValues(nullptr, 0));
        Matrix w = oddWeights(300, 700, 4);
        QVERIFY(quantizeRtn(w, QuantGrid{}).codes.size() == size_t(w.size()));
        w(299, 699) = std::numeric_limits<float>::infinity(); // the last weight of the last range
        QVERIFY_THROWS_EXCEPTION(InputError, quantizeRtn(w, QuantGrid{}));
    }

    void parallelRangesCoverEachItemOnce()
    {
        for (int64_t count : {int64_t(0), int64_t(1), int64_t(999), int64_t(100003)}) {
            std::vector<std::atomic<int>> hits(static_cast<size_t>(count));
            std::atomic<int> emptyRanges{0};
            parallelRanges(count, 1000, [&](int64_t begin, int64_t end) {
                emptyRanges += begin >= end;
                for (int64_t i = begin; i < end; ++i)
                    hits[size_t(i)]++;
            });
            QCOMPARE(emptyRanges.load(), 0);
            for (const auto& h : hits)
                QCOMPARE(h.load(), 1);
        }
        // Inside a task of a pool that holds every core, a default request runs inline.
        std::atomic<int> inner{0};
        parallelFor(2, 2, [&](int64_t) { inner += threadCountFor(0, 1000); });
        QCOMPARE(inner.load(), 2);
    }
};

QTEST_GUILESS_MAIN(TestGroupKernels)
#include "test_groupkernels.moc"
