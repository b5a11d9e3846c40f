// QER: W ≈ RTN(W) + L·R with L·R the best rank-r approximation of the rounding error, plain or
// activation-scaled. Expected values come from independent computations: RTN itself, singular
// values of the error taken here (Eckart–Young), and bit counts worked out by hand.
#include "InputErrorCheck.h"
#include "TestData.h"

#include "acts/Gram.h"
#include "acts/ChannelStatsOps.h"
#include "base/Error.h"
#include "linalg/Svd.h"
#include "demo/DemoModel.h"
#include "model/Model.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"
#include "quant/lowrank/Qer.h"

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

QuantizedLinear qer(const Matrix& w, int rank, ScalingKind scaling, const LayerData& data = {},
                    bool round = true, QuantGrid grid = grid4())
{
    Progress progress;
    QerOptions o;
    o.rank = rank;
    o.scaling = scaling;
    o.roundFactorsToHalf = round;
    return quantizeQer(w, grid, o, data, progress);
}

// Q + L·R in double, without the float16 rounding dequantize() insists on.
MatrixD unroundedApprox(const QuantizedLinear& q)
{
    QuantizedLinear base = q; // validate() rejects the unrounded factors, so take Q without them
    base.lowRankL = Matrix();
    base.lowRankR = Matrix();
    MatrixD a = base.dequantizeCodes().cast<double>();
    if (q.rank() > 0)
        a += q.lowRankL.cast<double>() * q.lowRankR.cast<double>();
    return a;
}

const char* kDemoLayers[] = {"model.layers.0.self_attn.q_proj", "model.layers.3.mlp.down_proj",
                             "model.layers.1.mlp.gate_proj"};
const char* kStoriesLayers[] = {"model.layers.0.self_attn.q_proj", "model.layers.2.mlp.gate_proj",
                                "model.layers.4.mlp.down_proj"};

} // namespace

class TestQer : public QObject {
    Q_OBJECT
private slots:
    void rankZeroIsRtn()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
        for (const char* name : kStoriesLayers) {
            const Matrix w = m.weight(name);
            const QuantizedLinear rtn = quantizeRtn(w, grid4());
            for (ScalingKind s : {ScalingKind::None}) {
                const QuantizedLinear q = qer(w, 0, s);
                QCOMPARE(q.method, std::string("qer"));
                QCOMPARE(q.rank(), Eigen::Index(0));
                QVERIFY(q.codes == rtn.codes);
                QVERIFY(q.scales == rtn.scales);
                QVERIFY(q.zeroPoints == rtn.zeroPoints);
                QCOMPARE(q.dequantize(), rtn.dequantize());
            }
        }
        const Matrix w = demo().model.weight(kDemoLayers[1]);
        LayerData data;
        data.inputs = &demo().activations.inputs(kDemoLayers[1]);
        for (ScalingKind s : {ScalingKind::None, ScalingKind::Diagonal, ScalingKind::Whitening})
            QCOMPARE(qer(w, 0, s, data).dequantize(), quantizeRtn(w, grid4()).dequantize());
    }

    // Plain QER is the truncated SVD of E = W − Q: its squared error is the tail Σ_{i>r} σ_i(E)²,
    // with σ from an SVD taken here. Rounded to float16 the error still falls at every rank.
    void weightErrorFollowsEckartYoungOnStories()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
        for (const char* name : kStoriesLayers) {
            const Matrix w = m.weight(name);
            const MatrixD e = w.cast<double>() - fakeQuantizeRtn(w, grid4()).cast<double>();
            const Eigen::VectorXd sigma = singularValues(e);
            double previous = INFINITY;
            for (int r = 0; r <= 16; ++r) {
                const double tail = sigma.tail(sigma.size() - r).squaredNorm();
                const MatrixD exact = unroundedApprox(qer(w, r, ScalingKind::None, {}, false));
                const double got = (w.cast<double>() - exact).squaredNorm();
                QVERIFY2(std::abs(got - tail) <= 1e-6 * tail + 1e-12, qPrintable(QString("%1 r=%2: %3 vs %4").arg(name).arg(r).arg(got).arg(tail)));
                const double err = relativeWeightError(w, qer(w, r, ScalingKind::None).dequantize());
                QVERIFY2(err < previous, qPrintable(QString("%1 r=%2: %3 !< %4").arg(name).arg(r).arg(err).arg(previous)));
                previous = err;
            }
        }
    }

    void outputErrorDecreasesOnDemoLayers()
    {
        for (const char* name : kDemoLayers) {
            const Matrix w = demo().model.weight(name);
            const Matrix& x = demo().activations.inputs(name);
            LayerData data;
            data.inputs = &x;
            for (ScalingKind s : {ScalingKind::Diagonal, ScalingKind::Whitening}) {
                double previous = INFINITY;
                for (int r = 0; r <= 16; ++r) {
                    const double err = relativeOutputError(w, qer(w, r, s, data).dequantize(), x);
                    QVERIFY2(err < previous, qPrintable(QString("%1 %2 r=%3: %4 !< %5").arg(name)
                                                            .arg(QString::fromStdString(scalingKindName(s)))
                                                            .arg(r).arg(err).arg(previous)));
                    previous = err;
                }
            }
            // Plain QER's weight error also falls at every rank on the demo layers.
            double previous = INFINITY;
            for (int r = 0; r <= 16; ++r) {
                const double err = relativeWeightError(w, qer(w, r, ScalingKind::None).dequantize());
                QVERIFY(err < previous);
                previous = err;
            }
        }
    }

    // Whitening minimises the output error: tail of the singular values of E·C, C·Cᵀ = XᵀX/n
    // (computed here, without damping, via a Cholesky of the Gram plus a tiny ridge); never above
    // the diagonal or plain variant.
    void whiteningIsOptimalForOutputError()
    {
        const char* name = kDemoLayers[0];
        const Matrix w = demo().model.weight(name);
        const Matrix& x = demo().activations.inputs(name);
        LayerData data;
        data.inputs = &x;
        const MatrixD e = w.cast<double>() - fakeQuantizeRtn(w, grid4()).cast<double>();
        // ‖E·Xᵀ‖² = Σ σ_i(E·Xᵀ)², and the best rank-r correction leaves the tail of those.
        const Eigen::VectorXd sigma = singularValues(MatrixD(e * x.cast<double>().transpose()));
        for (int r : {1, 4, 8, 16, 32}) {
            const double tail = sigma.tail(sigma.size() - r).squaredNorm();
            const MatrixD a = unroundedApprox(qer(w, r, ScalingKind::Whitening, data, false));
            const double got = ((w.cast<double>() - a) * x.cast<double>().transpose()).squaredNorm();
            QVERIFY2(std::abs(got - tail) <= 1e-4 * sigma.squaredNorm(), qPrintable(QString("r=%1: %2 vs %3").arg(r).arg(got).arg(tail)));
            const double white = relativeOutputError(w, qer(w, r, ScalingKind::Whitening, data).dequantize(), x);
            const double diag = relativeOutputError(w, qer(w, r, ScalingKind::Diagonal, data).dequantize(), x);
            const double none = relativeOutputError(w, qer(w, r, ScalingKind::None, data).dequantize(), x);
            QVERIFY(white <= diag * (1 + 1e-6));
            QVERIFY(white <= none * (1 + 1e-6));
        }
    }

    void scalingSourcesAgree()
    {
        const char* name = kDemoLayers[1];
        const Matrix w = demo().model.weight(name);
        const Matrix& x = demo().activations.inputs(name);
        const ChannelStats stats = channelStatsOf(x);
        const MatrixD g = gram(x);
        LayerData fromInputs;
        fromInputs.inputs = &x;
        LayerData fromStats;
        fromStats.stats = &stats;
        LayerData fromGram;
        fromGram.gram = &g;
        fromGram.gramTokens = x.rows();
        const Matrix a = qer(w, 8, ScalingKind::Diagonal, fromInputs).dequantize();
        QVERIFY((a - qer(w, 8, ScalingKind::Diagonal, fromStats).dequantize()).cwiseAbs().maxCoeff() < 1e-5f);
        QVERIFY((a - qer(w, 8, ScalingKind::Diagonal, fromGram).dequantize()).cwiseAbs().maxCoeff() < 1e-5f);
        const Matrix b = qer(w, 8, ScalingKind::Whitening, fromInputs).dequantize();
        QVERIFY((b - qer(w, 8, ScalingKind::Whitening, fromGram).dequantize()).cwiseAbs().maxCoeff() < 1e-5f);
    }

    // Rank min(out, in) reconstructs W: exactly in double, within float16 rounding of L and R after.
    void fullRankReconstructs()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
        struct Case {
            Matrix w;
            const Matrix* x;
        };
        const Case cases[] = {{m.weight("model.layers.2.mlp.gate_proj"), nullptr}, // 172 x 64: out > in
                              {demo().model.weight(kDemoLayers[1]), &demo().activations.inputs(kDemoLayers[1])}};
        for (const Case& c : cases) {
            LayerData data;
            data.inputs = c.x;
            const int full = int(std::min(c.w.rows(), c.w.cols()));
            for (ScalingKind s : {ScalingKind::None, ScalingKind::Diagonal, ScalingKind::Whitening}) {
                if (s != ScalingKind::None && !c.x)
                    continue;
                const double wmax = c.w.cwiseAbs().maxCoeff();
                const MatrixD exact = unroundedApprox(qer(c.w, full + 5, s, data, false));
                QVERIFY2((exact - c.w.cast<double>()).cwiseAbs().maxCoeff() < 1e-5 * wmax,
                         qPrintable(QString::number((exact - c.w.cast<double>()).cwiseAbs().maxCoeff())));
                const QuantizedLinear q = qer(c.w, full, s, data);
                QCOMPARE(q.parameters.at("rank"), double(full));
                // Each product term of L·R is off by at most 2·2^-11 relative after float16.
                const Matrix bound = q.lowRankL.cwiseAbs() * q.lowRankR.cwiseAbs();
                const Matrix diff = (q.dequantize() - c.w).cwiseAbs();
                for (Eigen::Index i = 0; i < diff.size(); ++i)
                    QVERIFY(diff.data()[i] <= 2.5f * 4.8828125e-4f * bound.data()[i] + 1e-5f * float(wmax));
            }
        }
    }

    // 64 x 64, 4-bit asymmetric, groups of 32, rank 8:
    // codes 64·64·4 = 16384; groups 64·2 = 128: scales 128·16 = 2048, zero points 128·4 = 512;
    // L and R 16·8·(64 + 64) = 16384. Total 35328 bits / 4096 weights = 8.625.
    void bitsByHand()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
        const QuantizedLinear q = qer(m.weight("model.layers.0.self_attn.q_proj"), 8, ScalingKind::None);
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 16384.0);
        QCOMPARE(b.scales, 2048.0);
        QCOMPARE(b.zeroPoints, 512.0);
        QCOMPARE(b.lowRank, 16384.0);
        QCOMPARE(q.bitsPerWeight(), 8.625);
    }

    void badInput()
    {
        const Matrix w = demo().model.weight(kDemoLayers[0]);
        VERIFY_INPUT_ERROR(qer(w, -1, ScalingKind::None), "qer", "rank");
        VERIFY_INPUT_ERROR(qer(w, 4, ScalingKind::Diagonal), "qer", "activation");
        VERIFY_INPUT_ERROR(qer(w, 4, ScalingKind::Whitening), "qer", "activation");
        const ChannelStats stats = channelStatsOf(demo().activations.inputs(kDemoLayers[0]));
        LayerData statsOnly;
        statsOnly.stats = &stats;
        VERIFY_INPUT_ERROR(qer(w, 4, ScalingKind::Whitening, statsOnly), "qer", "cannot whiten");
        const Matrix narrow = Matrix::Ones(8, 5);
        LayerData wrongWidth;
        wrongWidth.inputs = &narrow;
        VERIFY_INPUT_ERROR(qer(w, 4, ScalingKind::Diagonal, wrongWidth), "qer", "features");
        Matrix bad = w;
        bad(1, 2) = NAN;
        VERIFY_INPUT_ERROR(qer(bad, 4, ScalingKind::None), "qer", "NaN");
        VERIFY_INPUT_ERROR(qer(Matrix(), 4, ScalingKind::None), "qer", "empty");
        VERIFY_INPUT_ERROR(scalingKindFromIndex(3, "qer"), "qer", "scaling");
    }

    void cancellation()
    {
        const Matrix w = demo().model.weight(kDemoLayers[0]);
        Progress progress;
        progress.requestCancel();
        QerOptions o;
        o.rank = 4;
        QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeQer(w, grid4(), o, {}, progress));
    }

    void methodInfoAndRecipe()
    {
        const MethodInfo info = qerMethodInfo();
        QCOMPARE(info.name, std::string("qer"));
        QVERIFY(info.usesRank && info.usesGrid && info.quantizes);
        const ParamSpec* scaling = info.param("scaling");
        QVERIFY(scaling && scaling->isChoice());
        QCOMPARE(scaling->choices, (std::vector<std::string>{"none", "diag", "whiten"}));
        QCOMPARE(scaling->defaultValue, 0.0);

        const Matrix w = demo().model.weight(kDemoLayers[0]);
        Recipe recipe;
        recipe.method = "qer";
        recipe.rank = 6;
        recipe.bits = 4;
        recipe.groupSize = 32;
        Progress progress;
        const QuantizedLinear viaRecipe = quantizeQerRecipe(w, recipe, {}, progress);
        QCOMPARE(viaRecipe.dequantize(), qer(w, 6, ScalingKind::None).dequantize());
        QCOMPARE(viaRecipe.parameters.at("rank"), 6.0);
    }
};

QTEST_GUILESS_MAIN(TestQer)
#include "test_qer.moc"
