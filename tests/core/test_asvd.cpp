// Low rank alone (ASVD, whitened SVD, truncated SVD): Ŵ = L·R with a zero base. Checked against
// Eckart–Young with singular values taken here, against each other on layers with real inputs,
// and against bit counts worked out by hand.
#include "InputErrorCheck.h"
#include "TestData.h"

#include "acts/ChannelStatsOps.h"
#include "acts/Gram.h"
#include "base/Error.h"
#include "linalg/Svd.h"
#include "demo/DemoModel.h"
#include "model/Model.h"
#include "quant/Metrics.h"
#include "quant/lowrank/Asvd.h"

#include <QTest>

#include <cmath>

using namespace salience;

namespace {

QuantGrid grid4() { return QuantGrid{4, false, Granularity::PerGroup, 32}; }

const DemoModel& demo()
{
    static const DemoModel d = makeDemoModel();
    return d;
}

QuantizedLinear asvd(const Matrix& w, int rank, ScalingKind scaling, const LayerData& data = {}, double alpha = 0.5,
                     bool quantizeFactors = false, bool round = true, QuantGrid grid = grid4())
{
    Progress progress;
    AsvdOptions o;
    o.rank = rank;
    o.scaling = scaling;
    o.alpha = alpha;
    o.quantizeFactors = quantizeFactors;
    o.roundFactorsToHalf = round;
    return approximateAsvd(w, grid, o, data, progress);
}

const char* kDemoLayers[] = {"model.layers.0.self_attn.q_proj", "model.layers.3.mlp.down_proj",
                             "model.layers.1.mlp.up_proj", "model.layers.2.self_attn.k_proj"};

} // namespace

class TestAsvd : public QObject {
    Q_OBJECT
private slots:
    // S = I: the truncated SVD, ‖W − W_r‖² = Σ_{i>r} σ_i² with σ from an SVD taken here.
    void identityScalingIsTruncatedSvd()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
        for (const char* name : {"model.layers.1.self_attn.o_proj", "model.layers.3.mlp.down_proj"}) {
            const Matrix w = m.weight(name);
            const Eigen::VectorXd sigma = singularValues(w);
            for (int r : {1, 4, 8, 16, 32}) {
                const double tail = sigma.tail(sigma.size() - r).squaredNorm();
                const QuantizedLinear exact = asvd(w, r, ScalingKind::None, {}, 0.5, false, false);
                QCOMPARE(exact.base, QuantBase::Zero);
                const MatrixD approx = exact.lowRankL.cast<double>() * exact.lowRankR.cast<double>();
                const double got = (w.cast<double>() - approx).squaredNorm();
                QVERIFY2(std::abs(got - tail) <= 1e-6 * sigma.squaredNorm(), qPrintable(QString("r=%1 %2 vs %3").arg(r).arg(got).arg(tail)));
                // After float16 rounding: the relative error moves by well under a percent.
                const double rounded = relativeWeightError(w, asvd(w, r, ScalingKind::None).dequantize());
                const double expected = std::sqrt(tail / sigma.squaredNorm());
                QVERIFY2(std::abs(rounded - expected) <= 2e-3 * expected + 1e-4,
                         qPrintable(QString("r=%1 %2 vs %3").arg(r).arg(rounded).arg(expected)));
                // Diagonal scaling with alpha = 0 is S = I too, whatever the activations.
                const Matrix ones = Matrix::Random(10, w.cols());
                LayerData data;
                data.inputs = &ones;
                QCOMPARE(asvd(w, r, ScalingKind::Diagonal, data, 0.0).dequantize(), asvd(w, r, ScalingKind::None).dequantize());
            }
        }
    }

    // Whitened SVD is the best rank-r matrix for the output error, so on layers with inputs it
    // is never above ASVD or plain SVD. ASVD ≤ plain SVD is no theorem but what ASVD is for: it
    // holds where the inputs carry the planted channel outliers (q, k, v, gate, up). On
    // down_proj, whose inputs have none, ASVD was measured 0.05% WORSE than plain SVD at r = 4,
    // so there only the whitened bound is asserted.
    void whitenedBeatsAsvdBeatsPlain()
    {
        for (const char* name : kDemoLayers) {
            const bool outlierInputs = !QString(name).contains("down_proj") && !QString(name).contains("o_proj");
            const Matrix w = demo().model.weight(name);
            const Matrix& x = demo().activations.inputs(name);
            LayerData data;
            data.inputs = &x;
            for (int r : {4, 8, 16, 32}) {
                const double white = relativeOutputError(w, asvd(w, r, ScalingKind::Whitening, data).dequantize(), x);
                const double diag = relativeOutputError(w, asvd(w, r, ScalingKind::Diagonal, data).dequantize(), x);
                const double plain = relativeOutputError(w, asvd(w, r, ScalingKind::None, data).dequantize(), x);
                QVERIFY2(white <= diag && white <= plain && (!outlierInputs || diag <= plain),
                         qPrintable(QString("%1 r=%2: whiten %3 asvd %4 svd %5").arg(name).arg(r).arg(white).arg(diag).arg(plain)));
            }
            // And the whitened output error is the tail of the singular values of W·Xᵀ.
            const Eigen::VectorXd sigma = singularValues(MatrixD(w.cast<double>() * x.cast<double>().transpose()));
            for (int r : {4, 16}) {
                const QuantizedLinear q = asvd(w, r, ScalingKind::Whitening, data, 0.5, false, false);
                const MatrixD e = w.cast<double>() - q.lowRankL.cast<double>() * q.lowRankR.cast<double>();
                const double got = (e * x.cast<double>().transpose()).squaredNorm();
                const double tail = sigma.tail(sigma.size() - r).squaredNorm();
                QVERIFY2(std::abs(got - tail) <= 1e-4 * sigma.squaredNorm(), qPrintable(QString("%1 vs %2").arg(got).arg(tail)));
            }
        }
    }

    void scalingSources()
    {
        const char* name = kDemoLayers[1];
        const Matrix w = demo().model.weight(name);
        const Matrix& x = demo().activations.inputs(name);
        const ChannelStats stats = channelStatsOf(x);
        const MatrixD g = gram(x);
        LayerData fromInputs, fromStats, fromGram;
        fromInputs.inputs = &x;
        fromStats.stats = &stats;
        fromGram.gram = &g;
        fromGram.gramTokens = x.rows();
        // mean|x| from inputs and from abs_sum statistics agree.
        const Matrix a = asvd(w, 8, ScalingKind::Diagonal, fromInputs).dequantize();
        QVERIFY((a - asvd(w, 8, ScalingKind::Diagonal, fromStats).dequantize()).cwiseAbs().maxCoeff() < 1e-4f);
        const Matrix b = asvd(w, 8, ScalingKind::Whitening, fromInputs).dequantize();
        QVERIFY((b - asvd(w, 8, ScalingKind::Whitening, fromGram).dequantize()).cwiseAbs().maxCoeff() < 1e-4f);
    }

    // 64 x 64 at rank 8, float16 factors: 16·8·(64 + 64) = 16384 bits / 4096 weights = 4.0, and
    // nothing for codes, scales or zero points.
    void bitsByHand()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Matrix w = m.weight("model.layers.0.self_attn.q_proj");
        const QuantizedLinear q = asvd(w, 8, ScalingKind::None);
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 0.0);
        QCOMPARE(b.scales, 0.0);
        QCOMPARE(b.zeroPoints, 0.0);
        QCOMPARE(b.lowRank, 16384.0);
        QCOMPARE(q.bitsPerWeight(), 4.0);

        // Quantized factors, 4-bit asymmetric g32: L [64, 8] is one group of 8 per row: codes
        // 64·8·4 = 2048, scales 64·16 = 1024, zeros 64·4 = 256; R [8, 64] two groups per row:
        // codes 8·64·4 = 2048, scales 16·16 = 256, zeros 16·4 = 64. 5696 bits / 4096 = 1.390625.
        const QuantizedLinear f = asvd(w, 8, ScalingKind::None, {}, 0.5, true);
        QCOMPARE(f.parameters.at("factor_bits_per_weight"), 1.390625);
        QCOMPARE(f.parameters.at("factor_bits"), 4.0);
        QCOMPARE(quantizedFactorBitsPerWeight(64, 64, 8, grid4()), 1.390625);
        // What QuantizedLinear counts today: still 16 bits per factor element (see Asvd.h).
        QCOMPARE(f.bitsPerWeight(), 4.0);
        // The factors are rounded: the error grows over the float16 factors, yet the result is
        // close at 8 bits.
        const double plain = relativeWeightError(w, q.dequantize());
        const double four = relativeWeightError(w, f.dequantize());
        const double eight = relativeWeightError(w, asvd(w, 8, ScalingKind::None, {}, 0.5, true, true,
                                                         QuantGrid{8, false, Granularity::PerGroup, 32}).dequantize());
        QVERIFY(four > plain);
        QVERIFY(eight < plain * 1.01);
    }

    void badInput()
    {
        const Matrix w = demo().model.weight(kDemoLayers[0]);
        VERIFY_INPUT_ERROR(asvd(w, 0, ScalingKind::None), "asvd", "rank");
        VERIFY_INPUT_ERROR(asvd(w, -3, ScalingKind::None), "asvd", "rank");
        VERIFY_INPUT_ERROR(asvd(w, 4, ScalingKind::Diagonal), "asvd", "activation");
        VERIFY_INPUT_ERROR(asvd(w, 4, ScalingKind::Whitening), "asvd", "activation");
        const ChannelStats stats = channelStatsOf(demo().activations.inputs(kDemoLayers[0]));
        LayerData statsOnly;
        statsOnly.stats = &stats;
        VERIFY_INPUT_ERROR(asvd(w, 4, ScalingKind::Whitening, statsOnly), "asvd", "cannot whiten");
        VERIFY_INPUT_ERROR(asvd(w, 4, ScalingKind::Diagonal, statsOnly, -1.0), "asvd", "alpha");
        const Matrix zeros = Matrix::Zero(16, w.cols());
        LayerData dead;
        dead.inputs = &zeros;
        VERIFY_INPUT_ERROR(asvd(w, 4, ScalingKind::Whitening, dead), "asvd", "all zero");
    }

    void cancellation()
    {
        const Matrix w = demo().model.weight(kDemoLayers[0]);
        Progress progress;
        progress.requestCancel();
        AsvdOptions o;
        o.rank = 4;
        o.scaling = ScalingKind::None;
        QVERIFY_THROWS_EXCEPTION(CancelledError, approximateAsvd(w, grid4(), o, {}, progress));
    }

    void methodInfoAndRecipe()
    {
        const MethodInfo info = asvdMethodInfo();
        QCOMPARE(info.name, std::string("asvd"));
        QVERIFY(info.usesRank);
        QCOMPARE(info.param("scaling")->choices, (std::vector<std::string>{"none", "diag", "whiten"}));
        QCOMPARE(info.param("scaling")->defaultValue, 1.0);
        QCOMPARE(info.param("alpha")->defaultValue, 0.5);
        QVERIFY(info.param("quantize_factors")->integer);

        const Matrix w = demo().model.weight(kDemoLayers[0]);
        const Matrix& x = demo().activations.inputs(kDemoLayers[0]);
        LayerData data;
        data.inputs = &x;
        Recipe recipe;
        recipe.method = "asvd";
        recipe.rank = 8;
        recipe.params["scaling"] = 2;
        recipe.params["alpha"] = 0.5;
        recipe.params["quantize_factors"] = 0;
        Progress progress;
        QCOMPARE(quantizeAsvdRecipe(w, recipe, data, progress).dequantize(),
                 asvd(w, 8, ScalingKind::Whitening, data).dequantize());
    }
};

QTEST_GUILESS_MAIN(TestAsvd)
#include "test_asvd.moc"
