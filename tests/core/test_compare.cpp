// compareMethods: each method's numbers equal what runPlan gives for that recipe alone, the
// summaries are the means of those numbers, the JSON carries every field, the perplexities
// equal the forward pass run by hand, and bad requests are InputErrors.
#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "demo/DemoModel.h"
#include "run/Compare.h"
#include "run/Perplexity.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTest>

using namespace salience;

namespace {

Recipe recipe(const std::string& method, int bits)
{
    Recipe r;
    r.method = method;
    r.bits = bits;
    return r;
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT
    DemoModel m_demo = makeDemoModel();

private slots:
    void eachMethodEqualsItsRunAlone()
    {
        const std::vector<Recipe> recipes{recipe("rtn", 4), recipe("awq", 4), recipe("gptq", 4)};
        Progress progress;
        const CompareResult result = compareMethods(m_demo.model, &m_demo.activations, recipes, {}, progress);
        QCOMPARE(result.methods.size(), size_t(3));
        QVERIFY(!result.floatPerplexity);
        QCOMPARE(result.layers.size(), 3 * m_demo.model.layers().size());
        for (size_t m = 0; m < recipes.size(); ++m) {
            Progress p;
            RunOptions options;
            options.threads = 1; // another thread count than compare's: results must not depend on it
            const RunResult alone =
                runPlan(m_demo.model, QuantPlan::uniform(recipes[m]), &m_demo.activations, options, p);
            const auto layers = result.layersOf(recipes[m].method);
            QCOMPARE(layers.size(), alone.layers.size());
            double sumWeight = 0, sumOutput = 0;
            int quantized = 0;
            for (size_t i = 0; i < layers.size(); ++i) {
                const LayerResult& expected = alone.layers[i];
                QCOMPARE(layers[i]->name, expected.layer);
                QCOMPARE(layers[i]->method, recipes[m].method);
                QCOMPARE(layers[i]->relativeWeightError, expected.metrics.relativeWeightError);
                QCOMPARE(layers[i]->relativeOutputError.has_value(), expected.metrics.relativeOutputError.has_value());
                if (expected.metrics.relativeOutputError)
                    QCOMPARE(*layers[i]->relativeOutputError, *expected.metrics.relativeOutputError);
                QCOMPARE(layers[i]->bitsPerWeight, expected.metrics.bitsPerWeight);
                const LinearLayer& l = m_demo.model.layer(expected.layer);
                QCOMPARE(layers[i]->block, l.block);
                QCOMPARE(layers[i]->role, l.role);
                if (expected.quantized) {
                    ++quantized;
                    sumWeight += expected.metrics.relativeWeightError;
                    sumOutput += *expected.metrics.relativeOutputError;
                }
            }
            const CompareSummary& s = result.methods[m];
            QCOMPARE(s.method, recipes[m].method);
            QCOMPARE(s.layersQuantized, alone.summary.layersQuantized);
            QCOMPARE(s.averageBitsPerWeight, alone.summary.averageBitsPerWeight);
            QVERIFY(qAbs(s.meanRelativeWeightError - sumWeight / quantized) < 1e-12);
            QVERIFY(s.meanRelativeOutputError);
            QVERIFY(qAbs(*s.meanRelativeOutputError - sumOutput / quantized) < 1e-12);
        }
        // GPTQ's RTN guard: never worse than RTN on the calibration inputs, layer by layer.
        const auto rtn = result.layersOf("rtn");
        const auto gptq = result.layersOf("gptq");
        for (size_t i = 0; i < rtn.size(); ++i)
            if (rtn[i]->relativeOutputError)
                QVERIFY(*gptq[i]->relativeOutputError <= *rtn[i]->relativeOutputError * (1 + 1e-9));
    }

    void jsonHasEveryField()
    {
        Progress progress;
        const CompareResult result =
            compareMethods(m_demo.model, &m_demo.activations, {recipe("rtn", 4), recipe("awq", 3)}, {}, progress);
        const nlohmann::json j = compareJson(result);
        QCOMPARE(j["layers"].size(), result.layers.size());
        for (const auto& l : j["layers"])
            for (const char* key : {"method", "name", "block", "role", "rel_weight_error", "rel_output_error",
                                    "bits_per_weight"})
                QVERIFY2(l.contains(key), key);
        QCOMPARE(j["summaries"].size(), size_t(2));
        for (const auto& s : j["summaries"])
            for (const char* key : {"method", "mean_rel_weight_error", "mean_rel_output_error",
                                    "average_bits_per_weight", "layers_quantized", "recipe"})
                QVERIFY2(s.contains(key), key);
        QCOMPARE(j["summaries"][1]["recipe"]["bits"].get<int>(), 3);
        QVERIFY(!j.contains("float"));
        QVERIFY(!j["summaries"][0].contains("perplexity"));
    }

    void badRequestsAreInputErrors()
    {
        Progress p;
        VERIFY_INPUT_ERROR(compareMethods(m_demo.model, &m_demo.activations, {}, {}, p), std::string("compare"),
                           "no methods");
        VERIFY_INPUT_ERROR(compareMethods(m_demo.model, &m_demo.activations, {recipe("nosuch", 4)}, {}, p),
                           std::string("compare"), "known: none, rtn");
        VERIFY_INPUT_ERROR(compareMethods(m_demo.model, &m_demo.activations, {recipe("rtn", 4), recipe("rtn", 3)}, {}, p),
                           std::string("compare"), "twice");
        VERIFY_INPUT_ERROR(compareMethods(m_demo.model, nullptr, {recipe("rtn", 4), recipe("gptq", 4)}, {}, p),
                           std::string("gptq"), "--acts");
    }

    void cancelledCompareThrows()
    {
        Progress p;
        p.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 compareMethods(m_demo.model, &m_demo.activations, {recipe("rtn", 4)}, {}, p));
    }

    void perplexitiesEqualTheForwardPassByHand()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tokenizer = tokenizerFor(model, "");
        CompareOptions options;
        options.textTokens =
            tokenizeText(tokenizer, readTextFile(testdata::path("text/tinystories_valid_head.txt")), 600);
        options.bos = tokenizer.bosId();
        options.window = 128;
        Recipe r3 = recipe("rtn", 3);
        r3.groupSize = 32;
        Recipe h3 = recipe("hadamard", 3);
        h3.groupSize = 32;
        Progress progress;
        const CompareResult result = compareMethods(model, nullptr, {r3, h3}, options, progress);

        Progress p;
        const Transformer base = Transformer::load(model, p);
        PerplexityOptions pplOptions;
        pplOptions.window = 128;
        const PerplexityResult expectedFloat = evaluatePerplexity(base, options.textTokens, options.bos, pplOptions, p);
        QVERIFY(result.floatPerplexity);
        QCOMPARE(result.floatPerplexity->nll, expectedFloat.nll);
        QCOMPARE(result.floatPerplexity->tokens, int64_t(options.textTokens.size()));
        for (size_t m = 0; m < 2; ++m) {
            const Recipe& r = m == 0 ? r3 : h3;
            const RunResult run = runPlan(model, QuantPlan::uniform(r), nullptr, {}, p);
            const Transformer q = quantizedTransformer(base, run, p);
            const PerplexityResult expected = evaluatePerplexity(q, options.textTokens, options.bos, pplOptions, p);
            QVERIFY(result.methods[m].perplexity);
            QCOMPARE(result.methods[m].perplexity->nll, expected.nll);
            QCOMPARE(result.methods[m].perplexity->perplexity, expected.perplexity);
            // 3 bits costs the model something.
            QVERIFY(expected.perplexity > expectedFloat.perplexity);
        }
        const nlohmann::json j = compareJson(result);
        QVERIFY(j["float"].contains("perplexity"));
        QVERIFY(j["summaries"][0].contains("perplexity") && j["summaries"][1].contains("nll"));
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "test_compare.moc"
