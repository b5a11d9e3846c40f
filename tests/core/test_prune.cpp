// Pruning masks and the magnitude and Wanda methods: exact counts per row, N:M patterns in
// every run of every row, the tie rule, Wanda against magnitude on a hand case, the stored
// result (dense or quantized, bits by hand), cancellation and bad input.
#include "base/Error.h"
#include "quant/Rtn.h"
#include "quant/prune/Prune.h"
#include "quant/prune/PruneMask.h"
#include "tensor/Half.h"

#include "InputErrorCheck.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace salience;

namespace {

Matrix gaussian(int64_t rows, int64_t cols, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.0f, 1.0f);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = n(rng);
    return m;
}

PrunePattern unstructured(double p) { return PrunePattern{p, 0, 4}; }
PrunePattern nOfM(int n, int m) { return PrunePattern{0.5, n, m}; }

int64_t prunedInRow(const std::vector<uint8_t>& mask, int64_t row, int64_t in, int64_t begin = 0, int64_t end = -1)
{
    if (end < 0)
        end = in;
    int64_t n = 0;
    for (int64_t i = begin; i < end; ++i)
        n += mask[size_t(row * in + i)] == 0;
    return n;
}

const QuantGrid kGrid{4, false, Granularity::PerChannel, 0};

} // namespace

class TestPrune : public QObject {
    Q_OBJECT
private slots:
    void unstructuredPrunesExactlyTheCountPerRow()
    {
        // floor(p·in) by hand: 37·0.5 = 18.5 → 18, 37·0.7 = 25.9 → 25, 37·0.99 = 36.63 → 36,
        // 37·0.25 = 9.25 → 9, 0 → 0; and 100·0.29, which is 28.999… in double, must give 29.
        const struct {
            double p;
            int64_t in;
            int64_t pruned;
        } cases[] = {{0.5, 37, 18}, {0.7, 37, 25}, {0.99, 37, 36}, {0.25, 37, 9}, {0.0, 37, 0}, {0.29, 100, 29}};
        for (const auto& c : cases) {
            const Matrix W = gaussian(7, c.in, 3);
            const auto mask = magnitudeMask(W, unstructured(c.p));
            for (int64_t r = 0; r < W.rows(); ++r) {
                QCOMPARE(prunedInRow(mask, r, c.in), c.pruned);
                // Every pruned weight is no larger than every kept one in its row.
                float maxPruned = 0, minKept = INFINITY;
                for (int64_t i = 0; i < c.in; ++i) {
                    const float a = std::abs(W(r, i));
                    if (mask[size_t(r * c.in + i)])
                        minKept = std::min(minKept, a);
                    else
                        maxPruned = std::max(maxPruned, a);
                }
                QVERIFY(maxPruned <= minKept);
            }
        }
    }

    void twoOfFourInEveryRunOfEveryRow()
    {
        const int64_t in = 36;
        const Matrix W = gaussian(9, in, 5);
        const auto mask = magnitudeMask(W, nOfM(2, 4));
        for (int64_t r = 0; r < W.rows(); ++r)
            for (int64_t b = 0; b < in; b += 4) {
                QCOMPARE(prunedInRow(mask, r, in, b, b + 4), int64_t(2));
                // The two kept are the two largest of the four.
                for (int64_t i = b; i < b + 4; ++i)
                    for (int64_t j = b; j < b + 4; ++j)
                        if (mask[size_t(r * in + i)] && !mask[size_t(r * in + j)])
                            QVERIFY(std::abs(W(r, i)) >= std::abs(W(r, j)));
            }
        // A short last run (in = 10: runs 4, 4, 2) keeps min(2, 2) = both of its weights.
        const Matrix V = gaussian(3, 10, 6);
        const auto tail = magnitudeMask(V, nOfM(2, 4));
        for (int64_t r = 0; r < 3; ++r) {
            QCOMPARE(prunedInRow(tail, r, 10, 0, 4), int64_t(2));
            QCOMPARE(prunedInRow(tail, r, 10, 4, 8), int64_t(2));
            QCOMPARE(prunedInRow(tail, r, 10, 8, 10), int64_t(0));
        }
        // 1:4 keeps exactly one of every four.
        const auto one = magnitudeMask(W, nOfM(1, 4));
        for (int64_t r = 0; r < W.rows(); ++r)
            for (int64_t b = 0; b < in; b += 4)
                QCOMPARE(prunedInRow(one, r, in, b, b + 4), int64_t(3));
    }

    void tiesPruneTheLowerColumnFirst()
    {
        Matrix W(2, 4);
        W << 1, -1, 1, 1, //
            3, 0.5f, 3, 3;
        // Row 0: four equal magnitudes, columns 0 and 1 go. Row 1: 0.5 goes first, then the
        // first of the equal 3s (column 0).
        QCOMPARE(magnitudeMask(W, unstructured(0.5)), (std::vector<uint8_t>{0, 0, 1, 1, 0, 0, 1, 1}));
        QCOMPARE(magnitudeMask(W, nOfM(2, 4)), (std::vector<uint8_t>{0, 0, 1, 1, 0, 0, 1, 1}));
    }

    void wandaDiffersWhenAnInputChannelIsLarge()
    {
        // W = [0.5, 2, 3, 1], column norms [10, 1, 1, 1].
        // Magnitude at 50% drops 0.5 and 1 (columns 0, 3).
        // Wanda scores |W|·‖X‖ = [5, 2, 3, 1] drop columns 3 and 1.
        Matrix W(1, 4);
        W << 0.5f, 2, 3, 1;
        QCOMPARE(magnitudeMask(W, unstructured(0.5)), (std::vector<uint8_t>{0, 1, 1, 0}));
        Matrix X = Matrix::Zero(4, 4);
        X(0, 0) = 10;
        X(1, 1) = 1;
        X(2, 2) = -1;
        X(3, 3) = 1;
        const LayerData fromInputs{&X, nullptr, nullptr, 0};
        const std::vector<double> norms = inputColumnNorms(fromInputs, 4, "test");
        QCOMPARE(norms, (std::vector<double>{10, 1, 1, 1}));
        const std::vector<uint8_t> expected{1, 0, 1, 0};
        QCOMPARE(wandaMask(W, norms, unstructured(0.5)), expected);

        Progress p;
        PruneOptions options;
        const QuantizedLinear q = pruneWanda(W, kGrid, options, fromInputs, p);
        QCOMPARE(q.keepMask, expected);
        Matrix kept(1, 4);
        kept << 0.5f, 0, 3, 0;
        QVERIFY(q.dequantize() == kept);
        // The same from channel statistics (sum of squares) and from a Gram matrix.
        ChannelStats stats;
        stats.sumSq = {100, 1, 1, 1};
        stats.count = 4;
        QCOMPARE(pruneWanda(W, kGrid, options, LayerData{nullptr, &stats, nullptr, 0}, p).keepMask, expected);
        const MatrixD G = (X.transpose() * X).cast<double>();
        QCOMPARE(pruneWanda(W, kGrid, options, LayerData{nullptr, nullptr, &G, 4}, p).keepMask, expected);
    }

    void denseResultByHand()
    {
        // 2×4, 50% by magnitude: row 0 keeps 3 and -2, row 1 keeps 0.1 (float16 0.0999755859375)
        // and 5. Dense: 16 bits × 4 kept + 8 mask bits = 72 bits, 9 per weight.
        Matrix W(2, 4);
        W << 3, 1, -2, 0.5f, //
            0.1f, 5, -0.05f, 0.01f;
        Progress p;
        const QuantizedLinear q = pruneMagnitude(W, kGrid, PruneOptions{}, LayerData{}, p);
        q.validate();
        QCOMPARE(q.method, std::string("prune-magnitude"));
        QVERIFY(q.base == QuantBase::Dense);
        Matrix expected(2, 4);
        expected << 3, 0, -2, 0, //
            0.0999755859375f, 5, 0, 0;
        QVERIFY(q.dequantize() == expected);
        QCOMPARE(q.bits().total(), 72.0);
        QCOMPARE(q.parameters.at("sparsity"), 0.5);
        QCOMPARE(q.parameters.at("quantize"), 0.0);
    }

    void quantizedResultIsRtnOfTheKeptWeights()
    {
        const Matrix W = gaussian(6, 32, 8);
        PruneOptions options;
        options.pattern = nOfM(2, 4);
        options.quantize = true;
        Progress p;
        const QuantGrid grid{3, false, Granularity::PerGroup, 8};
        const QuantizedLinear q = pruneMagnitude(W, grid, options, LayerData{}, p);
        q.validate();
        QVERIFY(q.base == QuantBase::Codes);
        Matrix masked = W;
        for (int64_t k = 0; k < W.size(); ++k)
            if (!q.keepMask[size_t(k)])
                masked.data()[k] = 0;
        QVERIFY(q.dequantize() == fakeQuantizeRtn(masked, grid));
        // Bits: 96 kept codes · 3 = 288, scales 6·4·16 = 384, zeros 6·4·3 = 72,
        // mask 6 rows · 8 runs · 3 bits = 144.
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 288.0);
        QCOMPARE(b.scales, 384.0);
        QCOMPARE(b.zeroPoints, 72.0);
        QCOMPARE(b.mask, 144.0);
        QCOMPARE(q.parameters.at("prune_n"), 2.0);
        QCOMPARE(q.parameters.at("prune_m"), 4.0);
    }

    void prunedLayerRejectsBadMasks()
    {
        const Matrix W = gaussian(2, 4, 1);
        VERIFY_INPUT_ERROR(prunedLayer(W, std::vector<uint8_t>(7, 1), kGrid, {}, "m"), "m", "mask has 7");
        VERIFY_INPUT_ERROR(prunedLayer(W, std::vector<uint8_t>(8, 2), kGrid, {}, "m"), "m", "not 0 or 1");
    }

    void badInputAndCancellation()
    {
        const Matrix W = gaussian(3, 8, 2);
        Progress p;
        VERIFY_INPUT_ERROR(pruneWanda(W, kGrid, {}, LayerData{}, p), "prune-wanda", "activations");
        PruneOptions tooMuch;
        tooMuch.pattern.sparsity = 1.0;
        VERIFY_INPUT_ERROR(pruneMagnitude(W, kGrid, tooMuch, LayerData{}, p), "prune-magnitude", "sparsity");
        PruneOptions badNm;
        badNm.pattern = nOfM(5, 4);
        VERIFY_INPUT_ERROR(pruneMagnitude(W, kGrid, badNm, LayerData{}, p), "prune-magnitude", "N:M");
        Matrix nan = W;
        nan(0, 0) = std::nanf("");
        VERIFY_INPUT_ERROR(pruneMagnitude(nan, kGrid, {}, LayerData{}, p), "prune-magnitude", "not finite");
        const Matrix X = gaussian(4, 5, 3);
        VERIFY_INPUT_ERROR(pruneWanda(W, kGrid, {}, LayerData{&X, nullptr, nullptr, 0}, p), "prune-wanda", "columns");

        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, pruneMagnitude(W, kGrid, {}, LayerData{}, cancelled));
        const Matrix Y = gaussian(4, 8, 3);
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 pruneWanda(W, kGrid, {}, LayerData{&Y, nullptr, nullptr, 0}, cancelled));
    }

    void methodInfos()
    {
        const MethodInfo m = pruneMagnitudeMethodInfo(), w = pruneWandaMethodInfo();
        QCOMPARE(m.name, std::string("prune-magnitude"));
        QCOMPARE(w.name, std::string("prune-wanda"));
        QVERIFY(!m.needsActivations);
        QVERIFY(w.needsActivations);
        for (const char* name : {"sparsity", "n", "m", "quantize"})
            QVERIFY(m.param(name) && w.param(name));
        QCOMPARE(m.param("sparsity")->defaultValue, 0.5);
        QCOMPARE(m.param("m")->defaultValue, 4.0);
        QCOMPARE(m.param("sparsity")->maxValue, 0.99);
    }
};

QTEST_GUILESS_MAIN(TestPrune)
#include "test_prune.moc"
