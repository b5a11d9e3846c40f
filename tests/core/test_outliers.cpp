// Massive activations and channel-wise outliers on hand-built activations whose statistics
// are worked out by hand in the comments, and on Gaussian noise, where nothing is an outlier.
#include "analysis/Outliers.h"
#include "base/Error.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <random>

using namespace salience;

namespace {

// 64 tokens × 32 dims of ±1 (signs alternating in a checkerboard), with three planted values.
Matrix plantedMassive()
{
    Matrix A(64, 32);
    for (Eigen::Index t = 0; t < A.rows(); ++t)
        for (Eigen::Index j = 0; j < A.cols(); ++j)
            A(t, j) = (t + j) % 2 ? -1.0f : 1.0f;
    A(0, 5) = 1000.0f;
    A(0, 9) = -900.0f;
    A(3, 5) = 400.0f;
    return A;
}

// 16 tokens × 64 channels. Normal channels: ±1 in a checkerboard (mean 0, std 1).
//   channel 3:  39, 41 alternating      (mean 40,  std 1)   consistent, large: an outlier
//   channel 6: −39, −41 alternating     (mean −40, std 1)   the same, negative: an outlier
//   channel 1:  20, −20 alternating     (mean 0,   std 20)  swings, no offset: not one
//   channel 10: 50, 10 alternating      (mean 30,  std 20)  large but inconsistent: not one
Matrix plantedChannels()
{
    Matrix A(16, 64);
    for (Eigen::Index t = 0; t < A.rows(); ++t) {
        const bool even = t % 2 == 0;
        for (Eigen::Index j = 0; j < A.cols(); ++j)
            A(t, j) = (t + j) % 2 ? -1.0f : 1.0f;
        A(t, 3) = even ? 39.0f : 41.0f;
        A(t, 6) = even ? -39.0f : -41.0f;
        A(t, 1) = even ? 20.0f : -20.0f;
        A(t, 10) = even ? 50.0f : 10.0f;
    }
    return A;
}

Matrix gaussian(Eigen::Index rows, Eigen::Index cols, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = normal(rng);
    return m;
}

bool near(double a, double b, double tolerance = 1e-12)
{
    return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

} // namespace

class TestOutliers : public QObject {
    Q_OBJECT
private slots:
    void plantedMassiveActivations()
    {
        const MassiveActivationReport r = massiveActivations(plantedMassive());
        // 2048 entries: 2045 of magnitude 1 plus 1000 + 900 + 400, so
        // mean|A| = 4345 / 2048 and 300·mean|A| = 636.47: 1000 and −900 pass, 400 does not.
        // The median |A| is 1.
        const double mean = 4345.0 / 2048.0;
        QVERIFY(near(r.meanAbs, mean));
        QCOMPARE(r.medianAbs, 1.0);
        QCOMPARE(r.nonFiniteCount, int64_t(0));
        QCOMPARE(r.massive.size(), size_t(2));
        QCOMPARE(r.massive[0].token, int64_t(0));
        QCOMPARE(r.massive[0].dim, int64_t(5));
        QCOMPARE(r.massive[0].value, 1000.0f);
        QCOMPARE(r.massive[0].ratioToMedian, 1000.0);
        QVERIFY(near(r.massive[0].ratioToMean, 1000.0 / mean));
        QCOMPARE(r.massive[1].token, int64_t(0));
        QCOMPARE(r.massive[1].dim, int64_t(9));
        QCOMPARE(r.massive[1].value, -900.0f);
        QCOMPARE(r.massive[1].ratioToMedian, 900.0);
        QVERIFY(near(r.massive[1].ratioToMean, 900.0 / mean));
        QCOMPARE(r.massiveDims, (std::vector<int64_t>{5, 9}));

        // Top 10 whatever the thresholds: the three planted values, then magnitude-1 entries
        // in row-major order, skipping the planted ones: (0,0) (0,1) (0,2) (0,3) (0,4) (0,6) (0,7).
        QCOMPARE(r.top.size(), size_t(10));
        QCOMPARE(r.top[2].token, int64_t(3));
        QCOMPARE(r.top[2].dim, int64_t(5));
        QCOMPARE(r.top[2].ratioToMedian, 400.0);
        const int64_t dims[7] = {0, 1, 2, 3, 4, 6, 7};
        for (int i = 0; i < 7; ++i) {
            QCOMPARE(r.top[size_t(3 + i)].token, int64_t(0));
            QCOMPARE(r.top[size_t(3 + i)].dim, dims[i]);
            QCOMPARE(std::abs(r.top[size_t(3 + i)].value), 1.0f);
        }

        // A lower eta lets 400 in: 300 → 150 puts the bar at 318.2.
        const MassiveActivationReport lower = massiveActivations(plantedMassive(), 150.0);
        QCOMPARE(lower.massive.size(), size_t(3));
        QCOMPARE(lower.massive[2].token, int64_t(3));
        QCOMPARE(lower.massiveDims, (std::vector<int64_t>{5, 9}));
        QCOMPARE(massiveActivations(plantedMassive(), 300.0, 50.0, 2).top.size(), size_t(2));
    }

    void gammaIsAnAbsoluteFloor()
    {
        // Everything 0.001 except one 1.0: a thousand times the typical size, yet below 50.
        Matrix A = Matrix::Constant(40, 50, 0.001f);
        A(7, 11) = 1.0f;
        QVERIFY(massiveActivations(A).massive.empty());
        const MassiveActivationReport r = massiveActivations(A, 300.0, 0.5);
        QCOMPARE(r.massive.size(), size_t(1));
        QCOMPARE(r.massive[0].token, int64_t(7));
        QCOMPARE(r.massive[0].dim, int64_t(11));
        QVERIFY(near(r.massive[0].ratioToMedian, 1.0 / double(0.001f)));
    }

    void nonFiniteEntriesAreCountedApart()
    {
        Matrix A = plantedMassive();
        A(10, 10) = std::numeric_limits<float>::quiet_NaN();
        A(11, 11) = -std::numeric_limits<float>::infinity();
        const MassiveActivationReport r = massiveActivations(A);
        QCOMPARE(r.nonFiniteCount, int64_t(2));
        // Two magnitude-1 entries left out: mean|A| = 4343 / 2046.
        QVERIFY(near(r.meanAbs, 4343.0 / 2046.0));
        QCOMPARE(r.massive.size(), size_t(2));
        QVERIFY(std::isfinite(r.top.front().value));
    }

    void nothingMassiveInGaussianNoise()
    {
        const Matrix A = gaussian(256, 64, 42);
        const MassiveActivationReport r = massiveActivations(A);
        QVERIFY(r.massive.empty());
        QVERIFY(r.massiveDims.empty());
        // For a standard normal mean|x| = sqrt(2/pi) = 0.798 and median|x| = 0.674.
        QVERIFY(std::abs(r.meanAbs - 0.7979) < 0.02);
        QVERIFY(std::abs(r.medianAbs - 0.6745) < 0.02);
        QCOMPARE(r.top.size(), size_t(10));
        for (size_t i = 1; i < r.top.size(); ++i)
            QVERIFY(std::abs(r.top[i - 1].value) >= std::abs(r.top[i].value));
        QCOMPARE(std::abs(r.top[0].value), A.cwiseAbs().maxCoeff());
    }

    void emptyAndInvalid()
    {
        const MassiveActivationReport r = massiveActivations(Matrix(0, 8));
        QVERIFY(r.massive.empty());
        QVERIFY(r.top.empty());
        QVERIFY_THROWS_EXCEPTION(InputError, massiveActivations(plantedMassive(), -1.0));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 massiveActivations(plantedMassive(), 300.0,
                                                    std::numeric_limits<double>::quiet_NaN()));
        QVERIFY_THROWS_EXCEPTION(InputError, channelOutliers(plantedChannels(), 3.0, -0.5));
    }

    void plantedOutlierChannels()
    {
        const ChannelOutlierReport r = channelOutliers(plantedChannels());
        // 1024 entries. Sum |A| = 960 (60 normal channels) + 640 + 640 + 320 + 480 = 3040.
        // Sum A = 640 − 640 + 0 + 480 = 480. Sum A² = 960 + 2·8·(39² + 41²) + 16·400
        // + 8·(50² + 10²) = 79392. So std(A)² = 79392/1024 − (480/1024)², and the bar is
        // 3·std(A) + 3040/1024 = 29.347.
        const double meanAbs = 3040.0 / 1024.0;
        const double stdA = std::sqrt(79392.0 / 1024.0 - (480.0 / 1024.0) * (480.0 / 1024.0));
        QVERIFY(near(r.meanAbs, meanAbs));
        QVERIFY(near(r.std, stdA));
        QVERIFY(near(r.threshold, 3.0 * stdA + meanAbs));
        QCOMPARE(r.channels.size(), size_t(64));

        QCOMPARE(r.channels[3].mean, 40.0);
        QCOMPARE(r.channels[3].std, 1.0);
        QCOMPARE(r.channels[3].absMax, 41.0);
        QCOMPARE(r.channels[6].mean, -40.0);
        QCOMPARE(r.channels[6].meanAbs, 40.0);
        QCOMPARE(r.channels[1].mean, 0.0);
        QCOMPARE(r.channels[1].std, 20.0);
        QCOMPARE(r.channels[10].mean, 30.0);
        QCOMPARE(r.channels[10].std, 20.0);
        QCOMPARE(r.channels[10].absMax, 50.0);
        QCOMPARE(r.channels[0].mean, 0.0);
        QCOMPARE(r.channels[0].std, 1.0);
        QCOMPARE(r.channels[0].meanAbs, 1.0);

        // Channel 10 clears the bar (30 > 29.35) but spreads: 20/30 = 0.67 >= 0.6.
        QCOMPARE(r.outliers.size(), size_t(2));
        QCOMPARE(r.outliers[0].channel, int64_t(3));
        QCOMPARE(r.outliers[0].magnitude, 40.0);
        QCOMPARE(r.medianChannelMagnitude, 1.0); // 60 of the 64 channels have mean |A| = 1
        QCOMPARE(r.outliers[0].ratioToMedian, 40.0);
        QCOMPARE(r.outliers[1].channel, int64_t(6));
        QCOMPARE(r.outliers[1].ratioToMedian, 40.0);

        // Looser consistency admits channel 10; a higher eta (bar 3.5·std + mean|A| = 33.7)
        // keeps 3 and 6 (40) but would drop 10 again.
        const ChannelOutlierReport loose = channelOutliers(plantedChannels(), 3.0, 0.7);
        QCOMPARE(loose.outliers.size(), size_t(3));
        QCOMPARE(loose.outliers[2].channel, int64_t(10));
        QCOMPARE(loose.outliers[2].ratioToMedian, 30.0);
        QCOMPARE(channelOutliers(plantedChannels(), 3.5, 0.7).outliers.size(), size_t(2));
    }

    void noOutlierChannelsInGaussianNoise()
    {
        const ChannelOutlierReport r = channelOutliers(gaussian(256, 64, 7));
        QVERIFY(r.outliers.empty());
        QVERIFY(std::abs(r.std - 1.0) < 0.03);
        QCOMPARE(r.channels.size(), size_t(64));
        const ChannelOutlierReport empty = channelOutliers(Matrix(0, 5));
        QCOMPARE(empty.channels.size(), size_t(5));
        QVERIFY(empty.outliers.empty());
    }

    void outliersFromStatistics()
    {
        ChannelStats stats;
        stats.count = 4;
        stats.sumSq = {4, 4, 4, 4, 4, 1600}; // RMS 1, 1, 1, 1, 1, 20
        StatsOutlierReport r = channelOutliersFromStats(stats);
        QVERIFY(r.measure == ChannelMagnitude::Rms);
        QCOMPARE(r.median, 1.0);
        QCOMPARE(r.outliers.size(), size_t(1));
        QCOMPARE(r.outliers[0].channel, int64_t(5));
        QCOMPARE(r.outliers[0].magnitude, 20.0);
        QCOMPARE(r.outliers[0].ratioToMedian, 20.0);
        QVERIFY(channelOutliersFromStats(stats, 25.0).outliers.empty());
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 channelOutliersFromStats(stats, 10.0, ChannelMagnitude::AbsMax));

        // With abs-max present Auto uses it: sorted 1, 1, 1, 1, 2, 3, median 1; bar 2.5 × 1.
        stats.absMax = {1, 2, 1, 1, 1, 3};
        r = channelOutliersFromStats(stats, 2.5);
        QVERIFY(r.measure == ChannelMagnitude::AbsMax);
        QCOMPARE(r.outliers.size(), size_t(1));
        QCOMPARE(r.outliers[0].channel, int64_t(5));
        QCOMPARE(r.outliers[0].ratioToMedian, 3.0);
        r = channelOutliersFromStats(stats, 1.5);
        QCOMPARE(r.outliers.size(), size_t(2));
        QCOMPARE(channelOutliersFromStats(stats, 2.5, ChannelMagnitude::Rms).outliers.size(),
                 size_t(1));

        stats.absMax = {1, 2, 3};
        QVERIFY_THROWS_EXCEPTION(InputError, channelOutliersFromStats(stats));
        stats.absMax.clear();
        stats.sumSq[2] = -1.0;
        QVERIFY_THROWS_EXCEPTION(InputError, channelOutliersFromStats(stats));
        QVERIFY_THROWS_EXCEPTION(InputError, channelOutliersFromStats(ChannelStats{}, 0.0));
        QVERIFY(channelOutliersFromStats(ChannelStats{}).outliers.empty());
    }
};

QTEST_GUILESS_MAIN(TestOutliers)
#include "test_outliers.moc"
