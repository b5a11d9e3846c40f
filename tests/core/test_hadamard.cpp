// Randomized block Hadamard rotation: orthonormality, the Sylvester matrix, block sizes,
// invariance of W·Xᵀ, deterministic signs, and bad input.
#include "base/Error.h"
#include "quant/Hadamard.h"

#include "StoriesBin.h"

#include <QTest>

#include <fstream>
#include <random>

using namespace salience;

namespace {

Matrix randomMatrix(int64_t rows, int64_t cols, unsigned seed)
{
    std::mt19937 gen(seed);
    std::normal_distribution<float> n01;
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = n01(gen);
    return m;
}

float maxAbs(const Matrix& m) { return m.cwiseAbs().maxCoeff(); }

} // namespace

class TestHadamard : public QObject {
    Q_OBJECT
private slots:
    void blockSizes()
    {
        QCOMPARE(hadamardBlockSize(1), int64_t(1));
        QCOMPARE(hadamardBlockSize(64), int64_t(64));
        QCOMPARE(hadamardBlockSize(172), int64_t(4)); // 172 = 4·43
        QCOMPARE(hadamardBlockSize(96), int64_t(32)); // 96 = 32·3
        QCOMPARE(hadamardBlockSize(43), int64_t(1));
        QCOMPARE(HadamardRotation::randomized(172, 1).blockSize, int64_t(4));
        QVERIFY_THROWS_EXCEPTION(InputError, hadamardBlockSize(0));
    }

    void sylvesterFourByFour()
    {
        Matrix expected(4, 4);
        expected << 1, 1, 1, 1, //
            1, -1, 1, -1,       //
            1, 1, -1, -1,       //
            1, -1, -1, 1;
        expected /= 2.0f;
        QVERIFY(hadamardMatrix(HadamardRotation::plain(4)) == expected);
        // With signs D = diag(1,-1,-1,1): H = B·D flips columns 1 and 2.
        HadamardRotation h = HadamardRotation::plain(4);
        h.signs = {1, -1, -1, 1};
        Matrix flipped = expected;
        flipped.col(1) *= -1;
        flipped.col(2) *= -1;
        QVERIFY(hadamardMatrix(h) == flipped);
    }

    void orthonormal_data()
    {
        QTest::addColumn<int>("n");
        for (int n : {1, 2, 4, 8, 64, 172})
            QTest::addRow("n=%d", n) << n;
    }

    void orthonormal()
    {
        QFETCH(int, n);
        for (const HadamardRotation& h : {HadamardRotation::plain(n), HadamardRotation::randomized(n, 42)}) {
            const Matrix m = hadamardMatrix(h);
            QVERIFY(maxAbs(m * m.transpose() - Matrix::Identity(n, n)) < 1e-6f);
            // Every entry is ±1/√b inside a block and 0 outside.
            const float v = 1.0f / std::sqrt(float(h.blockSize));
            for (int r = 0; r < n; ++r)
                for (int c = 0; c < n; ++c) {
                    const bool inBlock = r / h.blockSize == c / h.blockSize;
                    QVERIFY(std::abs(std::abs(m(r, c)) - (inBlock ? v : 0.0f)) < 1e-6f);
                }
        }
    }

    void rotateMatchesDenseAndInverts()
    {
        for (int n : {8, 172}) {
            const HadamardRotation h = HadamardRotation::randomized(n, 5);
            const Matrix w = randomMatrix(5, n, 9);
            const Matrix rotated = rotateRows(w, h);
            QVERIFY(maxAbs(rotated - w * hadamardMatrix(h).transpose()) < 1e-5f);
            QVERIFY(maxAbs(unrotateRows(rotated, h) - w) < 1e-5f);
            QVERIFY(maxAbs(unrotateRows(w, h) - w * hadamardMatrix(h)) < 1e-5f);
        }
    }

    void outputIsInvariant()
    {
        // (W·Hᵀ)·(X·Hᵀ)ᵀ = W·Hᵀ·H·Xᵀ = W·Xᵀ, relative to the size of the output.
        for (int n : {64, 172}) {
            const HadamardRotation h = HadamardRotation::randomized(n, 1234);
            const Matrix w = randomMatrix(16, n, 1);
            const Matrix x = randomMatrix(10, n, 2);
            const Matrix y = w * x.transpose();
            const Matrix yr = rotateRows(w, h) * rotateRows(x, h).transpose();
            QVERIFY2(maxAbs(yr - y) <= 1e-5f * maxAbs(y), qPrintable(QString::number(maxAbs(yr - y))));
        }
    }

    void realDownProjectionInvariant()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Matrix w = testdata::storiesBinMatrix("w2", 0);
        QCOMPARE(w.cols(), Eigen::Index(172));
        const HadamardRotation h = HadamardRotation::randomized(172, 7);
        const Matrix x = randomMatrix(32, 172, 3);
        const Matrix y = w * x.transpose();
        const Matrix yr = rotateRows(w, h) * rotateRows(x, h).transpose();
        QVERIFY(maxAbs(yr - y) <= 1e-5f * maxAbs(y));
        // The rotation preserves the Frobenius norm (orthonormal).
        QVERIFY(std::abs(rotateRows(w, h).norm() - w.norm()) <= 1e-5f * w.norm());
    }

    void signsAreDeterministic()
    {
        const HadamardRotation a = HadamardRotation::randomized(172, 99);
        const HadamardRotation b = HadamardRotation::randomized(172, 99);
        const HadamardRotation c = HadamardRotation::randomized(172, 100);
        QVERIFY(a.signs == b.signs);
        QVERIFY(a.signs != c.signs);
        const auto negatives = std::count(a.signs.begin(), a.signs.end(), int8_t(-1));
        QVERIFY(negatives > 40 && negatives < 132);
        // The C++ standard fixes mt19937_64's 10000th output for the default seed 5489:
        // 9981545732273789042 >= 2^63, so its top bit is set and sign 9999 is -1.
        QVERIFY(9981545732273789042ull >> 63);
        QCOMPARE(HadamardRotation::randomized(10000, 5489).signs[9999], int8_t(-1));
    }

    void badInput()
    {
        const HadamardRotation h = HadamardRotation::plain(8);
        QVERIFY_THROWS_EXCEPTION(InputError, rotateRows(Matrix::Zero(2, 6), h));
        QVERIFY_THROWS_EXCEPTION(InputError, unrotateRows(Matrix::Zero(2, 16), h));
        double data[3] = {1, 2, 3};
        QVERIFY_THROWS_EXCEPTION(InputError, fastWalshHadamard(data, 3));
        HadamardRotation bad = h;
        bad.blockSize = 3;
        QVERIFY_THROWS_EXCEPTION(InputError, bad.validate());
        bad = h;
        bad.blockSize = 16;
        QVERIFY_THROWS_EXCEPTION(InputError, bad.validate());
        bad = h;
        bad.signs[2] = 0;
        QVERIFY_THROWS_EXCEPTION(InputError, bad.validate());
        QVERIFY_THROWS_EXCEPTION(InputError, HadamardRotation::randomized(0, 1));
    }
};

QTEST_GUILESS_MAIN(TestHadamard)
#include "test_hadamard.moc"
