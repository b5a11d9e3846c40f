// Error metrics on hand-computed examples, their zero cases, and agreement between the
// activation and Gram forms.
#include "base/Error.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <random>

using namespace salience;

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void weightErrorAndSqnr()
    {
        // W = [3, 4], Ŵ = [3, 3]: ‖W‖ = 5, ‖E‖ = 1 -> 0.2; SQNR = 10·log10(25) = 13.9794 dB.
        Matrix w(1, 2), a(1, 2);
        w << 3, 4;
        a << 3, 3;
        QCOMPARE(relativeWeightError(w, a), 0.2);
        QVERIFY(std::abs(sqnrDb(w, a) - 13.979400086720376) < 1e-12);
    }

    void outputErrorByHand()
    {
        // W = [[1,0],[0,2]], Ŵ = [[1,0.5],[0,1]], X = [[1,1],[2,0]] (2 tokens).
        // W·Xᵀ = [[1,2],[2,0]]: ‖‖² = 9.   E = [[0,-0.5],[0,1]], E·Xᵀ = [[-0.5,0],[1,0]]: 1.25.
        // relative output error = sqrt(1.25/9) = sqrt(1.25)/3.
        // Gram G = XᵀX = [[5,1],[1,1]]: tr(E·G·Eᵀ) = 0.25·1 + 1·1 = 1.25, tr(W·G·Wᵀ) = 5 + 4 = 9.
        Matrix w(2, 2), a(2, 2), x(2, 2);
        w << 1, 0, 0, 2;
        a << 1, 0.5f, 0, 1;
        x << 1, 1, 2, 0;
        MatrixD g(2, 2);
        g << 5, 1, 1, 1;
        const double expected = std::sqrt(1.25) / 3.0;
        QVERIFY(std::abs(relativeOutputError(w, a, x) - expected) < 1e-15);
        QVERIFY(std::abs(relativeOutputErrorFromGram(w, a, g) - expected) < 1e-15);
        // Weight error of the same pair: ‖E‖² = 1.25, ‖W‖² = 5.
        QVERIFY(std::abs(relativeWeightError(w, a) - std::sqrt(0.25)) < 1e-15);
    }

    void zeroCases()
    {
        const double inf = std::numeric_limits<double>::infinity();
        Matrix w(1, 3), zero = Matrix::Zero(1, 3);
        w << 1, -2, 3;
        QCOMPARE(relativeWeightError(w, w), 0.0);
        QCOMPARE(sqnrDb(w, w), inf);
        QCOMPARE(relativeWeightError(zero, zero), 0.0);
        QCOMPARE(sqnrDb(zero, zero), inf);
        QCOMPARE(relativeWeightError(zero, w), inf);
        QCOMPARE(sqnrDb(zero, w), -inf);
        // Inputs that are all zero: no output at all, nothing lost.
        QCOMPARE(relativeOutputError(w, zero, Matrix::Zero(4, 3)), 0.0);
        QCOMPARE(relativeOutputErrorFromGram(w, zero, MatrixD::Zero(3, 3)), 0.0);
    }

    void shapeMismatchThrows()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, relativeWeightError(Matrix::Zero(2, 3), Matrix::Zero(3, 2)));
        QVERIFY_THROWS_EXCEPTION(InputError, sqnrDb(Matrix::Zero(2, 3), Matrix::Zero(2, 4)));
        QVERIFY_THROWS_EXCEPTION(InputError, relativeOutputError(Matrix::Zero(2, 3), Matrix::Zero(2, 3), Matrix::Zero(5, 4)));
        QVERIFY_THROWS_EXCEPTION(InputError, relativeOutputErrorFromGram(Matrix::Zero(2, 3), Matrix::Zero(2, 3), MatrixD::Zero(3, 2)));
    }

    void manyTokensAgreeWithGramAndNaiveSum()
    {
        // 600 tokens cross the 256-token chunks; compare with the Gram form and with a plain
        // triple loop written here.
        std::mt19937 gen(11);
        std::normal_distribution<float> n01;
        Matrix w(5, 8), x(600, 8);
        for (Eigen::Index i = 0; i < w.size(); ++i)
            w.data()[i] = n01(gen);
        for (Eigen::Index i = 0; i < x.size(); ++i)
            x.data()[i] = n01(gen);
        const Matrix a = fakeQuantizeRtn(w, QuantGrid{3, false, Granularity::PerGroup, 4});
        double y2 = 0, d2 = 0;
        for (int r = 0; r < 5; ++r)
            for (int t = 0; t < 600; ++t) {
                double y = 0, d = 0;
                for (int j = 0; j < 8; ++j) {
                    y += double(w(r, j)) * x(t, j);
                    d += (double(w(r, j)) - a(r, j)) * x(t, j);
                }
                y2 += y * y;
                d2 += d * d;
            }
        const double naive = std::sqrt(d2 / y2);
        const MatrixD g = x.cast<double>().transpose() * x.cast<double>();
        QVERIFY(std::abs(relativeOutputError(w, a, x) - naive) < 1e-12);
        QVERIFY(std::abs(relativeOutputErrorFromGram(w, a, g) - naive) < 1e-10);
    }

    void measureLayerUsesDequantized()
    {
        // 2 bits asymmetric per channel, W = [[-1, 0, 0.5, 2]]: Ŵ = [-1, 0, 0, 2] (see test_rtn),
        // so ‖E‖² = 0.25, ‖W‖² = 5.25. Bits: (4·2 + 16 + 2) / 4 = 6.5.
        Matrix w(1, 4);
        w << -1, 0, 0.5f, 2;
        const QuantizedLinear q = quantizeRtn(w, QuantGrid{2, false, Granularity::PerChannel, 0});
        const LayerMetrics m = measureLayer(w, q);
        QVERIFY(std::abs(m.relativeWeightError - std::sqrt(0.25 / 5.25)) < 1e-12);
        QVERIFY(std::abs(m.sqnrDb - 10.0 * std::log10(5.25 / 0.25)) < 1e-12);
        QCOMPARE(m.bitsPerWeight, 6.5);
        QVERIFY(!m.relativeOutputError.has_value());
        // X = [[0, 0, 2, 0]]: W·Xᵀ = 1, E·Xᵀ = 0.5·2 = 1 -> relative output error 1.
        Matrix x(1, 4);
        x << 0, 0, 2, 0;
        const LayerMetrics withX = measureLayer(w, q, &x);
        QVERIFY(withX.relativeOutputError.has_value());
        QVERIFY(std::abs(*withX.relativeOutputError - 1.0) < 1e-12);
        const MatrixD g = x.cast<double>().transpose() * x.cast<double>();
        QVERIFY(std::abs(*measureLayer(w, q, nullptr, &g).relativeOutputError - 1.0) < 1e-12);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
