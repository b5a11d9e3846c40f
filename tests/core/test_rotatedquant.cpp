// Hadamard rotation + RTN: exact equivalence of the rotated pair, the result's coordinates (its
// dequantize is the unrotated fake-quant of the rotated weight), what rotation does to an
// outlier column, determinism by seed, bits, and bad input.
#include "base/Error.h"
#include "quant/Hadamard.h"
#include "quant/Metrics.h"
#include "quant/RotatedQuant.h"
#include "quant/Rtn.h"

#include "InputErrorCheck.h"
#include "StoriesBin.h"

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

QuantGrid groupGrid(int bits, bool symmetric, int groupSize)
{
    return QuantGrid{bits, symmetric, Granularity::PerGroup, groupSize};
}

double maxOverRms(const Matrix& m)
{
    const double rms = std::sqrt(m.cast<double>().squaredNorm() / double(m.size()));
    return double(m.cwiseAbs().maxCoeff()) / rms;
}

} // namespace

class TestRotatedQuant : public QObject {
    Q_OBJECT
private slots:
    void rotatedPairIsExactlyEquivalentBeforeRounding()
    {
        // A power of two (one block of 64) and 172 = 4·43 (43 blocks of 4).
        for (int64_t in : {64, 172}) {
            const Matrix w = randomMatrix(20, in, 1);
            const Matrix x = randomMatrix(30, in, 2);
            const HadamardRotation r = HadamardRotation::randomized(in, 7);
            const Matrix reference = w * x.transpose();
            const Matrix rotated = rotateRows(w, r) * rotateRows(x, r).transpose();
            const double rel = (reference - rotated).norm() / reference.norm();
            QVERIFY2(rel < 1e-6, qPrintable(QString::number(rel)));
        }
    }

    void dequantizeIsTheUnrotatedFakeQuant()
    {
        for (int64_t in : {64, 172}) {
            const Matrix w = randomMatrix(12, in, 3, 0.1f);
            const QuantGrid grid = groupGrid(4, false, 32);
            Progress progress;
            const QuantizedLinear q = quantizeRotated(w, grid, RotatedQuantOptions{42}, progress);
            q.validate();
            QCOMPARE(q.method, std::string("hadamard"));
            QCOMPARE(q.parameters.at("seed"), 42.0);
            QVERIFY(q.rotation.has_value());
            QVERIFY(q.inputScale.empty());
            QVERIFY(q.permutation.empty());
            const HadamardRotation r = HadamardRotation::randomized(in, 42);
            QCOMPARE(q.rotation->signs, r.signs);
            QCOMPARE(q.rotation->blockSize, hadamardBlockSize(in));
            // Codes live in rotated coordinates: RTN of W·Hᵀ.
            QCOMPARE(q.codes, quantizeRtn(rotateRows(w, r), grid).codes);
            QVERIFY(q.dequantizeCodes() == fakeQuantizeRtn(rotateRows(w, r), grid));
            // Ŵ in original coordinates: un-rotate the fake-quant of the rotated weight.
            QVERIFY(q.dequantize() == unrotateRows(fakeQuantizeRtn(rotateRows(w, r), grid), r));
            QCOMPARE(progress.fraction(), 1.0);
        }
    }

    void rotationSpreadsAnOutlierColumn()
    {
        Matrix w = randomMatrix(32, 128, 4, 0.02f);
        w.col(17) *= 100.0f; // one input channel with huge weights
        const HadamardRotation r = HadamardRotation::randomized(128, 3);
        const Matrix rotated = rotateRows(w, r);
        // Orthonormal: the RMS is unchanged, so a lower max/RMS means a lower peak.
        QVERIFY(std::fabs(rotated.norm() / w.norm() - 1.0) < 1e-5);
        const double before = maxOverRms(w), after = maxOverRms(rotated);
        QVERIFY2(after < before / 4.0, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        // Per row too: every row's own max/RMS falls.
        for (int64_t i = 0; i < w.rows(); ++i)
            QVERIFY(maxOverRms(rotated.row(i)) < maxOverRms(w.row(i)));

        // Rounding per channel, the outlier sets every row's step and drowns the other 127
        // weights; rotated, the error is far smaller.
        const QuantGrid grid{4, true, Granularity::PerChannel, 0};
        Progress progress;
        const double rotatedError = relativeWeightError(w, quantizeRotated(w, grid, {3}, progress).dequantize());
        const double rtnError = relativeWeightError(w, fakeQuantizeRtn(w, grid));
        QVERIFY2(rotatedError < 0.5 * rtnError, qPrintable(QStringLiteral("%1 vs %2").arg(rotatedError).arg(rtnError)));
    }

    void deterministicBySeed()
    {
        const Matrix w = randomMatrix(8, 96, 5);
        const QuantGrid grid = groupGrid(3, true, 32);
        Progress progress;
        const QuantizedLinear a = quantizeRotated(w, grid, RotatedQuantOptions{11}, progress);
        const QuantizedLinear b = quantizeRotated(w, grid, RotatedQuantOptions{11}, progress);
        const QuantizedLinear c = quantizeRotated(w, grid, RotatedQuantOptions{12}, progress);
        QCOMPARE(a.codes, b.codes);
        QCOMPARE(a.scales, b.scales);
        QCOMPARE(a.rotation->signs, b.rotation->signs);
        QVERIFY(a.rotation->signs != c.rotation->signs);
        QVERIFY(a.codes != c.codes);
        QCOMPARE(a.rotation->blockSize, int64_t(32)); // 96 = 32·3
    }

    void storiesWeightsRoundTrip()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        // w2 (down) of block 0 is [64, 172]: 172 = 4·43, the block case on a real weight.
        const Matrix w = testdata::storiesBinMatrix("w2", 0);
        QCOMPARE(w.cols(), Eigen::Index(172));
        const QuantGrid grid = groupGrid(4, false, 32);
        Progress progress;
        const QuantizedLinear q = quantizeRotated(w, grid, RotatedQuantOptions{1}, progress);
        const HadamardRotation r = HadamardRotation::randomized(172, 1);
        QVERIFY(q.dequantize() == unrotateRows(fakeQuantizeRtn(rotateRows(w, r), grid), r));
        // 4-bit on a trained weight: a small, nonzero error.
        const double err = relativeWeightError(w, q.dequantize());
        QVERIFY(err > 0.0 && err < 0.2);
    }

    void bitsCountTheSigns()
    {
        // 8×64, 4-bit asymmetric g=32: codes 8·64·4 = 2048; 16 groups → scales 256, zero points
        // 64; rotation 1 bit per input column = 64. Total 2432 / 512 = 4.75 bits per weight.
        const Matrix w = randomMatrix(8, 64, 6);
        Progress progress;
        const QuantizedLinear q = quantizeRotated(w, groupGrid(4, false, 32), {}, progress);
        QCOMPARE(q.bits().rotation, 64.0);
        QCOMPARE(q.bits().inputScale, 0.0);
        QCOMPARE(q.bits().total(), 2432.0);
        QCOMPARE(q.bitsPerWeight(), 4.75);
    }

    void badInputAndCancellation()
    {
        Progress progress;
        VERIFY_INPUT_ERROR(quantizeRotated(Matrix(), groupGrid(4, false, 32), {}, progress), "hadamard", "empty");
        Matrix w = randomMatrix(4, 8, 7);
        w(0, 0) = std::nanf("");
        VERIFY_INPUT_ERROR(quantizeRotated(w, groupGrid(4, false, 8), {}, progress), "hadamard", "not finite");
        VERIFY_INPUT_ERROR(quantizeRotated(randomMatrix(4, 8, 8), groupGrid(9, false, 8), {}, progress),
                           "quantization grid", "bits");
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 quantizeRotated(randomMatrix(4, 8, 8), groupGrid(4, false, 8), {}, cancelled));
    }

    void recipeAndRegistryEntry()
    {
        const MethodInfo info = hadamardMethodInfo();
        QCOMPARE(info.name, std::string("hadamard"));
        QVERIFY(!info.needsActivations);
        QVERIFY(info.usesGrid);
        QVERIFY(info.params.empty());
        QVERIFY(!info.description.empty());

        const Matrix w = randomMatrix(6, 48, 9);
        Recipe recipe;
        recipe.method = "hadamard";
        recipe.bits = 3;
        recipe.groupSize = 16;
        recipe.symmetric = true;
        recipe.seed = 99;
        Progress progress;
        // Data-free: empty LayerData.
        const QuantizedLinear viaRecipe = quantizeHadamardRecipe(w, recipe, LayerData{}, progress);
        const QuantizedLinear direct = quantizeRotated(w, groupGrid(3, true, 16), RotatedQuantOptions{99}, progress);
        QCOMPARE(viaRecipe.codes, direct.codes);
        QCOMPARE(viaRecipe.rotation->signs, direct.rotation->signs);
        QCOMPARE(viaRecipe.parameters.at("seed"), 99.0);
    }
};

QTEST_GUILESS_MAIN(TestRotatedQuant)
#include "test_rotatedquant.moc"
