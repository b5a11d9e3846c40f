// AWQ: scales and activation magnitudes by hand, the objective recomputed independently, never
// worse than RTN (synthetic outliers, every layer of the demo model, stories260K block 0 q/k/v on
// real text), better than RTN where outlier channels are planted, clipping, the SARQC saliency
// term, bits, and bad input.
#include "acts/ChannelStatsOps.h"
#include "acts/Gram.h"
#include "base/Error.h"
#include "eval/Tokenizer.h"
#include "demo/DemoModel.h"
#include "model/Model.h"
#include "quant/Awq.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"
#include "quant/SmoothQuant.h"
#include "tensor/Half.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>

using namespace salience;

namespace {

Matrix randomMatrix(int64_t rows, int64_t cols, unsigned seed, float sigma = 1.0f)
{
    std::mt19937 gen(seed);
    std::normal_distribution<float> n01(0.0f, sigma);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = n01(gen);
    return m;
}

Matrix outlierInputs(int64_t tokens, int64_t in, unsigned seed, float factor = 30.0f)
{
    Matrix x = randomMatrix(tokens, in, seed);
    for (int64_t j = 1; j < in; j += 37)
        x.col(j) *= factor;
    return x;
}

QuantGrid groupGrid(int bits, bool symmetric, int groupSize)
{
    return QuantGrid{bits, symmetric, Granularity::PerGroup, groupSize};
}

// ‖(W − Ŵ)·Xᵀ‖²/n in double, written out without Metrics or the method's own code.
double meanSquaredOutputError(const Matrix& w, const Matrix& approx, const Matrix& x)
{
    const MatrixD e = w.cast<double>() - approx.cast<double>();
    return (e * x.cast<double>().transpose()).squaredNorm() / double(x.rows());
}

// Output error of AWQ and of RTN on the same layer: AWQ must not lose.
void checkNeverWorse(const Matrix& w, const Matrix& x, const QuantGrid& grid, const char* what)
{
    Progress progress;
    const QuantizedLinear awq = quantizeAwq(w, grid, AwqOptions{}, LayerData{&x}, progress);
    const double awqError = relativeOutputError(w, awq.dequantize(), x);
    const double rtnError = relativeOutputError(w, fakeQuantizeRtn(w, grid), x);
    QVERIFY2(awqError <= rtnError * (1.0 + 1e-9),
             qPrintable(QStringLiteral("%1 %2: awq %3 > rtn %4").arg(what, QString::fromStdString(grid.describe()))
                            .arg(awqError).arg(rtnError)));
}

// Layer inputs of stories260K's block 0 attention on real text: RMSNorm of the token embeddings
// times the input_layernorm weight (eps 1e-5, as llama2.c's run.c).
Matrix storiesBlock0Inputs(const Model& model)
{
    const Tokenizer tokenizer = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
    std::ifstream file(testdata::path("text/tinystories_valid_head.txt"), std::ios::binary);
    std::string text(4000, '\0');
    file.read(text.data(), std::streamsize(text.size()));
    text.resize(size_t(file.gcount()));
    text.resize(text.rfind(' ')); // end on a word boundary
    const std::vector<int32_t> ids = tokenizer.encode(text, true);
    const Matrix embeddings = model.canonicalTensor("model.embed_tokens").toMatrix();
    const Matrix norm = model.canonicalTensor("model.layers.0.input_layernorm").toMatrix();
    Matrix x(Eigen::Index(ids.size()), embeddings.cols());
    for (size_t t = 0; t < ids.size(); ++t) {
        const auto e = embeddings.row(ids[t]);
        const double rms = std::sqrt(double(e.squaredNorm()) / double(e.size()) + 1e-5);
        for (Eigen::Index j = 0; j < e.size(); ++j)
            x(Eigen::Index(t), j) = float(e(j) / rms) * norm(0, j);
    }
    return x;
}

} // namespace

class TestAwq : public QObject {
    Q_OBJECT
private slots:
    void scalesByHand()
    {
        // m = {1, 4, 16}, r = 0.5: m^r = {1, 2, 4}; sqrt(max·min) = sqrt(4) = 2 → {0.5, 1, 2}.
        QCOMPARE(awqScales({1.0, 4.0, 16.0}, 0.5), (std::vector<float>{0.5f, 1.0f, 2.0f}));
        // r = 0: every s is 1 (plain RTN), whatever the magnitudes, zeros included.
        QCOMPARE(awqScales({0.0, 3.0, 1e6}, 0.0), (std::vector<float>{1.0f, 1.0f, 1.0f}));
        // r = 1 and a silent channel: {max(0, 1e-4), 4} = {1e-4, 4}; sqrt(4e-4) = 0.02
        // → {0.005, 200}, each then rounded to float16.
        QCOMPARE(awqScales({0.0, 4.0}, 1.0), (std::vector<float>{roundToHalf(0.005f), 200.0f}));
        VERIFY_INPUT_ERROR(awqScales({1.0}, 1.5), "awq", "ratio");
    }

    void activationMagnitudeSources()
    {
        Matrix x(2, 3);
        x << 1.0f, -2.0f, 0.0f, //
            -3.0f, 6.0f, 0.0f;
        // Inputs: mean |x| per column = {2, 4, 0}.
        QCOMPARE(awqActivationMagnitude(LayerData{&x}, 3, "awq"), (std::vector<double>{2.0, 4.0, 0.0}));
        // Statistics with abs_sum: abs_sum / count.
        ChannelStats stats;
        stats.sumSq = {10.0, 40.0, 0.0};
        stats.absSum = {4.0, 8.0, 0.0};
        stats.count = 2;
        QCOMPARE(awqActivationMagnitude(LayerData{nullptr, &stats}, 3, "awq"), (std::vector<double>{2.0, 4.0, 0.0}));
        // An imatrix (sum_sq only): RMS = sqrt(sum_sq / count) = {sqrt 5, sqrt 20, 0}.
        ChannelStats imatrix;
        imatrix.sumSq = {10.0, 40.0, 0.0};
        imatrix.count = 2;
        const std::vector<double> rms = awqActivationMagnitude(LayerData{nullptr, &imatrix}, 3, "awq");
        QCOMPARE(rms[0], std::sqrt(5.0));
        QCOMPARE(rms[1], std::sqrt(20.0));
        QCOMPARE(rms[2], 0.0);
        // A Gram alone: sqrt(G_jj / n), here the same RMS.
        const MatrixD g = gram(x);
        const std::vector<double> fromGram = awqActivationMagnitude(LayerData{nullptr, nullptr, &g, 2}, 3, "awq");
        QVERIFY(std::fabs(fromGram[1] - std::sqrt(20.0)) < 1e-12);

        VERIFY_INPUT_ERROR(awqActivationMagnitude(LayerData{}, 3, "awq"), "awq", "activations");
        VERIFY_INPUT_ERROR(awqActivationMagnitude(LayerData{&x}, 4, "awq"), "awq", "3 features");
        ChannelStats empty = stats;
        empty.count = 0;
        VERIFY_INPUT_ERROR(awqActivationMagnitude(LayerData{nullptr, &empty}, 3, "awq"), "awq", "no tokens");
    }

    void objectiveIsTheOutputErrorRecomputedIndependently()
    {
        const Matrix w = randomMatrix(16, 64, 1, 0.1f);
        const QuantGrid grid = groupGrid(3, false, 32);
        Progress progress;
        // Fewer tokens than features (the tokens are used) and more (their Gram is used).
        for (int64_t tokens : {40, 300}) {
            const Matrix x = outlierInputs(tokens, 64, 2);
            const QuantizedLinear q = quantizeAwq(w, grid, AwqOptions{}, LayerData{&x}, progress);
            q.validate();
            QCOMPARE(q.method, std::string("awq"));
            const double objective = q.parameters.at("objective");
            const double expected = meanSquaredOutputError(w, q.dequantize(), x);
            QVERIFY2(std::fabs(objective - expected) <= 1e-9 * expected,
                     qPrintable(QStringLiteral("%1 vs %2").arg(objective).arg(expected)));
            const double rtn = meanSquaredOutputError(w, fakeQuantizeRtn(w, grid), x);
            QVERIFY(std::fabs(q.parameters.at("rtn_objective") - rtn) <= 1e-9 * rtn);
            QVERIFY(objective <= q.parameters.at("rtn_objective"));
            // The stored parts are what the method says: s of the chosen ratio, and codes on W·diag(s).
            const double ratio = q.parameters.at("ratio");
            QCOMPARE(q.inputScale, awqScales(awqActivationMagnitude(LayerData{&x}, 64, "awq"), ratio));
            QCOMPARE(q.parameters.at("grid"), 20.0);
            QCOMPARE(q.parameters.at("clip"), 1.0);

            // The same Gram handed in directly gives the same result.
            const MatrixD g = gram(x);
            const QuantizedLinear viaGram = quantizeAwq(w, grid, AwqOptions{}, LayerData{&x, nullptr, &g, tokens}, progress);
            QCOMPARE(viaGram.parameters.at("ratio"), ratio);
            QVERIFY(std::fabs(viaGram.parameters.at("objective") - objective) <= 1e-9 * objective);
        }
    }

    void ratioZeroIsPlainRtn()
    {
        const Matrix w = randomMatrix(8, 64, 3);
        const Matrix x = outlierInputs(30, 64, 4);
        const QuantGrid grid = groupGrid(4, true, 16);
        AwqOptions options;
        options.gridPoints = 1; // only r = 0
        options.clipSearch = false;
        Progress progress;
        const QuantizedLinear q = quantizeAwq(w, grid, options, LayerData{&x}, progress);
        QCOMPARE(q.parameters.at("ratio"), 0.0);
        QCOMPARE(q.inputScale, std::vector<float>(64, 1.0f));
        QVERIFY(q.dequantize() == fakeQuantizeRtn(w, grid));
        QCOMPARE(q.codes, quantizeRtn(w, grid).codes);
    }

    void neverWorseThanRtnOnSyntheticOutliers()
    {
        const Matrix w = randomMatrix(48, 128, 5, 0.05f);
        for (unsigned seed : {6u, 7u}) {
            const Matrix x = outlierInputs(96, 128, seed, seed == 6 ? 50.0f : 3.0f);
            for (const QuantGrid& grid : {groupGrid(4, false, 32), groupGrid(3, true, 64), groupGrid(2, false, 128),
                                          QuantGrid{4, false, Granularity::PerChannel, 0},
                                          QuantGrid{8, true, Granularity::PerTensor, 0}})
                checkNeverWorse(w, x, grid, "synthetic");
        }
        // Activations without outliers, weights with: still never worse.
        Matrix heavy = randomMatrix(32, 64, 8);
        heavy.col(10) *= 40.0f;
        checkNeverWorse(heavy, randomMatrix(70, 64, 9), groupGrid(4, false, 64), "outlier weights");
    }

    void neverWorseThanRtnOnEveryDemoLayer()
    {
        const DemoModel demo = makeDemoModel();
        int checked = 0;
        for (const LinearLayer& layer : demo.model.layers()) {
            if (!demo.activations.hasInputs(layer.name))
                continue;
            const Matrix w = demo.model.weight(layer);
            const Matrix& x = demo.activations.inputs(layer.name);
            checkNeverWorse(w, x, groupGrid(4, false, 32), layer.name.c_str());
            checkNeverWorse(w, x, groupGrid(3, true, 128), layer.name.c_str());
            ++checked;
        }
        QVERIFY(checked >= 7 * int(demo.model.config().nLayers));
    }

    void neverWorseThanRtnOnStoriesBlock0()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.gguf"));
        const Matrix x = storiesBlock0Inputs(model);
        QVERIFY(x.rows() > 500);
        QCOMPARE(x.cols(), Eigen::Index(64));
        for (const char* name : {"model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj",
                                 "model.layers.0.self_attn.v_proj"}) {
            const Matrix w = model.weight(name);
            for (const QuantGrid& grid : {groupGrid(4, false, 32), groupGrid(3, false, 64), groupGrid(2, true, 16)})
                checkNeverWorse(w, x, grid, name);
        }
    }

    void helpsWhereOutlierChannelsArePlanted()
    {
        // A few channels carry activations 50x the rest: their weights dominate the output, and
        // scaling them up before rounding must cut the output error well below RTN's.
        const Matrix w = randomMatrix(64, 256, 10, 0.05f);
        const Matrix x = outlierInputs(128, 256, 11, 50.0f);
        const QuantGrid grid = groupGrid(3, false, 64);
        AwqOptions options;
        options.clipSearch = false;
        Progress progress;
        const QuantizedLinear q = quantizeAwq(w, grid, options, LayerData{&x}, progress);
        const double awqError = relativeOutputError(w, q.dequantize(), x);
        const double rtnError = relativeOutputError(w, fakeQuantizeRtn(w, grid), x);
        QVERIFY(q.parameters.at("ratio") > 0.0);
        QVERIFY2(awqError < 0.8 * rtnError, qPrintable(QStringLiteral("awq %1 rtn %2").arg(awqError).arg(rtnError)));
        QCOMPARE(progress.fraction(), 1.0);
    }

    void clippingNeverHurtsTheObjective()
    {
        const Matrix w = randomMatrix(32, 128, 12, 0.05f);
        const Matrix x = outlierInputs(200, 128, 13, 10.0f);
        Progress progress;
        for (const QuantGrid& grid : {groupGrid(3, false, 32), groupGrid(4, true, 64),
                                      QuantGrid{3, false, Granularity::PerChannel, 0},
                                      QuantGrid{4, false, Granularity::PerTensor, 0}}) {
            AwqOptions noClip;
            noClip.clipSearch = false;
            const QuantizedLinear plain = quantizeAwq(w, grid, noClip, LayerData{&x}, progress);
            const QuantizedLinear clipped = quantizeAwq(w, grid, AwqOptions{}, LayerData{&x}, progress);
            QCOMPARE(clipped.parameters.at("ratio"), plain.parameters.at("ratio"));
            QVERIFY(clipped.parameters.at("objective") <= plain.parameters.at("objective"));
            QVERIFY(meanSquaredOutputError(w, clipped.dequantize(), x)
                    <= meanSquaredOutputError(w, plain.dequantize(), x) * (1.0 + 1e-9));
        }
        // Per group the clip is real here: 2-bit groups of 128 gain by giving up their extremes.
        const QuantGrid coarse = groupGrid(2, false, 128);
        AwqOptions noClip;
        noClip.clipSearch = false;
        const QuantizedLinear plain = quantizeAwq(w, coarse, noClip, LayerData{&x}, progress);
        const QuantizedLinear clipped = quantizeAwq(w, coarse, AwqOptions{}, LayerData{&x}, progress);
        QVERIFY(clipped.parameters.at("objective") < plain.parameters.at("objective"));
    }

    void statisticsOnlyUseTheDiagonalApproximation()
    {
        const Matrix w = randomMatrix(16, 64, 14, 0.1f);
        const Matrix x = outlierInputs(80, 64, 15);
        const ChannelStats stats = channelStatsOf(x);
        const QuantGrid grid = groupGrid(4, false, 32);
        Progress progress;
        const QuantizedLinear q = quantizeAwq(w, grid, AwqOptions{}, LayerData{nullptr, &stats}, progress);
        q.validate();
        // Σ_j (sum_sq_j / count)·‖E_:,j‖², by hand, for the result and for RTN.
        auto diagonal = [&](const Matrix& approx) {
            double total = 0.0;
            for (int64_t j = 0; j < 64; ++j)
                total += stats.sumSq[size_t(j)] / double(stats.count)
                    * (w.col(j).cast<double>() - approx.col(j).cast<double>()).squaredNorm();
            return total;
        };
        const double rtn = diagonal(fakeQuantizeRtn(w, grid));
        const double mine = diagonal(q.dequantize());
        QVERIFY(std::fabs(q.parameters.at("rtn_objective") - rtn) <= 1e-9 * rtn);
        QVERIFY(std::fabs(q.parameters.at("objective") - mine) <= 1e-9 * mine);
        QVERIFY(mine <= rtn);
        QCOMPARE(q.inputScale, awqScales(awqActivationMagnitude(LayerData{&x}, 64, "awq"), q.parameters.at("ratio")));

        // An imatrix (sums of squares only) works too, from the RMS.
        ChannelStats imatrix;
        imatrix.sumSq = stats.sumSq;
        imatrix.count = stats.count;
        const QuantizedLinear fromImatrix = quantizeAwq(w, grid, AwqOptions{}, LayerData{nullptr, &imatrix}, progress);
        QVERIFY(fromImatrix.parameters.at("objective") <= fromImatrix.parameters.at("rtn_objective"));
        QCOMPARE(fromImatrix.inputScale, awqScales(imatrix.rms(), fromImatrix.parameters.at("ratio")));
    }

    void saliencyTermEntersTheObjective()
    {
        const Matrix w = randomMatrix(16, 64, 16, 0.1f);
        const Matrix x = outlierInputs(50, 64, 17);
        Matrix saliency = Matrix::Zero(16, 64);
        saliency.col(5).setConstant(3.0f); // an ordinary channel the output term cares little about
        saliency(2, 9) = 1.5f;
        const QuantGrid grid = groupGrid(3, false, 32);
        Progress progress;
        AwqOptions options;
        options.clipSearch = false;
        options.saliency = &saliency;
        options.saliencyLambda = 50.0;
        const QuantizedLinear q = quantizeAwq(w, grid, options, LayerData{&x}, progress);
        QCOMPARE(q.parameters.at("lambda"), 50.0);
        auto drift = [&](const Matrix& approx) {
            const MatrixD e = w.cast<double>() - approx.cast<double>();
            return (e.cwiseAbs2().cwiseProduct(saliency.cast<double>())).sum();
        };
        const Matrix approx = q.dequantize();
        const double expected = meanSquaredOutputError(w, approx, x) + 50.0 * drift(approx);
        QVERIFY(std::fabs(q.parameters.at("objective") - expected) <= 1e-9 * expected);
        const Matrix rtn = fakeQuantizeRtn(w, grid);
        const double rtnExpected = meanSquaredOutputError(w, rtn, x) + 50.0 * drift(rtn);
        QVERIFY(std::fabs(q.parameters.at("rtn_objective") - rtnExpected) <= 1e-9 * rtnExpected);

        // Over the same candidates, adding the term can only lower the salient drift:
        // out(A) + λd(A) <= out(B) + λd(B) and out(B) <= out(A) give d(A) <= d(B).
        AwqOptions plainOptions;
        plainOptions.clipSearch = false;
        const QuantizedLinear plain = quantizeAwq(w, grid, plainOptions, LayerData{&x}, progress);
        QVERIFY(drift(approx) <= drift(plain.dequantize()) * (1.0 + 1e-9));
        QVERIFY(plain.parameters.count("lambda") == 0);

        // λ = 0 or no saliency: the term is absent.
        options.saliencyLambda = 0.0;
        QCOMPARE(quantizeAwq(w, grid, options, LayerData{&x}, progress).parameters.at("objective"),
                 plain.parameters.at("objective"));

        const Matrix wrongShape = Matrix::Ones(16, 63);
        options.saliency = &wrongShape;
        options.saliencyLambda = 1.0;
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, options, LayerData{&x}, progress), "awq", "saliency");
        Matrix negative = saliency;
        negative(0, 0) = -1.0f;
        options.saliency = &negative;
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, options, LayerData{&x}, progress), "awq", "nonnegative");
        options.saliency = &saliency;
        options.saliencyLambda = -2.0;
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, options, LayerData{&x}, progress), "awq", "lambda");
    }

    void bitsCountTheInputScale()
    {
        // 8×64, 4-bit asymmetric g=32: codes 2048 + scales 16 groups·16 = 256 + zero points 16·4 = 64
        // + input scale 64·16 = 1024 = 3392 bits / 512 weights = 6.625. Symmetric: no zero points,
        // 3328 / 512 = 6.5.
        const Matrix w = randomMatrix(8, 64, 18);
        const Matrix x = outlierInputs(40, 64, 19);
        Progress progress;
        const QuantizedLinear asym = quantizeAwq(w, groupGrid(4, false, 32), AwqOptions{}, LayerData{&x}, progress);
        QCOMPARE(asym.bits().inputScale, 1024.0);
        QCOMPARE(asym.bits().total(), 3392.0);
        QCOMPARE(asym.bitsPerWeight(), 6.625);
        const QuantizedLinear sym = quantizeAwq(w, groupGrid(4, true, 32), AwqOptions{}, LayerData{&x}, progress);
        QCOMPARE(sym.bitsPerWeight(), 6.5);
    }

    void badInputAndCancellation()
    {
        const Matrix w = randomMatrix(4, 16, 20);
        const Matrix x = randomMatrix(10, 16, 21);
        const QuantGrid grid = groupGrid(4, false, 8);
        Progress progress;
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, AwqOptions{}, LayerData{}, progress), "awq", "activations");
        const Matrix narrow = randomMatrix(10, 15, 22);
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, AwqOptions{}, LayerData{&narrow}, progress), "awq", "15 features");
        AwqOptions bad;
        bad.gridPoints = 0;
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, bad, LayerData{&x}, progress), "awq", "grid points");
        bad = AwqOptions{};
        bad.clipMinRatio = 0.0;
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, bad, LayerData{&x}, progress), "awq", "clip minimum");
        bad = AwqOptions{};
        bad.clipSteps = 0;
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, bad, LayerData{&x}, progress), "awq", "clip steps");
        Matrix nanWeight = w;
        nanWeight(1, 1) = std::nanf("");
        VERIFY_INPUT_ERROR(quantizeAwq(nanWeight, grid, AwqOptions{}, LayerData{&x}, progress), "awq", "not finite");
        Matrix nanInputs = x;
        nanInputs(3, 3) = std::numeric_limits<float>::infinity();
        VERIFY_INPUT_ERROR(quantizeAwq(w, grid, AwqOptions{}, LayerData{&nanInputs}, progress), "awq", "finite");

        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeAwq(w, grid, AwqOptions{}, LayerData{&x}, cancelled));
        // Cancelling in the middle of the search stops it at the next step.
        const Progress* self = nullptr;
        int reports = 0;
        const Progress selfCancelling([&](double, const std::string&) {
            if (++reports == 3)
                self->requestCancel();
        });
        self = &selfCancelling;
        Progress handle = selfCancelling;
        QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeAwq(w, grid, AwqOptions{}, LayerData{&x}, handle));
        QCOMPARE(reports, 3);
    }

    void recipeAndRegistryEntry()
    {
        const MethodInfo info = awqMethodInfo();
        QCOMPARE(info.name, std::string("awq"));
        QVERIFY(info.needsActivations);
        QVERIFY(info.usesGrid);
        QVERIFY(!info.description.empty());
        const ParamSpec* grid = info.param("grid");
        QVERIFY(grid);
        QCOMPARE(grid->defaultValue, 20.0);
        QCOMPARE(grid->minValue, 1.0);
        QCOMPARE(grid->maxValue, 100.0);
        QVERIFY(grid->integer);
        const ParamSpec* clip = info.param("clip");
        QVERIFY(clip);
        QCOMPARE(clip->defaultValue, 1.0);
        QCOMPARE(clip->minValue, 0.0);
        QCOMPARE(clip->maxValue, 1.0);
        QVERIFY(clip->integer);

        const Matrix w = randomMatrix(8, 32, 23);
        const Matrix x = outlierInputs(20, 32, 24);
        Recipe recipe;
        recipe.method = "awq";
        recipe.bits = 3;
        recipe.groupSize = 16;
        recipe.params["grid"] = 10;
        recipe.params["clip"] = 0;
        Progress progress;
        const QuantizedLinear viaRecipe = quantizeAwqRecipe(w, recipe, LayerData{&x}, progress);
        AwqOptions options;
        options.gridPoints = 10;
        options.clipSearch = false;
        const QuantizedLinear direct = quantizeAwq(w, groupGrid(3, false, 16), options, LayerData{&x}, progress);
        QCOMPARE(viaRecipe.codes, direct.codes);
        QCOMPARE(viaRecipe.inputScale, direct.inputScale);
        QCOMPARE(viaRecipe.parameters.at("grid"), 10.0);
        QCOMPARE(viaRecipe.parameters.at("clip"), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestAwq)
#include "test_awq.moc"
