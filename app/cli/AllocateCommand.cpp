// salience-cli allocate [MODEL] [--acts ACTS] (--target-bits B | --total-rank R | --preset MIX) [recipe options]
//     [--text FILE [--part calibration] | --sensitivity SENS.json] [--candidates ...] [-o PLAN.json] [--json]:
// distribute a model-wide budget over the layers and write it as a plan for quantize, eval,
// export and compare. With --text or --sensitivity, from the measured end-to-end sensitivity
// (run/SensitivityAllocation.h), checked end to end against the uniform plan of the same budget;
// without, from each layer's own error (run/BudgetAllocation.h), the fast option. --preset takes
// llama-quantize's allocation of a mix instead (export/LlamaQuantizePlan.h).
#include "CliSupport.h"
#include "Commands.h"
#include "RecipeOptions.h"
#include "SensitivitySupport.h"

#include "base/Error.h"
#include "export/LlamaQuantizePlan.h"
#include "quant/MethodRegistry.h"
#include "run/BudgetAllocation.h"
#include "run/Runner.h"
#include "run/SensitivityAllocation.h"
#include "run/SensitivityFile.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>

namespace salience::cli {

namespace {

const char* kFastLabel = "per-layer error (fast)";
const char* kSensitivityLabel = "end-to-end sensitivity";

struct AllocateOptions {
    std::string model;
    std::string acts;
    std::string out;
    std::string sensitivity;
    std::string preset;
    RecipeOptions recipe;
    CalibrationOptions calibration;
    std::string targetBits; // a number, or "uniform"
    std::string totalRank;  // the same
    bool force = false;
    bool json = false;
};

const char* kUniform = "uniform";

// A budget option's number; nullopt for "uniform" (the base recipe on every layer).
std::optional<double> budgetValue(const std::string& value, const char* option)
{
    if (value == kUniform)
        return std::nullopt;
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size())
        throw InputError(option, "expects a number or 'uniform', got '" + value + "'");
    return v;
}

void checkWholeRank(double rank)
{
    if (!(rank >= 0) || rank != std::floor(rank))
        throw InputError("--total-rank", "must be a whole number of at least 0");
}

// What the base recipe spends on every layer it quantizes: its average bits per weight (a run
// of the uniform plan, everything counted) or its rank times the number of those layers.
double uniformBudget(const Model& model, const ActivationStore* acts, const Recipe& base, bool bits, int threads)
{
    const QuantPlan plan = QuantPlan::uniform(base);
    if (!bits) {
        int64_t layers = 0;
        for (const auto& l : model.layers()) {
            const MethodInfo* m = findMethod(plan.recipeFor(l).method);
            layers += m && m->quantizes ? 1 : 0;
        }
        return double(base.rank) * double(layers);
    }
    RunOptions options;
    options.threads = threads;
    Progress quiet;
    return runPlan(model, plan, acts, options, quiet).summary.averageBitsPerWeight;
}

// The per-layer-error allocation takes bit widths only.
std::vector<int> bitCandidates(const std::string& list)
{
    if (list.empty())
        return {2, 3, 4, 5, 6, 8};
    std::vector<int> bits;
    for (const auto& c : parseCandidates(list, "--candidates")) {
        if (!c.bits || c.method || c.groupSize || c.rank)
            throw InputError("--candidates", "'" + c.label() + "': the " + std::string(kFastLabel) +
                                                 " allocation takes bit widths only; candidates with group sizes, "
                                                 "ranks or methods need --text or --sensitivity");
        bits.push_back(*c.bits);
    }
    return bits;
}

void printAllocation(const BudgetAllocation& a)
{
    const bool bits = a.kind == BudgetKind::Bits;
    const char* errorName = a.outputError ? "rel.out" : "rel.W";
    std::printf("%-34s %9s %5s %7s %11s", "layer", "params", bits ? "bits" : "rank", "bits/w",
                (std::string("pred.") + errorName).c_str());
    if (bits && !a.layers.empty())
        for (const auto& c : a.layers.front().candidates)
            std::printf("     err@%-2d", c.bits);
    std::printf("\n");
    for (const auto& l : a.layers) {
        std::printf("%-34s %9lld %5d %7.3f %11.5f", l.layer.c_str(), (long long)l.parameters, bits ? l.bits : l.rank,
                    l.bitsPerWeight, l.predictedError);
        for (const auto& c : l.candidates)
            std::printf(" %9.5f%c", c.error, c.bits == l.bits ? '*' : ' ');
        std::printf("\n");
    }
    if (bits)
        std::printf("\ntarget %.3f bits per weight: achieved %.3f over %zu layers (%lld upgrades)", a.target,
                    a.achievedBitsPerWeight, a.layers.size(), (long long)a.steps);
    else
        std::printf("\ntotal rank %lld of %lld: %.3f bits per weight over %zu layers", (long long)a.totalRank,
                    (long long)a.target, a.achievedBitsPerWeight, a.layers.size());
    std::printf("; predicted %s error (parameter-weighted RMS) %.5f\n", errorName, a.predictedError);
    if (bits && a.nextStepBitsPerWeight > 0)
        std::printf("the next upgrade would reach %.3f bits per weight\n", a.nextStepBitsPerWeight);
    std::printf("allocation: %s: each layer's own error, not the model's; check the plan with eval, or "
                "allocate with --text for the end-to-end sensitivity\n",
                kFastLabel);
}

void printMeasurement(const std::string& what, const PlanMeasurement& m, bool rank)
{
    std::printf("%-28s %7.3f bits per weight", what.c_str(), m.bitsPerWeight);
    if (rank)
        std::printf(", total rank %lld", (long long)m.totalRank);
    std::printf(": KL %.5f ± %.5f, NLL %+.5f\n", m.kl, m.klStdError, m.nllDelta);
}

void printSensitivityAllocation(const SensitivityAllocation& a, const AllocationCheck& check,
                                const SensitivityTable& table)
{
    const bool bits = a.kind == BudgetKind::Bits;
    const char* measure = a.measure == SensitivityMeasure::Kl ? "KL" : "dNLL";
    std::printf("%-34s %9s %-10s %7s", "unit", "params", "candidate", "bits/w");
    if (!bits)
        std::printf(" %6s", "rank");
    std::printf(" %11s\n", (std::string("pred.") + measure).c_str());
    for (const auto& u : a.units) {
        std::printf("%-34s %9lld %-10s %7.3f", u.unit.c_str(), (long long)u.parameters, u.label.c_str(),
                    u.bitsPerWeight);
        if (!bits)
            std::printf(" %6lld", (long long)u.rank);
        std::printf(" %11.5f\n", u.predicted);
    }
    std::printf("\nallocation: %s (%s of each %s alone on %lld calibration tokens of %s, %s part)\n", kSensitivityLabel,
                measure, unitKindName(table.key.unitKind), (long long)table.tokens, table.textSource.c_str(),
                table.textPart.c_str());
    if (bits)
        std::printf("target %.3f bits per weight: achieved %.3f over %zu units (%lld steps)\n", a.target,
                    a.achievedBitsPerWeight, a.units.size(), (long long)a.steps);
    else
        std::printf("total rank %lld of %lld: %.3f bits per weight over %zu units\n", (long long)a.totalRank,
                    (long long)a.target, a.achievedBitsPerWeight, a.units.size());
    std::printf("predicted %s (sum over units, each measured alone): %.5f\n", measure, a.predicted);
    std::printf("measured end to end on the calibration tokens:\n");
    printMeasurement("  allocated", check.allocated, !bits);
    if (check.uniform)
        printMeasurement("  uniform " + a.uniform->label, *check.uniform, !bits);
    if (!check.uniform)
        std::printf("no candidate fits the budget on every unit: nothing uniform to compare with\n");
    else if (check.uniformIsBetter)
        std::printf("the allocation does not beat uniform %s on the calibration tokens: the plan is uniform %s\n",
                    a.uniform->label.c_str(), a.uniform->label.c_str());
    else
        std::printf("the allocation beats uniform %s on the calibration tokens\n", a.uniform->label.c_str());
}

// The inputs of a sensitivity file as defaults for the options not given.
void defaultsFromFile(CLI::App& cmd, const SensitivityTable& t, AllocateOptions& o, Recipe& base)
{
    if (!recipeOptionsGiven(cmd))
        base = t.key.base;
    if (!cmd.count("--candidates")) {
        std::string list;
        for (const auto& c : t.candidates()) {
            if (!list.empty())
                list += ',';
            list += c.label();
        }
        o.calibration.candidates = list;
    }
    if (!cmd.count("--unit"))
        o.calibration.unit = unitKindName(t.key.unitKind);
    if (!cmd.count("--window"))
        o.calibration.window = t.key.window;
    if (o.calibration.text.empty()) {
        if (t.textSource.empty())
            throw InputError(o.sensitivity, "names no text file: give --text");
        o.calibration.text = t.textSource;
        if (!cmd.count("--part"))
            o.calibration.part = t.textPart;
        if (!cmd.count("--tokens"))
            o.calibration.tokens = t.tokens;
    }
}

void runSensitivityAllocate(CLI::App& cmd, AllocateOptions o, bool byBits)
{
    Recipe base = recipeFromOptions(o.recipe);
    if (!o.sensitivity.empty() && std::filesystem::exists(o.sensitivity))
        defaultsFromFile(cmd, loadSensitivity(o.sensitivity), o, base);
    else if (!o.sensitivity.empty() && o.calibration.text.empty())
        throw InputError(o.sensitivity, "does not exist: give --text to measure it");
    const SensitivityMeasure measure = parseSensitivityMeasure(o.calibration.measure, "--measure");
    const auto candidates = candidatesFor(o.calibration, base);
    OpenedModel opened = openModel(o.model, o.acts);

    Progress progress = terminalProgress("allocate");
    Progress measuring = progress.child(0.0, 0.85);
    MeasuredSensitivity measured =
        sensitivityFor(opened, base, candidates, o.calibration, o.sensitivity, o.force, measuring);
    Calibration& calibration = measured.calibration;
    const ObtainedTable& obtained = measured.obtained;

    // The end-to-end check runs on the same calibration tokens (and activations, when needed).
    if (!calibration.reference) {
        Progress reference = progress.child(0.85, 0.87);
        calibration.reference = CalibrationReference::compute(calibration.floatModel, calibration.tokens,
                                                               calibration.bos, o.calibration.window,
                                                               o.calibration.threads, reference);
    }
    std::vector<Recipe> recipes{base};
    for (const auto& c : candidates)
        recipes.push_back(c.applyTo(base));
    Progress capturing = progress.child(0.87, 0.9);
    captureIfNeeded(calibration, opened, recipes, o.calibration.threads, capturing);

    const std::optional<double> given = budgetValue(byBits ? o.targetBits : o.totalRank,
                                                    byBits ? "--target-bits" : "--total-rank");
    const double target = given ? *given
                                : uniformBudget(opened.model, calibration.activations(opened), base, byBits,
                                                o.calibration.threads);
    if (!byBits)
        checkWholeRank(target);
    const SensitivityAllocation allocation =
        allocateFromSensitivity(obtained.table, byBits ? BudgetKind::Bits : BudgetKind::Rank, target, measure);
    Progress checking = progress.child(0.9, 1.0);
    const AllocationCheck check =
        checkAllocation(opened.model, calibration.floatModel, calibration.activations(opened), *calibration.reference,
                        allocation, o.calibration.threads, checking);
    finishProgress();

    const QuantPlan plan = check.uniformIsBetter ? uniformPlan(allocation) : toPlan(allocation);
    if (!o.out.empty())
        plan.save(o.out);
    if (o.json) {
        nlohmann::json j = sensitivityAllocationJson(allocation, check);
        j["allocation"] = kSensitivityLabel;
        j["plan_is_uniform"] = check.uniformIsBetter;
        j["plan"] = plan.toJson();
        j["sensitivity_reused"] = obtained.reused;
        if (!o.sensitivity.empty())
            j["sensitivity_file"] = o.sensitivity;
        if (!o.out.empty())
            j["written"] = o.out;
        printJson(j);
        return;
    }
    printSensitivityAllocation(allocation, check, obtained.table);
    if (obtained.reused)
        std::printf("reused %s\n", o.sensitivity.c_str());
    else if (!o.sensitivity.empty())
        std::printf("wrote %s\n", o.sensitivity.c_str());
    if (!o.out.empty())
        std::printf("wrote %s\n", o.out.c_str());
}

// llama-quantize's mix as the plan: each layer's type and why, then the plan written.
void runPresetAllocation(CLI::App& cmd, const AllocateOptions& o)
{
    OpenedModel opened = openModel(o.model, o.acts);
    LlamaQuantizeOptions mixOptions;
    mixOptions.importanceMatrix = opened.activations.has_value();
    const LlamaQuantizeMix mix = llamaQuantizeMix(opened.model, o.preset, mixOptions);
    const QuantPlan plan = presetPlan(cmd, opened.model, o.recipe, o.preset, mixOptions);
    if (!o.out.empty())
        plan.save(o.out);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& layer : opened.model.layers()) {
        const auto it = mix.layers.find(layer.name);
        if (it == mix.layers.end())
            continue;
        const Recipe r = plan.recipeFor(layer);
        layers.push_back({{"name", layer.name},
                          {"type", it->second.type},
                          {"recipe", r.summary()},
                          {"why", it->second.reason}});
    }
    if (o.json) {
        nlohmann::json j{{"preset", mix.preset}, {"layers", layers}, {"plan", plan.toJson()}};
        if (!o.out.empty())
            j["written"] = o.out;
        printJson(j);
        return;
    }
    std::printf("llama-quantize mix %s\n%-34s %-7s %-16s %s\n", mix.preset.c_str(), "layer", "type", "recipe", "why");
    for (const auto& l : layers)
        std::printf("%-34s %-7s %-16s %s\n", l["name"].get<std::string>().c_str(), l["type"].get<std::string>().c_str(),
                    l["recipe"].get<std::string>().c_str(), l["why"].get<std::string>().c_str());
    if (!o.out.empty())
        std::printf("wrote %s\n", o.out.c_str());
}

void runAllocate(CLI::App& cmd, const AllocateOptions& o)
{
    const bool byBits = cmd.count("--target-bits") > 0;
    const bool byRank = cmd.count("--total-rank") > 0;
    const bool byPreset = !o.preset.empty();
    if (int(byBits) + int(byRank) + int(byPreset) != 1)
        throw InputError("--target-bits",
                         "give exactly one budget: --target-bits B, --total-rank R or --preset (a llama-quantize mix)");
    if (!o.out.empty() && !o.force && std::filesystem::exists(o.out))
        throw InputError(o.out, "already exists (use --force to replace it)");
    if (byPreset) {
        runPresetAllocation(cmd, o);
        return;
    }
    if (!o.calibration.text.empty() || !o.sensitivity.empty()) {
        runSensitivityAllocate(cmd, o, byBits);
        return;
    }
    for (const char* option : {"--part", "--tokens", "--window", "--tokenizer", "--unit", "--measure"})
        if (cmd.count(option))
            throw InputError(option, "applies to the end-to-end allocation: give --text or --sensitivity");
    const Recipe base = recipeFromOptions(o.recipe);
    OpenedModel opened = openModel(o.model, o.acts);
    const ActivationStore* acts = opened.activations ? &*opened.activations : nullptr;
    const std::optional<double> given = budgetValue(byBits ? o.targetBits : o.totalRank,
                                                    byBits ? "--target-bits" : "--total-rank");
    const double target = given ? *given : uniformBudget(opened.model, acts, base, byBits, o.calibration.threads);
    if (!byBits)
        checkWholeRank(target);

    Progress progress = terminalProgress("allocate");
    BudgetAllocation allocation;
    if (byBits) {
        BitsAllocationOptions options;
        options.candidateBits = bitCandidates(o.calibration.candidates);
        options.threads = o.calibration.threads;
        allocation = allocateBits(opened.model, acts, base, target, options, progress);
    } else {
        if (!o.calibration.candidates.empty())
            throw InputError("--candidates", "the " + std::string(kFastLabel) +
                                                 " rank allocation takes every rank: candidates need --text");
        RankAllocationOptions options;
        options.threads = o.calibration.threads;
        allocation = allocateRank(opened.model, acts, base, int64_t(target), options, progress);
    }
    finishProgress();
    const QuantPlan plan = toPlan(allocation, base);
    if (!o.out.empty())
        plan.save(o.out);
    if (o.json) {
        nlohmann::json j = allocationJson(allocation);
        j["allocation"] = kFastLabel;
        j["plan"] = plan.toJson();
        if (!o.out.empty())
            j["written"] = o.out;
        printJson(j);
        return;
    }
    printAllocation(allocation);
    if (!o.out.empty())
        std::printf("wrote %s\n", o.out.c_str());
}

} // namespace

void addAllocateCommand(CLI::App& app)
{
    auto o = std::make_shared<AllocateOptions>();
    CLI::App* cmd = app.add_subcommand(
        "allocate", "Distribute an average bits-per-weight or a total rank over the layers, greedily by damage reduction "
                    "per unit of budget, show it and write it as a plan. With --text (or --sensitivity): from each "
                    "layer's measured end-to-end sensitivity, checked end to end against the uniform plan; without: "
                    "from each layer's own error (fast)");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--acts", o->acts,
                    "Activation file: per-layer errors are then relative output errors; activation-aware methods use it "
                    "(default with --text: captured from the calibration text)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--text", o->calibration.text,
                    "Calibration text: allocate from the end-to-end sensitivity measured on it")
        ->check(CLI::ExistingFile);
    cmd->add_option("--sensitivity", o->sensitivity,
                    "Sensitivity file (salience-cli sensitivity -o): reopened when it fits the model, the text and the "
                    "candidates, else measured with --text and written there");
    cmd->add_option("--target-bits", o->targetBits,
                    "Average bits per weight over the quantized layers, everything counted (scales, zero points, "
                    "side parts) as the run summary counts it; 'uniform': what the recipe options spend on every "
                    "layer");
    cmd->add_option("--total-rank", o->totalRank,
                    "Total low-rank budget over the layers (qer, srr, asvd); 'uniform': the recipe's --rank on every "
                    "layer");
    cmd->add_option("--preset", o->preset,
                    "llama-quantize's allocation instead of a budget: each layer onto the type the mix (Q4_K_M, "
                    "Q3_K_M, Q2_K, ...) gives it, by --method (rtn, gptq, awq, ...: any method with a grid)");
    addCalibrationOptions(*cmd, o->calibration);
    CLI::Option* candidates = cmd->get_option("--candidates");
    candidates->description(candidates->get_description() +
                            ". Without --text or --sensitivity: bit widths only (default 2,3,4,5,6,8)");
    cmd->add_option("-o,--output", o->out, "Write the allocation as a plan (JSON)");
    cmd->add_flag("--force", o->force,
                  "Replace an existing plan file, and a sensitivity file measured on other inputs");
    cmd->add_flag("--json", o->json, "Print the allocation and its plan as JSON");
    addRecipeOptions(*cmd, o->recipe);
    cmd->final_callback([cmd, o] { runAllocate(*cmd, *o); });
}

} // namespace salience::cli
