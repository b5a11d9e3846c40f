// The Llama forward pass, perplexity, the quantized forward pass and activation capture on the
// real stories260K in its three formats.
#include "acts/ActivationStore.h"
#include "acts/ChannelStatsOps.h"
#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "eval/Transformer.h"
#include "eval/Windows.h"
#include "demo/DemoModel.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "run/Capture.h"
#include "run/Perplexity.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace salience;

namespace {

// llama2.c's doc/stories260K.md: greedy decoding from BOS (see models/SOURCES.md).
const std::vector<int32_t> kGreedyIds{403, 407, 261, 378, 432, 383, 286, 261, 376, 298,
                                      315, 421, 395, 317, 426, 338, 401, 396, 267, 337};
const char* const kGreedyText = "Once upon a time, there was a little girl named Lily. She loved to play outside in "
                                "the park. One day, she saw a big, red ball. She wanted to play with it, but it was "
                                "too high.\nLily's mom said,";

int32_t argmax(const Matrix& logits, Eigen::Index row)
{
    Eigen::Index best = 0;
    logits.row(row).maxCoeff(&best);
    return int32_t(best);
}

Transformer loadTransformer(const std::string& path)
{
    Progress p;
    return Transformer::load(Model::open(path), p);
}

std::vector<int32_t> storyTokens(const Tokenizer& tok, size_t bytes)
{
    const std::string text = readTextFile(testdata::path("text/tinystories_valid_head.txt")).substr(0, bytes);
    return tok.encode(text, false);
}

QuantPlan uniformPlan(int bits, int groupSize)
{
    QuantPlan plan;
    Recipe r;
    r.method = "rtn";
    r.bits = bits;
    r.groupSize = groupSize;
    plan.defaultRecipe = r;
    return plan;
}

double perplexityOf(const Transformer& t, const std::vector<int32_t>& tokens, int threads = 0)
{
    Progress p;
    PerplexityOptions o;
    o.window = 256;
    o.threads = threads;
    return evaluatePerplexity(t, tokens, 1, o, p).perplexity;
}

} // namespace

class TestForward : public QObject {
    Q_OBJECT
private slots:
    void greedyDecodingReproducesTheDocumentedSample()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Transformer t = loadTransformer(testdata::path("stories260K/stories260K.bin"));
        // Token by token through the cache, as generation does.
        KvCache cache;
        std::vector<int32_t> ids;
        int32_t next = 1;
        for (int step = 0; step < 90; ++step) {
            const Matrix logits = t.forward(std::span<const int32_t>(&next, 1), nullptr, &cache);
            next = argmax(logits, 0);
            ids.push_back(next);
        }
        QCOMPARE(std::vector<int32_t>(ids.begin(), ids.begin() + 20), kGreedyIds);
        const Tokenizer tok = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        std::vector<int32_t> withBos{1};
        withBos.insert(withBos.end(), ids.begin(), ids.end());
        const std::string text = tok.decode(withBos);
        QVERIFY2(text.rfind(kGreedyText, 0) == 0, text.c_str());
    }

    void cachedAndWholeWindowLogitsAgree()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Transformer t = loadTransformer(testdata::path("stories260K/stories260K.bin"));
        std::vector<int32_t> window{1};
        window.insert(window.end(), kGreedyIds.begin(), kGreedyIds.end());
        const Matrix whole = t.forward(window);
        KvCache cache;
        const Matrix first = t.forward(std::span<const int32_t>(window.data(), 7), nullptr, &cache);
        const Matrix rest = t.forward(std::span<const int32_t>(window.data() + 7, window.size() - 7), nullptr, &cache);
        QCOMPARE(cache.positions(), int64_t(window.size()));
        QVERIFY((whole.topRows(7) - first).cwiseAbs().maxCoeff() < 1e-4f);
        QVERIFY((whole.bottomRows(rest.rows()) - rest).cwiseAbs().maxCoeff() < 1e-4f);
        // Greedy along the whole window: every argmax is the next documented id.
        for (Eigen::Index i = 0; i + 1 < whole.rows(); ++i)
            QCOMPARE(argmax(whole, i), window[size_t(i + 1)]);
    }

    void threeFormatsGiveTheSameLogits()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        REQUIRE_TEST_DATA("stories260K/hf/model.safetensors");
        const Tokenizer tok = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        std::vector<int32_t> window{1};
        const auto text = storyTokens(tok, 2000);
        window.insert(window.end(), text.begin(), text.begin() + 200);
        const Matrix bin = loadTransformer(testdata::path("stories260K/stories260K.bin")).forward(window);
        const Matrix gguf = loadTransformer(testdata::path("stories260K/stories260K.gguf")).forward(window);
        const Matrix hf = loadTransformer(testdata::path("stories260K/hf")).forward(window);
        QCOMPARE(bin.rows(), Eigen::Index(window.size()));
        QCOMPARE(bin.cols(), Eigen::Index(512));
        QVERIFY2((bin - gguf).cwiseAbs().maxCoeff() < 1e-4f, "gguf logits differ from the .bin's");
        QVERIFY2((bin - hf).cwiseAbs().maxCoeff() < 1e-4f, "hf logits differ from the .bin's");
    }

    void perplexityIsInTheRangeLlama2cReports()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tok = tokenizerFor(model, ""); // tok512.bin beside the checkpoint
        const auto tokens = storyTokens(tok, 16000);
        QVERIFY(tokens.size() > 3000);
        Progress p;
        const Transformer t = Transformer::load(model, p);
        PerplexityOptions o;
        o.window = 256;
        const PerplexityResult r = evaluatePerplexity(t, tokens, tok.bosId(), o, p);
        QCOMPARE(r.tokens, int64_t(tokens.size()));
        QCOMPARE(r.windows, int64_t((tokens.size() + 254) / 255));
        // llama2.c reports a validation loss of about 1.3 for stories260K.
        QVERIFY2(r.nll > 1.0 && r.nll < 1.6, std::to_string(r.nll).c_str());
        QVERIFY(std::abs(r.perplexity - std::exp(r.nll)) < 1e-9);
        // Independent of the thread count, bit for bit.
        QCOMPARE(perplexityOf(t, tokens, 1), perplexityOf(t, tokens, 3));
    }

    void windowNllMatchesAHandComputation()
    {
        Matrix logits(3, 3);
        logits << 0, 0, 0, //
            1, 2, 3,       //
            5, 5, 5;
        const std::vector<int32_t> window{0, 2, 1};
        // Row 0 predicts 2 from uniform logits: log 3. Row 1 predicts 1: logsumexp(1,2,3) − 2.
        const double row1 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 2.0;
        QVERIFY(std::abs(windowNegativeLogLikelihood(logits, window) - (std::log(3.0) + row1)) < 1e-12);
        const auto windows = tokenWindows(std::vector<int32_t>{7, 8, 9, 10, 11}, 3, 1);
        QCOMPARE(windows.size(), size_t(3));
        QCOMPARE(windows[0], (std::vector<int32_t>{1, 7, 8}));
        QCOMPARE(windows[2], (std::vector<int32_t>{1, 11}));
        VERIFY_INPUT_ERROR(tokenWindows(std::vector<int32_t>{1}, 1, 1), std::string("evaluation"), "at least 2");
    }

    void quantizedForwardPassCostsWhatTheBitsSay()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tok = tokenizerFor(model, "");
        const auto tokens = storyTokens(tok, 8000);
        Progress p;
        const Transformer t = Transformer::load(model, p);
        const double base = perplexityOf(t, tokens);
        auto quantized = [&](int bits) {
            const RunResult run = runPlan(model, uniformPlan(bits, 32), nullptr, RunOptions{}, p);
            return perplexityOf(quantizedTransformer(t, run, p), tokens);
        };
        const double eight = quantized(8);
        const double two = quantized(2);
        QVERIFY2(std::abs(eight - base) / base < 0.01, (std::to_string(base) + " vs " + std::to_string(eight)).c_str());
        QVERIFY2(two > 1.5 * base, (std::to_string(base) + " vs " + std::to_string(two)).c_str());
        // Replacing a weight by itself changes nothing.
        Transformer same = t;
        same.setLinearWeight("model.layers.0.self_attn.q_proj", t.linearWeight("model.layers.0.self_attn.q_proj"));
        QCOMPARE(perplexityOf(same, tokens), base);
        VERIFY_INPUT_ERROR(same.setLinearWeight("model.layers.9.self_attn.q_proj", Matrix(64, 64)), std::string("stories260K"), "no linear layer");
        VERIFY_INPUT_ERROR(same.setLinearWeight("model.layers.0.self_attn.q_proj", Matrix(3, 64)), std::string("stories260K"), "[3, 64]");
    }

    void captureStatisticsMatchTheForwardPass()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tok = tokenizerFor(model, "");
        auto tokens = storyTokens(tok, 4000);
        tokens.resize(300);
        Progress p;
        const Transformer t = Transformer::load(model, p);
        CaptureOptions o;
        o.window = 128;
        o.keepInputs = 150;
        const ActivationStore store = captureActivations(t, tokens, 1, o, p);

        // Directly: every window's inputs of one layer, stacked, and their statistics.
        struct Collect : ForwardHooks {
            std::vector<Matrix> rows;
            void linearInput(const std::string& layer, const Matrix& x) override
            {
                if (layer == "model.layers.2.mlp.down_proj")
                    rows.push_back(x);
            }
            bool wantsSites() const override { return false; }
        } collect;
        for (const auto& w : tokenWindows(tokens, 128, 1))
            t.forward(w, &collect);
        ChannelStats direct;
        int64_t total = 0;
        for (const auto& r : collect.rows) {
            direct = mergeChannelStats(direct, channelStatsOf(r));
            total += r.rows();
        }
        QCOMPARE(total, int64_t(300 + 3)); // three windows, each with its BOS
        const ChannelStats captured = store.stats("model.layers.2.mlp.down_proj");
        QCOMPARE(captured.count, total);
        for (size_t j = 0; j < direct.channels(); ++j) {
            QVERIFY(std::abs(captured.sumSq[j] - direct.sumSq[j]) <= 1e-9 * std::max(1.0, direct.sumSq[j]));
            QCOMPARE(captured.absMax[j], direct.absMax[j]);
        }
        // Kept inputs: the first 150 tokens, across the first two windows.
        QCOMPARE(store.nTokens(), int64_t(150));
        const Matrix& kept = store.inputs("model.layers.2.mlp.down_proj");
        QCOMPARE(kept.rows(), Eigen::Index(150));
        QCOMPARE(kept.topRows(128), collect.rows[0]);
        QCOMPARE(kept.bottomRows(22), collect.rows[1].topRows(22));
        QCOMPARE(store.tokens().front(), int32_t(1));
        QCOMPARE(store.tokens()[128], int32_t(1)); // the second window's BOS
        QVERIFY(store.hasSite(4, "mlp_act"));
        QCOMPARE(store.site(0, "resid_in").rows(), Eigen::Index(150));
        QCOMPARE(int(store.layerNames().size()), 5 * 7);

        // Saved and read back: the same statistics and rows.
        QTemporaryDir dir;
        const std::string path = dir.filePath("acts.h5").toStdString();
        store.save(path, p);
        const ActivationStore loaded = ActivationStore::load(path);
        QCOMPARE(loaded.stats("model.layers.2.mlp.down_proj").sumSq, captured.sumSq);
        QCOMPARE(loaded.inputs("model.layers.2.mlp.down_proj"), kept);
        QCOMPARE(loaded.tokens(), store.tokens());

        // The same statistics whatever the thread count.
        o.threads = 1;
        const ActivationStore single = captureActivations(t, tokens, 1, o, p);
        QCOMPARE(single.stats("model.layers.2.mlp.down_proj").sumSq, captured.sumSq);
    }

    void cancelledCaptureAndEvaluationStop()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Transformer t = loadTransformer(testdata::path("stories260K/stories260K.bin"));
        std::vector<int32_t> tokens(2000, 300);
        Progress p;
        p.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, captureActivations(t, tokens, 1, CaptureOptions{}, p));
        QVERIFY_THROWS_EXCEPTION(CancelledError, evaluatePerplexity(t, tokens, 1, PerplexityOptions{}, p));
    }

    void badInputIsNamed()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        Progress p;
        const Transformer t = Transformer::load(model, p);
        const std::vector<int32_t> outside{1, 512};
        VERIFY_INPUT_ERROR(t.forward(outside), std::string("stories260K.bin"), "512");
        VERIFY_INPUT_ERROR(evaluatePerplexity(t, {}, 1, PerplexityOptions{}, p), std::string("evaluation"), "no tokens");
        VERIFY_INPUT_ERROR(tokenizerFor(model, testdata::path("text/tinystories_valid_head.txt")),
                           std::string("tinystories_valid_head.txt"), "");
        // The demo model has no tokenizer: the error names the option.
        const DemoModel demo = makeDemoModel();
        try {
            tokenizerFor(demo.model, "");
            QFAIL("expected an error");
        } catch (const InputError& e) {
            QVERIFY2(std::string(e.what()).find("--tokenizer") != std::string::npos, e.what());
        }
    }

    void demoModelRuns()
    {
        const DemoModel demo = makeDemoModel();
        Progress p;
        const Transformer t = Transformer::load(demo.model, p);
        const std::vector<int32_t> tokens{1, 5, 9, 200};
        const Matrix logits = t.forward(tokens);
        QCOMPARE(logits.rows(), Eigen::Index(4));
        QCOMPARE(logits.cols(), Eigen::Index(512));
        QVERIFY(logits.allFinite());
    }
};

QTEST_GUILESS_MAIN(TestForward)
#include "test_forward.moc"
