// salience-cli allocate [MODEL] [--acts ACTS] (--target-bits B | --total-rank R) [recipe options]
//                        [--candidates 2,3,4,5,6,8] [-o PLAN.json] [--json]:
// distribute a model-wide budget over the layers (run/BudgetAllocation.h) and show the
// allocation before anything runs; the plan it writes feeds quantize, eval, export and compare.
#include "CliSupport.h"
#include "Commands.h"
#include "RecipeOptions.h"

#include "base/Error.h"
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

void runAllocate(CLI::App& cmd, const AllocateOptions& o)
{
    const bool byBits = cmd.count("--target-bits") > 0;
    const bool byRank = cmd.count("--total-rank") > 0;
    if (byBits == byRank)
        throw InputError("--target-bits", "give exactly one budget: --target-bits B or --total-rank R");
    if (!o.out.empty() && !o.force && std::filesystem::exists(o.out))
        throw InputError(o.out, "already exists (use --force to replace it)");
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
    cmd->add_option("--candidates", o->candidates, "Bit widths a layer may get")->delimiter(',')->capture_default_str();
    cmd->add_option("-o,--output", o->out, "Write the allocation as a plan (JSON)");
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)");
    cmd->add_flag("--force", o->force, "Replace an existing plan file");
    cmd->add_flag("--json", o->json, "Print the allocation and its plan as JSON");
    addRecipeOptions(*cmd, o->recipe);
    cmd->final_callback([cmd, o] { runAllocate(*cmd, *o); });
}

} // namespace salience::cli
