// salience-cli allocate [MODEL] [--acts ACTS] (--target-bits B | --total-rank R | --preset MIX)
//                        [recipe options] [--candidates 2,3,4,5,6,8] [-o PLAN.json] [--json]:
// distribute a model-wide budget over the layers (run/BudgetAllocation.h), or take llama-quantize's
// allocation of a mix (export/LlamaQuantizePlan.h), and show it before anything runs; the plan it
// writes feeds quantize, eval, export and compare, and is edited like any plan.
#include "CliSupport.h"
#include "Commands.h"
#include "RecipeOptions.h"

#include "base/Error.h"
#include "export/LlamaQuantizePlan.h"
#include "run/BudgetAllocation.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace salience::cli {

namespace {

struct AllocateOptions {
    std::string model;
    std::string acts;
    std::string out;
    std::string preset;
    RecipeOptions recipe;
    double targetBits = 0;
    int64_t totalRank = -1;
    std::vector<int> candidates{2, 3, 4, 5, 6, 8};
    int threads = 0;
    bool force = false;
    bool json = false;
};

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
    const Recipe base = recipeFromOptions(o.recipe);
    OpenedModel opened = openModel(o.model, o.acts);
    const ActivationStore* acts = opened.activations ? &*opened.activations : nullptr;

    Progress progress = terminalProgress("allocate");
    BudgetAllocation allocation;
    if (byBits) {
        BitsAllocationOptions options;
        options.candidateBits = o.candidates;
        options.threads = o.threads;
        allocation = allocateBits(opened.model, acts, base, o.targetBits, options, progress);
    } else {
        RankAllocationOptions options;
        options.threads = o.threads;
        allocation = allocateRank(opened.model, acts, base, o.totalRank, options, progress);
    }
    finishProgress();
    const QuantPlan plan = toPlan(allocation, base);
    if (!o.out.empty())
        plan.save(o.out);
    if (o.json) {
        nlohmann::json j = allocationJson(allocation);
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
        "allocate", "Distribute an average bits-per-weight or a total rank over the layers, greedily by error reduction "
                    "per unit of budget, show it and write it as a plan");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--acts", o->acts, "Activation file: errors are then relative output errors")
        ->check(CLI::ExistingFile);
    cmd->add_option("--target-bits", o->targetBits,
                    "Average bits per weight over the quantized layers, everything counted (scales, zero points, "
                    "side parts) as the run summary counts it");
    cmd->add_option("--total-rank", o->totalRank, "Total low-rank budget over the layers (qer, srr, asvd)");
    cmd->add_option("--preset", o->preset,
                    "llama-quantize's allocation instead of a budget: each layer onto the type the mix (Q4_K_M, "
                    "Q3_K_M, Q2_K, ...) gives it, by --method (rtn, gptq, awq, ...: any method with a grid)");
    cmd->add_option("--candidates", o->candidates, "Bit widths a layer may get")->delimiter(',')->capture_default_str();
    cmd->add_option("-o,--output", o->out, "Write the allocation as a plan (JSON)");
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)");
    cmd->add_flag("--force", o->force, "Replace an existing plan file");
    cmd->add_flag("--json", o->json, "Print the allocation and its plan as JSON");
    addRecipeOptions(*cmd, o->recipe);
    cmd->final_callback([cmd, o] { runAllocate(*cmd, *o); });
}

} // namespace salience::cli
