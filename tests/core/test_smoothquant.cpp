// SmoothQuant: scales worked out by hand, exact output equivalence of the scaled pair before
// rounding, the result's coordinates and bit count, and missing activations.
#include "acts/ChannelStatsOps.h"
#include "base/Error.h"
#include "quant/Rtn.h"
#include "quant/SmoothQuant.h"
#include "tensor/Half.h"

#include "InputErrorCheck.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace salience;

namespace {

Matrix randomMatrix(int64_t rows, int64_t cols, unsigned seed, float sigma = 1.0f)
{
    std::mt19937 gen(seed);
    std::normal_distribution<float> n01(0.0f, sigma);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = n01(gen);
    return m;
}

// Activations with a few channels 30x larger than the rest, as in real LLM layers.
Matrix outlierInputs(int64_t tokens, int64_t in, unsigned seed)
{
    Matrix x = randomMatrix(tokens, in, seed);
    for (int64_t j : {3, 17, 40})
        if (j < in)
            x.col(j) *= 30.0f;
    return x;
}

QuantGrid groupGrid(int bits, bool symmetric, int groupSize)
{
    return QuantGrid{bits, symmetric, Granularity::PerGroup, groupSize};
}

} // namespace

class TestSmoothQuant : public QObject {
    Q_OBJECT
private slots:
    void scalesByHandTwoByTwo()
    {
        // Column maxima: max|W_0| = 2, max|W_1| = 4; max|X_0| = 8, max|X_1| = 1.
        Matrix w(2, 2);
        w << 1.0f, -4.0f, //
            2.0f, 0.5f;
        Matrix x(2, 2);
        x << 8.0f, 1.0f, //
            -2.0f, 0.25f;
        const std::vector<double> xMax{8.0, 1.0};
        // alpha 0.5: s_0 = sqrt(8)/sqrt(2) = 2, s_1 = sqrt(1)/sqrt(4) = 0.5.
        std::vector<float> s = smoothQuantScales(w, xMax, 0.5);
        QCOMPARE(s.size(), size_t(2));
        QCOMPARE(s[0], 2.0f);
        QCOMPARE(s[1], 0.5f);
        // alpha 0.75: s_0 = 8^0.75 / 2^0.25 = 2^2.25 / 2^0.25 = 4;
        // s_1 = 1 / 4^0.25 = 0.70710678, whose nearest float16 is 1448·2^-11 = 0.70703125.
        s = smoothQuantScales(w, xMax, 0.75);
        QCOMPARE(s[0], 4.0f);
        QCOMPARE(s[1], 0.70703125f);
        // alpha 0: s_j = 1 / max|W_j| = 0.5 and 0.25; alpha 1: s_j = max|X_j| = 8 and 1.
        s = smoothQuantScales(w, xMax, 0.0);
        QCOMPARE(s[0], 0.5f);
        QCOMPARE(s[1], 0.25f);
        s = smoothQuantScales(w, xMax, 1.0);
        QCOMPARE(s[0], 8.0f);
        QCOMPARE(s[1], 1.0f);

        // The same scales through the method, from the inputs' own maxima.
        Progress progress;
        const LayerData data{&x};
        const QuantizedLinear q = quantizeSmoothQuant(w, groupGrid(4, false, 2), {}, data, progress);
        QCOMPARE(q.inputScale, (std::vector<float>{2.0f, 0.5f}));
        QCOMPARE(q.method, std::string("smoothquant"));
        QCOMPARE(q.parameters.at("alpha"), 0.5);
    }

    void silentChannelsKeepScaleOne()
    {
        Matrix w(2, 3);
        w << 1.0f, 0.0f, 3.0f, //
            -2.0f, 0.0f, 1.0f;
        // Channel 1 has no weight, channel 2 no activation: nothing to migrate, s = 1.
        const std::vector<float> s = smoothQuantScales(w, {4.0, 5.0, 0.0}, 0.5);
        // Channel 0 is ordinary: sqrt(4)/sqrt(2) = sqrt(2) = 1.41421356 → float16 1448·2^-10 = 1.4140625.
        QCOMPARE(s[0], 1.4140625f);
        QCOMPARE(s[1], 1.0f);
        QCOMPARE(s[2], 1.0f);
    }

    void extremeScalesStayPositiveFiniteHalves()
    {
        Matrix w(1, 2);
        w << 1e-30f, 1e30f;
        // s_0 = sqrt(1e30)/sqrt(1e-30) = 1e30: clamped to the largest float16, 65504.
        // s_1 = sqrt(1e-30)/sqrt(1e30) = 1e-30: below float16's range, kept at 2^-24.
        const std::vector<float> s = smoothQuantScales(w, {1e30, 1e-30}, 0.5);
        QCOMPARE(s[0], 65504.0f);
        QCOMPARE(s[1], std::ldexp(1.0f, -24));
        QCOMPARE(positiveHalfScale(std::nan("")), 1.0f);
        QCOMPARE(positiveHalfScale(-3.0), 1.0f);
        QCOMPARE(positiveHalfScale(0.1), roundToHalf(0.1f));
    }

    void scaledPairIsExactlyEquivalentBeforeRounding()
    {
        const Matrix w = randomMatrix(24, 64, 1, 0.05f);
        const Matrix x = outlierInputs(100, 64, 2);
        std::vector<double> xMax(64, 0.0);
        for (int64_t j = 0; j < 64; ++j)
            xMax[size_t(j)] = x.col(j).cwiseAbs().maxCoeff();
        const std::vector<float> s = smoothQuantScales(w, xMax, 0.5);
        const Matrix ws = scaleWeightColumns(w, s);
        const Matrix xs = scaleInputs(x, s);
        // Column by column by hand: W·diag(s) and X·diag(s)⁻¹.
        for (int64_t j = 0; j < 64; ++j) {
            QCOMPARE(ws(5, j), w(5, j) * s[size_t(j)]);
            QCOMPARE(xs(7, j), x(7, j) / s[size_t(j)]);
        }
        const Matrix reference = x * w.transpose();
        const Matrix smoothed = xs * ws.transpose();
        const double rel = (reference - smoothed).norm() / reference.norm();
        QVERIFY2(rel < 1e-6, qPrintable(QString::number(rel)));

        // With alpha 0.5 the scaled activations and weights share each channel's maximum:
        // max|X_j|/s_j = max|W_j|·s_j = sqrt(max|X_j|·max|W_j|) (up to the float16 rounding of s).
        for (int64_t j = 0; j < 64; ++j) {
            const double a = xs.col(j).cwiseAbs().maxCoeff();
            const double b = ws.col(j).cwiseAbs().maxCoeff();
            QVERIFY(std::fabs(a / b - 1.0) < 2e-3);
        }
        // The outlier channels are tamed: the largest activation shrinks several-fold.
        QVERIFY(xs.cwiseAbs().maxCoeff() < x.cwiseAbs().maxCoeff() / 3.0f);
    }

    void resultDequantizesToScaledRtnDividedByS()
    {
        const Matrix w = randomMatrix(8, 64, 3, 0.1f);
        const Matrix x = outlierInputs(50, 64, 4);
        const QuantGrid grid = groupGrid(4, false, 32);
        Progress progress;
        const QuantizedLinear q = quantizeSmoothQuant(w, grid, SmoothQuantOptions{0.6}, LayerData{&x}, progress);
        q.validate();
        std::vector<double> xMax(64, 0.0);
        for (int64_t j = 0; j < 64; ++j)
            xMax[size_t(j)] = x.col(j).cwiseAbs().maxCoeff();
        const std::vector<float> s = smoothQuantScales(w, xMax, 0.6);
        QCOMPARE(q.inputScale, s);
        // Ŵ = RTN(W·diag(s))·diag(s)⁻¹, built here column by column.
        Matrix expected = fakeQuantizeRtn(scaleWeightColumns(w, s), grid);
        for (int64_t j = 0; j < 64; ++j)
            expected.col(j) /= s[size_t(j)];
        QVERIFY(q.dequantize() == expected);
        QCOMPARE(progress.fraction(), 1.0);

        // Statistics with abs_max give the same scales as the inputs they were taken from.
        const ChannelStats stats = channelStatsOf(x);
        const QuantizedLinear fromStats =
            quantizeSmoothQuant(w, grid, SmoothQuantOptions{0.6}, LayerData{nullptr, &stats}, progress);
        QCOMPARE(fromStats.inputScale, s);
        QCOMPARE(fromStats.codes, q.codes);
    }

    void bitsCountTheInputScale()
    {
        // 8×64, 4-bit asymmetric g=32: codes 8·64·4 = 2048; 8·2 = 16 groups → scales 16·16 = 256,
        // zero points 16·4 = 64; input scale 16 per column → 16·64 = 1024. Total 3392 bits over
        // 512 weights = 6.625 bits per weight.
        const Matrix w = randomMatrix(8, 64, 5);
        const Matrix x = outlierInputs(20, 64, 6);
        Progress progress;
        const QuantizedLinear q = quantizeSmoothQuant(w, groupGrid(4, false, 32), {}, LayerData{&x}, progress);
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 2048.0);
        QCOMPARE(b.scales, 256.0);
        QCOMPARE(b.zeroPoints, 64.0);
        QCOMPARE(b.inputScale, 1024.0);
        QCOMPARE(b.rotation, 0.0);
        QCOMPARE(b.total(), 3392.0);
        QCOMPARE(q.bitsPerWeight(), 6.625);
    }

    void missingOrBadActivations()
    {
        const Matrix w = randomMatrix(4, 8, 7);
        Progress progress;
        const QuantGrid grid = groupGrid(4, false, 8);
        VERIFY_INPUT_ERROR(quantizeSmoothQuant(w, grid, {}, LayerData{}, progress), "smoothquant", "activations");
        // An imatrix gives sums of squares only: no maximum to build s from.
        ChannelStats imatrix;
        imatrix.sumSq.assign(8, 1.0);
        imatrix.count = 10;
        VERIFY_INPUT_ERROR(quantizeSmoothQuant(w, grid, {}, LayerData{nullptr, &imatrix}, progress), "smoothquant",
                           "sums of squares");
        const Matrix narrow = randomMatrix(5, 6, 8);
        VERIFY_INPUT_ERROR(quantizeSmoothQuant(w, grid, {}, LayerData{&narrow}, progress), "smoothquant", "6 features");
        const Matrix x = randomMatrix(5, 8, 9);
        VERIFY_INPUT_ERROR(quantizeSmoothQuant(w, grid, SmoothQuantOptions{1.5}, LayerData{&x}, progress),
                           "smoothquant", "alpha");
        VERIFY_INPUT_ERROR(smoothQuantScales(w, std::vector<double>(8, std::nan("")), 0.5), "smoothquant",
                           "not a finite");
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeSmoothQuant(w, grid, {}, LayerData{&x}, cancelled));
    }

    void recipeAndRegistryEntry()
    {
        const MethodInfo info = smoothQuantMethodInfo();
        QCOMPARE(info.name, std::string("smoothquant"));
        QVERIFY(info.needsActivations);
        QVERIFY(info.usesGrid);
        QVERIFY(!info.usesRank);
        QVERIFY(!info.description.empty());
        const ParamSpec* alpha = info.param("alpha");
        QVERIFY(alpha);
        QCOMPARE(alpha->defaultValue, 0.5);
        QCOMPARE(alpha->minValue, 0.0);
        QCOMPARE(alpha->maxValue, 1.0);

        const Matrix w = randomMatrix(4, 16, 10);
        const Matrix x = outlierInputs(12, 16, 11);
        Recipe recipe;
        recipe.method = "smoothquant";
        recipe.bits = 3;
        recipe.groupSize = 8;
        recipe.params["alpha"] = 0.8;
        Progress progress;
        const QuantizedLinear viaRecipe = quantizeSmoothQuantRecipe(w, recipe, LayerData{&x}, progress);
        const QuantizedLinear direct =
            quantizeSmoothQuant(w, groupGrid(3, false, 8), SmoothQuantOptions{0.8}, LayerData{&x}, progress);
        QCOMPARE(viaRecipe.codes, direct.codes);
        QCOMPARE(viaRecipe.inputScale, direct.inputScale);
        QCOMPARE(viaRecipe.parameters.at("alpha"), 0.8);
    }
};

QTEST_GUILESS_MAIN(TestSmoothQuant)
#include "test_smoothquant.moc"
