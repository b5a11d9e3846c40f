// SARQC: GPTQ and AWQ with a saliency-weighted drift term.
#include "InputErrorCheck.h"

#include "acts/ActivationStore.h"
#include "acts/Gram.h"
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "quant/Sarqc.h"

#include <QTest>

#include <cmath>

using namespace salience;

namespace {

QuantGrid makeGrid(int bits, bool symmetric, Granularity g, int groupSize = 128)
{
    QuantGrid grid;
    grid.bits = bits;
    grid.symmetric = symmetric;
    grid.granularity = g;
    grid.groupSize = groupSize;
    return grid;
}

SarqcOptions sarqc(double lambda, SaliencyCriterion c)
{
    SarqcOptions o;
    o.lambda = lambda;
    o.criterion = c;
    return o;
}

bool sameQuantization(const QuantizedLinear& a, const QuantizedLinear& b)
{
    return a.codes == b.codes && a.scales == b.scales && a.zeroPoints == b.zeroPoints && a.permutation == b.permutation
        && a.inputScale == b.inputScale && a.dequantize() == b.dequantize();
}

AwqOptions quickAwq()
{
    AwqOptions o;
    o.gridPoints = 10;
    o.clipSteps = 5;
    return o;
}

} // namespace

class TestSarqc : public QObject {
    Q_OBJECT
private slots:
    void hessianByHand()
    {
        // H = diag(2, 4) with an off-diagonal 1; scores [[1, 0], [3, 2]]: column means m = (2, 1),
        // mean score 1.5, mean diag(H) 3, so m is scaled by 3/1.5 = 2 to (4, 2); λ = 1 adds it.
        MatrixD H(2, 2);
        H << 2, 1, 1, 4;
        Matrix s(2, 2);
        s << 1, 0, 3, 2;
        MatrixD expected(2, 2);
        expected << 6, 1, 1, 6;
        QCOMPARE(sarqcHessian(H, s, 1.0), expected);
        expected << 2 + 0.5 * 4, 1, 1, 4 + 0.5 * 2;
        QCOMPARE(sarqcHessian(H, s, 0.5), expected);
        QCOMPARE(sarqcHessian(H, s, 0.0), H);
        QCOMPARE(sarqcHessian(H, Matrix::Zero(2, 2), 5.0), H); // no saliency, nothing added
        VERIFY_INPUT_ERROR(sarqcHessian(H, s, -1.0), "sarqc-gptq", "lambda");
        VERIFY_INPUT_ERROR(sarqcHessian(H, s, 1001.0), "sarqc-gptq", "lambda");
        VERIFY_INPUT_ERROR(sarqcHessian(H, Matrix::Ones(2, 3), 1.0), "sarqc-gptq", "[in, in]");
    }

    void normalisedScoresMatchTheInputEnergy()
    {
        // X: 2 tokens, columns with sums of squares 2, 9, 8: mean diag(XᵀX/n) = (1 + 4.5 + 4)/3.
        Matrix X(2, 3);
        X << 1, 0, 2, 1, 3, -2;
        Matrix s(2, 3);
        s << 1, 2, 3, 4, 5, 6; // mean 3.5
        const double energy = (1.0 + 4.5 + 4.0) / 3.0;
        LayerData fromInputs;
        fromInputs.inputs = &X;
        const Matrix n = sarqcNormalizedScores(s, fromInputs);
        for (Eigen::Index i = 0; i < s.size(); ++i)
            QVERIFY(std::abs(n.data()[i] - s.data()[i] * energy / 3.5) < 1e-6);
        const MatrixD G = gram(X);
        LayerData fromGram;
        fromGram.gram = &G;
        fromGram.gramTokens = 2;
        QVERIFY((sarqcNormalizedScores(s, fromGram) - n).cwiseAbs().maxCoeff() < 1e-6);
        ChannelStats stats;
        stats.sumSq = {2, 9, 8};
        stats.count = 2;
        LayerData fromStats;
        fromStats.stats = &stats;
        QVERIFY((sarqcNormalizedScores(s, fromStats) - n).cwiseAbs().maxCoeff() < 1e-6);
        VERIFY_INPUT_ERROR(sarqcNormalizedScores(s, {}), "sarqc-awq", "activations");
    }

    void driftByHand()
    {
        Matrix w(1, 3), a(1, 3), s(1, 3);
        w << 1, 2, 3;
        a << 1.5f, 2, 1;
        s << 2, 7, 0.5f;
        // 2·0.25 + 7·0 + 0.5·4 = 2.5
        QCOMPARE(saliencyWeightedDrift(w, a, s), 2.5);
        VERIFY_INPUT_ERROR(saliencyWeightedDrift(w, a, Matrix::Ones(2, 3)), "sarqc", "shape");
    }

    void lambdaZeroIsGptqExactly()
    {
        const DemoModel demo = makeDemoModel();
        for (const char* name : {"model.layers.0.self_attn.q_proj", "model.layers.2.mlp.down_proj"}) {
            const Matrix w = demo.model.weight(name);
            LayerData data;
            data.inputs = &demo.activations.inputs(name);
            for (bool actOrder : {false, true}) {
                GptqOptions gptq;
                gptq.actOrder = actOrder;
                const QuantGrid grid = makeGrid(4, false, Granularity::PerGroup, 64);
                Progress progress;
                const QuantizedLinear plain = quantizeGptq(w, grid, gptq, data, progress);
                const QuantizedLinear zero =
                    quantizeSarqcGptq(w, grid, sarqc(0.0, SaliencyCriterion::Awq), gptq, data, progress);
                QVERIFY(sameQuantization(plain, zero));
                QCOMPARE(zero.method, std::string("sarqc-gptq"));
                QCOMPARE(zero.parameters.at("lambda"), 0.0);
                // The regularised path itself, with a λ too small to change H in double and
                // GPTQ's RTN guard off (with λ > 0 the guard judges by H', see Sarqc.h).
                GptqOptions unguarded = gptq;
                unguarded.rtnGuard = false;
                const QuantizedLinear plainUnguarded = quantizeGptq(w, grid, unguarded, data, progress);
                const QuantizedLinear tiny =
                    quantizeSarqcGptq(w, grid, sarqc(1e-300, SaliencyCriterion::Awq), unguarded, data, progress);
                QVERIFY(sameQuantization(plainUnguarded, tiny));
            }
        }
    }

    void lambdaZeroIsAwqExactly()
    {
        const DemoModel demo = makeDemoModel();
        const char* name = "model.layers.1.mlp.gate_proj";
        const Matrix w = demo.model.weight(name);
        LayerData data;
        data.inputs = &demo.activations.inputs(name);
        const QuantGrid grid = makeGrid(3, false, Granularity::PerGroup, 32);
        Progress progress;
        const QuantizedLinear plain = quantizeAwq(w, grid, quickAwq(), data, progress);
        const QuantizedLinear zero = quantizeSarqcAwq(w, grid, sarqc(0.0, SaliencyCriterion::Svd), quickAwq(), data, progress);
        QVERIFY(sameQuantization(plain, zero));
        QCOMPARE(zero.method, std::string("sarqc-awq"));
    }

    void gptqFormLowersTheSalientDrift()
    {
        const DemoModel demo = makeDemoModel();
        const QuantGrid grid = makeGrid(3, false, Granularity::PerGroup, 64);
        for (const char* name : {"model.layers.0.self_attn.k_proj", "model.layers.3.mlp.down_proj"}) {
            const Matrix w = demo.model.weight(name);
            LayerData data;
            data.inputs = &demo.activations.inputs(name);
            for (auto c : {SaliencyCriterion::Awq, SaliencyCriterion::Spqr, SaliencyCriterion::Svd}) {
                SaliencyOptions so;
                so.spqrBits = grid.bits;
                const Matrix scores = saliencyScores(w, c, so, data);
                Progress progress;
                const GptqOptions gptq;
                const double base = saliencyWeightedDrift(
                    w, quantizeSarqcGptq(w, grid, sarqc(0.0, c), gptq, data, progress).dequantize(), scores);
                const double regularized = saliencyWeightedDrift(
                    w, quantizeSarqcGptq(w, grid, sarqc(10.0, c), gptq, data, progress).dequantize(), scores);
                QVERIFY2(regularized < base, qPrintable(QString("%1 %2: %3 vs %4")
                                                            .arg(name)
                                                            .arg(QString::fromStdString(saliencyCriterionName(c)))
                                                            .arg(regularized)
                                                            .arg(base)));
            }
        }
    }

    void awqFormLowersTheSalientDrift()
    {
        const DemoModel demo = makeDemoModel();
        const QuantGrid grid = makeGrid(3, false, Granularity::PerGroup, 64);
        for (const char* name : {"model.layers.0.self_attn.v_proj", "model.layers.2.mlp.up_proj"}) {
            const Matrix w = demo.model.weight(name);
            LayerData data;
            data.inputs = &demo.activations.inputs(name);
            for (auto c : {SaliencyCriterion::Magnitude, SaliencyCriterion::Svd}) {
                const Matrix scores = saliencyScores(w, c, {}, data);
                Progress progress;
                const double base = saliencyWeightedDrift(
                    w, quantizeSarqcAwq(w, grid, sarqc(0.0, c), quickAwq(), data, progress).dequantize(), scores);
                const double regularized = saliencyWeightedDrift(
                    w, quantizeSarqcAwq(w, grid, sarqc(10.0, c), quickAwq(), data, progress).dequantize(), scores);
                QVERIFY2(regularized < base, qPrintable(QString("%1 %2: %3 vs %4")
                                                             .arg(name)
                                                             .arg(QString::fromStdString(saliencyCriterionName(c)))
                                                             .arg(regularized)
                                                             .arg(base)));
            }
        }
    }

    void missingActivationsAreInputErrors()
    {
        const DemoModel demo = makeDemoModel();
        const Matrix w = demo.model.weight("model.layers.0.self_attn.v_proj");
        const QuantGrid grid = makeGrid(4, false, Granularity::PerGroup, 32);
        Progress progress;
        VERIFY_INPUT_ERROR(quantizeSarqcGptq(w, grid, sarqc(1.0, SaliencyCriterion::Svd), {}, {}, progress), "gptq",
                           "inputs");
        VERIFY_INPUT_ERROR(quantizeSarqcAwq(w, grid, sarqc(1.0, SaliencyCriterion::Awq), quickAwq(), {}, progress),
                           "saliency (awq)", "activations");
        // Statistics carry AWQ, but not the spqr criterion.
        const ChannelStats stats = demo.activations.stats("model.layers.0.self_attn.v_proj");
        LayerData onlyStats;
        onlyStats.stats = &stats;
        VERIFY_INPUT_ERROR(quantizeSarqcAwq(w, grid, sarqc(1.0, SaliencyCriterion::Spqr), quickAwq(), onlyStats, progress),
                           "saliency (spqr)", "statistics");
        QVERIFY(quantizeSarqcAwq(w, grid, sarqc(1.0, SaliencyCriterion::Awq), quickAwq(), onlyStats, progress)
                    .dequantize()
                    .allFinite());
        VERIFY_INPUT_ERROR(quantizeSarqcAwq(w, grid, sarqc(-2.0, SaliencyCriterion::Awq), quickAwq(), onlyStats, progress),
                           "sarqc-awq", "lambda");
    }

    void cancellation()
    {
        const DemoModel demo = makeDemoModel();
        const char* name = "model.layers.0.mlp.gate_proj";
        const Matrix w = demo.model.weight(name);
        LayerData data;
        data.inputs = &demo.activations.inputs(name);
        const QuantGrid grid = makeGrid(4, false, Granularity::PerGroup, 32);
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 quantizeSarqcGptq(w, grid, sarqc(1.0, SaliencyCriterion::Svd), {}, data, cancelled));
        QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeSarqcAwq(w, grid, sarqc(1.0, SaliencyCriterion::Svd),
                                                                  quickAwq(), data, cancelled));
        // Cancelled after the saliency step has reported.
        Progress* self = nullptr;
        Progress watching([&](double, const std::string& message) {
            if (message.rfind("SARQC", 0) == 0)
                self->requestCancel();
        });
        self = &watching;
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 quantizeSarqcGptq(w, grid, sarqc(1.0, SaliencyCriterion::Svd), {}, data, watching));
    }

    void recipesMapTheirParams()
    {
        const DemoModel demo = makeDemoModel();
        const char* name = "model.layers.1.self_attn.o_proj";
        const Matrix w = demo.model.weight(name);
        LayerData data;
        data.inputs = &demo.activations.inputs(name);
        Recipe recipe;
        recipe.method = "sarqc-gptq";
        recipe.bits = 3;
        recipe.groupSize = 32;
        recipe.params["lambda"] = 2.0;
        recipe.params["criterion"] = 3; // magnitude
        Progress progress;
        const QuantizedLinear fromRecipe = quantizeSarqcGptqRecipe(w, recipe, data, progress);
        const QuantizedLinear direct =
            quantizeSarqcGptq(w, recipe.grid(), sarqc(2.0, SaliencyCriterion::Magnitude), {}, data, progress);
        QVERIFY(sameQuantization(fromRecipe, direct));

        recipe.method = "sarqc-awq";
        recipe.params["grid"] = 10;
        recipe.params["clip"] = 0;
        AwqOptions awq;
        awq.gridPoints = 10;
        awq.clipSearch = false;
        QVERIFY(sameQuantization(quantizeSarqcAwqRecipe(w, recipe, data, progress),
                                 quantizeSarqcAwq(w, recipe.grid(), sarqc(2.0, SaliencyCriterion::Magnitude), awq, data,
                                                  progress)));

        for (const MethodInfo& info : {sarqcGptqMethodInfo(), sarqcAwqMethodInfo()}) {
            QVERIFY(info.needsActivations);
            QCOMPARE(info.param("lambda")->defaultValue, 1.0);
            QCOMPARE(info.param("lambda")->maxValue, 1000.0);
            QVERIFY(info.param("criterion")->choices == saliencyCriterionNames());
        }
        QCOMPARE(sarqcGptqMethodInfo().name, std::string("sarqc-gptq"));
        QVERIFY(sarqcGptqMethodInfo().param("damp"));
        QVERIFY(sarqcAwqMethodInfo().param("grid"));
    }
};

QTEST_GUILESS_MAIN(TestSarqc)
#include "test_sarqc.moc"
