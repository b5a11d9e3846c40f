// QuantizedLinear's other bases and parts: the dense base (pruning alone), the zero base
// (low rank alone), per-row codebooks (k-means) and keep masks (unstructured and N:M), each
// dequantized and counted by hand on tiny layers, and validate() rejecting broken ones.
#include "base/Error.h"
#include "quant/QuantizedLinear.h"

#include "InputErrorCheck.h"

#include <QTest>

using namespace salience;

namespace {

Matrix rows2x4(std::initializer_list<float> values)
{
    Matrix m(2, 4);
    Eigen::Index i = 0;
    for (float v : values)
        m.data()[i++] = v;
    return m;
}

void expectExact(const Matrix& actual, const Matrix& expected)
{
    QCOMPARE(actual.rows(), expected.rows());
    QCOMPARE(actual.cols(), expected.cols());
    for (Eigen::Index r = 0; r < actual.rows(); ++r)
        for (Eigen::Index c = 0; c < actual.cols(); ++c)
            QVERIFY2(actual(r, c) == expected(r, c),
                     qPrintable(QStringLiteral("(%1,%2): %3 vs %4").arg(r).arg(c)
                                    .arg(double(actual(r, c))).arg(double(expected(r, c)))));
}

// Dense base, 2×4, half the weights pruned (one pattern per row keeps 2 of 4).
QuantizedLinear denseLayer()
{
    QuantizedLinear q;
    q.outFeatures = 2;
    q.inFeatures = 4;
    q.grid = QuantGrid{4, false, Granularity::PerChannel, 0};
    q.base = QuantBase::Dense;
    q.dense = rows2x4({1.5f, 0, -2, 0, 0, 0.25f, 0, 3});
    q.keepMask = {1, 0, 1, 0, 0, 1, 0, 1};
    q.method = "hand";
    return q;
}

// Codes base with per-row codebooks, 2 bits, 2×4.
QuantizedLinear codebookLayer()
{
    QuantizedLinear q(2, 4, QuantGrid{2, false, Granularity::PerChannel, 0}, "hand");
    q.codebook = {-1.0f, -0.25f, 0.5f, 2.0f, // row 0
                  0.0f, 0.125f, 1.0f, -3.0f}; // row 1
    q.codes = {0, 1, 2, 3, 3, 3, 1, 0};
    return q;
}

void expectInvalid(const QuantizedLinear& q, const char* fragment)
{
    VERIFY_INPUT_ERROR(q.validate(), "QuantizedLinear", fragment);
    VERIFY_INPUT_ERROR(q.dequantize(), "QuantizedLinear", fragment);
}

} // namespace

class TestQuantizedLinearExt : public QObject {
    Q_OBJECT
private slots:
    void denseBaseWithMask()
    {
        const QuantizedLinear q = denseLayer();
        q.validate();
        const Matrix expected = rows2x4({1.5f, 0, -2, 0, 0, 0.25f, 0, 3});
        expectExact(q.dequantizeCodes(), expected);
        expectExact(q.dequantize(), expected);
        QCOMPARE(q.keptCount(), int64_t(4));

        // Unstructured mask: dense 16 bits × 4 kept = 64, mask 1 bit × 8 weights = 8, no codes,
        // scales or zero points: 72 bits / 8 weights = 9.
        BitsBreakdown b = q.bits();
        QCOMPARE(b.dense, 64.0);
        QCOMPARE(b.mask, 8.0);
        QCOMPARE(b.codes, 0.0);
        QCOMPARE(b.scales, 0.0);
        QCOMPARE(b.zeroPoints, 0.0);
        QCOMPARE(b.codebook, 0.0);
        QCOMPARE(b.total(), 72.0);
        QCOMPARE(q.bitsPerWeight(), 9.0);

        // The same mask recorded as 2:4: C(4,2) = 6 patterns → 3 bits per run, 2 runs.
        QuantizedLinear nm = q;
        nm.parameters = {{"prune_n", 2}, {"prune_m", 4}};
        nm.validate();
        QCOMPARE(nm.bits().mask, 6.0);
        QCOMPARE(nm.bits().total(), 70.0);

        // Without a mask every dense value is counted: 16 × 8.
        QuantizedLinear full = q;
        full.keepMask.clear();
        QCOMPARE(full.bits().dense, 128.0);
        QCOMPARE(full.bits().mask, 0.0);
    }

    void twoOfFourOnCodesByHand()
    {
        // 4-bit asymmetric per channel on 2×8, 2:4: kept 8 → codes 8·4 = 32, scales 2·16 = 32,
        // zeros 2·4 = 8, mask 2 rows · 2 runs · 3 bits = 12: 84 bits / 16 weights = 5.25.
        QuantizedLinear q(2, 8, QuantGrid{4, false, Granularity::PerChannel, 0}, "hand");
        q.keepMask = {1, 1, 0, 0, 0, 1, 0, 1, //
                      0, 0, 1, 1, 1, 0, 1, 0};
        q.parameters = {{"prune_n", 2}, {"prune_m", 4}};
        q.validate();
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 32.0);
        QCOMPARE(b.scales, 32.0);
        QCOMPARE(b.zeroPoints, 8.0);
        QCOMPARE(b.mask, 12.0);
        QCOMPARE(b.total(), 84.0);
        QCOMPARE(q.bitsPerWeight(), 5.25);

        // A short last run: in = 7 → one run of 4 (3 bits) and a run of 3 keeping 2:
        // C(3,2) = 3 → 2 bits. 5 bits per row, 1 row.
        QuantizedLinear tail(1, 7, QuantGrid{4, true, Granularity::PerChannel, 0}, "hand");
        tail.keepMask = {0, 1, 1, 0, 1, 0, 1};
        tail.parameters = {{"prune_n", 2}, {"prune_m", 4}};
        tail.validate();
        QCOMPARE(tail.bits().mask, 5.0);
        // 1:4 on 4 columns: C(4,1) = 4 → 2 bits; 4:4 keeps everything: C(4,4) = 1 → 0 bits.
        QuantizedLinear one(1, 4, QuantGrid{4, true, Granularity::PerChannel, 0}, "hand");
        one.keepMask = {0, 0, 1, 0};
        one.parameters = {{"prune_n", 1}, {"prune_m", 4}};
        QCOMPARE(one.bits().mask, 2.0);
        one.keepMask = {1, 1, 1, 1};
        one.parameters = {{"prune_n", 4}, {"prune_m", 4}};
        one.validate();
        QCOMPARE(one.bits().mask, 0.0);
    }

    void maskOnUniformCodes()
    {
        // Codes [[0,1,2,3],[3,2,1,3]], 2 bits asymmetric, g = 2, zero points {1,2,0,3}, scales
        // {0.5,1,0.25,2}: Q = [[-0.5,0,0,1],[0.75,0.5,-4,0]]. Pruning (0,1) and (1,3), whose
        // codes are their zero points, leaves Q as it is.
        QuantizedLinear q(2, 4, QuantGrid{2, false, Granularity::PerGroup, 2}, "hand");
        q.codes = {0, 1, 2, 3, 3, 2, 1, 3};
        q.scales = {0.5f, 1.0f, 0.25f, 2.0f};
        q.zeroPoints = {1, 2, 0, 3};
        q.keepMask = {1, 0, 1, 1, 1, 1, 1, 0};
        q.validate();
        expectExact(q.dequantizeCodes(), rows2x4({-0.5f, 0, 0, 1, 0.75f, 0.5f, -4, 0}));
        // Codes 6·2 = 12, scales 4·16 = 64, zeros 4·2 = 8, mask 8.
        QCOMPARE(q.bits().codes, 12.0);
        QCOMPARE(q.bits().total(), 12.0 + 64 + 8 + 8);

        // The mask lives in quantized coordinates: un-permuting moves the zeros with Q.
        q.permutation = {3, 2, 1, 0};
        expectExact(q.dequantize(), rows2x4({1, 0, 0, -0.5f, 0, -4, 0.5f, 0.75f}));

        // A pruned position whose code is not the zero point is rejected.
        q.codes[7] = 0;
        expectInvalid(q, "zero point");
    }

    void codebookBase()
    {
        const QuantizedLinear q = codebookLayer();
        q.validate();
        const Matrix expected = rows2x4({-1, -0.25f, 0.5f, 2, -3, -3, 0.125f, 0});
        expectExact(q.dequantizeCodes(), expected);
        expectExact(q.dequantize(), expected);
        // Codes 8·2 = 16, codebook 2 rows · 4 entries · 16 = 128, no scales or zero points:
        // 144 / 8 = 18.
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 16.0);
        QCOMPARE(b.codebook, 128.0);
        QCOMPARE(b.scales, 0.0);
        QCOMPARE(b.zeroPoints, 0.0);
        QCOMPARE(q.bitsPerWeight(), 18.0);

        // Scales and zero points are unused and may be dropped.
        QuantizedLinear bare = q;
        bare.scales.clear();
        bare.zeroPoints.clear();
        expectExact(bare.dequantize(), expected);

        // Masked: row 0 keeps no 0 in its table, yet Q is 0 where pruned; codes there are free.
        QuantizedLinear masked = q;
        masked.keepMask = {1, 0, 1, 1, 0, 1, 1, 1};
        expectExact(masked.dequantize(), rows2x4({-1, 0, 0.5f, 2, 0, -3, 0.125f, 0}));
        QCOMPARE(masked.bits().codes, 12.0);
        QCOMPARE(masked.bits().mask, 8.0);
    }

    void zeroBase()
    {
        // Ŵ = L·R with L = [1; 2], R = [1, 0, -1, 0.5]; only L and R are counted: 16·(2 + 4).
        QuantizedLinear q;
        q.outFeatures = 2;
        q.inFeatures = 4;
        q.grid = QuantGrid{4, false, Granularity::PerGroup, 128};
        q.base = QuantBase::Zero;
        q.lowRankL = Matrix(2, 1);
        q.lowRankL << 1, 2;
        q.lowRankR = Matrix(1, 4);
        q.lowRankR << 1, 0, -1, 0.5f;
        q.method = "asvd";
        q.validate();
        QVERIFY(q.dequantizeCodes().isZero(0));
        expectExact(q.dequantize(), rows2x4({1, 0, -1, 0.5f, 2, 0, -2, 1}));
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 0.0);
        QCOMPARE(b.scales, 0.0);
        QCOMPARE(b.zeroPoints, 0.0);
        QCOMPARE(b.lowRank, 96.0);
        QCOMPARE(q.bitsPerWeight(), 12.0);

        // A layer built by the constructor and switched to Zero keeps valid (unused) arrays.
        QuantizedLinear built(2, 4, QuantGrid{}, "asvd");
        built.base = QuantBase::Zero;
        built.validate();
        QCOMPARE(built.bits().total(), 0.0);
    }

    void validateRejectsBrokenParts()
    {
        QuantizedLinear q = denseLayer();
        q.keepMask[2] = 2;
        expectInvalid(q, "not 0 or 1");
        q = denseLayer();
        q.keepMask.pop_back();
        expectInvalid(q, "keep mask has 7");
        q = denseLayer();
        q.keepMask[1] = 1; // (0,1) kept, fine; now prune (0,0) whose dense value is 1.5
        q.keepMask[0] = 0;
        expectInvalid(q, "dense value");
        q = denseLayer();
        q.parameters = {{"prune_n", 2}, {"prune_m", 4}};
        q.keepMask = {1, 1, 1, 0, 0, 1, 0, 1};
        q.dense(0, 1) = 0.5f;
        expectInvalid(q, "pattern needs 2");
        q = denseLayer();
        q.parameters = {{"prune_n", 2}};
        expectInvalid(q, "prune_m");
        q = denseLayer();
        q.parameters = {{"prune_n", 5}, {"prune_m", 4}};
        expectInvalid(q, "N:M");
        q = denseLayer();
        q.parameters = {{"prune_n", 2}, {"prune_m", 4}};
        q.keepMask.clear();
        expectInvalid(q, "no keep mask");
        q = denseLayer();
        q.dense(1, 1) = 0.1f; // not a float16 value
        expectInvalid(q, "float16");
        q = denseLayer();
        q.dense = Matrix::Zero(2, 3);
        expectInvalid(q, "dense base is [2, 3]");
        q = denseLayer();
        q.dense = Matrix();
        expectInvalid(q, "dense base is [0, 0]");
        q = denseLayer();
        q.codebook.assign(8, 0.0f);
        expectInvalid(q, "codebook");
        q = denseLayer();
        q.base = QuantBase::Codes; // codes empty
        expectInvalid(q, "codes");
        q = denseLayer();
        q.base = QuantBase::Zero;
        q.dense = Matrix();
        expectInvalid(q, "base is zero");

        QuantizedLinear c = codebookLayer();
        c.codebook.pop_back();
        expectInvalid(c, "codebook has 7");
        c = codebookLayer();
        c.codebook[5] = 0.1f;
        expectInvalid(c, "codebook entry 5");
        c = codebookLayer();
        c.codebook[5] = std::numeric_limits<float>::infinity();
        expectInvalid(c, "codebook entry 5");
        c = codebookLayer();
        c.codes[0] = 4; // above 3 for 2 bits
        expectInvalid(c, "above 3");
        c = codebookLayer();
        c.scales.push_back(1.0f); // present but the wrong size
        expectInvalid(c, "scales");
    }
};

QTEST_GUILESS_MAIN(TestQuantizedLinearExt)
#include "test_quantizedlinear_ext.moc"
