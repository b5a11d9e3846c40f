// Thin SVD through LAPACK: reconstruction, orthonormality, known spectra, truncation, and a
// comparison with numpy on a fixed matrix and on a real weight of stories260K.
#include "base/Error.h"
#include "linalg/Svd.h"

#include "StoriesBin.h"

#include <QTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>

using namespace salience;

namespace {

Matrix gaussian(Eigen::Index rows, Eigen::Index cols, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = normal(rng);
    return m;
}

Eigen::MatrixXd product(const SvdResult& r)
{
    return r.U * r.S.asDiagonal() * r.V.transpose();
}

} // namespace

class TestSvd : public QObject {
    Q_OBJECT
private slots:
    void reconstructsRandomMatrices_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("square") << 8 << 8;
        QTest::newRow("tall") << 20 << 7;
        QTest::newRow("wide") << 5 << 13;
        QTest::newRow("row") << 1 << 9;
        QTest::newRow("column") << 9 << 1;
    }
    void reconstructsRandomMatrices()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        const Matrix W = gaussian(rows, cols, 1234u + unsigned(rows * 31 + cols));
        const SvdResult r = thinSvd(W);
        const Eigen::Index k = std::min(rows, cols);
        QCOMPARE(r.U.rows(), Eigen::Index(rows));
        QCOMPARE(r.U.cols(), k);
        QCOMPARE(r.S.size(), k);
        QCOMPARE(r.V.rows(), Eigen::Index(cols));
        QCOMPARE(r.V.cols(), k);
        // The row-major input must come back in its own orientation, not transposed.
        QVERIFY((product(r) - W.cast<double>()).cwiseAbs().maxCoeff() < 1e-10);
        QVERIFY((r.U.transpose() * r.U - Eigen::MatrixXd::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-12);
        QVERIFY((r.V.transpose() * r.V - Eigen::MatrixXd::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-12);
        for (Eigen::Index i = 1; i < k; ++i)
            QVERIFY(r.S(i - 1) >= r.S(i));
        QVERIFY(r.S(k - 1) >= 0.0);

        // Values only agree with the full decomposition; float is close but not exact.
        QVERIFY((singularValues(W) - r.S).cwiseAbs().maxCoeff() < 1e-12 * r.S(0));
        const SvdResult f = thinSvd(W, SvdPrecision::Float);
        QVERIFY((product(f) - W.cast<double>()).cwiseAbs().maxCoeff() < 1e-4);
        QVERIFY((singularValues(W, SvdPrecision::Float) - r.S).cwiseAbs().maxCoeff() < 1e-4 * r.S(0));

        // The double overload sees the same matrix.
        const MatrixD Wd = W.cast<double>();
        QVERIFY((product(thinSvd(Wd)) - Wd).cwiseAbs().maxCoeff() < 1e-10);
    }

    void permutedDiagonalHasItsEntriesAsValues()
    {
        // A permuted, sign-flipped diagonal: its singular values are |entries|, sorted.
        Matrix W = Matrix::Zero(4, 3);
        W(2, 0) = -5.0f;
        W(0, 2) = 3.0f;
        W(3, 1) = 2.0f;
        const SvdResult r = thinSvd(W);
        QCOMPARE(r.S.size(), Eigen::Index(3));
        QVERIFY(std::abs(r.S(0) - 5.0) < 1e-14);
        QVERIFY(std::abs(r.S(1) - 3.0) < 1e-14);
        QVERIFY(std::abs(r.S(2) - 2.0) < 1e-14);
        // The largest value's singular vectors sit on row 2 and column 0, with opposite signs.
        QVERIFY(std::abs(std::abs(r.U(2, 0)) - 1.0) < 1e-14);
        QVERIFY(std::abs(std::abs(r.V(0, 0)) - 1.0) < 1e-14);
        QVERIFY(r.U(2, 0) * r.V(0, 0) < 0.0);
        QVERIFY((product(r) - W.cast<double>()).cwiseAbs().maxCoeff() < 1e-14);
        const Eigen::VectorXd s = singularValues(W);
        QVERIFY((s - Eigen::Vector3d(5, 3, 2)).cwiseAbs().maxCoeff() < 1e-14);
    }

    void tinyAndEmpty()
    {
        Matrix one(1, 1);
        one(0, 0) = -3.0f;
        const SvdResult r = thinSvd(one);
        QCOMPARE(r.S.size(), Eigen::Index(1));
        QCOMPARE(r.S(0), 3.0);
        QCOMPARE(r.U(0, 0) * r.S(0) * r.V(0, 0), -3.0);

        const SvdResult e = thinSvd(Matrix(0, 5));
        QCOMPARE(e.U.rows(), Eigen::Index(0));
        QCOMPARE(e.S.size(), Eigen::Index(0));
        QCOMPARE(e.V.rows(), Eigen::Index(5));
        QCOMPARE(e.V.cols(), Eigen::Index(0));
        const SvdResult e2 = thinSvd(Matrix(3, 0));
        QCOMPARE(e2.U.rows(), Eigen::Index(3));
        QCOMPARE(e2.U.cols(), Eigen::Index(0));
        QCOMPARE(singularValues(Matrix(0, 0)).size(), Eigen::Index(0));
        const Eigen::MatrixXd back = truncatedReconstruction(e, 4);
        QCOMPARE(back.rows(), Eigen::Index(0));
        QCOMPARE(back.cols(), Eigen::Index(5));

        const SvdResult zero = thinSvd(Matrix(Matrix::Zero(3, 2)));
        QCOMPARE(zero.S(0), 0.0);
        QCOMPARE(zero.S(1), 0.0);
    }

    void rankTwoTruncation()
    {
        // W = 5·u1·v1ᵀ + 2·u2·v2ᵀ with orthonormal u1 = (0.6, 0.8, 0, 0), u2 = (−0.8, 0.6, 0, 0),
        // v1 = (0, 0.6, 0.8), v2 = (1, 0, 0), written out by hand:
        Matrix W(4, 3);
        W << -1.6f, 1.8f, 2.4f,
              1.2f, 2.4f, 3.2f,
              0.0f, 0.0f, 0.0f,
              0.0f, 0.0f, 0.0f;
        const SvdResult r = thinSvd(W);
        QVERIFY(std::abs(r.S(0) - 5.0) < 1e-6);
        QVERIFY(std::abs(r.S(1) - 2.0) < 1e-6);
        QVERIFY(r.S(2) < 1e-6);

        // Rank 1 keeps 5·u1·v1ᵀ.
        Eigen::MatrixXd rank1(4, 3);
        rank1 << 0.0, 1.8, 2.4,
                 0.0, 2.4, 3.2,
                 0.0, 0.0, 0.0,
                 0.0, 0.0, 0.0;
        QVERIFY((truncatedReconstruction(r, 1) - rank1).cwiseAbs().maxCoeff() < 1e-6);
        QVERIFY((truncatedReconstruction(r, 2) - W.cast<double>()).cwiseAbs().maxCoeff() < 1e-6);
        // k beyond the number of values is the full product; k = 0 is zero.
        QVERIFY((truncatedReconstruction(r, 99) - W.cast<double>()).cwiseAbs().maxCoeff() < 1e-12);
        QCOMPARE(truncatedReconstruction(r, 0).cwiseAbs().maxCoeff(), 0.0);
        QVERIFY_THROWS_EXCEPTION(InputError, truncatedReconstruction(r, -1));
    }

    void randomRankTwoTruncationIsExact()
    {
        // Small integer factors, so that the float product is exactly rank 2.
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> small(-3, 3);
        Matrix a(30, 2), b(2, 17);
        for (Eigen::Index i = 0; i < a.size(); ++i)
            a.data()[i] = float(small(rng));
        for (Eigen::Index i = 0; i < b.size(); ++i)
            b.data()[i] = float(small(rng));
        const Matrix W = a * b;
        const SvdResult r = thinSvd(W);
        QVERIFY(r.S(2) < 1e-12 * r.S(0));
        QVERIFY((truncatedReconstruction(r, 2) - W.cast<double>()).cwiseAbs().maxCoeff() < 1e-10);
        // Eckart–Young: dropping the second value leaves a residual of Frobenius norm σ2.
        const double residual = (truncatedReconstruction(r, 1) - W.cast<double>()).norm();
        QVERIFY(std::abs(residual - r.S(1)) < 1e-9 * r.S(0));
    }

    void matchesNumpy()
    {
        Matrix W(3, 4);
        W << 1.0f, 2.0f, 3.0f, 4.0f,
             2.0f, 0.0f, -1.0f, 1.0f,
             0.5f, -3.0f, 2.0f, 7.0f;
        // Made independently with numpy 1.24:
        // /usr/bin/python3 -c "import numpy as np; print(repr(np.linalg.svd(np.array(
        //   [[1,2,3,4],[2,0,-1,1],[0.5,-3,2,7]], dtype=float), compute_uv=False)))"
        const double numpy[3] = {8.915176380026946, 3.6609442924547344, 2.3167039086928614};
        const Eigen::VectorXd s = singularValues(W);
        const SvdResult r = thinSvd(W);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(std::abs(s(i) - numpy[i]) < 1e-13);
            QVERIFY(std::abs(r.S(i) - numpy[i]) < 1e-13);
        }
    }

    void realWeightMatchesNumpy()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Matrix W = testdata::storiesBinMatrix("wq", 0);
        QVERIFY2(W.size() == 64 * 64, "stories260K.bin is not the expected llama2.c file");
        // numpy 1.24 on the same float32 values read from the file, converted to float64:
        // np.linalg.svd(wq0, compute_uv=False): first two and last.
        const Eigen::VectorXd s = singularValues(W);
        QCOMPARE(s.size(), Eigen::Index(64));
        QVERIFY(std::abs(s(0) - 10.800453725879049) < 1e-11);
        QVERIFY(std::abs(s(1) - 4.637632869202206) < 1e-11);
        QVERIFY(std::abs(s(63) - 0.004387524972831786) < 1e-11);
        const SvdResult r = thinSvd(W);
        QVERIFY((product(r) - W.cast<double>()).cwiseAbs().maxCoeff() < 1e-12);
    }

    void rejectsNonFinite()
    {
        Matrix W = Matrix::Ones(3, 3);
        W(1, 2) = std::numeric_limits<float>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(InputError, thinSvd(W));
        QVERIFY_THROWS_EXCEPTION(InputError, singularValues(W));
        W(1, 2) = std::numeric_limits<float>::infinity();
        QVERIFY_THROWS_EXCEPTION(InputError, thinSvd(W, SvdPrecision::Float));
    }
};

QTEST_GUILESS_MAIN(TestSvd)
#include "test_svd.moc"
