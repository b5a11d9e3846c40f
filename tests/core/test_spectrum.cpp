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

#include <Eigen/QR>

#include <cmath>
#include <functional>
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
        const Spectrum s = spectrum(Matrix(Matrix::Identity(5, 5)), SvdPrecision::Double);
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
        const Spectrum s = spectrum(W, SvdPrecision::Double);
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
        const Spectrum s = spectrum(W, SvdPrecision::Double);
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
        const Spectrum d = spectrum(Matrix(Matrix::Identity(3, 3)), {1.0, 2.0, 3.0}, SvdPrecision::Double);
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
        const Spectrum got = spectrum(W, s, SvdPrecision::Double);
        QCOMPARE(got.singularValues.size(), size_t(8));
        for (int i = 0; i < 8; ++i)
            QVERIFY(near(got.singularValues[size_t(i)], expected(i), 1e-12));
        QVERIFY(near(got.frobeniusNormSquared, scaled.squaredNorm(), 1e-12));

        // Unit scales change nothing.
        const Spectrum plain = spectrum(W, SvdPrecision::Double),
                       unit = spectrum(W, std::vector<double>(8, 1.0), SvdPrecision::Double);
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

    // The float32 default against the double SVD on matrices whose spectrum is planted:
    // W = U·diag(σ)·Vᵀ (U, V orthonormal from QR in double), rounded once to float (Wf).
    // Tolerances, derived:
    // - double vs planted: Wf differs from W by ‖Wf − W‖₂ ≤ ‖Wf − W‖_F (measured), and by Weyl
    //   each σ_i moves by at most that; dgesdd adds at most max(m, n)·2^-53·σ_1 (LAPACK's bound
    //   p(m, n)·ε·‖A‖₂, with the "modestly growing" p taken as max(m, n)).
    // - float vs double on the same Wf: sgesdd's values are exact for Wf + E with
    //   ‖E‖₂ ≤ p(m, n)·2^-24·‖Wf‖₂, so by Weyl |σ̂_i − σ_i| ≤ max(m, n)·2^-24·σ_1.
    // The bound is absolute: a value 1e-6·σ_1 keeps no relative digits, which the test shows too.
    void floatSpectrumWithinItsBound()
    {
        std::mt19937 gen(17);
        std::normal_distribution<double> normal;
        auto orthonormal = [&](Eigen::Index rows, Eigen::Index cols) {
            Eigen::MatrixXd g(rows, cols);
            for (Eigen::Index i = 0; i < g.size(); ++i)
                g.data()[i] = normal(gen);
            Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
            return Eigen::MatrixXd(qr.householderQ() * Eigen::MatrixXd::Identity(rows, cols));
        };
        struct Case {
            const char* name;
            Eigen::Index m, n;
            std::function<double(Eigen::Index)> sigma;
        };
        const std::vector<Case> cases{
            {"geometric 1 .. 1e-6, tall", 60, 35, [](Eigen::Index i) { return std::pow(1e-6, double(i) / 34.0); }},
            {"geometric, wide", 35, 60, [](Eigen::Index i) { return 3.0 * std::pow(0.7, double(i)); }},
            {"flat with a cluster", 48, 48, [](Eigen::Index i) { return i < 5 ? 2.004 - 1e-3 * double(i) : 1.0; }},
        };
        const double u = std::ldexp(1.0, -24), ud = std::ldexp(1.0, -53);
        for (const auto& c : cases) {
            const Eigen::Index k = std::min(c.m, c.n);
            Eigen::VectorXd planted(k);
            for (Eigen::Index i = 0; i < k; ++i)
                planted(i) = c.sigma(i);
            const Eigen::MatrixXd w = orthonormal(c.m, k) * planted.asDiagonal() * orthonormal(c.n, k).transpose();
            const Matrix wf = w.cast<float>();
            const double roundingNorm = (wf.cast<double>() - w).norm();
            const double p = double(std::max(c.m, c.n));

            const Spectrum dbl = spectrum(wf, SvdPrecision::Double);
            const Spectrum flt = spectrum(wf); // the default
            const Eigen::VectorXd direct = singularValues(wf, SvdPrecision::Float);
            QCOMPARE(flt.singularValues.size(), size_t(k));
            const double sigma1 = dbl.singularValues[0];
            double worstFloat = 0;
            for (Eigen::Index i = 0; i < k; ++i) {
                const double d = dbl.singularValues[size_t(i)], f = flt.singularValues[size_t(i)];
                QCOMPARE(f, direct(i)); // spectrum() is the float SVD, nothing else
                QVERIFY2(std::abs(d - planted(i)) <= roundingNorm + p * ud * sigma1,
                         qPrintable(QString("%1: double value %2 is %3, planted %4").arg(c.name).arg(i).arg(d).arg(planted(i))));
                QVERIFY2(std::abs(f - d) <= p * u * sigma1,
                         qPrintable(QString("%1: float value %2 is %3, double %4, bound %5")
                                        .arg(c.name).arg(i).arg(f).arg(d).arg(p * u * sigma1)));
                worstFloat = std::max(worstFloat, std::abs(f - d));
            }
            // The bound is not vacuous: float does differ from double, by less than the bound.
            QVERIFY(worstFloat > 0 && worstFloat < p * u * sigma1);
            QVERIFY(std::abs(flt.effectiveRank - dbl.effectiveRank) <= 1e-4 * dbl.effectiveRank);
        }
    }

    // What the randomized values promise (RandomizedSvd.h): with B = QᵀW,
    // WᵀW = BᵀB + Wᵀ(I − QQᵀ)W, so by Weyl's inequality σ̂_i² ≤ σ_i² ≤ σ̂_i² + ‖(I − QQᵀ)W‖²
    // ≤ σ̂_i² + missedEnergy. Float32 products of length 400 carry a relative error near
    // 400·2^-24 ≈ 2.4e-5; the check allows 1e-4 of σ_i² for it.
    void randomizedValuesWithinTheirBounds()
    {
        std::mt19937 gen(5);
        std::normal_distribution<float> normal;
        const Eigen::Index m = 500, n = 400;
        Matrix left(m, n), right(n, n);
        for (Eigen::Index i = 0; i < left.size(); ++i)
            left.data()[i] = normal(gen);
        for (Eigen::Index i = 0; i < right.size(); ++i)
            right.data()[i] = normal(gen);
        Eigen::VectorXf decay(n);
        for (Eigen::Index i = 0; i < n; ++i)
            decay(i) = float(std::pow(0.97, double(i)));
        const Matrix slow = left * decay.asDiagonal() * right;
        for (int iterations : {0, 1, 3}) {
            const Eigen::VectorXd full = singularValues(slow, SvdPrecision::Double);
            const TopSingularValues top = topSingularValues(slow, 32, iterations, 8);
            QCOMPARE(top.powerIterations, iterations);
            for (size_t i = 0; i < top.values.size(); ++i) {
                const double s2 = full(Eigen::Index(i)) * full(Eigen::Index(i)), e2 = top.values[i] * top.values[i];
                QVERIFY2(e2 <= s2 * (1 + 1e-4) && s2 <= (e2 + top.missedEnergy) * (1 + 1e-4),
                         qPrintable(QString("q=%1 value %2: %3 vs %4, missed energy %5")
                                        .arg(iterations).arg(i).arg(top.values[i]).arg(full(Eigen::Index(i)))
                                        .arg(top.missedEnergy)));
            }
        }
        // More power iterations capture more: the bound tightens.
        QVERIFY(topSingularValues(slow, 32, 3, 8).missedEnergy < topSingularValues(slow, 32, 0, 8).missedEnergy);
    }

    void realWeightMatchesNumpy()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Matrix W = testdata::storiesBinMatrix("wq", 0);
        QVERIFY2(W.size() == 64 * 64, "stories260K.bin is not the expected llama2.c file");
        // numpy 1.24, s = np.linalg.svd(wq0.astype(float64), compute_uv=False):
        // (s**2).sum()/s[0]**2, exp(entropy of s/s.sum()), and
        // searchsorted(cumsum(s**2)/sum(s**2), f) + 1 for f = 0.9 and 0.5.
        const Spectrum s = spectrum(W, SvdPrecision::Double);
        QVERIFY(near(s.stableRank, 1.9573303880884523, 1e-11));
        QVERIFY(near(s.effectiveRank, 34.195873347517555, 1e-11));
        QCOMPARE(s.rankForEnergy(0.9), size_t(14));
        QCOMPARE(s.rankForEnergy(0.5), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestSpectrum)
#include "test_spectrum.moc"
