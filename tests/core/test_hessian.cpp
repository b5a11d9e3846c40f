// The layer Hessian H = 2XᵀX/n + λ·mean(diag)·I and the upper Cholesky factor of its inverse,
// each checked against values worked out by hand in the comments.
#include "acts/Gram.h"
#include "base/Error.h"
#include "quant/Hessian.h"

#include "InputErrorCheck.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace salience;

namespace {

Matrix matrix(int64_t rows, int64_t cols, std::initializer_list<float> values)
{
    Matrix m(rows, cols);
    Eigen::Index i = 0;
    for (float v : values)
        m.data()[i++] = v;
    return m;
}

MatrixD matrixD(int64_t rows, int64_t cols, std::initializer_list<double> values)
{
    MatrixD m(rows, cols);
    Eigen::Index i = 0;
    for (double v : values)
        m.data()[i++] = v;
    return m;
}

} // namespace

class TestHessian : public QObject {
    Q_OBJECT
private slots:
    void fromInputsByHand()
    {
        // X = [[1, 2], [3, 4]], n = 2: XᵀX = [[10, 14], [14, 20]], 2·XᵀX/2 is the same,
        // mean diagonal 15, λ = 0.01 adds 0.15 to the diagonal.
        const Matrix X = matrix(2, 2, {1, 2, 3, 4});
        const LayerData data{&X, nullptr, nullptr, 0};
        const MatrixD H = layerHessian(data, 2, 0.01);
        const MatrixD expected = matrixD(2, 2, {10.15, 14, 14, 20.15});
        QVERIFY((H - expected).cwiseAbs().maxCoeff() < 1e-12);
        // Without damping: exactly 2·XᵀX/n.
        QVERIFY((layerHessian(data, 2, 0.0) - matrixD(2, 2, {10, 14, 14, 20})).cwiseAbs().maxCoeff() < 1e-12);
    }

    void fromGramUsesItsTokenCount()
    {
        // G = [[10, 14], [14, 20]] summed over 4 tokens: 2G/4 = [[5, 7], [7, 10]], mean diag 7.5,
        // λ = 0.1 adds 0.75.
        const MatrixD G = matrixD(2, 2, {10, 14, 14, 20});
        const Matrix X = matrix(1, 2, {100, 100}); // ignored: the Gram wins when both are given
        const LayerData data{&X, nullptr, &G, 4};
        const MatrixD H = layerHessian(data, 2, 0.1);
        QVERIFY((H - matrixD(2, 2, {5.75, 7, 7, 10.75})).cwiseAbs().maxCoeff() < 1e-12);
    }

    void deadColumnsGetOneBeforeDamping()
    {
        // X = [[1, 0], [3, 0]]: column 1 never fires. 2·XᵀX/2 = [[10, 0], [0, 0]] → H11 = 1,
        // mean diagonal (10 + 1)/2 = 5.5, λ = 0.1 adds 0.55.
        const Matrix X = matrix(2, 2, {1, 0, 3, 0});
        const LayerData data{&X, nullptr, nullptr, 0};
        const MatrixD H = layerHessian(data, 2, 0.1);
        QVERIFY((H - matrixD(2, 2, {10.55, 0, 0, 1.55})).cwiseAbs().maxCoeff() < 1e-12);
        const std::vector<bool> dead = deadInputColumns(data, 2);
        QCOMPARE(dead, (std::vector<bool>{false, true}));
        // The same from layerHessian's own pass, with the damping it added and diag(XᵀX)/n.
        HessianColumns columns;
        QVERIFY((layerHessian(data, 2, 0.1, &columns) - H).cwiseAbs().maxCoeff() == 0.0);
        QCOMPARE(columns.dead, dead);
        QCOMPARE(columns.damp, 0.1 * 5.5);
        QCOMPARE(columns.meanSquares, (std::vector<float>{5.0f, 0.0f}));
        QCOMPARE(columns.meanSquares, inputMeanSquares(data, 2));
        // From a Gram: [[10, 0], [0, 0]] over 2 tokens, the same.
        const MatrixD G = matrixD(2, 2, {10, 0, 0, 0});
        HessianColumns fromGram;
        QVERIFY((layerHessian(LayerData{nullptr, nullptr, &G, 2}, 2, 0.1, &fromGram) - H).cwiseAbs().maxCoeff() == 0.0);
        QCOMPARE(fromGram.dead, dead);
        QCOMPARE(fromGram.meanSquares, columns.meanSquares);
    }

    void badInput()
    {
        const Matrix X = matrix(2, 2, {1, 2, 3, 4});
        VERIFY_INPUT_ERROR(layerHessian(LayerData{}, 2, 0.01), "gptq", "no inputs");
        VERIFY_INPUT_ERROR(layerHessian(LayerData{&X, nullptr, nullptr, 0}, 3, 0.01), "gptq", "3");
        const MatrixD G = matrixD(2, 2, {1, 0, 0, 1});
        VERIFY_INPUT_ERROR(layerHessian(LayerData{nullptr, nullptr, &G, 5}, 4, 0.01), "gptq", "Gram");
        VERIFY_INPUT_ERROR(layerHessian(LayerData{nullptr, nullptr, &G, 0}, 2, 0.01), "gptq", "no tokens");
        VERIFY_INPUT_ERROR(layerHessian(LayerData{&X, nullptr, nullptr, 0}, 2, -0.5), "gptq", "damping");
        const Matrix empty(0, 2);
        VERIFY_INPUT_ERROR(layerHessian(LayerData{&empty, nullptr, nullptr, 0}, 2, 0.01), "gptq", "no tokens");
        MatrixD nanGram = G;
        nanGram(0, 1) = std::numeric_limits<double>::quiet_NaN();
        VERIFY_INPUT_ERROR(layerHessian(LayerData{nullptr, nullptr, &nanGram, 3}, 2, 0.01), "gptq", "not finite");
        VERIFY_INPUT_ERROR(deadInputColumns(LayerData{}, 2), "gptq", "no inputs");
    }

    void upperCholeskyOfInverseByHand()
    {
        // H = [[4, 2], [2, 2]]: det 4, H⁻¹ = [[0.5, −0.5], [−0.5, 1]].
        // U00 = √0.5, U01 = −0.5/√0.5 = −√0.5, U11 = √(1 − 0.5) = √0.5, U10 = 0.
        const MatrixD U = upperCholeskyOfInverse(matrixD(2, 2, {4, 2, 2, 2}));
        const double r = std::sqrt(0.5);
        QVERIFY((U - matrixD(2, 2, {r, -r, 0, r})).cwiseAbs().maxCoeff() < 1e-12);
    }

    void upperCholeskyOfInverseOfARandomMatrix()
    {
        Eigen::MatrixXd A = Eigen::MatrixXd::Random(40, 30);
        const MatrixD H = A.transpose() * A + 0.1 * Eigen::MatrixXd::Identity(30, 30);
        const MatrixD U = upperCholeskyOfInverse(H);
        QCOMPARE(U.rows(), Eigen::Index(30));
        for (int i = 0; i < 30; ++i) {
            QVERIFY(U(i, i) > 0);
            for (int j = 0; j < i; ++j)
                QCOMPARE(U(i, j), 0.0);
        }
        const Eigen::MatrixXd inverse = H.inverse();
        QVERIFY((U.transpose() * U - inverse).cwiseAbs().maxCoeff() < 1e-9 * inverse.cwiseAbs().maxCoeff());
    }

    void semiDefiniteIsRescuedByExtraDamping()
    {
        // [[1, 1], [1, 1]] is singular; the first retry adds 0.01·mean diag = 0.01.
        const MatrixD H = matrixD(2, 2, {1, 1, 1, 1});
        const MatrixD U = upperCholeskyOfInverse(H);
        QVERIFY(U.allFinite());
        const MatrixD damped = H + 0.01 * MatrixD::Identity(2, 2);
        QVERIFY((U.transpose() * U - damped.inverse()).cwiseAbs().maxCoeff() < 1e-6 * damped.inverse().cwiseAbs().maxCoeff());
    }

    void hopelessMatricesThrow()
    {
        QVERIFY_THROWS_EXCEPTION(Error, upperCholeskyOfInverse(matrixD(2, 2, {-1, 0, 0, -1})));
        QVERIFY_THROWS_EXCEPTION(Error, upperCholeskyOfInverse(MatrixD(2, 3)));
        QVERIFY_THROWS_EXCEPTION(Error, upperCholeskyOfInverse(MatrixD(0, 0)));
        QVERIFY_THROWS_EXCEPTION(Error, upperCholeskyOfInverse(
                                            matrixD(2, 2, {1, 0, 0, std::numeric_limits<double>::infinity()})));
        try {
            upperCholeskyOfInverse(matrixD(1, 1, {-3}));
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("not positive definite") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestHessian)
#include "test_hessian.moc"
