// Equal budgets: RecipeStorage predicts exactly the bits each method stores (checked against
// the methods themselves), fitToBudget sets each method's budget parameter so the model average
// lands within the tolerance (hand-computed cases on a demo model whose layers all have 128
// inputs), marks what cannot land, and compare --target-bits runs only what landed, ranks it
// and says what it set. Labels name what a method stores.
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "quant/MethodRegistry.h"
#include "quant/Protection.h"
#include "quant/RecipeStorage.h"
#include "run/Compare.h"
#include "run/EqualBudget.h"
#include "run/Runner.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTest>

#include <set>

using namespace salience;

namespace {

Recipe recipe(const std::string& method, int bits = 4, int group = 128)
{
    Recipe r;
    r.method = method;
    r.bits = bits;
    r.groupSize = group;
    return r;
}

Recipe with(Recipe r, const std::string& param, double value)
{
    r.params[param] = value;
    return r;
}

// A demo model whose every quantized layer has 128 inputs: q, o, gate, up, down 128×128 and
// k, v 64×128 (4 of 8 heads), so budgets can be worked out by hand.
DemoModel squareDemo()
{
    DemoOptions o;
    o.dim = 128;
    o.hiddenDim = 128;
    o.layers = 2;
    return makeDemoModel(o);
}

// Weighted as RunSummary weighs: per block 5 layers of 128·128 and 2 of 64·128.
constexpr double kBig = 5.0 * 128 * 128, kSmall = 2.0 * 64 * 128;

double average(double bigBits, double smallBits)
{
    return (kBig * bigBits + kSmall * smallBits) / (kBig + kSmall);
}

double setValue(const BudgetFit& fit, const std::string& name)
{
    for (const auto& [n, v] : fit.set)
        if (n == name)
            return v;
    return -12345;
}

} // namespace

class TestEqualBudget : public QObject {
    Q_OBJECT
    DemoModel m_demo = makeDemoModel();
    DemoModel m_square = squareDemo();

private slots:
    void predictionEqualsWhatEachMethodStores()
    {
        // Every registered method, and the variants that change what is stored.
        std::vector<Recipe> recipes;
        for (const auto& m : methodRegistry())
            if (m.quantizes) {
                Recipe r = recipe(m.name, 3, 32);
                if (m.usesRank)
                    r.rank = 3;
                if (m.usesProtection)
                    r.protectPercent = 1.3;
                recipes.push_back(r);
            }
        recipes.push_back(with(with(recipe("gptq", 4, 32), "act_order", 1), "static_groups", 0));
        recipes.push_back(with(with(recipe("gptq", 4, 32), "act_order", 1), "static_groups", 1));
        recipes.push_back(with(recipe("gptq", 4, 0), "act_order", 1));
        recipes.push_back(with(recipe("prune-magnitude", 3, 32), "quantize", 1));
        recipes.push_back(with(with(recipe("prune-wanda", 4, 64), "n", 2), "m", 4));
        recipes.push_back(with(with(with(recipe("sparsegpt", 4, 64), "n", 3), "m", 8), "quantize", 1));
        recipes.push_back(with(with(recipe("sparsegpt", 4, 64), "sparsity", 0.37), "quantize", 1));
        Recipe symmetric = recipe("rtn", 5, -1);
        symmetric.symmetric = true;
        recipes.push_back(symmetric);
        Recipe ggml = recipe("rtn");
        ggml.gridType = "Q4_K";
        recipes.push_back(ggml);
        Recipe bigRank = recipe("qer", 2, 16);
        bigRank.rank = 1000; // clamped to min(out, in)
        recipes.push_back(bigRank);

        // One layer of each shape: 128×128, 64×128, 344×128, 128×344.
        std::set<std::pair<int64_t, int64_t>> seen;
        std::vector<const LinearLayer*> layers;
        for (const auto& l : m_demo.model.layers())
            if (l.isQuantizable() && l.role != LayerRole::Classifier && seen.insert({l.outFeatures, l.inFeatures}).second)
                layers.push_back(&l);
        QCOMPARE(layers.size(), size_t(4));
        for (const auto& r : recipes)
            for (const LinearLayer* l : layers) {
                Progress p;
                const LayerResult result = runLayer(m_demo.model, *l, r, &m_demo.activations, p);
                QVERIFY(result.quantized);
                const auto predicted = predictedBitsPerWeight(r, l->outFeatures, l->inFeatures);
                QVERIFY(predicted);
                QVERIFY2(*predicted == result.quantized->bitsPerWeight(),
                         qPrintable(QString::fromStdString(r.summary() + " on " + l->name) +
                                    QStringLiteral(": predicted %1, stored %2")
                                        .arg(*predicted, 0, 'g', 17)
                                        .arg(result.quantized->bitsPerWeight(), 0, 'g', 17)));
            }
        QVERIFY(!predictedBitsPerWeight(recipe("none"), 8, 8));
    }

    void modelAverageIsTheRunSummarys()
    {
        Recipe r = recipe("protect", 3, 48);
        r.protectPercent = 0.7;
        Progress p;
        const RunResult run = runPlan(m_demo.model, QuantPlan::uniform(r), nullptr, {}, p);
        const double predicted = predictedModelBitsPerWeight(m_demo.model, r);
        QVERIFY(qAbs(predicted - run.summary.averageBitsPerWeight) < 1e-12 * predicted);
        QCOMPARE(predictedModelBitsPerWeight(m_demo.model, recipe("none")), 0.0);
    }

    void gridMethodsSetBitsThenGroup()
    {
        // Symmetric: 4 bits and one float16 scale per row of 128 are 4 + 16/128 = 4.125 exactly.
        Recipe sym = recipe("rtn");
        sym.symmetric = true;
        const BudgetFit perChannel = fitToBudget(m_square.model, sym, {4.125, 0.05});
        QVERIFY(perChannel.reached);
        QCOMPARE(perChannel.recipe.bits, 4);
        QCOMPARE(perChannel.recipe.groupSize, 0);
        QCOMPARE(perChannel.bitsPerWeight, 4.125);
        QCOMPARE(perChannel.describeSet(), std::string("bits 4, per-channel"));

        // Asymmetric, 4.3125 = 4 + 2·(16 + 4)/128: two groups per row, of 64.
        const BudgetFit two = fitToBudget(m_square.model, recipe("rtn"), {4.3125, 0.05});
        QVERIFY(two.reached);
        QCOMPARE(two.recipe.bits, 4);
        QCOMPARE(two.recipe.groupSize, 64);
        QCOMPARE(two.bitsPerWeight, 4.3125);
        QCOMPARE(setValue(two, "group_size"), 64.0);

        // 4.0 asymmetric: 4 bits cost at least 4 + 20/128 = 4.156 > 4.05, so 3 bits, whose
        // 3 + 19k/128 is nearest at k = 6 groups per row (3.890625; k = 7 gives 4.0390625,
        // nearer): groups of ceil(128/7) = 19.
        const BudgetFit four = fitToBudget(m_square.model, recipe("rtn"), {4.0, 0.05});
        QVERIFY(four.reached);
        QCOMPARE(four.recipe.bits, 3);
        QCOMPARE(four.recipe.groupSize, 19);
        QCOMPARE(four.bitsPerWeight, 3 + 19.0 * 7 / 128);

        // --group fixed at 32: only the bits move; 3 + (16 + 3)·4/128 = 3.59375, and AWQ's input
        // scales, 16 bits per input column: 16/out per weight.
        const BudgetFit fixedGroup = fitToBudget(m_square.model, recipe("awq", 4, 32), {3.75, 0.05}, {true, false});
        QVERIFY(fixedGroup.reached);
        QCOMPARE(fixedGroup.recipe.bits, 3);
        QCOMPARE(fixedGroup.recipe.groupSize, 32);
        QVERIFY(qAbs(fixedGroup.bitsPerWeight - (3.59375 + average(16.0 / 128, 16.0 / 64))) < 1e-12);
        QCOMPARE(fixedGroup.describeSet(), std::string("bits 3"));
    }

    void sideBudgetsFillWhatTheBaseLeaves()
    {
        // QER: the 4-bit g128 asym base stores 4 + 20/128 = 4.15625; each rank adds 16·256/128² =
        // 0.25 on 128×128 and 16·192/(64·128) = 0.375 on 64×128.
        const double base = 4.15625, perRank = average(0.25, 0.375);
        const BudgetFit qer = fitToBudget(m_square.model, recipe("qer"), {base + 2 * perRank + 0.01, 0.05});
        QVERIFY(qer.reached);
        QCOMPARE(qer.recipe.bits, 4);
        QCOMPARE(qer.recipe.rank, 2);
        QVERIFY(qAbs(qer.bitsPerWeight - (base + 2 * perRank)) < 1e-12);
        QCOMPARE(qer.describeSet(), std::string("bits 4, rank 2"));

        // Protection at bits fixed to 3 (g128 asym: 3 + 19/128): the rest goes to sparse entries
        // of 32 bits plus 32·(out + 1) of row pointers; the chosen percentage is the one whose
        // count lands nearest, and one weight more or less per layer would not be nearer.
        Recipe protect = recipe("protect", 3);
        const double target = 3.5;
        const BudgetFit fit = fitToBudget(m_square.model, protect, {target, 0.05}, {false, false});
        QVERIFY(fit.reached);
        QCOMPARE(fit.recipe.bits, 3);
        const double p = fit.recipe.protectPercent;
        const auto layerBits = [&](int64_t out, double percent) {
            const int64_t count = protectedCount(percent, out, 128);
            return 3 + 19.0 / 128 + (count > 0 ? (32.0 * double(count) + 32.0 * double(out + 1)) / double(out * 128) : 0);
        };
        QCOMPARE(fit.bitsPerWeight, average(layerBits(128, p), layerBits(64, p)));
        QVERIFY(qAbs(fit.bitsPerWeight - target) <= 0.05);
        QVERIFY(p > 0 && p < 5);
        const double step = 100.0 / (64 * 128); // one weight more in the smaller layers
        QVERIFY(qAbs(average(layerBits(128, p + step), layerBits(64, p + step)) - target) >=
                qAbs(fit.bitsPerWeight - target));

        // Pruning kept in float16: 16 bits per kept weight and a 1-bit mask: 16(1 − s) + 1 = 5
        // at s = 0.75.
        const BudgetFit prune = fitToBudget(m_square.model, recipe("prune-magnitude"), {5.0, 0.05});
        QVERIFY(prune.reached);
        QCOMPARE(prune.recipe.param("sparsity"), 0.75);
        QCOMPARE(prune.bitsPerWeight, 5.0);
        QCOMPARE(prune.describeSet(), std::string("sparsity 75%"));

        // k-means: 3-bit codes and 8 float16 entries per row of 128: 3 + 128/128 = 4.
        const BudgetFit kmeans = fitToBudget(m_square.model, recipe("kmeans"), {4.0, 0.05});
        QVERIFY(kmeans.reached);
        QCOMPARE(kmeans.recipe.bits, 3);
        QCOMPARE(kmeans.bitsPerWeight, 4.0);

        // ASVD: rank alone, 0.25 / 0.375 bits per rank as above.
        const BudgetFit asvd = fitToBudget(m_square.model, recipe("asvd"), {8 * perRank, 0.05});
        QVERIFY(asvd.reached);
        QCOMPARE(asvd.recipe.rank, 8);
        QCOMPARE(asvd.describeSet(), std::string("rank 8"));
    }

    void whatCannotLandIsMarked()
    {
        // k-means stores 2.5, 4 or 6 bits on these rows: 3.3 is 0.7 from the nearest.
        const BudgetFit gap = fitToBudget(m_square.model, recipe("kmeans"), {3.3, 0.05});
        QVERIFY(!gap.reached);
        QCOMPARE(gap.bitsPerWeight, 4.0); // 2.5 is 0.8 away, 4 is 0.7
        QCOMPARE(gap.recipe.bits, 3);
        QVERIFY2(QString::fromStdString(gap.reason).contains("no setting within ±0.05 of 3.3"), gap.reason.c_str());

        // rtn stores at least 2 + 16/128 bits (2 bits, symmetric, one scale per row).
        const BudgetFit low = fitToBudget(m_square.model, recipe("rtn"), {1.5, 0.05});
        QVERIFY(!low.reached);
        QCOMPARE(low.smallest, 2.125);
        QVERIFY2(low.reason == "cannot reach 1.5 bits: the smallest it stores is 2.125", low.reason.c_str());
        // Asymmetric kept (--sym not free): 2 + 18/128.
        QCOMPARE(fitToBudget(m_square.model, recipe("rtn"), {1.5, 0.05}, {true, true, false}).smallest, 2 + 18.0 / 128);

        // Pruning in float16 stores at most 16 + 1.
        const BudgetFit high = fitToBudget(m_square.model, recipe("prune-wanda"), {20, 0.05});
        QVERIFY(!high.reached);
        QCOMPARE(high.largest, 17.0);
        QVERIFY2(QString::fromStdString(high.reason).contains("the most it stores is 17"), high.reason.c_str());

        // Nothing free: --bits, --group and --sym given.
        const BudgetFit fixed = fitToBudget(m_square.model, recipe("rtn"), {3.0, 0.05}, {false, false, false});
        QVERIFY(!fixed.reached);
        QVERIFY(fixed.set.empty());
        QVERIFY2(QString::fromStdString(fixed.reason).contains("nothing to set"), fixed.reason.c_str());

        // Full precision has no budget.
        QVERIFY(!fitToBudget(m_square.model, recipe("none"), {4, 0.05}).reached);

        Recipe ggml = recipe("rtn");
        ggml.gridType = "Q4_K";
        VERIFY_INPUT_ERROR(fitToBudget(m_square.model, ggml, {4.5, 0.05}), std::string("--target-bits"), "grid type");
        VERIFY_INPUT_ERROR(fitToBudget(m_square.model, recipe("rtn"), {-1, 0.05}), std::string("--target-bits"),
                           "positive");
        VERIFY_INPUT_ERROR(fitToBudget(m_square.model, recipe("rtn"), {4, 0}), std::string("--tolerance"), "positive");
    }

    void compareRunsOnlyWhatLandsAndRanksIt()
    {
        const std::vector<Recipe> recipes{recipe("rtn"), recipe("gptq"), recipe("protect"), recipe("qer"),
                                          recipe("kmeans"), recipe("prune-magnitude"), recipe("asvd")};
        CompareOptions options;
        // 3.51: rtn and gptq at 3 bits, symmetric, 4 groups a row (3.5): asymmetric lands at
        // 3.445 or 3.594; qer likewise with a rank where it lands, protect and asvd at the
        // share or rank that lands, pruning keeping 20 of 128 (3.5).
        options.target = BudgetTarget{3.51, 0.05};
        Progress progress;
        const CompareResult result = compareMethods(m_square.model, &m_square.activations, recipes, options, progress);
        // k-means cannot store 3.51 on 128-wide rows (2.5 or 4); the others can.
        QCOMPARE(result.unreached.size(), size_t(1));
        QCOMPARE(result.unreached[0].method, std::string("kmeans"));
        QVERIFY(!result.unreached[0].fit.reason.empty());
        QCOMPARE(result.methods.size(), recipes.size() - 1);
        for (const auto& s : result.methods) {
            QVERIFY(s.budget);
            QVERIFY2(s.budget->reached, s.method.c_str());
            QVERIFY2(qAbs(s.averageBitsPerWeight - 3.51) <= 0.05, s.method.c_str());
            QVERIFY(qAbs(s.averageBitsPerWeight - s.budget->bitsPerWeight) < 1e-12);
            QVERIFY(!s.budget->set.empty());
            QVERIFY(s.budget->recipe == s.recipe);
        }
        const std::vector<size_t> ranked = result.ranking();
        QCOMPARE(ranked.size(), result.methods.size());
        QCOMPARE(result.rankedBy(), std::string("mean_rel_output_error"));
        for (size_t k = 1; k < ranked.size(); ++k)
            QVERIFY(*result.methods[ranked[k - 1]].meanRelativeOutputError <=
                    *result.methods[ranked[k]].meanRelativeOutputError);

        const nlohmann::json j = compareJson(result);
        QCOMPARE(j["target"]["bits_per_weight"].get<double>(), 3.51);
        QCOMPARE(j["target"]["tolerance"].get<double>(), 0.05);
        QCOMPARE(j["ranked_by"].get<std::string>(), std::string("mean_rel_output_error"));
        for (const auto& s : j["summaries"]) {
            QVERIFY(s["budget"]["reached"].get<bool>());
            QVERIFY(s["budget"]["set"].is_object() && !s["budget"]["set"].empty());
            QVERIFY(s.contains("rank"));
        }
        QCOMPARE(j["summaries"][0]["budget"]["set"]["bits"].get<int>(), result.methods[0].recipe.bits);
        QCOMPARE(j["unreached"].size(), size_t(1));
        QVERIFY(!j["unreached"][0]["budget"]["reached"].get<bool>());
        QVERIFY(j["unreached"][0]["budget"].contains("reason"));

        // Without a target nothing ranks: the budgets differ.
        Progress p;
        const CompareResult plain = compareMethods(m_square.model, nullptr, {recipe("rtn"), recipe("qer")}, {}, p);
        QVERIFY(plain.ranking().empty());
        QVERIFY(!compareJson(plain).contains("target") && !compareJson(plain).contains("ranked_by"));
    }

    void stories260KLandsWhereItCan()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        // Methods that need no activations; their runs check the prediction on real shapes
        // (64 and 172 inputs).
        const std::vector<Recipe> recipes{recipe("rtn"), recipe("hadamard"), recipe("protect"), recipe("qer"),
                                          recipe("kmeans"), recipe("prune-magnitude")};
        for (const double target : {3.0, 4.0, 5.0}) {
            CompareOptions options;
            options.target = BudgetTarget{target, 0.05};
            Progress progress;
            const CompareResult result = compareMethods(model, nullptr, recipes, options, progress);
            QCOMPARE(result.methods.size() + result.unreached.size(), recipes.size());
            for (const auto& s : result.methods) {
                QVERIFY2(qAbs(s.averageBitsPerWeight - target) <= 0.05,
                         qPrintable(QStringLiteral("%1 at %2: %3").arg(s.method.c_str()).arg(target).arg(s.averageBitsPerWeight)));
                QVERIFY(s.budget && s.budget->reached);
            }
            for (const auto& u : result.unreached) {
                QVERIFY(!u.fit.reached);
                QVERIFY(qAbs(u.fit.bitsPerWeight - target) > 0.05);
                QVERIFY(!u.fit.reason.empty());
            }
            // The grid methods always find a setting here.
            QVERIFY(!result.ranking().empty());
            QCOMPARE(result.methods.front().method, std::string("rtn"));
        }
    }

    void labelsNameWhatIsStored()
    {
        QCOMPARE(recipe("rtn", 3, 32).summary(), std::string("rtn 3-bit g32 asym"));
        QCOMPARE(recipe("prune-magnitude", 3, 32).summary(), std::string("prune-magnitude 50% f16"));
        QCOMPARE(with(recipe("prune-wanda", 3, 32), "quantize", 1).summary(),
                 std::string("prune-wanda 50% 3-bit g32 asym"));
        QCOMPARE(with(with(recipe("sparsegpt"), "n", 2), "sparsity", 0.3).summary(), std::string("sparsegpt 2:4 f16"));
        QCOMPARE(with(recipe("sparsegpt"), "sparsity", 0.8125).summary(), std::string("sparsegpt 81.25% f16"));
        QCOMPARE(recipe("kmeans", 3, 32).summary(), std::string("kmeans 3-bit LUT"));
        Recipe asvd = recipe("asvd", 3, 32);
        asvd.rank = 8;
        QCOMPARE(asvd.summary(), std::string("asvd r8"));
        Recipe qer = recipe("qer", 3, 32);
        qer.rank = 4;
        QCOMPARE(qer.summary(), std::string("qer 3-bit g32 asym r4"));
        QCOMPARE(recipe("none").summary(), std::string("none"));
        Recipe protect = recipe("protect", 3, 128);
        protect.protectPercent = 0.92712;
        QCOMPARE(protect.summary(), std::string("protect 3-bit g128 asym p0.927%"));
    }
};

QTEST_GUILESS_MAIN(TestEqualBudget)
#include "test_equalbudget.moc"
