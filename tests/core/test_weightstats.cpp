// Weight statistics and histograms on tiny examples worked out by hand, and on a real weight
// of stories260K checked against numpy.
#include "analysis/Histogram.h"
#include "analysis/WeightStats.h"
#include "base/Error.h"

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

constexpr float floatNan = std::numeric_limits<float>::quiet_NaN();
constexpr float floatInf = std::numeric_limits<float>::infinity();

} // namespace

class TestWeightStats : public QObject {
    Q_OBJECT
private slots:
    void kurtosisOfTinySequences()
    {
        // [1, −1, 1, −1]: mean 0, m2 = 1, m4 = 1, so 1/1 − 3 = −2.
        const float alternating[4] = {1, -1, 1, -1};
        QCOMPARE(excessKurtosis(alternating, 4), -2.0);
        // [2, 0, 0, −2]: m2 = 8/4 = 2, m4 = 32/4 = 8, so 8/4 − 3 = −1.
        const float spread[4] = {2, 0, 0, -2};
        QCOMPARE(excessKurtosis(spread, 4), -1.0);
        // Constant or empty: undefined.
        const float constant[3] = {5, 5, 5};
        QVERIFY(std::isnan(excessKurtosis(constant, 3)));
        QVERIFY(std::isnan(excessKurtosis(nullptr, 0)));
        // NaN/Inf are skipped.
        const float withNan[6] = {1, -1, floatNan, 1, floatInf, -1};
        QCOMPARE(excessKurtosis(withNan, 6), -2.0);
    }

    void tinyMatrixByHand()
    {
        Matrix W(2, 4);
        W << 1, -1, 1, -1,
             2, 0, 0, -2;
        const WeightStats s = weightStats(W);
        QCOMPARE(s.rows, int64_t(2));
        QCOMPARE(s.cols, int64_t(4));
        QCOMPARE(s.rowAbsMax, (std::vector<double>{1, 2}));
        QCOMPARE(s.rowL2[0], 2.0);
        QVERIFY(near(s.rowL2[1], std::sqrt(8.0)));
        QCOMPARE(s.rowKurtosis, (std::vector<double>{-2, -1}));
        QCOMPARE(s.colAbsMax, (std::vector<double>{2, 1, 1, 2}));
        QVERIFY(near(s.colL2[0], std::sqrt(5.0)));
        QCOMPARE(s.colL2[1], 1.0);
        QCOMPARE(s.colL2[2], 1.0);
        QVERIFY(near(s.colL2[3], std::sqrt(5.0)));
        // All eight: mean 0, m2 = (4·1 + 2·4)/8 = 1.5, m4 = (4·1 + 2·16)/8 = 4.5,
        // kurtosis 4.5/2.25 − 3 = −1.
        QCOMPARE(s.mean, 0.0);
        QVERIFY(near(s.std, std::sqrt(1.5)));
        QCOMPARE(s.absMax, 2.0);
        QVERIFY(near(s.kurtosis, -1.0));
        QCOMPARE(s.fractionBeyond3Sigma, 0.0);
        QCOMPARE(s.nonFiniteCount, int64_t(0));
        // Median column abs-max of {2, 1, 1, 2} is 1.5: 5 × 1.5 flags nothing, 1.2 × 1.5 = 1.8
        // flags the columns with 2.
        QCOMPARE(s.medianColumnAbsMax, 1.5);
        QVERIFY(s.outlierColumns.empty());
        QCOMPARE(weightStats(W, 1.2).outlierColumns, (std::vector<int64_t>{0, 3}));
    }

    void oneSpike()
    {
        // 100 weights, all 0 but a 10 at (3, 7): mean 0.1, m2 = (99·0.01 + 9.9²)/100 = 0.99,
        // m4 = (99·1e-4 + 9.9⁴)/100 = 96.0597, kurtosis 96.0597/0.9801 − 3 = 95 + 1/99.
        // |10 − 0.1| = 9.9 exceeds 6σ = 5.97; the zeros lie 0.1 from the mean.
        Matrix W = Matrix::Zero(10, 10);
        W(3, 7) = 10.0f;
        const WeightStats s = weightStats(W);
        QVERIFY(near(s.mean, 0.1));
        QVERIFY(near(s.std, std::sqrt(0.99)));
        QVERIFY(near(s.kurtosis, 95.0 + 1.0 / 99.0, 1e-10));
        QCOMPARE(s.fractionBeyond3Sigma, 0.01);
        QCOMPARE(s.fractionBeyond6Sigma, 0.01);
        // Row 3 is [0 ×7, 10, 0 ×2]: mean 1, m2 = 9, m4 = (9·1 + 81²)/10 = 657, 657/81 − 3.
        QVERIFY(near(s.rowKurtosis[3], 657.0 / 81.0 - 3.0));
        QVERIFY(std::isnan(s.rowKurtosis[0])); // an all-zero row
        // The median column abs-max is 0, so the one column with anything in it stands out.
        QCOMPARE(s.medianColumnAbsMax, 0.0);
        QCOMPARE(s.outlierColumns, (std::vector<int64_t>{7}));
    }

    void nonFiniteWeightsAreCountedApart()
    {
        Matrix W(2, 3);
        W << 1, floatNan, -1,
             floatInf, 1, -1;
        const WeightStats s = weightStats(W);
        QCOMPARE(s.nonFiniteCount, int64_t(2));
        QCOMPARE(s.mean, 0.0);
        QCOMPARE(s.std, 1.0);
        QCOMPARE(s.kurtosis, -2.0);
        QCOMPARE(s.absMax, 1.0);
        QCOMPARE(s.colAbsMax, (std::vector<double>{1, 1, 1}));
        QCOMPARE(s.rowL2[1], std::sqrt(2.0));
    }

    void emptyAndInvalid()
    {
        const WeightStats s = weightStats(Matrix(0, 3));
        QCOMPARE(s.colAbsMax.size(), size_t(3));
        QVERIFY(std::isnan(s.kurtosis));
        QVERIFY(s.outlierColumns.empty());
        QVERIFY_THROWS_EXCEPTION(InputError, weightStats(Matrix::Ones(2, 2), 0.0));
        QVERIFY_THROWS_EXCEPTION(InputError, weightStats(Matrix::Ones(2, 2), -3.0));
    }

    void realWeightMatchesNumpy()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Matrix W = testdata::storiesBinMatrix("wq", 0);
        QVERIFY2(W.size() == 64 * 64, "stories260K.bin is not the expected llama2.c file");
        // numpy 1.24 on the same float32 values as float64: x.mean(), sqrt(((x−m)²).mean()),
        // ((x−m)⁴).mean()/((x−m)²).mean()² − 3, abs(x).max(), count of |x−m| > 3σ.
        const WeightStats s = weightStats(W);
        QVERIFY(near(s.mean, -0.0058173395773124525, 1e-10));
        QVERIFY(near(s.std, 0.23602729308901868, 1e-10));
        QVERIFY(near(s.kurtosis, 4.610604769696848, 1e-10));
        QVERIFY(near(s.absMax, 1.5936816930770874, 1e-12));
        QCOMPARE(s.fractionBeyond3Sigma, 87.0 / 4096.0);
    }

    void histogramByHand()
    {
        const float data[8] = {0, 0.5f, 1, 1.5f, 2, floatNan, floatInf, -floatInf};
        const Histogram h = histogram(data, 8, 4);
        QCOMPARE(h.edges, (std::vector<double>{0, 0.5, 1, 1.5, 2}));
        // 2 is the upper edge: it goes to the last bin.
        QCOMPARE(h.counts, (std::vector<int64_t>{1, 1, 1, 2}));
        QCOMPARE(h.nanCount, int64_t(1));
        QCOMPARE(h.posInfCount, int64_t(1));
        QCOMPARE(h.negInfCount, int64_t(1));
        QCOMPARE(h.belowRange + h.aboveRange, int64_t(0));
        QCOMPARE(h.binnedCount(), int64_t(5));

        const Histogram ranged = histogram(data, 8, 2, HistogramRange{0.0, 1.0});
        QCOMPARE(ranged.edges, (std::vector<double>{0, 0.5, 1}));
        QCOMPARE(ranged.counts, (std::vector<int64_t>{1, 2}));
        QCOMPARE(ranged.aboveRange, int64_t(2));
        const Histogram shifted = histogram(data, 8, 1, HistogramRange{0.75, 10.0});
        QCOMPARE(shifted.belowRange, int64_t(2));
        QCOMPARE(shifted.counts, (std::vector<int64_t>{3}));

        const float constant[3] = {3, 3, 3};
        const Histogram c = histogram(constant, 3, 1);
        QCOMPARE(c.edges, (std::vector<double>{2.5, 3.5}));
        QCOMPARE(c.counts, (std::vector<int64_t>{3}));

        const float nothing[2] = {floatNan, floatNan};
        const Histogram n = histogram(nothing, 2, 3);
        QCOMPARE(n.edges.front(), 0.0);
        QCOMPARE(n.edges.back(), 1.0);
        QCOMPARE(n.binnedCount(), int64_t(0));
        QCOMPARE(n.nanCount, int64_t(2));
    }

    void histogramOfNoiseAccountsForEveryValue()
    {
        std::mt19937 rng(3);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        Matrix m(100, 50);
        for (Eigen::Index i = 0; i < m.size(); ++i)
            m.data()[i] = normal(rng);
        m(4, 4) = floatNan;
        const Histogram h = histogram(m, 64, HistogramRange{-2.0, 2.0});
        QCOMPARE(h.binnedCount() + h.belowRange + h.aboveRange + h.nanCount, int64_t(5000));
        // A standard normal puts 95.45% of its mass in [−2, 2].
        QVERIFY(std::abs(double(h.binnedCount()) / 4999.0 - 0.9545) < 0.01);
        for (size_t i = 1; i < h.edges.size(); ++i)
            QVERIFY(h.edges[i] > h.edges[i - 1]);
    }

    void logCountsAndErrors()
    {
        Histogram h;
        h.counts = {0, 9, 99};
        const std::vector<double> l = logCounts(h);
        QCOMPARE(l[0], 0.0);
        QVERIFY(near(l[1], 1.0));
        QVERIFY(near(l[2], 2.0));

        const float data[2] = {1, 2};
        QVERIFY_THROWS_EXCEPTION(InputError, histogram(data, 2, 0));
        QVERIFY_THROWS_EXCEPTION(InputError, histogram(data, 2, -5));
        QVERIFY_THROWS_EXCEPTION(InputError, histogram(data, 2, 4, HistogramRange{1.0, 1.0}));
        QVERIFY_THROWS_EXCEPTION(InputError, histogram(data, 2, 4, HistogramRange{2.0, 1.0}));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 histogram(data, 2, 4, HistogramRange{0.0, double(floatInf)}));
        QVERIFY_THROWS_EXCEPTION(InputError, histogram(nullptr, 2, 4));
        QCOMPARE(histogram(nullptr, 0, 4).binnedCount(), int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestWeightStats)
#include "test_weightstats.moc"
