// Allocation from measured sensitivity: the greedy, the uniform guard and the final spending
// worked out by hand on small tables, and the gate of the real stories260K: with calibration and
// held-out halves of the TinyStories text, at the bits per weight of uniform 3-bit g32 the
// allocated plan has a lower held-out perplexity than uniform 3-bit and closes a clear part of
// the gap to uniform 4-bit, for RTN and for GPTQ; and a total QER rank spread by sensitivity
// beats the same rank on every layer.
#include "eval/TextHalves.h"
#include "eval/TokenizerLookup.h"
#include "eval/Transformer.h"
#include "model/Model.h"
#include "run/Capture.h"
#include "run/CalibrationReference.h"
#include "run/Perplexity.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"
#include "run/Sensitivity.h"
#include "run/SensitivityAllocation.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTest>

#include <optional>

using namespace salience;

namespace {

// A table of units with the given parameters and, per candidate, (bits per weight, KL) or
// (rank, KL): nothing measured, so the arithmetic can be followed by hand.
struct Row {
    const char* name;
    int64_t parameters;
    std::vector<std::pair<double, double>> cells; // (bits per weight or rank, KL)
};

SensitivityTable handTable(const char* candidates, const std::vector<Row>& rows, bool rank = false)
{
    SensitivityTable t;
    t.key.candidates = parseCandidates(candidates, "test");
    for (const auto& r : rows) {
        SensitivityUnit u;
        u.name = r.name;
        u.layers = {r.name};
        u.parameters = r.parameters;
        for (const auto& [spend, kl] : r.cells) {
            SensitivityCell c;
            c.kl = kl;
            c.nllDelta = kl / 2;
            if (rank) {
                c.rank = int64_t(spend);
                c.bitsPerWeight = 3.5 + spend / 8;
            } else {
                c.bitsPerWeight = spend;
            }
            u.cells.push_back(c);
        }
        t.units.push_back(std::move(u));
    }
    return t;
}

std::vector<std::string> labels(const SensitivityAllocation& a)
{
    std::vector<std::string> out;
    for (const auto& u : a.units)
        out.push_back(u.label);
    return out;
}

// Unit a (100 weights): KL 0.5 / 0.1 / 0.05 at 2 / 3 / 4 bits. Unit b (300 weights): 0.3 / 0.2 /
// 0.01, whose 3-bit point lies above the line from 2 to 4 bits (0.155 there): its hull skips it.
SensitivityTable twoUnits()
{
    return handTable("2,3,4", {{"a", 100, {{2, 0.5}, {3, 0.1}, {4, 0.05}}}, {"b", 300, {{2, 0.3}, {3, 0.2}, {4, 0.01}}}});
}

} // namespace

class TestSensitivityAllocation : public QObject {
    Q_OBJECT
private slots:
    void greedyByHand()
    {
        // Budget 4.0 × 400 = 1600 bits from 800: a 2→3 (0.4 per 100 bits), a 3→4 (0.05 per 100),
        // b 2→4 (0.29 per 600 = 0.048 per 100): every unit at 4 bits.
        const auto all = allocateFromSensitivity(twoUnits(), BudgetKind::Bits, 4.0, SensitivityMeasure::Kl);
        QCOMPARE(labels(all), (std::vector<std::string>{"4", "4"}));
        QCOMPARE(all.achievedBitsPerWeight, 4.0);
        QCOMPARE(all.predicted, 0.06);
        QCOMPARE(all.uniform->label, std::string("4"));

        // Budget 3.5 × 400 = 1400: the greedy takes a to 4 bits (1000 spent) and cannot afford b's
        // 600-bit step; 0.05 + 0.3 = 0.35 predicts more than uniform 3 bits (0.1 + 0.2), which
        // is taken instead (1200 spent); the 200 bits left buy a's step to 4 bits (0.05 less).
        const auto mid = allocateFromSensitivity(twoUnits(), BudgetKind::Bits, 3.5, SensitivityMeasure::Kl);
        QCOMPARE(labels(mid), (std::vector<std::string>{"4", "3"}));
        QCOMPARE(mid.achievedBitsPerWeight, 1300.0 / 400.0);
        QVERIFY(qAbs(mid.predicted - 0.25) < 1e-12);
        QCOMPARE(mid.uniform->label, std::string("3"));
        QVERIFY(qAbs(mid.uniform->predicted - 0.3) < 1e-12);
        QCOMPARE(mid.uniform->bitsPerWeight, 3.0);

        // Budget 3.0: uniform 3 bits exactly, nothing left to spend.
        const auto low = allocateFromSensitivity(twoUnits(), BudgetKind::Bits, 3.0, SensitivityMeasure::Kl);
        QCOMPARE(labels(low), (std::vector<std::string>{"3", "3"}));

        // The NLL measure reads nll_delta (here KL / 2: the same choices).
        const auto nll = allocateFromSensitivity(twoUnits(), BudgetKind::Bits, 3.5, SensitivityMeasure::NllDelta);
        QCOMPARE(labels(nll), labels(mid));
        QVERIFY(qAbs(nll.predicted - 0.125) < 1e-12);

        VERIFY_INPUT_ERROR(allocateFromSensitivity(twoUnits(), BudgetKind::Bits, 1.9, SensitivityMeasure::Kl),
                           std::string("budget"), "below 2.0");
        VERIFY_INPUT_ERROR(allocateFromSensitivity(twoUnits(), BudgetKind::Bits, 0, SensitivityMeasure::Kl),
                           std::string("budget"), "positive");
    }

    void dominatedCandidatesAreNeverChosen()
    {
        // "3" costs more bits than "2" and damages more: off the hull. The step from 2 to 4 bits
        // does not fit 3 bits per weight, so the unit stays at 2, which also predicts less than
        // the uniform choice that fits ("3", 0.6).
        const SensitivityTable t = handTable("2,3,4", {{"a", 64, {{2, 0.5}, {3, 0.6}, {4, 0.1}}}});
        const auto a = allocateFromSensitivity(t, BudgetKind::Bits, 3.0, SensitivityMeasure::Kl);
        QCOMPARE(labels(a), std::vector<std::string>{"2"});
        QCOMPARE(a.uniform->label, std::string("3"));
        QCOMPARE(a.steps, int64_t(0));
    }

    void rankByHand()
    {
        // Ranks 0 / 8 / 16. a: 0.3 / 0.1 / 0.05 (convex). b: 0.2 / 0.16 / 0.02, whose rank-8 point
        // lies above the line from 0 to 16 (0.11 there). A total of 16: a to 8 (0.025 per rank),
        // then b's 16-rank step (0.01125 per rank) does not fit, a to 16 (0.00625) does:
        // 0.05 + 0.2 = 0.25, below uniform r8's 0.1 + 0.16.
        const SensitivityTable t = handTable(
            "r0,r8,r16", {{"a", 100, {{0, 0.3}, {8, 0.1}, {16, 0.05}}}, {"b", 100, {{0, 0.2}, {8, 0.16}, {16, 0.02}}}},
            true);
        const auto a = allocateFromSensitivity(t, BudgetKind::Rank, 16, SensitivityMeasure::Kl);
        QCOMPARE(labels(a), (std::vector<std::string>{"r16", "r0"}));
        QCOMPARE(a.totalRank, int64_t(16));
        QVERIFY(qAbs(a.predicted - 0.25) < 1e-12);
        QCOMPARE(a.uniform->label, std::string("r8"));
        QCOMPARE(a.uniform->totalRank, int64_t(16));
        VERIFY_INPUT_ERROR(allocateFromSensitivity(t, BudgetKind::Rank, -1, SensitivityMeasure::Kl),
                           std::string("budget"), "negative");
    }

    void plansCarryEachUnitsCandidate()
    {
        SensitivityTable t = twoUnits();
        t.key.base.method = "rtn";
        t.key.base.groupSize = 32;
        t.units[1].layers = {"model.layers.0.mlp.up_proj", "model.layers.1.mlp.up_proj"};
        const auto a = allocateFromSensitivity(t, BudgetKind::Bits, 3.5, SensitivityMeasure::Kl);
        const QuantPlan plan = toPlan(a);
        QCOMPARE(plan.defaultRecipe, t.key.base);
        QCOMPARE(plan.overrides.size(), size_t(3));
        LinearLayer up;
        up.name = "model.layers.1.mlp.up_proj";
        up.role = LayerRole::Up;
        up.block = 1;
        QCOMPARE(plan.recipeFor(up).bits, 3);
        QCOMPARE(plan.recipeFor(up).groupSize, 32);
        QCOMPARE(uniformPlan(a).defaultRecipe.bits, 3);
        const nlohmann::json j = sensitivityAllocationJson(a, std::nullopt);
        QCOMPARE(j["units"][0]["candidate"].get<std::string>(), std::string("4"));
        QCOMPARE(j["uniform"]["candidate"].get<std::string>(), std::string("3"));
        QCOMPARE(j["measure"].get<std::string>(), std::string("kl"));
        QVERIFY(!j.contains("check"));
    }

    void theCheckCatchesAWrongPrediction()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tokenizer = tokenizerFor(model, "");
        const std::string text = readTextFile(testdata::path("text/tinystories_valid_head.txt"));
        const auto tokens = tokenizeText(tokenizer, std::string(splitTextInHalves(text).calibration), 512);
        Progress p;
        const Transformer floatModel = Transformer::load(model, p);
        const auto reference = CalibrationReference::compute(floatModel, tokens, tokenizer.bosId(), 128, 2, p);
        Recipe base;
        base.groupSize = 32;
        SensitivityOptions options;
        options.threads = 2;
        SensitivityTable table = measureSensitivity(model, floatModel, nullptr, reference, base,
                                                    parseCandidates("2g32,3g32", "test"), "f", options, p);
        // Pretend 2 bits cost nothing: every layer takes them, and the prediction says 0.
        for (auto& u : table.units)
            u.cells[0].kl = 0;
        // The budget of uniform 3 bits.
        double bits = 0, weights = 0;
        for (const auto& u : table.units) {
            bits += u.cells[1].bitsPerWeight * double(u.parameters);
            weights += double(u.parameters);
        }
        const double target = bits / weights;
        const auto allocation = allocateFromSensitivity(table, BudgetKind::Bits, target, SensitivityMeasure::Kl);
        for (const auto& u : allocation.units)
            QCOMPARE(u.label, std::string("2g32"));
        QCOMPARE(allocation.predicted, 0.0);
        // The model says otherwise: the uniform plan within the budget is kept.
        const AllocationCheck check = checkAllocation(model, floatModel, nullptr, reference, allocation, 2, p);
        QVERIFY(check.allocated.kl > 0.5);
        QVERIFY(check.uniform && check.uniform->kl < check.allocated.kl);
        QVERIFY(check.uniformIsBetter);
        QCOMPARE(allocation.uniform->label, std::string("3g32"));
        QCOMPARE(uniformPlan(allocation).defaultRecipe.bits, 3);
        const nlohmann::json j = sensitivityAllocationJson(allocation, check);
        QCOMPARE(j["check"]["uniform_is_better"].get<bool>(), true);
        QCOMPARE(j["check"]["allocated"]["kl"].get<double>(), check.allocated.kl);
    }

    // The gate of the issue: a few thousand calibration tokens from the second half of the text,
    // 8192 held-out tokens from the first half, windows of 256, two threads.
    void gateOnStories260K_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("candidates");
        QTest::newRow("rtn") << "rtn" << "3g128,3g32,4g128,4g32";
        QTest::newRow("gptq") << "gptq" << "3g128,3g32,4g128,4g32";
        QTest::newRow("qer total rank") << "qer" << "r0,r8,r16,r32";
    }

    void gateOnStories260K()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        QFETCH(QString, method);
        QFETCH(QString, candidates);
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tokenizer = tokenizerFor(model, "");
        const std::string text = readTextFile(testdata::path("text/tinystories_valid_head.txt"));
        const TextHalves halves = splitTextInHalves(text);
        const auto calibration = tokenizeText(tokenizer, std::string(halves.calibration), 2048);
        const auto heldOut = tokenizeText(tokenizer, std::string(halves.heldOut), 8192);
        const int threads = 2;
        const int64_t window = 256;
        Progress p;
        const Transformer floatModel = Transformer::load(model, p);
        const bool byRank = method == "qer";

        Recipe base;
        base.method = method.toStdString();
        base.bits = 3;
        base.groupSize = 32;
        base.rank = byRank ? 8 : 0;
        std::optional<ActivationStore> acts;
        if (method == "gptq") {
            CaptureOptions capture;
            capture.window = window;
            capture.keepInputs = 1 << 20;
            capture.sites = false;
            capture.threads = threads;
            acts = captureActivations(floatModel, calibration, tokenizer.bosId(), capture, p);
        }
        const ActivationStore* activations = acts ? &*acts : nullptr;

        const auto reference =
            CalibrationReference::compute(floatModel, calibration, tokenizer.bosId(), window, threads, p);
        SensitivityOptions options;
        options.threads = threads;
        const SensitivityTable table =
            measureSensitivity(model, floatModel, activations, reference, base,
                               parseCandidates(candidates.toStdString(), "test"), "f", options, p);

        RunOptions run;
        run.threads = threads;
        const RunResult uniformRun = runPlan(model, QuantPlan::uniform(base), activations, run, p);
        const double target = byRank ? 8.0 * double(table.units.size()) : uniformRun.summary.averageBitsPerWeight;
        const SensitivityAllocation allocation =
            allocateFromSensitivity(table, byRank ? BudgetKind::Rank : BudgetKind::Bits, target, SensitivityMeasure::Kl);
        QVERIFY(allocation.uniform);
        QCOMPARE(allocation.uniform->label, std::string(byRank ? "r8" : "3g32"));
        if (byRank)
            QVERIFY(allocation.totalRank <= int64_t(target));
        else
            QVERIFY(allocation.achievedBitsPerWeight <= target + 1e-9);

        // The end-to-end check on the calibration tokens is `eval`'s measurement of the plan.
        const AllocationCheck check =
            checkAllocation(model, floatModel, activations, reference, allocation, threads, p);
        QVERIFY(!check.uniformIsBetter);
        QVERIFY(check.allocated.kl < check.uniform->kl);
        const RunResult allocatedRun = runPlan(model, toPlan(allocation), activations, run, p);
        QVERIFY(qAbs(allocatedRun.summary.averageBitsPerWeight - allocation.achievedBitsPerWeight) < 1e-9);
        QCOMPARE(check.allocated.bitsPerWeight, allocatedRun.summary.averageBitsPerWeight);
        const Transformer allocatedModel = quantizedTransformer(floatModel, allocatedRun, p);
        PerplexityOptions eval;
        eval.window = window;
        eval.threads = threads;
        QCOMPARE(check.allocated.kl,
                 evaluatePaired(floatModel, allocatedModel, calibration, tokenizer.bosId(), eval, p).shift.klMean);
        // The sum of the units measured alone is a prediction; layers interact, so it is off, but
        // not by an order of magnitude.
        const double ratio = check.allocated.kl / allocation.predicted;
        qInfo("%s: predicted KL %.4f (sum of units alone), measured %.4f; uniform %.4f predicted, %.4f measured",
              qPrintable(method), allocation.predicted, check.allocated.kl, allocation.uniform->predicted,
              check.uniform->kl);
        QVERIFY2(ratio > 0.5 && ratio < 3.0, qPrintable(QString::number(ratio)));

        // Held out: the allocation against uniform at the same budget and uniform one step up.
        Recipe upper = base;
        if (byRank)
            upper.rank = 16;
        else
            upper.bits = 4;
        const RunResult upperRun = runPlan(model, QuantPlan::uniform(upper), activations, run, p);
        auto heldOutPerplexity = [&](const RunResult& r) {
            return evaluatePerplexity(quantizedTransformer(floatModel, r, p), heldOut, tokenizer.bosId(), eval, p)
                .perplexity;
        };
        const double uniformPpl = heldOutPerplexity(uniformRun);
        const double allocatedPpl = heldOutPerplexity(allocatedRun);
        const double upperPpl = heldOutPerplexity(upperRun);
        const double closed = (uniformPpl - allocatedPpl) / (uniformPpl - upperPpl);
        qInfo("%s held-out perplexity: uniform %s %.3f (%.3f bits per weight), allocated %.3f (%.3f), uniform %s "
              "%.3f (%.3f): %.0f%% of the gap closed",
              qPrintable(method), byRank ? "r8" : "3-bit", uniformPpl, uniformRun.summary.averageBitsPerWeight,
              allocatedPpl, allocatedRun.summary.averageBitsPerWeight, byRank ? "r16" : "4-bit", upperPpl,
              upperRun.summary.averageBitsPerWeight, 100 * closed);
        QVERIFY(allocatedPpl < uniformPpl);
        QVERIFY2(closed > 0.25, qPrintable(QString::number(closed)));
    }
};

QTEST_GUILESS_MAIN(TestSensitivityAllocation)
#include "test_sensitivityallocation.moc"
