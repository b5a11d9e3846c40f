// SparseGPT: a two-column case worked out by hand, equality with Wanda where H is diagonal,
// patterns and counts, output error no worse than magnitude or Wanda pruning on the demo
// model's layers and on correlated synthetic inputs (50% and 2:4, with and without joint
// quantization), determinism, cancellation and bad input.
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "quant/Metrics.h"
#include "quant/prune/Prune.h"
#include "quant/prune/SparseGpt.h"

#include "InputErrorCheck.h"

#include "SyntheticInputs.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace salience;

namespace {

using testsupport::gaussian;
// Every 13th channel ×6.
Matrix correlatedInputs(int64_t tokens, int64_t in, uint32_t seed)
{
    return testsupport::correlatedInputs(tokens, in, seed, 13, 6.0f);
}

const QuantGrid kGrid{4, false, Granularity::PerGroup, 32};

PruneOptions options(int n, bool quantize = false)
{
    PruneOptions o;
    o.pattern = PrunePattern{0.5, n, 4};
    o.quantize = quantize;
    return o;
}

QuantizedLinear sparseGpt(const Matrix& W, const Matrix& X, const PruneOptions& prune, int64_t block = 128,
                          double damp = 0.01)
{
    Progress p;
    SparseGptOptions o;
    o.prune = prune;
    o.blockSize = block;
    o.damp = damp;
    return pruneSparseGpt(W, kGrid, o, LayerData{&X, nullptr, nullptr, 0}, p);
}

// Output errors of SparseGPT, magnitude and Wanda on one layer; checks SparseGPT is no worse.
void requireNoWorse(const Matrix& W, const Matrix& X, const PruneOptions& prune, const QString& what)
{
    Progress p;
    const LayerData data{&X, nullptr, nullptr, 0};
    const double s = relativeOutputError(W, sparseGpt(W, X, prune).dequantize(), X);
    const double m = relativeOutputError(W, pruneMagnitude(W, kGrid, prune, data, p).dequantize(), X);
    const double w = relativeOutputError(W, pruneWanda(W, kGrid, prune, data, p).dequantize(), X);
    QVERIFY2(s <= m && s <= w,
             qPrintable(QStringLiteral("%1: SparseGPT %2, magnitude %3, Wanda %4").arg(what).arg(s).arg(m).arg(w)));
}

} // namespace

class TestSparseGpt : public QObject {
    Q_OBJECT
private slots:
    void twoColumnsByHand()
    {
        // Gram G = [[2, 1], [1, 2]] over n = 2 tokens, no damping: H = 2G/n = [[2, 1], [1, 2]],
        // H⁻¹ = [[2, −1], [−1, 2]]/3, U = [[√(2/3), −1/√6], [0, √(1/2)]].
        // W = [1, 2]: saliencies 1/(2/3) = 1.5 and 4/(1/2) = 8, so column 0 is pruned;
        // err = 1/√(2/3), w1 −= err·(−1/√6) = −1/2 → w1 = 2.5. (Check: with w0 = 0 the output
        // error (Δ)ᵀHΔ for Δ = [−1, d] is 2 − 2d + 2d², least at d = ½.)
        Matrix W(1, 2);
        W << 1, 2;
        MatrixD G(2, 2);
        G << 2, 1, 1, 2;
        SparseGptOptions o;
        o.damp = 0;
        Progress p;
        const QuantizedLinear q = pruneSparseGpt(W, kGrid, o, LayerData{nullptr, nullptr, &G, 2}, p);
        q.validate();
        QCOMPARE(q.method, std::string("sparsegpt"));
        QVERIFY(q.base == QuantBase::Dense);
        QCOMPARE(q.keepMask, (std::vector<uint8_t>{0, 1}));
        const Matrix d = q.dequantize();
        QCOMPARE(d(0, 0), 0.0f);
        QVERIFY(std::abs(d(0, 1) - 2.5f) < 1e-6f);
        QCOMPARE(q.parameters.at("damp"), 0.0);
    }

    void equalsWandaWhenTheHessianIsDiagonal()
    {
        // Orthogonal input columns of different norms and no damping: H is diagonal, so no
        // error is fed forward and the saliency w²·H_jj ranks like Wanda's |w|·‖X_j‖.
        const int64_t in = 16;
        Matrix X = Matrix::Zero(in, in);
        for (int64_t j = 0; j < in; ++j)
            X(j, j) = float(1 + (j * 7) % 5);
        const Matrix W = gaussian(5, in, 4);
        Progress p;
        for (int n : {0, 2}) {
            const QuantizedLinear s = sparseGpt(W, X, options(n), 128, 0.0);
            const QuantizedLinear w = pruneWanda(W, kGrid, options(n), LayerData{&X, nullptr, nullptr, 0}, p);
            QCOMPARE(s.keepMask, w.keepMask);
            QVERIFY((s.dequantize() - w.dequantize()).cwiseAbs().maxCoeff() <= 1e-6f);
        }
    }

    void patternsAndCountsHold()
    {
        const int64_t in = 96;
        const Matrix X = correlatedInputs(200, in, 7);
        const Matrix W = gaussian(12, in, 8);
        // Small blocks: the per-block shares must still add up to floor(0.5·96) = 48 per row.
        const QuantizedLinear u = sparseGpt(W, X, options(0), 20);
        u.validate();
        for (int64_t r = 0; r < W.rows(); ++r) {
            int64_t pruned = 0;
            for (int64_t i = 0; i < in; ++i)
                pruned += u.keepMask[size_t(r * in + i)] == 0;
            QCOMPARE(pruned, int64_t(48));
        }
        // Mask runs of 7 inside lazy blocks of 20: runs are cut at both, counts still add up.
        {
            Progress p;
            SparseGptOptions o;
            o.prune = options(0);
            o.blockSize = 20;
            o.maskBlockSize = 7;
            const QuantizedLinear odd = pruneSparseGpt(W, kGrid, o, LayerData{&X, nullptr, nullptr, 0}, p);
            for (int64_t r = 0; r < W.rows(); ++r) {
                int64_t pruned = 0;
                for (int64_t i = 0; i < in; ++i)
                    pruned += odd.keepMask[size_t(r * in + i)] == 0;
                QCOMPARE(pruned, int64_t(48));
            }
        }
        // 2:4, with a block size that is not a multiple of 4 (rounded up to one).
        const QuantizedLinear nm = sparseGpt(W, X, options(2), 30);
        nm.validate(); // checks the recorded pattern too
        for (int64_t r = 0; r < W.rows(); ++r)
            for (int64_t b = 0; b < in; b += 4) {
                int kept = 0;
                for (int64_t i = b; i < b + 4; ++i)
                    kept += nm.keepMask[size_t(r * in + i)];
                QCOMPARE(kept, 2);
            }
        QCOMPARE(nm.bits().mask, 12.0 * 24 * 3);
        // Pruned positions are exactly zero in Ŵ.
        const Matrix d = nm.dequantize();
        for (int64_t k = 0; k < d.size(); ++k)
            if (!nm.keepMask[size_t(k)])
                QCOMPARE(d.data()[k], 0.0f);
    }

    void noWorseOnCorrelatedSynthetic()
    {
        const int64_t in = 128;
        const Matrix X = correlatedInputs(512, in, 21);
        const Matrix W = gaussian(48, in, 22);
        for (int n : {0, 2}) {
            requireNoWorse(W, X, options(n), QStringLiteral("synthetic n=%1").arg(n));
            requireNoWorse(W, X, options(n, true), QStringLiteral("synthetic quantized n=%1").arg(n));
        }
    }

    void noWorseOnDemoLayers()
    {
        const DemoModel demo = makeDemoModel();
        int layers = 0;
        for (const std::string& name : demo.activations.layerNames()) {
            if (!demo.activations.hasInputs(name) || !demo.model.findLayer(name))
                continue;
            const Matrix W = demo.model.weight(name);
            const Matrix& X = demo.activations.inputs(name);
            for (int n : {0, 2})
                requireNoWorse(W, X, options(n), QString::fromStdString(name) + QStringLiteral(" n=%1").arg(n));
            ++layers;
        }
        QVERIFY(layers > 10);
    }

    void jointQuantization()
    {
        const Matrix X = correlatedInputs(300, 64, 31);
        const Matrix W = gaussian(8, 64, 32);
        const QuantizedLinear q = sparseGpt(W, X, options(2, true));
        q.validate(); // pruned codes are their zero points
        QVERIFY(q.base == QuantBase::Codes);
        QCOMPARE(q.parameters.at("quantize"), 1.0);
        // Codes 8·32 kept · 4 bits, scales 8·2·16, zeros 8·2·4, mask 8·16·3.
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 1024.0);
        QCOMPARE(b.scales, 256.0);
        QCOMPARE(b.zeroPoints, 64.0);
        QCOMPARE(b.mask, 384.0);
        // Every kept value is on its group's grid.
        const Matrix d = q.dequantizeCodes();
        for (int64_t r = 0; r < 8; ++r)
            for (int64_t i = 0; i < 64; ++i) {
                const auto g = size_t(q.groupIndex(r, i));
                const float onGrid = float(int(q.code(r, i)) - q.zeroPoints[g]) * q.scales[g];
                QCOMPARE(d(r, i), q.kept(r, i) ? onGrid : 0.0f);
            }
        // Per tensor and per channel grids work too.
        for (const QuantGrid grid : {QuantGrid{3, true, Granularity::PerTensor, 0},
                                     QuantGrid{3, false, Granularity::PerChannel, 0}}) {
            Progress p;
            SparseGptOptions o;
            o.prune = options(0, true);
            const QuantizedLinear g = pruneSparseGpt(W, grid, o, LayerData{&X, nullptr, nullptr, 0}, p);
            g.validate();
            QVERIFY(relativeOutputError(W, g.dequantize(), X) < 0.9);
        }
    }

    void deadColumnsArePrunedFirst()
    {
        Matrix X = correlatedInputs(100, 16, 41);
        X.col(3).setZero();
        X.col(9).setZero();
        const Matrix W = gaussian(4, 16, 42, 5.0f);
        const QuantizedLinear q = sparseGpt(W, X, options(0));
        for (int64_t r = 0; r < 4; ++r) {
            QCOMPARE(q.keepMask[size_t(r * 16 + 3)], uint8_t(0));
            QCOMPARE(q.keepMask[size_t(r * 16 + 9)], uint8_t(0));
        }
    }

    void deterministicAndReportsProgress()
    {
        const Matrix X = correlatedInputs(64, 40, 51);
        const Matrix W = gaussian(6, 40, 52);
        const QuantizedLinear a = sparseGpt(W, X, options(0), 16), b = sparseGpt(W, X, options(0), 16);
        QCOMPARE(a.keepMask, b.keepMask);
        QVERIFY(a.dense == b.dense);
        double last = 0;
        Progress p([&](double f, const std::string&) { last = f; });
        SparseGptOptions o;
        o.blockSize = 16;
        pruneSparseGpt(W, kGrid, o, LayerData{&X, nullptr, nullptr, 0}, p);
        QCOMPARE(last, 1.0);
    }

    void cancellationAndBadInput()
    {
        const Matrix X = correlatedInputs(64, 40, 61);
        const Matrix W = gaussian(6, 40, 62);
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, pruneSparseGpt(W, kGrid, SparseGptOptions{},
                                                                LayerData{&X, nullptr, nullptr, 0}, cancelled));
        Progress p;
        ChannelStats stats = ActivationStore::statsOf(X);
        VERIFY_INPUT_ERROR(pruneSparseGpt(W, kGrid, SparseGptOptions{}, LayerData{nullptr, &stats, nullptr, 0}, p),
                           "sparsegpt", "Gram");
        const Matrix narrow = correlatedInputs(64, 39, 63);
        VERIFY_INPUT_ERROR(pruneSparseGpt(W, kGrid, SparseGptOptions{}, LayerData{&narrow, nullptr, nullptr, 0}, p),
                           "sparsegpt", "40");
        SparseGptOptions bad;
        bad.blockSize = 0;
        VERIFY_INPUT_ERROR(pruneSparseGpt(W, kGrid, bad, LayerData{&X, nullptr, nullptr, 0}, p), "sparsegpt", "block");
        bad = SparseGptOptions{};
        bad.maskBlockSize = 0;
        VERIFY_INPUT_ERROR(pruneSparseGpt(W, kGrid, bad, LayerData{&X, nullptr, nullptr, 0}, p), "sparsegpt",
                           "mask_block");
        bad = SparseGptOptions{};
        bad.damp = -1;
        VERIFY_INPUT_ERROR(pruneSparseGpt(W, kGrid, bad, LayerData{&X, nullptr, nullptr, 0}, p), "sparsegpt", "damp");
        bad = SparseGptOptions{};
        bad.prune.pattern.sparsity = 2;
        VERIFY_INPUT_ERROR(pruneSparseGpt(W, kGrid, bad, LayerData{&X, nullptr, nullptr, 0}, p), "sparsegpt",
                           "sparsity");
        Matrix inf = W;
        inf(2, 2) = INFINITY;
        VERIFY_INPUT_ERROR(pruneSparseGpt(inf, kGrid, SparseGptOptions{}, LayerData{&X, nullptr, nullptr, 0}, p),
                           "sparsegpt", "not finite");
    }

    void methodInfo()
    {
        const MethodInfo info = sparseGptMethodInfo();
        QCOMPARE(info.name, std::string("sparsegpt"));
        QVERIFY(info.needsActivations);
        for (const char* name : {"sparsity", "n", "m", "quantize", "damp", "block", "mask_block"})
            QVERIFY(info.param(name));
        QCOMPARE(info.param("block")->defaultValue, 128.0);
        QCOMPARE(info.param("mask_block")->defaultValue, 32.0);
    }
};

QTEST_GUILESS_MAIN(TestSparseGpt)
#include "test_sparsegpt.moc"
