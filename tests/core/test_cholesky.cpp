// The blocked Cholesky factorization (linalg/Cholesky) and the tiled BLAS products under it
// (linalg/ParallelBlas): a factor worked out by hand, L·Lᵀ = A across several panels and tiles,
// failure on matrices that are not positive definite, each product against Eigen's, and the
// same bits for every thread count.
#include "base/Error.h"
#include "linalg/Cholesky.h"
#include "linalg/ParallelBlas.h"
#include "tensor/Tensor.h"

#include <QTest>

#include <cblas.h>

#include <cmath>
#include <limits>
#include <random>

using namespace salience;

namespace {

// A random symmetric positive definite matrix, n × n: B·Bᵀ/k + I with B [n × k] Gaussian.
MatrixD randomSpd(int64_t n, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    const int64_t k = n + 7;
    MatrixD b(n, k);
    for (int64_t i = 0; i < b.size(); ++i)
        b.data()[i] = normal(rng);
    MatrixD a = b * b.transpose() / double(k);
    a.diagonal().array() += 1.0;
    return a;
}

Matrix randomMatrix(int64_t rows, int64_t cols, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal;
    Matrix m(rows, cols);
    for (int64_t i = 0; i < m.size(); ++i)
        m.data()[i] = normal(rng);
    return m;
}

double relativeError(const Eigen::MatrixXd& got, const Eigen::MatrixXd& expected)
{
    return (got - expected).cwiseAbs().maxCoeff() / expected.cwiseAbs().maxCoeff();
}

template <typename T>
void factorByHand()
{
    T a[4] = {4, -7, 2, 5};
    Progress progress;
    QVERIFY(lowerCholeskyInPlace(a, 2, progress));
    QCOMPARE(a[0], T(2));
    QCOMPARE(a[1], T(-7));
    QCOMPARE(a[2], T(1));
    QCOMPARE(a[3], T(2));
}

} // namespace

class TestCholesky : public QObject {
    Q_OBJECT
private slots:
    void byHand()
    {
        // A = [[4, 2], [2, 5]]: L00 = 2, L10 = 2/2 = 1, L11 = √(5 − 1) = 2. The upper entry stays.
        factorByHand<float>();
        factorByHand<double>();
    }

    void factorsAcrossPanelsAndTiles()
    {
        // 700 columns: several panels, and trailing updates over more than one tile.
        const int64_t n = 700;
        const MatrixD A = randomSpd(n, 1);
        Progress progress;
        MatrixD ld = A;
        QVERIFY(lowerCholeskyInPlace(ld.data(), n, progress));
        Matrix lf = A.cast<float>();
        QVERIFY(lowerCholeskyInPlace(lf.data(), n, progress));
        const Eigen::MatrixXd lowerD = Eigen::MatrixXd(ld).triangularView<Eigen::Lower>();
        const Eigen::MatrixXd lowerF = Eigen::MatrixXd(lf.cast<double>()).triangularView<Eigen::Lower>();
        const Eigen::MatrixXd a = A;
        QVERIFY(relativeError(lowerD * lowerD.transpose(), a) < 1e-13);
        QVERIFY(relativeError(lowerF * lowerF.transpose(), a) < 1e-5);
        // The strict upper triangle is left as it was.
        QCOMPARE(ld(3, 600), A(3, 600));
        QCOMPARE(lf(3, 600), float(A(3, 600)));
        // Against Eigen's own factor.
        const Eigen::MatrixXd eigenL = Eigen::LLT<Eigen::MatrixXd>(a).matrixL();
        QVERIFY(relativeError(lowerD, eigenL) < 1e-12);
        QVERIFY(relativeError(lowerF, eigenL) < 1e-4);
    }

    void notPositiveDefiniteFails()
    {
        Progress progress;
        double indefinite[4] = {1, 0, 2, 1}; // lower [[1], [2, 1]]: pivot 1 − 4 < 0
        QVERIFY(!lowerCholeskyInPlace(indefinite, 2, progress));
        float withNan[1] = {std::numeric_limits<float>::quiet_NaN()};
        QVERIFY(!lowerCholeskyInPlace(withNan, 1, progress));
        // A pivot that only fails late: the last of 400 columns.
        MatrixD A = randomSpd(400, 2);
        A(399, 399) = -1.0;
        QVERIFY(!lowerCholeskyInPlace(A.data(), 400, progress));
    }

    void cancellationBetweenPanels()
    {
        MatrixD A = randomSpd(300, 3);
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, lowerCholeskyInPlace(A.data(), 300, cancelled));
    }

    void sameBitsForAnyThreadCount()
    {
        const int64_t n = 900;
        const Matrix A = randomSpd(n, 4).cast<float>();
        Progress progress;
        Matrix one = A, two = A, three = A;
        QVERIFY(lowerCholeskyInPlace(one.data(), n, progress, 1));
        QVERIFY(lowerCholeskyInPlace(two.data(), n, progress, 2));
        QVERIFY(lowerCholeskyInPlace(three.data(), n, progress, 3));
        QVERIFY(one == two);
        QVERIFY(one == three);

        const Matrix a = randomMatrix(130, 1100, 5), b = randomMatrix(130, 700, 6);
        Matrix c1 = randomMatrix(1100, 700, 7), c2 = c1;
        parallelGemm(true, false, 1100, 700, 130, 1.0f, a.data(), 1100, b.data(), 700, 1.0f, c1.data(), 700, 1);
        parallelGemm(true, false, 1100, 700, 130, 1.0f, a.data(), 1100, b.data(), 700, 1.0f, c2.data(), 700, 2);
        QVERIFY(c1 == c2);
    }

    void gemmMatchesEigen()
    {
        // Sizes that cross the 512 tiles unevenly, every transpose.
        const int64_t m = 600, n = 530, k = 70;
        for (bool ta : {false, true})
            for (bool tb : {false, true}) {
                const Matrix a = ta ? randomMatrix(k, m, 10) : randomMatrix(m, k, 10);
                const Matrix b = tb ? randomMatrix(n, k, 11) : randomMatrix(k, n, 11);
                const Matrix c0 = randomMatrix(m, n, 12);
                Matrix c = c0;
                parallelGemm(ta, tb, m, n, k, 0.5f, a.data(), a.cols(), b.data(), b.cols(), 2.0f, c.data(), n, 2);
                const Eigen::MatrixXd opA = ta ? Eigen::MatrixXd(a.cast<double>().transpose()) : Eigen::MatrixXd(a.cast<double>());
                const Eigen::MatrixXd opB = tb ? Eigen::MatrixXd(b.cast<double>().transpose()) : Eigen::MatrixXd(b.cast<double>());
                const Eigen::MatrixXd expected = 0.5 * opA * opB + 2.0 * c0.cast<double>();
                QVERIFY2(relativeError(c.cast<double>(), expected) < 1e-5, qPrintable(QStringLiteral("%1 %2").arg(ta).arg(tb)));
            }
        // Nothing to do: no call, no change.
        Matrix untouched = randomMatrix(3, 3, 13);
        const Matrix copy = untouched;
        parallelGemm(false, false, 0, 3, 3, 1.0f, nullptr, 3, copy.data(), 3, 0.0f, untouched.data(), 3);
        QVERIFY(untouched == copy);
    }

    void triangularProductsMatchEigen()
    {
        const int64_t n = 560, k = 90, m = 300;
        // Lower rank update: only the lower triangle changes, by −A·Aᵀ.
        const Matrix a = randomMatrix(n, k, 20);
        const Matrix c0 = randomMatrix(n, n, 21);
        Matrix c = c0;
        parallelLowerRankUpdate(n, k, a.data(), k, c.data(), n, 2);
        const Eigen::MatrixXd full = c0.cast<double>() - a.cast<double>() * a.cast<double>().transpose();
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < n; ++j) {
                const double expected = j <= i ? full(i, j) : double(c0(i, j));
                QVERIFY(std::abs(double(c(i, j)) - expected) <= 1e-4 * (1.0 + std::abs(expected)));
            }
        // B·L⁻ᵀ: multiplying back by Lᵀ gives B.
        Matrix l = randomSpd(k, 22).cast<float>();
        Progress progress;
        QVERIFY(lowerCholeskyInPlace(l.data(), k, progress));
        const Eigen::MatrixXd lower = Eigen::MatrixXd(l.cast<double>()).triangularView<Eigen::Lower>();
        const Matrix b0 = randomMatrix(m, k, 23);
        Matrix b = b0;
        parallelSolveRightLowerTransposed(m, k, l.data(), k, b.data(), k, 2);
        QVERIFY(relativeError(b.cast<double>() * lower.transpose(), b0.cast<double>()) < 1e-5);
        // B·U with U unit upper triangular (its diagonal and lower part are not read).
        const Matrix u = randomMatrix(k, k, 24);
        Eigen::MatrixXd unit = Eigen::MatrixXd(u.cast<double>()).triangularView<Eigen::StrictlyUpper>();
        unit.diagonal().setOnes();
        Matrix e = b0;
        parallelMultiplyRightUnitUpper(m, k, u.data(), k, e.data(), k, 2);
        QVERIFY(relativeError(e.cast<double>(), b0.cast<double>() * unit) < 1e-5);
    }

    void singleThreadedBlasRestoresTheCount()
    {
        const int before = openblas_get_num_threads();
        openblas_set_num_threads(2);
        {
            const SingleThreadedBlas outer;
            QCOMPARE(openblas_get_num_threads(), 1);
            {
                const SingleThreadedBlas inner;
                QCOMPARE(openblas_get_num_threads(), 1);
            }
            QCOMPARE(openblas_get_num_threads(), 1); // the outer one still holds
        }
        QCOMPARE(openblas_get_num_threads(), 2);
        openblas_set_num_threads(before);
    }
};

QTEST_GUILESS_MAIN(TestCholesky)
#include "test_cholesky.moc"
