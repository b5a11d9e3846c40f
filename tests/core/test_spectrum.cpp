// Singular spectra: energy, effective rank (Roy & Vetterli) and stable rank of matrices whose
// spectra are known by construction, the activation-scaled variant, cancellation, and a real
// weight of stories260K checked against numpy.
#include "analysis/Spectrum.h"
#include "base/Error.h"
#include "linalg/RandomizedSvd.h"
#include "linalg/Svd.h"
#include "base/Progress.h"

#include "StoriesBin.h"

#include <QTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>

using namespace salience;

namespace {

bool near(double a, double b, double tolerance = 1e-12)
{
    return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

} // namespace

class TestSpectrum : public QObject {
    Q_OBJECT
private slots:
    void identity()
    {
        // Five equal singular values: p_i = 1/5, entropy log 5, effective rank 5;
        // ‖I‖_F² / σ1² = 5 / 1 = 5.
        const Spectrum s = spectrum(Matrix(Matrix::Identity(5, 5)));
        QCOMPARE(s.rows, int64_t(5));
        QCOMPARE(s.singularValues.size(), size_t(5));
        QVERIFY(near(s.effectiveRank, 5.0));
        QVERIFY(near(s.stableRank, 5.0));
        QVERIFY(near(s.frobeniusNormSquared, 5.0));
        QVERIFY(near(s.energyKept(2), 0.4));
        QCOMPARE(s.energyKept(0), 0.0);
        QCOMPARE(s.energyKept(5), 1.0);
        QCOMPARE(s.energyKept(50), 1.0);
        // Shares 0.2, 0.4, 0.6, 0.8, 1: half needs three values.
        QCOMPARE(s.rankForEnergy(0.5), size_t(3));
        QCOMPARE(s.rankForEnergy(1.0), size_t(5));
        QCOMPARE(s.rankForEnergy(0.0), size_t(0));
    }

    void rankOne()
    {
        // u·vᵀ with u = (1, 2, 2) and v = (2, 0, 1, 0): one value, ‖u‖·‖v‖ = 3·√5.
        Matrix W(3, 4);
        const float u[3] = {1, 2, 2}, v[4] = {2, 0, 1, 0};
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 4; ++j)
                W(i, j) = u[i] * v[j];
        const Spectrum s = spectrum(W);
        QVERIFY(near(s.singularValues[0], 3.0 * std::sqrt(5.0)));
        QVERIFY(s.singularValues[1] < 1e-12);
        QVERIFY(near(s.effectiveRank, 1.0, 1e-10));
        QVERIFY(near(s.stableRank, 1.0));
        QVERIFY(near(s.energyKept(1), 1.0));
        QCOMPARE(s.rankForEnergy(0.99), size_t(1));
    }

    void twoValuesByHand()
    {
        // diag(3, 4) in a 3 × 2 matrix: σ = 4, 3. Energy 16/25 then 1; stable rank 25/16;
        // p = (4/7, 3/7), effective rank exp(−(4/7 ln 4/7 + 3/7 ln 3/7)).
        Matrix W = Matrix::Zero(3, 2);
        W(0, 0) = 3.0f;
        W(1, 1) = 4.0f;
        const Spectrum s = spectrum(W);
        QVERIFY(near(s.singularValues[0], 4.0));
        QVERIFY(near(s.singularValues[1], 3.0));
        QVERIFY(near(s.cumulativeEnergy[0], 0.64));
        QCOMPARE(s.cumulativeEnergy[1], 1.0);
        QVERIFY(near(s.stableRank, 25.0 / 16.0));
        const double p = 4.0 / 7.0, q = 3.0 / 7.0;
        QVERIFY(near(s.effectiveRank, std::exp(-(p * std::log(p) + q * std::log(q)))));
        QCOMPARE(s.rankForEnergy(0.6), size_t(1));
        QCOMPARE(s.rankForEnergy(0.65), size_t(2));
        QVERIFY(near(s.energyKept(1), 0.64));
        QVERIFY_THROWS_EXCEPTION(InputError, s.rankForEnergy(1.5));
        QVERIFY_THROWS_EXCEPTION(InputError, s.rankForEnergy(-0.1));
        QVERIFY_THROWS_EXCEPTION(InputError, s.rankForEnergy(std::numeric_limits<double>::quiet_NaN()));
    }

    void zeroAndEmpty()
    {
        const Spectrum z = spectrum(Matrix(Matrix::Zero(4, 3)));
        QCOMPARE(z.effectiveRank, 0.0);
        QCOMPARE(z.stableRank, 0.0);
        QCOMPARE(z.energyKept(0), 1.0);
        QCOMPARE(z.rankForEnergy(0.9), size_t(0));
        const Spectrum e = spectrum(Matrix(0, 7));
        QVERIFY(e.singularValues.empty());
        QCOMPARE(e.rankForEnergy(1.0), size_t(0));
        QCOMPARE(e.energyKept(3), 1.0);
    }

    void fromGivenValues()
    {
        const Spectrum s = spectrumFromSingularValues({1.0, 3.0, 2.0});
        QCOMPARE(s.singularValues, (std::vector<double>{3, 2, 1}));
        QVERIFY(near(s.stableRank, 14.0 / 9.0));
        QVERIFY_THROWS_EXCEPTION(InputError, spectrumFromSingularValues({1.0, -2.0}));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 spectrumFromSingularValues({std::numeric_limits<double>::infinity()}));
    }

    void activationScaling()
    {
        // I₃ scaled by s = (1, 2, 3) has singular values 3, 2, 1.
        const Spectrum d = spectrum(Matrix(Matrix::Identity(3, 3)), {1.0, 2.0, 3.0});
        QVERIFY(near(d.singularValues[0], 3.0));
        QVERIFY(near(d.singularValues[1], 2.0));
        QVERIFY(near(d.singularValues[2], 1.0));

        // A random weight against W·diag(s) built entry by entry here.
        std::mt19937 rng(11);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        std::uniform_real_distribution<double> positive(0.1, 10.0);
        Matrix W(12, 8);
        for (Eigen::Index i = 0; i < W.size(); ++i)
            W.data()[i] = normal(rng);
        std::vector<double> s(8);
        for (double& x : s)
            x = positive(rng);
        MatrixD scaled(12, 8);
        for (int i = 0; i < 12; ++i)
            for (int j = 0; j < 8; ++j)
                scaled(i, j) = double(W(i, j)) * s[size_t(j)];
        const Eigen::VectorXd expected = thinSvd(scaled).S;
        const Spectrum got = spectrum(W, s);
        QCOMPARE(got.singularValues.size(), size_t(8));
        for (int i = 0; i < 8; ++i)
            QVERIFY(near(got.singularValues[size_t(i)], expected(i), 1e-12));
        QVERIFY(near(got.frobeniusNormSquared, scaled.squaredNorm(), 1e-12));

        // Unit scales change nothing.
        const Spectrum plain = spectrum(W), unit = spectrum(W, std::vector<double>(8, 1.0));
        for (size_t i = 0; i < 8; ++i)
            QVERIFY(near(plain.singularValues[i], unit.singularValues[i], 1e-12));

        QVERIFY_THROWS_EXCEPTION(InputError, spectrum(W, std::vector<double>(7, 1.0)));
        s[3] = std::numeric_limits<double>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(InputError, spectrum(W, s));
    }

    void progressAndCancellation()
    {
        double last = -1.0;
        Progress progress([&](double f, const std::string&) { last = f; });
        spectrum(Matrix(Matrix::Identity(4, 4)), progress);
        QCOMPARE(last, 1.0);

        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, spectrum(Matrix(Matrix::Identity(4, 4)), cancelled));
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 spectrum(Matrix(Matrix::Identity(4, 4)), {1.0, 1.0, 1.0, 1.0},
                                          cancelled));
    }

    // The randomized top-k against LAPACK's full spectrum: a decaying spectrum (as trained
    // layers have) is found to 1e-4; a flat one only approximately, but never overestimated, and
    // what it says it missed is at least what any subspace of its width must miss.
    void randomizedTopValuesAgainstTheFullSvd()
    {
        std::mt19937 gen(3);
        std::normal_distribution<float> normal;
        const Eigen::Index m = 600, n = 400;
        Matrix left(m, n), right(n, n);
        for (Eigen::Index i = 0; i < m; ++i)
            for (Eigen::Index j = 0; j < n; ++j)
                left(i, j) = normal(gen);
        for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index j = 0; j < n; ++j)
                right(i, j) = normal(gen);
        Eigen::VectorXf decay(n);
        for (Eigen::Index i = 0; i < n; ++i)
            decay(i) = float(std::pow(0.9, double(i)));
        const Matrix decaying = left * decay.asDiagonal() * right;
        const Matrix flat = left * right;
        for (const auto& [name, w, tolerance] : {std::tuple{"decaying", &decaying, 1e-4}, std::tuple{"flat", &flat, 0.1}}) {
            const Eigen::VectorXd full = singularValues(*w);
            const TopSingularValues top = topSingularValues(*w, 20, 2, 10);
            QCOMPARE(top.values.size(), size_t(20));
            double tail = 0;
            for (Eigen::Index i = 30; i < full.size(); ++i)
                tail += full(i) * full(i);
            QVERIFY2(top.missedEnergy >= tail * (1 - 1e-4), name);
            QVERIFY(std::abs(top.totalEnergy - full.squaredNorm()) <= 1e-4 * full.squaredNorm());
            for (size_t i = 0; i < 20; ++i) {
                QVERIFY2(top.values[i] <= full(Eigen::Index(i)) * (1 + 1e-5), name);
                QVERIFY2(std::abs(top.values[i] - full(Eigen::Index(i))) <= tolerance * full(Eigen::Index(i)),
                         qPrintable(QString("%1: value %2 is %3, LAPACK says %4")
                                        .arg(name).arg(i).arg(top.values[i]).arg(full(Eigen::Index(i)))));
            }
        }
        // As a partial Spectrum: energy relative to the whole, held values only.
        Progress progress;
        const Spectrum partial = topSpectrum(decaying, 20, progress);
        QVERIFY(partial.partial);
        QCOMPARE(partial.totalValues, int64_t(400));
        QCOMPARE(partial.singularValues.size(), size_t(20));
        QVERIFY(partial.cumulativeEnergy.back() < 1.0);
        QVERIFY(partial.energyKept(1000) < 1.0);
        QCOMPARE(partial.rankForEnergy(1.0), size_t(20));
        QVERIFY(!topSpectrum(decaying, 400, progress).partial); // k = min(m, n): the full spectrum
        QVERIFY_THROWS_EXCEPTION(InputError, topSingularValues(decaying, 0));
    }

    void realWeightMatchesNumpy()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Matrix W = testdata::storiesBinMatrix("wq", 0);
        QVERIFY2(W.size() == 64 * 64, "stories260K.bin is not the expected llama2.c file");
        // numpy 1.24, s = np.linalg.svd(wq0.astype(float64), compute_uv=False):
        // (s**2).sum()/s[0]**2, exp(entropy of s/s.sum()), and
        // searchsorted(cumsum(s**2)/sum(s**2), f) + 1 for f = 0.9 and 0.5.
        const Spectrum s = spectrum(W);
        QVERIFY(near(s.stableRank, 1.9573303880884523, 1e-11));
        QVERIFY(near(s.effectiveRank, 34.195873347517555, 1e-11));
        QCOMPARE(s.rankForEnergy(0.9), size_t(14));
        QCOMPARE(s.rankForEnergy(0.5), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestSpectrum)
#include "test_spectrum.moc"
