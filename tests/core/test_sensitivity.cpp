// End-to-end sensitivity: the pieces by hand (FNV-1a's published values, where a text is cut in
// halves, how candidates are written), then on the real stories260K: starting the forward pass
// at a block gives the same logits as running it all, every cell of the table equals `eval`'s
// KL and NLL for the plan that quantizes that unit alone, the table does not depend on the
// thread count, and a cached table is refused, with the reason, for other inputs.
#include "base/Fnv1a.h"
#include "eval/TextHalves.h"
#include "eval/TokenizerLookup.h"
#include "eval/Transformer.h"
#include "io/MemoryReader.h"
#include "model/Model.h"
#include "model/ModelFingerprint.h"
#include "plan/QuantPlan.h"
#include "run/CalibrationReference.h"
#include "run/Perplexity.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"
#include "run/Sensitivity.h"
#include "run/SensitivityFile.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <optional>

using namespace salience;

namespace {

std::string fnv(std::string_view bytes)
{
    Fnv1a64 h;
    h.add(bytes.data(), bytes.size());
    return h.hex();
}

Recipe rtn(int bits, int group)
{
    Recipe r;
    r.bits = bits;
    r.groupSize = group;
    return r;
}

// Sites of one forward pass: what enters each block.
struct ResidualInputs : ForwardHooks {
    std::vector<Matrix> inputs;
    void site(int block, const std::string& site, const Matrix& values) override
    {
        if (site == "resid_in") {
            inputs.resize(std::max(inputs.size(), size_t(block) + 1));
            inputs[size_t(block)] = values;
        }
    }
    bool wantsLinearInputs() const override { return false; }
};

// The plan that quantizes only `layers`, with `recipe`.
QuantPlan only(const std::vector<std::string>& layers, const Recipe& recipe)
{
    Recipe none;
    none.method = "none";
    QuantPlan plan = QuantPlan::uniform(none);
    for (const auto& l : layers)
        plan.setLayerRecipe(l, recipe);
    return plan;
}

} // namespace

class TestSensitivity : public QObject {
    Q_OBJECT

    std::optional<Model> m_model;
    std::optional<Transformer> m_float;
    std::vector<int32_t> m_tokens;
    int32_t m_bos = 1;
    std::optional<CalibrationReference> m_reference;
    std::optional<SensitivityTable> m_layerTable;

    static constexpr int64_t kWindow = 128;

    bool loadStories()
    {
        if (m_model)
            return true;
        if (!testdata::has("stories260K/stories260K.bin") || !testdata::has("text/tinystories_valid_head.txt"))
            return false;
        m_model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tokenizer = tokenizerFor(*m_model, "");
        m_bos = tokenizer.bosId();
        const std::string text = readTextFile(testdata::path("text/tinystories_valid_head.txt"));
        m_tokens = tokenizeText(tokenizer, std::string(splitTextInHalves(text).calibration), 384);
        Progress p;
        m_float = Transformer::load(*m_model, p);
        m_reference = CalibrationReference::compute(*m_float, m_tokens, m_bos, kWindow, 2, p);
        return true;
    }

    // Layers at 3-bit g32 and 8-bit g32, each alone.
    const SensitivityTable& layerTable()
    {
        if (!m_layerTable) {
            SensitivityOptions options;
            options.threads = 2;
            Progress p;
            m_layerTable = measureSensitivity(*m_model, *m_float, nullptr, *m_reference, rtn(3, 32),
                                              parseCandidates("3g32,8g32", "test"), "fingerprint", options, p);
        }
        return *m_layerTable;
    }

private slots:
    void fnv1aGivesThePublishedValues()
    {
        QCOMPARE(fnv(""), std::string("cbf29ce484222325"));
        QCOMPARE(fnv("a"), std::string("af63dc4c8601ec8c"));
        QCOMPARE(fnv("foobar"), std::string("85944171f73967e8"));
        // Strings carry their length, so a different split of the same bytes hashes differently.
        Fnv1a64 ab, a;
        ab.add("ab");
        ab.add("c");
        a.add("a");
        a.add("bc");
        QVERIFY(ab.value() != a.value());
    }

    void textHalvesCutAtALineStart()
    {
        // 14 bytes; the middle byte (7) is the newline after "two": the first half ends with it.
        const std::string text = "one\ntwo\nthree\n";
        const TextHalves h = splitTextInHalves(text);
        QCOMPARE(std::string(h.heldOut), std::string("one\ntwo\n"));
        QCOMPARE(std::string(h.calibration), std::string("three\n"));
        // 19 bytes; the middle byte (9) lies inside "three": back to just after the newline at 7.
        const TextHalves h2 = splitTextInHalves("one\ntwo\nthree\nfour\n");
        QCOMPARE(std::string(h2.heldOut), std::string("one\ntwo\n"));
        QCOMPARE(std::string(h2.calibration), std::string("three\nfour\n"));
        // No newline: the middle byte, moved back to the start of a UTF-8 character.
        const std::string accents = "\xC3\xA9\xC3\xA9\xC3\xA9"; // three e-acute: byte 3 continues the second
        QCOMPARE(std::string(splitTextInHalves(accents).heldOut), std::string("\xC3\xA9"));
        const std::string odd = "a\xC3\xA9\xC3\xA9"; // 5 bytes: byte 2 continues the first e-acute
        QCOMPARE(std::string(splitTextInHalves(odd).heldOut), std::string("a"));
        QCOMPARE(std::string(splitTextInHalves("").calibration), std::string());
        QCOMPARE(std::string(textPart(text, TextPart::Whole)), text);
        QCOMPARE(std::string(textPart(text, TextPart::Calibration)), std::string("three\n"));
        QCOMPARE(std::string(textPart(text, TextPart::HeldOut)), std::string("one\ntwo\n"));
        QCOMPARE(parseTextPart("held-out", "--part"), TextPart::HeldOut);
        VERIFY_INPUT_ERROR(parseTextPart("first", "--part"), std::string("--part"), "whole, held-out or calibration");
    }

    void candidatesReadAndWriteTheirSpecs()
    {
        const SensitivityCandidate a = parseCandidate("4g32", "x");
        QCOMPARE(*a.bits, 4);
        QCOMPARE(*a.groupSize, 32);
        QVERIFY(!a.method && !a.rank);
        const SensitivityCandidate b = parseCandidate("gptq:3g128", "x");
        QCOMPARE(*b.method, std::string("gptq"));
        QCOMPARE(*b.bits, 3);
        QCOMPARE(*b.groupSize, 128);
        const SensitivityCandidate c = parseCandidate("g-1", "x");
        QCOMPARE(*c.groupSize, -1);
        QVERIFY(!c.bits);
        QCOMPARE(*parseCandidate("r16", "x").rank, 16);
        QCOMPARE(*parseCandidate("rtn", "x").method, std::string("rtn"));
        for (const char* spec : {"4g32", "gptq:3g128", "g-1", "r16", "3", "qer:4g64:r8", "g0"})
            QCOMPARE(parseCandidate(spec, "x").label(), std::string(spec));

        Recipe base;
        base.method = "awq";
        base.params["grid_points"] = 10;
        const Recipe r = b.applyTo(base);
        QCOMPARE(r.method, std::string("gptq"));
        QVERIFY(r.params.empty()); // awq's parameters do not follow to gptq
        QCOMPARE(r.bits, 3);
        QCOMPARE(parseCandidate("4", "x").applyTo(base).params.size(), size_t(1));

        for (const char* bad : {"", "4x", "4:", ":4", "gptq:rtn", "4:5", "r", "g", "nosuch"})
            VERIFY_INPUT_ERROR(parseCandidate(bad, "--candidates"), std::string("--candidates"), "candidate");
        VERIFY_INPUT_ERROR(parseCandidates("3g32,4,3g32", "--candidates"), std::string("--candidates"), "twice");
        QCOMPARE(defaultBitCandidates().size(), size_t(10));
        QCOMPARE(defaultRankCandidates().front().label(), std::string("r0"));
        QCOMPARE(parseUnitKind("role", "--unit"), SensitivityUnitKind::Role);
        VERIFY_INPUT_ERROR(parseUnitKind("head", "--unit"), std::string("--unit"), "layer, role or block");
    }

    void fingerprintFollowsTheWeights()
    {
        auto makeModel = [](float value) {
            auto reader = std::make_shared<MemoryReader>("tiny");
            Matrix w = Matrix::Constant(4, 8, 0.5f);
            w(1, 2) = value;
            reader->add("model.layers.0.mlp.down_proj.weight", w);
            return Model::fromReader(reader, ArchConfig{});
        };
        Progress p;
        const std::string a = modelFingerprint(makeModel(1.0f), p);
        QCOMPARE(modelFingerprint(makeModel(1.0f), p), a);
        QVERIFY(modelFingerprint(makeModel(1.0f + 1e-6f), p) != a);
        QVERIFY(a.rfind("fnv1a64:", 0) == 0);
    }

    void startingAtABlockGivesTheSameLogits()
    {
        if (!loadStories())
            REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const std::vector<int32_t> window(m_tokens.begin(), m_tokens.begin() + 64);
        ResidualInputs hooks;
        const Matrix full = m_float->forward(window, &hooks);
        QCOMPARE(int(hooks.inputs.size()), m_float->blockCount());
        for (int b = 0; b < m_float->blockCount(); ++b) {
            const Matrix from = m_float->forwardFrom(b, hooks.inputs[size_t(b)]);
            QCOMPARE(from.rows(), full.rows());
            QCOMPARE(double((from - full).cwiseAbs().maxCoeff()), 0.0);
        }
    }

    void cellsEqualEvalOfThatUnitAlone()
    {
        if (!loadStories())
            REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const SensitivityTable& t = layerTable();
        QCOMPARE(t.units.size(), size_t(35));
        QVERIFY(m_reference->keepsBlockInputs());
        PerplexityOptions options;
        options.window = kWindow;
        options.threads = 2;
        Progress p;
        // A layer of the first block (the whole pass runs) and one of a later block (it starts there).
        for (const char* name : {"model.layers.0.self_attn.k_proj", "model.layers.3.mlp.down_proj"}) {
            const auto unit = std::find_if(t.units.begin(), t.units.end(), [&](const auto& u) { return u.name == name; });
            QVERIFY(unit != t.units.end());
            const RunResult run = runPlan(*m_model, only({name}, rtn(3, 32)), nullptr, RunOptions{}, p);
            const PairedPerplexity paired =
                evaluatePaired(*m_float, quantizedTransformer(*m_float, run, p), m_tokens, m_bos, options, p);
            const SensitivityCell& cell = unit->cells[0];
            QCOMPARE(cell.kl, paired.shift.klMean);
            QCOMPARE(cell.klStdError, paired.shift.klStdError);
            QCOMPARE(cell.nllDelta, paired.candidate.nll - paired.reference.nll);
            QCOMPARE(cell.sameTopShare, paired.shift.sameTopShare);
            QCOMPARE(cell.bitsPerWeight, run.find(name)->metrics.bitsPerWeight);
            QCOMPARE(t.floatNll, paired.reference.nll);
            QCOMPARE(t.positions, paired.shift.positions);
        }
        // 8 bits move the model less than 3 bits, everywhere, and nothing is negative.
        for (const auto& u : t.units) {
            QVERIFY2(u.cells[1].kl < u.cells[0].kl, u.name.c_str());
            QVERIFY(u.cells[1].kl >= 0 && u.cells[1].bitsPerWeight > u.cells[0].bitsPerWeight);
        }
    }

    void blocksAndRolesDoNotDependOnThreads()
    {
        if (!loadStories())
            REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const auto candidates = parseCandidates("3g32", "test");
        SensitivityOptions options;
        options.unitKind = SensitivityUnitKind::Block;
        Progress p;
        options.threads = 1;
        const SensitivityTable one = measureSensitivity(*m_model, *m_float, nullptr, *m_reference, rtn(3, 32),
                                                        candidates, "f", options, p);
        options.threads = 2;
        const SensitivityTable two = measureSensitivity(*m_model, *m_float, nullptr, *m_reference, rtn(3, 32),
                                                        candidates, "f", options, p);
        QCOMPARE(sensitivityJson(one).dump(), sensitivityJson(two).dump());
        QCOMPARE(one.units.size(), size_t(5));
        QCOMPARE(one.units[2].name, std::string("block 2"));
        QCOMPARE(one.units[2].layers.size(), size_t(7));
        // A block unit is its seven layers quantized together.
        PerplexityOptions eval;
        eval.window = kWindow;
        const RunResult run = runPlan(*m_model, only(one.units[2].layers, rtn(3, 32)), nullptr, RunOptions{}, p);
        const PairedPerplexity paired =
            evaluatePaired(*m_float, quantizedTransformer(*m_float, run, p), m_tokens, m_bos, eval, p);
        QCOMPARE(one.units[2].cells[0].kl, paired.shift.klMean);

        options.unitKind = SensitivityUnitKind::Role;
        const SensitivityTable roles = measureSensitivity(*m_model, *m_float, nullptr, *m_reference, rtn(3, 32),
                                                          candidates, "f", options, p);
        QCOMPARE(roles.units.size(), size_t(7));
        QCOMPARE(roles.units[1].name, std::string("k"));
        QCOMPARE(roles.units[1].layers.size(), size_t(5));
        QCOMPARE(roles.units[1].parameters, int64_t(5 * 32 * 64));
    }

    void badCandidatesAreRefused()
    {
        if (!loadStories())
            REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        Progress p;
        const SensitivityOptions options;
        auto measure = [&](const std::vector<SensitivityCandidate>& c) {
            measureSensitivity(*m_model, *m_float, nullptr, *m_reference, rtn(3, 32), c, "f", options, p);
        };
        VERIFY_INPUT_ERROR(measure({}), std::string("sensitivity"), "no candidates");
        VERIFY_INPUT_ERROR(measure(parseCandidates("gptq:4", "x")), std::string("gptq"), "needs activations");
        VERIFY_INPUT_ERROR(measure(parseCandidates("none", "x")), std::string("sensitivity"), "keeps full precision");
        VERIFY_INPUT_ERROR(measure(parseCandidates("9", "x")), std::string("candidate '9'"), "bits");
        VERIFY_INPUT_ERROR(measure({parseCandidate("4", "x"), parseCandidate("4", "x")}), std::string("sensitivity"),
                           "twice");
    }

    void aCachedTableComesBackAndIsRefusedForOtherInputs()
    {
        if (!loadStories())
            REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const SensitivityTable& t = layerTable();
        QTemporaryDir dir;
        const std::string path = dir.filePath("sens.json").toStdString();
        saveSensitivity(t, path);
        const SensitivityTable back = loadSensitivity(path);
        QCOMPARE(sensitivityJson(back).dump(), sensitivityJson(t).dump());
        QCOMPARE(sensitivityKeyDifference(back.key, t.key), std::string());

        SensitivityKey other = t.key;
        other.modelFingerprint = "fnv1a64:0000000000000000";
        QVERIFY(QString::fromStdString(sensitivityKeyDifference(back.key, other)).contains("another model"));
        other = t.key;
        other.tokensHash = calibrationTokensHash({1, 2, 3}, m_bos, kWindow);
        QVERIFY(QString::fromStdString(sensitivityKeyDifference(back.key, other)).contains("other calibration tokens"));
        other = t.key;
        other.candidates.pop_back();
        QVERIFY(QString::fromStdString(sensitivityKeyDifference(back.key, other)).contains("its candidates are 3g32,8g32"));
        other = t.key;
        other.base.bits = 4;
        QVERIFY(QString::fromStdString(sensitivityKeyDifference(back.key, other)).contains("rtn 3-bit g32"));
        // The hash of the tokens is the reference's.
        QCOMPARE(calibrationTokensHash(m_tokens, m_bos, kWindow), m_reference->tokensHash());
        QVERIFY(calibrationTokensHash(m_tokens, m_bos, kWindow + 1) != m_reference->tokensHash());

        // Damaged files are refused with what is wrong.
        nlohmann::json j = sensitivityJson(t);
        j["units"][3]["cells"].erase(1);
        VERIFY_INPUT_ERROR(sensitivityFromJson(j, "sens.json"), std::string("sens.json"), "1 cells for 2 candidates");
        j = sensitivityJson(t);
        j["format"] = "salience-plan";
        VERIFY_INPUT_ERROR(sensitivityFromJson(j, "sens.json"), std::string("sens.json"), "not a sensitivity file");
        j = sensitivityJson(t);
        j["calibration"].erase("tokens_hash");
        VERIFY_INPUT_ERROR(sensitivityFromJson(j, "sens.json"), std::string("sens.json"), "tokens_hash");
        std::ofstream(dir.filePath("bad.json").toStdString()) << "{ not json";
        VERIFY_INPUT_ERROR(loadSensitivity(dir.filePath("bad.json").toStdString()), std::string("bad.json"),
                           "invalid JSON");
    }
};

QTEST_GUILESS_MAIN(TestSensitivity)
#include "test_sensitivity.moc"
