// QuantizedLinear: dequantize() with each side part, worked out by hand on a 2×4 layer, the
// documented order of the parts, the bit accounting table, and validate().
#include "base/Error.h"
#include "quant/Hadamard.h"
#include "quant/QuantizedLinear.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include <QTest>

#include <random>

using namespace salience;

namespace {

// Codes [[0,1,2,3],[3,2,1,0]], 2 bits asymmetric, g = 2:
//   row 0: group 0 scale 0.5 zero 1 -> [-0.5, 0];  group 1 scale 1 zero 2 -> [0, 1]
//   row 1: group 0 scale 0.25 zero 0 -> [0.75, 0.5]; group 1 scale 2 zero 3 -> [-4, -6]
// so Q = [[-0.5, 0, 0, 1], [0.75, 0.5, -4, -6]].
QuantizedLinear baseLayer()
{
    QuantizedLinear q(2, 4, QuantGrid{2, false, Granularity::PerGroup, 2}, "hand");
    q.codes = {0, 1, 2, 3, 3, 2, 1, 0};
    q.scales = {0.5f, 1.0f, 0.25f, 2.0f};
    q.zeroPoints = {1, 2, 0, 3};
    return q;
}

Matrix rows2x4(std::initializer_list<float> values)
{
    Matrix m(2, 4);
    Eigen::Index i = 0;
    for (float v : values)
        m.data()[i++] = v;
    return m;
}

void expectNear(const Matrix& actual, const Matrix& expected, float tol = 1e-6f)
{
    QCOMPARE(actual.rows(), expected.rows());
    QCOMPARE(actual.cols(), expected.cols());
    for (Eigen::Index r = 0; r < actual.rows(); ++r)
        for (Eigen::Index c = 0; c < actual.cols(); ++c)
            QVERIFY2(std::abs(actual(r, c) - expected(r, c)) <= tol,
                     qPrintable(QStringLiteral("(%1,%2): %3 vs %4").arg(r).arg(c)
                                    .arg(double(actual(r, c))).arg(double(expected(r, c)))));
}

HadamardRotation handRotation()
{
    HadamardRotation h;
    h.blockSize = 4;
    h.signs = {1, -1, 1, 1};
    return h;
}

} // namespace

class TestQuantizedLinear : public QObject {
    Q_OBJECT
private slots:
    void plainCodes()
    {
        const QuantizedLinear q = baseLayer();
        q.validate();
        const Matrix expected = rows2x4({-0.5f, 0, 0, 1, 0.75f, 0.5f, -4, -6});
        expectNear(q.dequantizeCodes(), expected, 0);
        expectNear(q.dequantize(), expected, 0);
        QCOMPARE(q.rank(), Eigen::Index(0));
    }

    void permutation()
    {
        // perm = [2,0,3,1]: Ŵ[:, perm[i]] = Q[:, i], i.e. Ŵ col 2 = Q col 0, col 0 = Q col 1,
        // col 3 = Q col 2, col 1 = Q col 3.
        QuantizedLinear q = baseLayer();
        q.permutation = {2, 0, 3, 1};
        expectNear(q.dequantize(), rows2x4({0, 1, -0.5f, 0, 0.5f, -6, 0.75f, -4}), 0);
    }

    void inputScaling()
    {
        // s = [2, 0.5, 1, 4]: Ŵ[:, j] = Q[:, j] / s_j.
        QuantizedLinear q = baseLayer();
        q.inputScale = {2, 0.5f, 1, 4};
        expectNear(q.dequantize(), rows2x4({-0.25f, 0, 0, 0.25f, 0.375f, 1, -4, -1.5f}), 0);
    }

    void rotation()
    {
        // H = B·D with B = Sylvester H4 / 2 and D = diag(1, -1, 1, 1); Ŵ = Q·H = (Q·B)·D.
        // Columns of H4: [1,1,1,1], [1,-1,1,-1], [1,1,-1,-1], [1,-1,-1,1].
        // row 0, Q = [-0.5,0,0,1]: Q·H4 = [0.5, -1.5, -1.5, 0.5] -> /2 -> [0.25,-0.75,-0.75,0.25]
        //        -> D flips column 1 -> [0.25, 0.75, -0.75, 0.25]
        // row 1, Q = [0.75,0.5,-4,-6]: Q·H4 = [-8.75, 2.25, 11.25, -1.75] -> /2 -> D
        //        -> [-4.375, -1.125, 5.625, -0.875]
        QuantizedLinear q = baseLayer();
        q.rotation = handRotation();
        expectNear(q.dequantize(), rows2x4({0.25f, 0.75f, -0.75f, 0.25f, -4.375f, -1.125f, 5.625f, -0.875f}));
    }

    void sparseOverrides()
    {
        QuantizedLinear q = baseLayer();
        q.sparse = {{0, 3, 7.5f}, {1, 0, -2.0f}};
        expectNear(q.dequantize(), rows2x4({-0.5f, 0, 0, 7.5f, -2, 0.5f, -4, -6}), 0);
    }

    void lowRank()
    {
        // L = [1; 2], R = [0.5, 0, -1, 0.25]: L·R = [[0.5,0,-1,0.25],[1,0,-2,0.5]].
        QuantizedLinear q = baseLayer();
        q.lowRankL.resize(2, 1);
        q.lowRankL << 1, 2;
        q.lowRankR.resize(1, 4);
        q.lowRankR << 0.5f, 0, -1, 0.25f;
        QCOMPARE(q.rank(), Eigen::Index(1));
        expectNear(q.dequantize(), rows2x4({0, 0, -1, 1.25f, 1.75f, 0.5f, -6, -5.5f}), 0);
    }

    void orderOfAllParts()
    {
        // Un-permute, un-rotate, un-scale, add L·R, then the sparse overrides.
        // Un-permuted (see permutation()): [[0,1,-0.5,0],[0.5,-6,0.75,-4]].
        // ·H4: row 0 -> [0.5, -1.5, 1.5, -0.5]; row 1 -> [-8.75, 11.25, -2.25, 1.75]; /2, flip
        //   column 1: [[0.25, 0.75, 0.75, -0.25], [-4.375, -5.625, -1.125, 0.875]].
        // /s = [2, 0.5, 1, 4]: [[0.125, 1.5, 0.75, -0.0625], [-2.1875, -11.25, -1.125, 0.21875]].
        // + L·R: [[0.625, 1.5, -0.25, 0.1875], [-1.1875, -11.25, -3.125, 0.71875]].
        // Sparse (0,3) = 7.5 and (1,0) = -2 override the final values.
        QuantizedLinear q = baseLayer();
        q.permutation = {2, 0, 3, 1};
        q.rotation = handRotation();
        q.inputScale = {2, 0.5f, 1, 4};
        q.lowRankL.resize(2, 1);
        q.lowRankL << 1, 2;
        q.lowRankR.resize(1, 4);
        q.lowRankR << 0.5f, 0, -1, 0.25f;
        q.sparse = {{0, 3, 7.5f}, {1, 0, -2.0f}};
        expectNear(q.dequantize(), rows2x4({0.625f, 1.5f, -0.25f, 7.5f, -2, -11.25f, -3.125f, 0.71875f}));

        // Without the rotation the order of permutation and scaling still matters:
        // un-permuted / s = [[0, 2, -0.5, 0], [0.25, -12, 0.75, -1]].
        QuantizedLinear ps = baseLayer();
        ps.permutation = {2, 0, 3, 1};
        ps.inputScale = {2, 0.5f, 1, 4};
        expectNear(ps.dequantize(), rows2x4({0, 2, -0.5f, 0, 0.25f, -12, 0.75f, -1}), 0);
    }

    void forwardTransformsRoundTrip()
    {
        // Apply the documented forward steps to a random W (scale, rotate, permute), quantize
        // at 8 bits, attach the parts: dequantize() must give back W up to rounding.
        std::mt19937 gen(3);
        std::normal_distribution<float> n01;
        const int64_t out = 6, in = 24;
        Matrix w(out, in);
        for (Eigen::Index i = 0; i < w.size(); ++i)
            w.data()[i] = n01(gen);
        std::vector<float> s(in);
        for (auto& v : s)
            v = roundToHalf(0.5f + std::abs(n01(gen)));
        std::vector<int32_t> perm(in);
        for (int32_t i = 0; i < in; ++i)
            perm[size_t(i)] = int32_t((i * 7 + 3) % in); // 7 is coprime with 24
        const HadamardRotation h = HadamardRotation::randomized(in, 11);

        Matrix ws = w;
        for (int64_t j = 0; j < in; ++j)
            ws.col(j) *= s[size_t(j)];
        const Matrix wr = rotateRows(ws, h);
        Matrix wp(out, in);
        for (int64_t i = 0; i < in; ++i)
            wp.col(i) = wr.col(perm[size_t(i)]);

        QuantizedLinear q = quantizeRtn(wp, QuantGrid{8, false, Granularity::PerGroup, 8});
        q.inputScale = s;
        q.rotation = h;
        q.permutation = perm;
        q.validate();
        const Matrix d = q.dequantize();
        const double rel = (d - w).norm() / w.norm();
        QVERIFY2(rel < 0.01, qPrintable(QString::number(rel)));
        // A wrong order (e.g. forgetting to un-permute) would be far off.
        QuantizedLinear noPerm = q;
        noPerm.permutation.clear();
        QVERIFY((noPerm.dequantize() - w).norm() / w.norm() > 0.5);
    }

    void bitsByHand()
    {
        // 4-bit asymmetric g = 4 on 2×8: codes 2·8·4 = 64, scales 2 rows · 2 groups · 16 = 64,
        // zeros 2·2·4 = 16: 144 bits / 16 weights = 9.
        QuantizedLinear q(2, 8, QuantGrid{4, false, Granularity::PerGroup, 4});
        BitsBreakdown b = q.bits();
        QCOMPARE(b.weights, int64_t(16));
        QCOMPARE(b.codes, 64.0);
        QCOMPARE(b.scales, 64.0);
        QCOMPARE(b.zeroPoints, 16.0);
        QCOMPARE(b.total(), 144.0);
        QCOMPARE(q.bitsPerWeight(), 9.0);

        // Symmetric: no zero points. (64 + 64) / 16 = 8.
        QuantizedLinear sym(2, 8, QuantGrid{4, true, Granularity::PerGroup, 4});
        QCOMPARE(sym.bitsPerWeight(), 8.0);
        // Per tensor: one scale and one zero: (64 + 16 + 4) / 16 = 5.25.
        QCOMPARE(QuantizedLinear(2, 8, QuantGrid{4, false, Granularity::PerTensor, 0}).bitsPerWeight(), 5.25);
        // Per channel: (64 + 2·16 + 2·4) / 16 = 6.5.
        QCOMPARE(QuantizedLinear(2, 8, QuantGrid{4, false, Granularity::PerChannel, 0}).bitsPerWeight(), 6.5);
        // Group 3 over 8 columns: 3 groups per row (3, 3, 2): (64 + 6·16 + 6·4) / 16 = 11.5.
        QCOMPARE(QuantizedLinear(2, 8, QuantGrid{4, false, Granularity::PerGroup, 3}).bitsPerWeight(), 11.5);

        // Every side part on the 2×8 asymmetric layer:
        q.permutation = {0, 1, 2, 3, 4, 5, 6, 7};     // 32·8 = 256
        q.inputScale.assign(8, 1.0f);                  // 16·8 = 128
        q.rotation = HadamardRotation::plain(8);       // 8
        q.sparse = {{0, 1, 1.0f}, {1, 2, 2.0f}, {1, 7, 3.0f}}; // 3·(16+16) + 32·(2+1) = 192
        q.lowRankL = Matrix::Zero(2, 1);               // 16·(2 + 8) = 160
        q.lowRankR = Matrix::Zero(1, 8);
        q.validate();
        b = q.bits();
        QCOMPARE(b.permutation, 256.0);
        QCOMPARE(b.inputScale, 128.0);
        QCOMPARE(b.rotation, 8.0);
        QCOMPARE(b.sparse, 192.0);
        QCOMPARE(b.lowRank, 160.0);
        QCOMPARE(b.total(), 144.0 + 256 + 128 + 8 + 192 + 160);
        QCOMPARE(q.bitsPerWeight(), (144.0 + 256 + 128 + 8 + 192 + 160) / 16.0);

        // Wide layer: column indices need 32 bits. 1 entry: 16 + 32, row pointers 32·(1+1).
        QuantizedLinear wide(1, 70000, QuantGrid{2, true, Granularity::PerChannel, 0});
        wide.sparse = {{0, 69999, 1.0f}};
        QCOMPARE(wide.bits().sparse, 48.0 + 64.0);
    }

    void constructorSizesArrays()
    {
        const QuantizedLinear q(3, 10, QuantGrid{3, true, Granularity::PerGroup, 4}, "m");
        QCOMPARE(q.codes.size(), size_t(30));
        QCOMPARE(q.scales.size(), size_t(9));
        QCOMPARE(q.zeroPoints, std::vector<int32_t>(9, 4));
        QCOMPARE(q.method, std::string("m"));
        q.validate();
        QVERIFY(q.dequantize().isZero(0));
        QVERIFY_THROWS_EXCEPTION(InputError, QuantizedLinear(0, 4, QuantGrid{}));
        QVERIFY_THROWS_EXCEPTION(InputError, QuantizedLinear(2, 4, QuantGrid{9, false, Granularity::PerGroup, 4}));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 QuantizedLinear(int64_t(1) << 40, int64_t(1) << 40, QuantGrid{}));
    }

    void validateCatchesInconsistencies()
    {
        auto expectInvalid = [](const QuantizedLinear& q) {
            QVERIFY_THROWS_EXCEPTION(Error, q.validate());
            QVERIFY_THROWS_EXCEPTION(Error, q.dequantize());
        };
        QuantizedLinear q = baseLayer();
        q.codes.pop_back();
        expectInvalid(q);
        q = baseLayer();
        q.codes[3] = 4; // above 3 for 2 bits
        expectInvalid(q);
        q = baseLayer();
        q.scales.push_back(1.0f);
        expectInvalid(q);
        q = baseLayer();
        q.scales[1] = 0.1f; // not a float16 value
        expectInvalid(q);
        q = baseLayer();
        q.scales[1] = 0.0f;
        expectInvalid(q);
        q = baseLayer();
        q.zeroPoints[2] = 4;
        expectInvalid(q);
        q = baseLayer();
        q.grid.symmetric = true; // zero points must then all be 2
        expectInvalid(q);
        q = baseLayer();
        q.permutation = {0, 1, 1, 3};
        expectInvalid(q);
        q = baseLayer();
        q.permutation = {0, 1, 2};
        expectInvalid(q);
        q = baseLayer();
        q.inputScale = {1, 1, 0, 1};
        expectInvalid(q);
        q = baseLayer();
        q.rotation = HadamardRotation::plain(8);
        expectInvalid(q);
        q = baseLayer();
        q.sparse = {{2, 0, 1.0f}};
        expectInvalid(q);
        q = baseLayer();
        q.sparse = {{1, 1, 1.0f}, {1, 1, 2.0f}};
        expectInvalid(q);
        q = baseLayer();
        q.sparse = {{1, 1, 0.1f}};
        expectInvalid(q);
        q = baseLayer();
        q.lowRankL = Matrix::Zero(2, 2);
        q.lowRankR = Matrix::Zero(1, 4);
        expectInvalid(q);
        q = baseLayer();
        q.lowRankL = Matrix::Zero(3, 1);
        q.lowRankR = Matrix::Zero(1, 4);
        expectInvalid(q);
        q = baseLayer();
        q.lowRankL = Matrix::Constant(2, 1, 0.1f);
        q.lowRankR = Matrix::Zero(1, 4);
        expectInvalid(q);
        q.roundSideArraysToHalf();
        q.validate();
        QCOMPARE(q.lowRankL(0, 0), 0.0999755859375f);
    }
};

QTEST_GUILESS_MAIN(TestQuantizedLinear)
#include "test_quantizedlinear.moc"
