// SRR: preserve k top directions of the (activation-scaled) weight, RTN the residual, spend
// r − k ranks on that residual's error. Checked against RTN, against QER, and on a matrix whose
// singular vectors are known in closed form.
#include "InputErrorCheck.h"
#include "TestData.h"

#include "acts/ChannelStatsOps.h"
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "model/Model.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"
#include "quant/lowrank/Qer.h"
#include "quant/lowrank/Srr.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace salience;

namespace {

QuantGrid grid4() { return QuantGrid{4, false, Granularity::PerGroup, 32}; }

const DemoModel& demo()
{
    static const DemoModel d = makeDemoModel();
    return d;
}

QuantizedLinear srr(const Matrix& w, int rank, ScalingKind scaling, SrrSplit split, const LayerData& data = {},
                    int k = -1, QuantGrid grid = grid4())
{
    Progress progress;
    SrrOptions o;
    o.rank = rank;
    o.scaling = scaling;
    o.split = split;
    o.preservedRank = k;
    return quantizeSrr(w, grid, o, data, progress);
}

QuantizedLinear qer(const Matrix& w, int rank, ScalingKind scaling, const LayerData& data = {}, QuantGrid grid = grid4())
{
    Progress progress;
    QerOptions o;
    o.rank = rank;
    o.scaling = scaling;
    return quantizeQer(w, grid, o, data, progress);
}

const char* kDemoLayers[] = {"model.layers.0.self_attn.q_proj", "model.layers.3.mlp.down_proj",
                             "model.layers.3.self_attn.o_proj"};
const char* kStoriesLayers[] = {"model.layers.0.self_attn.q_proj", "model.layers.2.mlp.gate_proj",
                                "model.layers.4.mlp.down_proj"};

// The error the method optimises: output error with inputs, weight error without.
double errorOf(const Matrix& w, const QuantizedLinear& q, const Matrix* x)
{
    return x ? relativeOutputError(w, q.dequantize(), *x) : relativeWeightError(w, q.dequantize());
}

} // namespace

class TestSrr : public QObject {
    Q_OBJECT
private slots:
    void rankZeroIsRtn()
    {
        const Matrix w = demo().model.weight(kDemoLayers[1]);
        LayerData data;
        data.inputs = &demo().activations.inputs(kDemoLayers[1]);
        const Matrix rtn = quantizeRtn(w, grid4()).dequantize();
        for (SrrSplit split : {SrrSplit::Paper, SrrSplit::Search})
            for (ScalingKind s : {ScalingKind::None, ScalingKind::Diagonal, ScalingKind::Whitening}) {
                const QuantizedLinear q = srr(w, 0, s, split, data);
                QCOMPARE(q.method, std::string("srr"));
                QCOMPARE(q.rank(), Eigen::Index(0));
                QCOMPARE(q.parameters.at("k"), 0.0);
                QCOMPARE(q.dequantize(), rtn);
            }
    }

    // k = 0 is QER bit for bit.
    void preservingNothingIsQer()
    {
        const Matrix w = demo().model.weight(kDemoLayers[0]);
        LayerData data;
        data.inputs = &demo().activations.inputs(kDemoLayers[0]);
        for (ScalingKind s : {ScalingKind::None, ScalingKind::Diagonal, ScalingKind::Whitening})
            for (int r : {1, 8}) {
                const QuantizedLinear a = srr(w, r, s, SrrSplit::Paper, data, 0);
                const QuantizedLinear b = qer(w, r, s, data);
                QCOMPARE(a.dequantize(), b.dequantize());
                QVERIFY(a.codes == b.codes);
            }
    }

    void searchIsNeverWorseThanQer()
    {
        struct Case {
            Matrix w;
            const Matrix* x;
            ScalingKind s;
        };
        std::vector<Case> cases;
        for (const char* name : kDemoLayers) {
            cases.push_back({demo().model.weight(name), &demo().activations.inputs(name), ScalingKind::Diagonal});
            cases.push_back({demo().model.weight(name), &demo().activations.inputs(name), ScalingKind::Whitening});
        }
        if (testdata::has("stories260K/stories260K.bin")) {
            const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
            for (const char* name : kStoriesLayers)
                cases.push_back({m.weight(name), nullptr, ScalingKind::None});
        }
        int preservedSomething = 0;
        for (const Case& c : cases) {
            LayerData data;
            data.inputs = c.x;
            for (int r : {1, 2, 4, 8, 16}) {
                const QuantizedLinear s = srr(c.w, r, c.s, SrrSplit::Search, data);
                const double es = errorOf(c.w, s, c.x), eq = errorOf(c.w, qer(c.w, r, c.s, data), c.x);
                QVERIFY2(es <= eq * (1 + 1e-9), qPrintable(QString("r=%1: srr %2 > qer %3").arg(r).arg(es).arg(eq)));
                QCOMPARE(s.rank(), Eigen::Index(r));
                const double k = s.parameters.at("k");
                QVERIFY(k >= 0 && k <= r);
                preservedSomething += k > 0;
            }
        }
        QVERIFY(preservedSomething > 0); // the search does not just return QER everywhere
    }

    void searchErrorDecreasesWithRank()
    {
        for (const char* name : kDemoLayers) {
            const Matrix w = demo().model.weight(name);
            const Matrix& x = demo().activations.inputs(name);
            LayerData data;
            data.inputs = &x;
            double previous = INFINITY;
            for (int r = 0; r <= 16; ++r) {
                const double err = errorOf(w, srr(w, r, ScalingKind::Diagonal, SrrSplit::Search, data), &x);
                QVERIFY2(err < previous, qPrintable(QString("%1 r=%2: %3 !< %4").arg(name).arg(r).arg(err).arg(previous)));
                previous = err;
            }
        }
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
        for (const char* name : kStoriesLayers) {
            const Matrix w = m.weight(name);
            double previous = INFINITY;
            for (int r = 0; r <= 16; ++r) {
                const double err = errorOf(w, srr(w, r, ScalingKind::None, SrrSplit::Search), nullptr);
                QVERIFY2(err < previous, qPrintable(QString("%1 r=%2: %3 !< %4").arg(name).arg(r).arg(err).arg(previous)));
                previous = err;
            }
        }
    }

    // W [4, 8] = Σ_i σ_i·e_i·h_iᵀ with h_i rows of the 8-point Hadamard matrix / sqrt(8) and
    // σ = (8, 4, 2, 1): row i of W is σ_i·h_i, its SVD is known. With k = r = 2 nothing corrects
    // errors: W_2 = rows 0, 1 (the truncated SVD), the residual is rows 2, 3, and
    // Ŵ = W_2 + RTN(residual): the whole error sits in the tail rows.
    void preservingEverythingIsTruncatedSvdPlusRtn()
    {
        const double sigma[4] = {8, 4, 2, 1};
        const int hadamardRows[4] = {1, 2, 3, 5};
        Matrix w(4, 8), truncated = Matrix::Zero(4, 8), residual = Matrix::Zero(4, 8);
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 8; ++j) {
                // Sylvester Hadamard: H[a][b] = (−1)^popcount(a & b).
                const int sign = (__builtin_popcount(unsigned(hadamardRows[i] & j)) % 2) ? -1 : 1;
                w(i, j) = float(sigma[i] * sign / std::sqrt(8.0));
                (i < 2 ? truncated : residual)(i, j) = w(i, j);
            }
        const QuantGrid perChannel{4, true, Granularity::PerChannel, 0};
        const QuantizedLinear q = srr(w, 2, ScalingKind::None, SrrSplit::Paper, {}, 2, perChannel);
        QCOMPARE(q.parameters.at("k"), 2.0);
        QCOMPARE(q.rank(), Eigen::Index(2));
        // L·R is the truncated SVD (float16 factors: entries up to 2.83, 2^-11 relative).
        QVERIFY(((q.lowRankL * q.lowRankR) - truncated).cwiseAbs().maxCoeff() < 4e-3f);
        const Matrix expected = truncated + fakeQuantizeRtn(residual, perChannel);
        const Matrix got = q.dequantize();
        QVERIFY2((got - expected).cwiseAbs().maxCoeff() < 4e-3f, qPrintable(QString::number((got - expected).cwiseAbs().maxCoeff())));
        // RTN's error on the tail rows is far above that tolerance, so the comparison means something.
        QVERIFY((fakeQuantizeRtn(residual, perChannel) - residual).cwiseAbs().maxCoeff() > 0.02f);
        // Preserved rows are (nearly) exact; the tail rows carry exactly RTN's error.
        QVERIFY((got - w).topRows(2).cwiseAbs().maxCoeff() < 4e-3f);
    }

    // A matrix of rank 2 plus faint noise: the paper-mode prediction preserves the two strong
    // directions, and the result beats QER at the same rank by a wide margin.
    void paperModePreservesDominantDirections()
    {
        std::mt19937 rng(7);
        std::normal_distribution<float> normal;
        Matrix a(64, 2), b(2, 64), noise(64, 64);
        for (Eigen::Index i = 0; i < a.size(); ++i)
            a.data()[i] = normal(rng);
        for (Eigen::Index i = 0; i < b.size(); ++i)
            b.data()[i] = normal(rng);
        for (Eigen::Index i = 0; i < noise.size(); ++i)
            noise.data()[i] = 0.01f * normal(rng);
        const Matrix w = a * b + noise;
        const QuantizedLinear s = srr(w, 4, ScalingKind::None, SrrSplit::Paper);
        QVERIFY(s.parameters.at("k") >= 2);
        QCOMPARE(s.parameters.at("kmode"), 0.0);
        const double es = relativeWeightError(w, s.dequantize());
        const double eq = relativeWeightError(w, qer(w, 4, ScalingKind::None).dequantize());
        QVERIFY2(es < 0.2 * eq, qPrintable(QString("srr %1 qer %2").arg(es).arg(eq)));
        // The exact search agrees that preserving pays.
        QVERIFY(srr(w, 4, ScalingKind::None, SrrSplit::Search).parameters.at("k") >= 2);
    }

    void paperModeOnRealLayers()
    {
        for (const char* name : kDemoLayers) {
            const Matrix w = demo().model.weight(name);
            LayerData data;
            data.inputs = &demo().activations.inputs(name);
            const QuantizedLinear q = srr(w, 8, ScalingKind::Diagonal, SrrSplit::Paper, data);
            q.validate();
            QCOMPARE(q.rank(), Eigen::Index(8));
            QVERIFY(q.parameters.at("k") >= 0 && q.parameters.at("k") <= 8);
            QVERIFY(std::isfinite(q.parameters.at("objective")));
            // Output error below plain RTN's.
            QVERIFY(errorOf(w, q, data.inputs) < errorOf(w, quantizeRtn(w, grid4()), data.inputs));
            const QuantizedLinear best = srr(w, 8, ScalingKind::Diagonal, SrrSplit::Search, data);
            qInfo("%s r=8: paper k=%g error %.5f, search k=%g error %.5f, qer error %.5f", name,
                  q.parameters.at("k"), errorOf(w, q, data.inputs), best.parameters.at("k"),
                  errorOf(w, best, data.inputs), errorOf(w, qer(w, 8, ScalingKind::Diagonal, data), data.inputs));
        }
    }

    void badInput()
    {
        const Matrix w = demo().model.weight(kDemoLayers[0]);
        VERIFY_INPUT_ERROR(srr(w, -1, ScalingKind::None, SrrSplit::Paper), "srr", "rank");
        VERIFY_INPUT_ERROR(srr(w, 2, ScalingKind::None, SrrSplit::Paper, {}, 3), "srr", "exceeds");
        VERIFY_INPUT_ERROR(srr(w, 4, ScalingKind::Diagonal, SrrSplit::Paper), "srr", "activation");
        VERIFY_INPUT_ERROR(srr(w, 4, ScalingKind::Whitening, SrrSplit::Search), "srr", "activation");
        const ChannelStats stats = channelStatsOf(demo().activations.inputs(kDemoLayers[0]));
        LayerData statsOnly;
        statsOnly.stats = &stats;
        VERIFY_INPUT_ERROR(srr(w, 4, ScalingKind::Whitening, SrrSplit::Paper, statsOnly), "srr", "cannot whiten");
        // Diagonal scaling from statistics alone works, for both ways of choosing k.
        QVERIFY(srr(w, 4, ScalingKind::Diagonal, SrrSplit::Search, statsOnly).rank() == 4);
        QVERIFY(srr(w, 4, ScalingKind::Diagonal, SrrSplit::Paper, statsOnly).rank() == 4);
    }

    void cancellation()
    {
        const Matrix w = demo().model.weight(kDemoLayers[0]);
        for (SrrSplit split : {SrrSplit::Paper, SrrSplit::Search}) {
            Progress progress;
            progress.requestCancel();
            SrrOptions o;
            o.rank = 4;
            o.scaling = ScalingKind::None;
            o.split = split;
            QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeSrr(w, grid4(), o, {}, progress));
        }
        // Cancelled in the middle of the search: the callback cancels once a third is done, and
        // the search notices before the next candidate.
        Progress* self = nullptr;
        double last = 0;
        Progress progress([&](double f, const std::string&) {
            last = f;
            if (f > 0.3 && self)
                self->requestCancel();
        });
        self = &progress;
        SrrOptions o;
        o.rank = 8;
        o.scaling = ScalingKind::None;
        o.split = SrrSplit::Search;
        QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeSrr(w, grid4(), o, {}, progress));
        QVERIFY(last > 0.3 && last < 1.0);
    }

    void methodInfoAndRecipe()
    {
        const MethodInfo info = srrMethodInfo();
        QCOMPARE(info.name, std::string("srr"));
        QVERIFY(info.usesRank && info.usesGrid);
        QCOMPARE(info.param("scaling")->choices, (std::vector<std::string>{"none", "diag", "whiten"}));
        QCOMPARE(info.param("scaling")->defaultValue, 1.0);
        QCOMPARE(info.param("kmode")->choices, (std::vector<std::string>{"paper", "search"}));
        QCOMPARE(info.param("kmode")->defaultValue, 0.0);

        const Matrix w = demo().model.weight(kDemoLayers[0]);
        Recipe recipe;
        recipe.method = "srr";
        recipe.rank = 4;
        recipe.groupSize = 32;
        recipe.params["scaling"] = 0;
        recipe.params["kmode"] = 1;
        Progress progress;
        QCOMPARE(quantizeSrrRecipe(w, recipe, {}, progress).dequantize(),
                 srr(w, 4, ScalingKind::None, SrrSplit::Search).dequantize());
    }
};

QTEST_GUILESS_MAIN(TestSrr)
#include "test_srr.moc"
