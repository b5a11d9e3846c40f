// K-means look-up-table quantization: exact when the table can hold every distinct value, the
// weighted objective never increasing over Lloyd's iterations, a weighted centroid by hand,
// importance from each kind of data, no worse than RTN on the demo model's layers, bit
// accounting, determinism, cancellation and bad input.
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "quant/KMeansLut.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include "InputErrorCheck.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace salience;

namespace {

QuantGrid perChannel(int bits) { return QuantGrid{bits, false, Granularity::PerChannel, 0}; }

QuantizedLinear kmeans(const Matrix& W, int bits, const LayerData& data = {}, KmeansOptions options = {})
{
    Progress p;
    return quantizeKmeans(W, perChannel(bits), options, data, p);
}

Matrix gaussian(int64_t rows, int64_t cols, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.0f, 1.0f);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = n(rng);
    return m;
}

} // namespace

class TestKmeans : public QObject {
    Q_OBJECT
private slots:
    void exactWhenTheTableHoldsEveryValue()
    {
        // Row 0 has 5 distinct values, row 1 has 3, row 2 one: 8 entries (3 bits) hold them all.
        Matrix W(3, 8);
        W << 0.5f, -1.25f, 0.5f, 3.0f, 0.0f, -1.25f, 7.5f, 3.0f, //
            1, 1, 1, 2, 2, 2, -4, -4,                              //
            0.375f, 0.375f, 0.375f, 0.375f, 0.375f, 0.375f, 0.375f, 0.375f;
        const QuantizedLinear q = kmeans(W, 3);
        q.validate();
        QCOMPARE(q.method, std::string("kmeans"));
        QVERIFY(q.hasCodebook());
        QVERIFY(q.dequantize() == W);

        // 4 distinct values with 2 bits, weighted by activations: still exact.
        Matrix V(1, 6);
        V << -2, 0.25f, 0.25f, 9, -2, 1.5f;
        const Matrix X = gaussian(10, 6, 3);
        const QuantizedLinear w = kmeans(V, 2, LayerData{&X, nullptr, nullptr, 0});
        QCOMPARE(w.parameters.at("weighted"), 1.0);
        QVERIFY(w.dequantize() == V);
    }

    void weightedCentroidByHand()
    {
        // One cluster: the importance-weighted mean (0·1 + 2·1 + 4·2) / (1 + 1 + 2) = 2.5.
        const std::vector<float> values{0.0f, 2.0f, 4.0f};
        const std::vector<double> importance{1.0, 1.0, 2.0};
        const KmeansRowFit fit = kmeansFitRow(values, importance, 1, 50);
        QCOMPARE(fit.centroids.size(), size_t(1));
        QCOMPARE(fit.centroids[0], 2.5);
        // Objective: initial centroid is the median 2: 1·4 + 0 + 2·4 = 12; after the update
        // 1·6.25 + 1·0.25 + 2·2.25 = 11.
        QCOMPARE(fit.objective.front(), 12.0);
        QCOMPARE(fit.objective.back(), 11.0);

        // Two clusters on {0, 1, 10, 11}: initial quantile centroids are elements 1 and 3
        // (floor(0.5·4/2) = 1, floor(1.5·4/2) = 3): 1 and 11. Assignments {0,1} and {10,11}.
        // Importance 3 on 0 and 1 on 1 gives (0·3 + 1)/4 = 0.25; 10 and 11 equal: 10.5.
        const std::vector<float> v2{0.0f, 1.0f, 10.0f, 11.0f};
        const std::vector<double> i2{3.0, 1.0, 1.0, 1.0};
        const KmeansRowFit f2 = kmeansFitRow(v2, i2, 2, 50);
        QCOMPARE(f2.centroids, (std::vector<double>{0.25, 10.5}));
        QCOMPARE(f2.codes, (std::vector<uint8_t>{0, 0, 1, 1}));
    }

    void objectiveNeverIncreases()
    {
        std::mt19937 rng(11);
        std::student_t_distribution<float> heavy(3.0f);
        std::uniform_real_distribution<double> u(0.0, 4.0);
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<float> values(300);
            std::vector<double> importance(300);
            for (size_t j = 0; j < values.size(); ++j) {
                values[j] = heavy(rng);
                importance[j] = trial % 2 ? u(rng) * u(rng) : 1.0;
            }
            const int bits = 2 + trial % 3;
            const KmeansRowFit fit = kmeansFitRow(values, importance, 1 << bits, 50);
            QVERIFY(fit.iterations >= 1);
            QCOMPARE(fit.objective.size(), size_t(fit.iterations + 1));
            for (size_t t = 1; t < fit.objective.size(); ++t)
                QVERIFY2(fit.objective[t] <= fit.objective[t - 1] * (1 + 1e-12),
                         qPrintable(QStringLiteral("trial %1, iteration %2: %3 > %4")
                                        .arg(trial).arg(t).arg(fit.objective[t]).arg(fit.objective[t - 1])));
            // The last entry is the objective of the returned fit, recomputed here.
            double e = 0;
            for (size_t j = 0; j < values.size(); ++j) {
                const double d = values[j] - fit.centroids[fit.codes[j]];
                e += importance[j] * d * d;
            }
            QVERIFY(std::abs(e - fit.objective.back()) <= 1e-9 * std::max(1.0, e));
            // Lloyd improved on the quantile start.
            QVERIFY(fit.objective.back() < fit.objective.front());
        }
    }

    void importanceFromEachSource()
    {
        // X = [[1, 2], [3, 0]]: E[x²] = [(1 + 9)/2, (4 + 0)/2] = [5, 2].
        Matrix X(2, 2);
        X << 1, 2, 3, 0;
        const std::vector<double> expected{5.0, 2.0};
        QCOMPARE(kmeansImportance(LayerData{&X, nullptr, nullptr, 0}, 2), expected);
        ChannelStats stats;
        stats.sumSq = {10.0, 4.0};
        stats.count = 2;
        QCOMPARE(kmeansImportance(LayerData{nullptr, &stats, nullptr, 0}, 2), expected);
        MatrixD G(2, 2);
        G << 10, 2, 2, 4;
        QCOMPARE(kmeansImportance(LayerData{nullptr, nullptr, &G, 2}, 2), expected);
        QCOMPARE(kmeansImportance(LayerData{}, 3), (std::vector<double>{1.0, 1.0, 1.0}));
        VERIFY_INPUT_ERROR(kmeansImportance(LayerData{&X, nullptr, nullptr, 0}, 3), "kmeans", "columns");
    }

    void noWorseThanRtnOnDemoLayers()
    {
        // 3 bits, one table per row vs RTN's per-channel 3-bit grid (the same number of code
        // bits per weight): the weight error is never larger, layer by layer.
        const DemoModel demo = makeDemoModel();
        int layers = 0;
        double kmOutput = 0, rtnOutput = 0;
        for (const LinearLayer& layer : demo.model.layers()) {
            const Matrix W = demo.model.weight(layer);
            const Matrix rtn = quantizeRtn(W, perChannel(3)).dequantize();
            const Matrix km = kmeans(W, 3).dequantize();
            const double eK = relativeWeightError(W, km), eR = relativeWeightError(W, rtn);
            QVERIFY2(eK <= eR, qPrintable(QStringLiteral("%1: k-means %2 > RTN %3")
                                              .arg(QString::fromStdString(layer.name)).arg(eK).arg(eR)));
            ++layers;
            if (!demo.activations.hasInputs(layer.name))
                continue;
            // With the layer's activations the fit weights each column by E[x_j²].
            const Matrix& X = demo.activations.inputs(layer.name);
            const Matrix kw = kmeans(W, 3, LayerData{&X, nullptr, nullptr, 0}).dequantize();
            kmOutput += relativeOutputError(W, kw, X);
            rtnOutput += relativeOutputError(W, rtn, X);
        }
        QVERIFY(layers > 10);
        QVERIFY2(kmOutput < rtnOutput, qPrintable(QStringLiteral("%1 vs %2").arg(kmOutput).arg(rtnOutput)));
    }

    void bitsCountTheTable()
    {
        // 4×16 at 3 bits: codes 64·3 = 192, tables 4 rows · 8 entries · 16 = 512; no scales.
        const QuantizedLinear q = kmeans(gaussian(4, 16, 5), 3);
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 192.0);
        QCOMPARE(b.codebook, 512.0);
        QCOMPARE(b.scales, 0.0);
        QCOMPARE(b.zeroPoints, 0.0);
        QCOMPARE(q.bitsPerWeight(), 704.0 / 64.0);
        for (float c : q.codebook)
            QCOMPARE(roundToHalf(c), c);
    }

    void deterministic()
    {
        const Matrix W = gaussian(6, 40, 9);
        const QuantizedLinear a = kmeans(W, 4), b = kmeans(W, 4);
        QCOMPARE(a.codes, b.codes);
        QCOMPARE(a.codebook, b.codebook);
    }

    void cancellationAndBadInput()
    {
        const Matrix W = gaussian(4, 8, 1);
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 quantizeKmeans(W, perChannel(3), KmeansOptions{}, LayerData{}, cancelled));
        KmeansOptions none;
        none.maxIterations = 0;
        VERIFY_INPUT_ERROR(kmeans(W, 3, {}, none), "kmeans", "iterations");
        Matrix bad = W;
        bad(1, 2) = std::nanf("");
        VERIFY_INPUT_ERROR(kmeans(bad, 3), "kmeans", "not finite");
        VERIFY_INPUT_ERROR(kmeans(Matrix(0, 0), 3), "kmeans", "empty");
        const Matrix X = gaussian(5, 7, 2);
        VERIFY_INPUT_ERROR(kmeans(W, 3, LayerData{&X, nullptr, nullptr, 0}), "kmeans", "columns");
    }

    void methodInfo()
    {
        const MethodInfo info = kmeansMethodInfo();
        QCOMPARE(info.name, std::string("kmeans"));
        QVERIFY(!info.needsActivations);
        QVERIFY(info.param("iterations") && info.param("iterations")->defaultValue == 50);
    }
};

QTEST_GUILESS_MAIN(TestKmeans)
#include "test_kmeans.moc"
