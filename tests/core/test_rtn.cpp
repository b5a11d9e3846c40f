// Round-to-nearest and its grid: every expected value below is worked out by hand in the
// comments, following the rules in core/quant/Rtn.h (float16 scale, round half to even).
#include "base/Error.h"
#include "quant/QuantGrid.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include "StoriesBin.h"

#include <QTest>

#include <cmath>
#include <fstream>
#include <random>

using namespace salience;

namespace {

QuantGrid groupGrid(int bits, bool symmetric, int groupSize)
{
    return QuantGrid{bits, symmetric, Granularity::PerGroup, groupSize};
}

Matrix rowMatrix(std::initializer_list<float> values)
{
    Matrix m(1, Eigen::Index(values.size()));
    Eigen::Index i = 0;
    for (float v : values)
        m(0, i++) = v;
    return m;
}

} // namespace

class TestRtn : public QObject {
    Q_OBJECT
private slots:
    void gridValidation()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, groupGrid(1, false, 4).validate());
        QVERIFY_THROWS_EXCEPTION(InputError, groupGrid(9, false, 4).validate());
        QVERIFY_THROWS_EXCEPTION(InputError, groupGrid(4, false, 0).validate());
        QVERIFY_THROWS_EXCEPTION(InputError, quantizeRtn(Matrix::Ones(2, 4), groupGrid(4, true, -3)));
        try {
            groupGrid(1, false, 4).validate();
        } catch (const InputError& e) {
            QVERIFY(std::string(e.what()).find("between 2 and 8") != std::string::npos);
        }
        groupGrid(2, false, 1).validate();
        groupGrid(8, true, 128).validate();
        // Group size is not used per channel, so it is not checked there.
        QuantGrid{4, false, Granularity::PerChannel, 0}.validate();

        const QuantGrid g = groupGrid(4, false, 32);
        QCOMPARE(g.groupsPerRow(172), int64_t(6)); // 5 full groups of 32 and one of 12
        QCOMPARE(g.groupBegin(5), int64_t(160));
        QCOMPARE(g.groupEnd(5, 172), int64_t(172));
        QCOMPARE(g.groupsPerRow(64), int64_t(2));
        QCOMPARE(g.groupCount(3, 172), int64_t(18));
        QCOMPARE(g.groupIndex(2, 33, 172), int64_t(2 * 6 + 1));
        const QuantGrid perChannel{4, false, Granularity::PerChannel, 32};
        QCOMPARE(perChannel.groupsPerRow(172), int64_t(1));
        QCOMPARE(perChannel.groupCount(3, 172), int64_t(3));
        const QuantGrid perTensor{4, false, Granularity::PerTensor, 32};
        QCOMPARE(perTensor.groupCount(3, 172), int64_t(1));
        QCOMPARE(perTensor.groupIndex(2, 100, 172), int64_t(0));
    }

    void roundsHalfToEven()
    {
        QCOMPARE(roundHalfEven(0.5), 0.0);
        QCOMPARE(roundHalfEven(1.5), 2.0);
        QCOMPARE(roundHalfEven(2.5), 2.0);
        QCOMPARE(roundHalfEven(-0.5), 0.0);
        QCOMPARE(roundHalfEven(-1.5), -2.0);
        QCOMPARE(roundHalfEven(-2.5), -2.0);
        QCOMPARE(roundHalfEven(2.4999), 2.0);
        QCOMPARE(roundHalfEven(2.5001), 3.0);
        QCOMPARE(roundHalfEven(-7.5018), -8.0);
    }

    void asymmetricTwoBits()
    {
        // w = [-1, 0, 0.5, 2], 2 bits: lo = -1, hi = 2, scale = 3/3 = 1 (float16-exact),
        // zero = round(1/1) = 1. q = round(w) + 1 with ties to even: round(0.5) = 0, so
        // q = [0, 1, 1, 3] and ŵ = [-1, 0, 0, 2]. (Half away from zero would give q[2] = 2.)
        const QuantizedLinear q = quantizeRtn(rowMatrix({-1.0f, 0.0f, 0.5f, 2.0f}), groupGrid(2, false, 4));
        QCOMPARE(q.scales.size(), size_t(1));
        QCOMPARE(q.scales[0], 1.0f);
        QCOMPARE(q.zeroPoints[0], 1);
        QCOMPARE(q.codes, (std::vector<uint8_t>{0, 1, 1, 3}));
        const Matrix d = q.dequantize();
        QCOMPARE(d(0, 0), -1.0f);
        QCOMPARE(d(0, 1), 0.0f);
        QCOMPARE(d(0, 2), 0.0f);
        QCOMPARE(d(0, 3), 2.0f);
        QCOMPARE(q.method, std::string("rtn"));
    }

    void asymmetricScaleNotHalfExact()
    {
        // w = [-0.5, 1.0, 0.25, 0], 4 bits: lo = -0.5, hi = 1, raw = 1.5/15 = 0.1, whose
        // float16 is 0x2E66 = 1638/16384 = 0.0999755859375 (not 0.1).
        // zero = round(0.5 / 0.0999755859375) = round(5.00122) = 5.
        // q: -0.5/s = -5.0012 -> -5 + 5 = 0;  1/s = 10.0024 -> 10 + 5 = 15;
        //    0.25/s = 2.5006 -> 3 + 5 = 8 (above the tie);  0 -> 5.
        // ŵ = (q - 5)·s = [-5s, 10s, 3s, 0].
        const float s = 0.0999755859375f;
        QCOMPARE(floatToHalf(0.1f), uint16_t(0x2E66));
        const QuantizedLinear q = quantizeRtn(rowMatrix({-0.5f, 1.0f, 0.25f, 0.0f}), groupGrid(4, false, 4));
        QCOMPARE(q.scales[0], s);
        QVERIFY(q.scales[0] != 0.1f);
        QCOMPARE(q.zeroPoints[0], 5);
        QCOMPARE(q.codes, (std::vector<uint8_t>{0, 15, 8, 5}));
        const Matrix d = q.dequantize();
        QCOMPARE(d(0, 0), -0.4998779296875f);
        QCOMPARE(d(0, 1), 0.999755859375f);
        QCOMPARE(d(0, 2), 0.2999267578125f);
        QCOMPARE(d(0, 3), 0.0f);
    }

    void symmetric()
    {
        // 2 bits, w = [-1, 0.25, 0.5, 1.5]: scale = 2·1.5/3 = 1, zero = 2.
        // q = round(w) + 2 = [1, 2, 2 (0.5 ties to 0), 4 -> clamped to 3]; ŵ = [-1, 0, 0, 1].
        QuantizedLinear q = quantizeRtn(rowMatrix({-1.0f, 0.25f, 0.5f, 1.5f}), groupGrid(2, true, 4));
        QCOMPARE(q.scales[0], 1.0f);
        QCOMPARE(q.zeroPoints[0], 2);
        QCOMPARE(q.codes, (std::vector<uint8_t>{1, 2, 2, 3}));
        Matrix d = q.dequantize();
        QCOMPARE(d(0, 0), -1.0f);
        QCOMPARE(d(0, 1), 0.0f);
        QCOMPARE(d(0, 2), 0.0f);
        QCOMPARE(d(0, 3), 1.0f);

        // 4 bits, w = [0.3, -0.75, 0.1, 0]: scale = 2·0.75/15 = 0.1 -> float16 0.0999755859375,
        // zero = 8. 0.3/s = 3.0007 -> 3 -> 11; -0.75/s = -7.5018 -> -8 -> 0; 0.1/s = 1.0002
        // -> 1 -> 9; 0 -> 8. ŵ = [3s, -8s, s, 0].
        q = quantizeRtn(rowMatrix({0.3f, -0.75f, 0.1f, 0.0f}), groupGrid(4, true, 4));
        QCOMPARE(q.scales[0], 0.0999755859375f);
        QCOMPARE(q.zeroPoints[0], 8);
        QCOMPARE(q.codes, (std::vector<uint8_t>{11, 0, 9, 8}));
        d = q.dequantize();
        QCOMPARE(d(0, 0), 0.2999267578125f);
        QCOMPARE(d(0, 1), -0.7998046875f);
        QCOMPARE(d(0, 2), 0.0999755859375f);
        QCOMPARE(d(0, 3), 0.0f);
    }

    void zeroGroup()
    {
        // All zeros: scale 1, zero 0 (asymmetric) or 2^(b-1) (symmetric), ŵ = 0.
        const Matrix z = Matrix::Zero(1, 4);
        QuantizedLinear q = quantizeRtn(z, groupGrid(3, false, 4));
        QCOMPARE(q.scales[0], 1.0f);
        QCOMPARE(q.zeroPoints[0], 0);
        QCOMPARE(q.codes, (std::vector<uint8_t>{0, 0, 0, 0}));
        QVERIFY(q.dequantize().isZero(0));
        q = quantizeRtn(z, groupGrid(3, true, 4));
        QCOMPARE(q.scales[0], 1.0f);
        QCOMPARE(q.zeroPoints[0], 4);
        QCOMPARE(q.codes, (std::vector<uint8_t>{4, 4, 4, 4}));
        QVERIFY(q.dequantize().isZero(0));
    }

    void tinyScaleDoesNotDivideByZero()
    {
        // raw = 1e-9/15 = 6.7e-11 rounds to 0 in float16; the smallest float16 2^-24 is used:
        // zero = 0, 1e-9 / 2^-24 = 0.0168 -> q = 0, so everything dequantizes to 0.
        const QuantizedLinear q = quantizeRtn(rowMatrix({1e-9f, 0.0f, 0.0f, 0.0f}), groupGrid(4, false, 4));
        QCOMPARE(q.scales[0], std::ldexp(1.0f, -24));
        QCOMPARE(q.zeroPoints[0], 0);
        QCOMPARE(q.codes, (std::vector<uint8_t>{0, 0, 0, 0}));
        QVERIFY(q.dequantize().allFinite());
        // Symmetric: raw = 2e-9/15 underflows the same way; zero = 8, q = 8 + 0.
        const QuantizedLinear s = quantizeRtn(rowMatrix({-1e-9f, 0.0f, 0.0f, 0.0f}), groupGrid(4, true, 4));
        QCOMPARE(s.scales[0], std::ldexp(1.0f, -24));
        QCOMPARE(s.codes, (std::vector<uint8_t>{8, 8, 8, 8}));
    }

    void hugeScaleIsClampedToLargestHalf()
    {
        // raw = 2e6/3 is beyond float16: the scale becomes 65504 and codes stay in range.
        const QuantizedLinear q = quantizeRtn(rowMatrix({-1e6f, 0.0f, 0.0f, 1e6f}), groupGrid(2, false, 4));
        QCOMPARE(q.scales[0], 65504.0f);
        QVERIFY(q.dequantize().allFinite());
        q.validate();
    }

    void nonFiniteWeightThrows()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(InputError, quantizeRtn(rowMatrix({1.0f, nan, 0.0f, 0.0f}), groupGrid(4, false, 4)));
        QVERIFY_THROWS_EXCEPTION(InputError, fakeQuantizeRtn(rowMatrix({1.0f, INFINITY, 0.0f, 0.0f}), groupGrid(4, false, 2)));
        QVERIFY_THROWS_EXCEPTION(InputError, quantizeRtn(Matrix(0, 4), groupGrid(4, false, 4)));
    }

    void lastGroupShorter()
    {
        // 10 columns, g = 4: groups [0,4), [4,8), [8,10). 2 bits asymmetric.
        //  g0 [0,1,2,3]:     lo 0,  hi 3, scale 1, zero 0, q [0,1,2,3], exact.
        //  g1 [-3,-2,-1,0]:  lo -3, hi 0, scale 1, zero 3, q [0,1,2,3], exact.
        //  g2 [0.6,-0.25]:   raw = (0.6f + 0.25)/3 = 0.2833333 = 0.25·(1 + 136.53/1024)
        //                    -> float16 0.25·(1 + 137/1024) = 0.283447265625;
        //                    zero = round(0.25/s = 0.882) = 1; 0.6/s = 2.117 -> 2 -> q 3;
        //                    -0.25/s = -0.882 -> -1 -> q 0. ŵ = [2s, -s].
        const Matrix w = rowMatrix({0, 1, 2, 3, -3, -2, -1, 0, 0.6f, -0.25f});
        const QuantizedLinear q = quantizeRtn(w, groupGrid(2, false, 4));
        QCOMPARE(q.grid.groupsPerRow(10), int64_t(3));
        QCOMPARE(q.scales, (std::vector<float>{1.0f, 1.0f, 0.283447265625f}));
        QCOMPARE(q.zeroPoints, (std::vector<int32_t>{0, 3, 1}));
        QCOMPARE(q.codes, (std::vector<uint8_t>{0, 1, 2, 3, 0, 1, 2, 3, 3, 0}));
        const Matrix d = q.dequantize();
        for (int c = 0; c < 8; ++c)
            QCOMPARE(d(0, c), w(0, c));
        QCOMPARE(d(0, 8), 0.56689453125f);
        QCOMPARE(d(0, 9), -0.283447265625f);
    }

    void perChannelAndPerTensor()
    {
        Matrix w(2, 4);
        w << -1, 0, 1, 2, 0, 0.5f, 1, 1.5f;
        // Per channel, 2 bits asymmetric:
        //  row 0: lo -1, hi 2, scale 1, zero 1, q [0,1,2,3], exact.
        //  row 1: lo 0, hi 1.5, scale 0.5, zero 0, q [0,1,2,3], exact.
        const QuantizedLinear c = quantizeRtn(w, QuantGrid{2, false, Granularity::PerChannel, 0});
        QCOMPARE(c.scales, (std::vector<float>{1.0f, 0.5f}));
        QCOMPARE(c.zeroPoints, (std::vector<int32_t>{1, 0}));
        QCOMPARE(c.codes, (std::vector<uint8_t>{0, 1, 2, 3, 0, 1, 2, 3}));
        QVERIFY(c.dequantize() == w);
        // Per tensor: one group, lo -1, hi 2, scale 1, zero 1. Row 1: round(0)=0 -> 1,
        // round(0.5)=0 -> 1, round(1)=1 -> 2, round(1.5)=2 -> 3; ŵ row 1 = [0, 0, 1, 2].
        const QuantizedLinear t = quantizeRtn(w, QuantGrid{2, false, Granularity::PerTensor, 0});
        QCOMPARE(t.scales, (std::vector<float>{1.0f}));
        QCOMPARE(t.zeroPoints, (std::vector<int32_t>{1}));
        QCOMPARE(t.codes, (std::vector<uint8_t>{0, 1, 2, 3, 1, 1, 2, 3}));
        Matrix expected(2, 4);
        expected << -1, 0, 1, 2, 0, 0, 1, 2;
        QVERIFY(t.dequantize() == expected);
        QVERIFY(fakeQuantizeRtn(w, t.grid) == expected);
    }

    void codesInRangeAndErrorBounded_data()
    {
        QTest::addColumn<int>("granularity");
        QTest::addColumn<bool>("symmetric");
        for (int g = 0; g < 3; ++g)
            for (bool sym : {false, true})
                QTest::addRow("%s %s", granularityName(Granularity(g)).c_str(), sym ? "sym" : "asym")
                    << g << sym;
    }

    void codesInRangeAndErrorBounded()
    {
        QFETCH(int, granularity);
        QFETCH(bool, symmetric);
        std::mt19937 gen(7);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        Matrix w(7, 45);
        for (Eigen::Index i = 0; i < w.size(); ++i)
            w.data()[i] = u(gen) * (i % 13 == 0 ? 20.0f : 1.0f); // a few outliers
        for (int bits = 2; bits <= 8; ++bits) {
            const QuantGrid grid{bits, symmetric, Granularity(granularity), 8};
            const QuantizedLinear q = quantizeRtn(w, grid);
            q.validate();
            for (uint8_t c : q.codes)
                QVERIFY(int(c) <= (1 << bits) - 1);
            const Matrix d = q.dequantize();
            QVERIFY(fakeQuantizeRtn(w, grid) == d);
            // Every weight lies within one step of its grid value: the grid spans [lo, hi]
            // up to half a step at each end (rounding of zero), plus float16 rounding of s.
            for (int64_t r = 0; r < w.rows(); ++r)
                for (int64_t col = 0; col < w.cols(); ++col) {
                    const float s = q.scales[size_t(q.groupIndex(r, col))];
                    QVERIFY(std::abs(w(r, col) - d(r, col)) <= 1.01f * s);
                }
        }
    }

    void realDownProjection()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Matrix w = testdata::storiesBinMatrix("w2", 0);
        QCOMPARE(w.rows(), Eigen::Index(64));
        QCOMPARE(w.cols(), Eigen::Index(172));
        QVERIFY(w.allFinite());
        double previous = INFINITY;
        for (int bits = 2; bits <= 8; ++bits) {
            const QuantizedLinear q = quantizeRtn(w, groupGrid(bits, false, 32));
            q.validate();
            QCOMPARE(q.scales.size(), size_t(64 * 6)); // 172 = 5·32 + 12
            const Matrix d = q.dequantize();
            const double err = (w - d).norm() / w.norm();
            QVERIFY2(err < previous, "more bits must not give a larger error");
            previous = err;
            // The last group (12 columns) gets its own scale: the largest magnitude in
            // [160, 172) of each row is reproduced to within one step.
            for (int64_t r = 0; r < 64; ++r) {
                const float s = q.scales[size_t(r * 6 + 5)];
                for (int64_t c = 160; c < 172; ++c)
                    QVERIFY(std::abs(w(r, c) - d(r, c)) <= 1.01f * s);
            }
        }
        QVERIFY(previous < 0.01); // 8 bits on a real layer
    }
};

QTEST_GUILESS_MAIN(TestRtn)
#include "test_rtn.moc"
