// QuantPlan and Recipe: JSON round trips, override precedence, and every rejection naming
// what is wrong.
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "plan/QuantPlan.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace salience;
using nlohmann::json;

namespace {
// Runs f and returns the InputError's message, or fails.
template <class F>
std::string errorOf(F f)
{
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("(not an InputError) ") + e.what();
    }
    return "(no error)";
}
bool mentions(const std::string& message, const std::string& what) { return message.find(what) != std::string::npos; }
} // namespace

class TestPlan : public QObject {
    Q_OBJECT
    Model m_model = makeDemoModel().model;

private slots:
    void recipeRoundTripAndGrid()
    {
        Recipe r;
        r.bits = 3;
        r.groupSize = 64;
        r.symmetric = true;
        r.rank = 8;
        const Recipe back = Recipe::fromJson(r.toJson(), "test");
        QVERIFY(back == r);
        QCOMPARE(back.grid().granularity, Granularity::PerGroup);
        QCOMPARE(back.grid().groupSize, 64);
        r.groupSize = 0;
        QCOMPARE(r.grid().granularity, Granularity::PerChannel);
        r.groupSize = -1;
        QCOMPARE(r.grid().granularity, Granularity::PerTensor);
        QCOMPARE(Recipe().summary(), std::string("rtn 4-bit g128 asym"));
    }

    void recipeRejectsBadFields()
    {
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"method", "magic"}}, "here"); }), "unknown method 'magic'"));
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"bits", 9}}, "here"); }), "bits must be between 2 and 8"));
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"bits", 1}}, "here"); }), "bits"));
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"group_size", -5}}, "here"); }), "group_size"));
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"protect", 150}}, "here"); }), "protect"));
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"colour", 1}}, "here"); }), "unknown recipe field 'colour'"));
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"bits", "four"}}, "here"); }), "'bits' must be a whole number"));
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"params", {{"alpha", 0.5}}}}, "here"); }),
                         "has no parameter 'alpha'"));
        QVERIFY(mentions(errorOf([] { Recipe::fromJson(json{{"bits", 9}}, "plan.json: default"); }), "plan.json: default"));
    }

    void overridesApplyInOrderAndOnlyTheFieldsTheySet()
    {
        const json j = json::parse(R"({"format": "salience-plan", "version": 1,
            "default": {"method": "rtn", "bits": 4, "group_size": 128},
            "overrides": [
              {"role": "down", "set": {"bits": 8}},
              {"blocks": [2, 3], "set": {"group_size": 32}},
              {"match": "layers\\.3\\..*down", "set": {"symmetric": true}},
              {"layer": "model.layers.0.self_attn.q_proj", "set": {"method": "none"}}]})");
        const QuantPlan plan = QuantPlan::fromJson(j, "plan.json");
        plan.validateAgainst(m_model, "plan.json");
        const auto recipe = [&](const char* name) { return plan.recipeFor(m_model.layer(name)); };
        QCOMPARE(recipe("model.layers.1.mlp.up_proj").bits, 4);
        QCOMPARE(recipe("model.layers.1.mlp.down_proj").bits, 8);
        QCOMPARE(recipe("model.layers.1.mlp.down_proj").groupSize, 128);
        QCOMPARE(recipe("model.layers.2.mlp.down_proj").groupSize, 32);
        QCOMPARE(recipe("model.layers.2.mlp.down_proj").bits, 8);
        QVERIFY(!recipe("model.layers.2.mlp.down_proj").symmetric);
        QVERIFY(recipe("model.layers.3.mlp.down_proj").symmetric);
        QCOMPARE(recipe("model.layers.0.self_attn.q_proj").method, std::string("none"));
        QCOMPARE(recipe("model.embed_tokens").method, std::string("none")); // the lookup table is never quantized
        // Round trip through JSON keeps every recipe.
        const QuantPlan back = QuantPlan::fromJson(plan.toJson(), "again");
        for (const auto& l : m_model.layers())
            QVERIFY(back.recipeFor(l) == plan.recipeFor(l));
    }

    void setAndResetLayer()
    {
        QuantPlan plan;
        Recipe r;
        r.bits = 2;
        plan.setLayerRecipe("model.layers.1.mlp.gate_proj", r);
        plan.setLayerRecipe("model.layers.1.mlp.gate_proj", r); // replaces, does not stack
        QCOMPARE(plan.overrides.size(), size_t(1));
        QCOMPARE(plan.recipeFor(m_model.layer("model.layers.1.mlp.gate_proj")).bits, 2);
        plan.resetLayer("model.layers.1.mlp.gate_proj");
        QCOMPARE(plan.recipeFor(m_model.layer("model.layers.1.mlp.gate_proj")).bits, 4);
    }

    void layerRecipeOnTheUniformGridIgnoresTheDefaultsBlockFormat()
    {
        QuantPlan plan;
        plan.defaultRecipe.gridType = "Q4_K";
        Recipe uniform;
        uniform.bits = 3;
        plan.setLayerRecipe("model.layers.1.mlp.gate_proj", uniform);
        QCOMPARE(plan.recipeFor(m_model.layer("model.layers.1.mlp.gate_proj")), uniform);
        QCOMPARE(plan.recipeFor(m_model.layer("model.layers.1.mlp.up_proj")).gridType, std::string("Q4_K"));
        const QuantPlan back = QuantPlan::fromJson(plan.toJson(), "again");
        QCOMPARE(back.recipeFor(m_model.layer("model.layers.1.mlp.gate_proj")), uniform);
        // Without a block format anywhere, an override reads as before: no grid_type field.
        QuantPlan plain;
        plain.setLayerRecipe("model.layers.1.mlp.gate_proj", uniform);
        QVERIFY(!plain.overrides.front().set.contains("grid_type"));
    }

    void layerOverridesAcceptAnySchemesName()
    {
        // A plan written against a GGUF names layers the llama.cpp way; it must reach the same
        // layer of a model opened from safetensors, and Reset must remove it.
        QuantPlan plan = QuantPlan::fromJson(
            json::parse(R"({"format": "salience-plan", "version": 1,
                           "overrides": [{"layer": "blk.2.ffn_down.weight", "set": {"bits": 8}}]})"),
            "p.json");
        plan.validateAgainst(m_model, "p.json");
        QCOMPARE(plan.recipeFor(m_model.layer("model.layers.2.mlp.down_proj")).bits, 8);
        QCOMPARE(plan.recipeFor(m_model.layer("model.layers.2.mlp.up_proj")).bits, 4);
        plan.resetLayer("model.layers.2.mlp.down_proj");
        QVERIFY(plan.overrides.empty());
    }

    void rejectsPlansThatDoNotFitTheModel()
    {
        auto planWith = [](json overrideEntry) {
            return json{{"format", "salience-plan"}, {"version", 1}, {"overrides", json::array({overrideEntry})}};
        };
        const auto validate = [&](json j) {
            return errorOf([&] { QuantPlan::fromJson(j, "p.json").validateAgainst(m_model, "p.json"); });
        };
        QVERIFY(mentions(validate(planWith({{"layer", "model.layers.9.mlp.up_proj"}, {"set", {{"bits", 3}}}})),
                         "no layer named 'model.layers.9.mlp.up_proj'"));
        QVERIFY(mentions(validate(planWith({{"blocks", {2, 7}}, {"set", {{"bits", 3}}}})), "outside the model"));
        QVERIFY(mentions(validate(planWith({{"match", "attention\\.wq"}, {"set", {{"bits", 3}}}})), "matches no layer"));
        QVERIFY(mentions(validate(planWith({{"match", "([unclosed"}, {"set", {}}})), "does not compile"));
        QVERIFY(mentions(validate(planWith({{"role", "mixer"}, {"set", {}}})), "unknown role 'mixer'"));
        QVERIFY(mentions(validate(planWith({{"role", "q"}, {"layer", "x"}, {"set", {}}})), "exactly one"));
        QVERIFY(mentions(validate(planWith({{"role", "q"}, {"set", {{"bits", 12}}}})), "override 1"));
        QVERIFY(mentions(validate(json{{"format", "salience-plan"}, {"version", 99}}), "unsupported plan version"));
        QVERIFY(mentions(validate(planWith({{"role", "q"}, {"set", 3}})), "\"set\" must be an object"));
        QVERIFY(mentions(validate(json{{"layers", 1}}), "not a Salience plan"));
    }

    // Plans come from elsewhere: numbers are checked as what they are before any narrowing, and
    // nesting, regex length, regex nesting and backtracking are bounded (each of these once
    // crashed, hung or was silently misread).
    void hostilePlansAreRefused()
    {
        const auto recipeError = [](json recipe) { return errorOf([&] { Recipe::fromJson(recipe, "here"); }); };
        QVERIFY(mentions(recipeError(json::parse(R"({"bits": 4294967304})")), "'bits' must be a whole number"));
        QVERIFY(mentions(recipeError(json{{"bits", 4.9}}), "got 4.9"));
        QCOMPARE(Recipe::fromJson(json{{"bits", 3.0}}, "here").bits, 3); // a whole number written as a float
        QVERIFY(mentions(recipeError(json::parse(R"({"group_size": 1e100})")), "'group_size' must be a whole number"));
        QVERIFY(mentions(recipeError(json{{"rank", -3}}), "'rank' must be a whole number"));
        QVERIFY(mentions(recipeError(json{{"seed", -1}}), "'seed' must be a whole number"));
        QVERIFY(mentions(recipeError(json{{"method", "gptq"}, {"params", {{"damp", 1e300 * 1e300}}}}), "finite number"));

        auto planWith = [](json overrideEntry) {
            return json{{"format", "salience-plan"}, {"version", 1}, {"overrides", json::array({overrideEntry})}};
        };
        const auto validate = [&](json j) {
            return errorOf([&] { QuantPlan::fromJson(j, "p.json").validateAgainst(m_model, "p.json"); });
        };
        QVERIFY(mentions(validate(planWith({{"blocks", {1e100, 2}}, {"set", {{"bits", 3}}}})), "two block numbers"));
        QVERIFY(mentions(validate(planWith({{"blocks", {-1, 2}}, {"set", {{"bits", 3}}}})), "two block numbers"));
        QVERIFY(mentions(validate(planWith({{"match", std::string(30000, '(') + std::string(30000, ')')}, {"set", {}}})),
                         "at most 1000"));
        QVERIFY(mentions(validate(planWith({{"match", std::string(300, '(') + std::string(300, ')')}, {"set", {}}})),
                         "too deeply nested"));
        // Catastrophic backtracking on a layer name: PCRE2 ends it (no match here), in milliseconds.
        std::string backtracking = "(";
        for (int i = 0; i < 30; ++i)
            backtracking += ".*";
        backtracking += ")*Z";
        const std::string noMatch = validate(planWith({{"match", backtracking}, {"set", json::object()}}));
        QVERIFY2(mentions(noMatch, "matches no layer") || mentions(noMatch, "gave up"), noMatch.c_str());

        QTemporaryDir dir;
        const std::string deep = dir.filePath("deep.json").toStdString();
        std::ofstream(deep) << R"({"format": "salience-plan", "version": 1, "default": {"method": "rtn", "params": )"
                            << std::string(100000, '[') << std::string(100000, ']') << "}}";
        QVERIFY(mentions(errorOf([&] { QuantPlan::load(deep); }), "nests deeper than 256"));
        QVERIFY(mentions(errorOf([&] { QuantPlan::load(deep); }), "deep.json"));
    }

    void savesAtomicallyAndLoads()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("plan.json").toStdString();
        QuantPlan plan;
        plan.defaultRecipe.bits = 3;
        plan.setLayerRecipe("model.layers.0.mlp.down_proj", Recipe{});
        plan.save(path);
        const QuantPlan back = QuantPlan::load(path);
        QCOMPARE(back.defaultRecipe.bits, 3);
        QCOMPARE(back.recipeFor(m_model.layer("model.layers.0.mlp.down_proj")).bits, 4);
        std::ofstream(dir.filePath("broken.json").toStdString()) << "{ not json";
        QVERIFY(mentions(errorOf([&] { QuantPlan::load(dir.filePath("broken.json").toStdString()); }), "invalid JSON"));
        QVERIFY(mentions(errorOf([&] { QuantPlan::load(dir.filePath("none.json").toStdString()); }), "none.json"));
    }
};

QTEST_GUILESS_MAIN(TestPlan)
#include "test_plan.moc"
