// salience-cli quantize [MODEL] (--method NAME ... | --plan PLAN) -o OUT [--report FILE]:
// quantize every layer and export a fake-quantized checkpoint.
#include "CliSupport.h"
#include "Commands.h"

#include "base/Error.h"
#include "export/FakeQuantExport.h"
#include "export/RunReport.h"
#include "io/AtomicFile.h"
#include "quant/MethodRegistry.h"
#include "run/Runner.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace salience::cli {

namespace {

struct QuantizeOptions {
    std::string model;
    std::string acts;
    std::string plan;
    std::string out;
    std::string report;
    Recipe recipe;
    int threads = 0;
    bool force = false;
    bool json = false;
};

void runQuantize(CLI::App& cmd, const QuantizeOptions& o)
{
    const bool recipeGiven = cmd.count("--method") + cmd.count("--bits") + cmd.count("--group") + cmd.count("--sym") > 0;
    if (!o.plan.empty() && recipeGiven)
        throw InputError("--plan", "give either --plan or --method/--bits/--group/--sym, not both");
    OpenedModel opened = openModel(o.model, o.acts);
    const Model& model = opened.model;
    QuantPlan plan = o.plan.empty() ? QuantPlan::uniform(o.recipe) : QuantPlan::load(o.plan);
    if (o.plan.empty())
        plan.defaultRecipe.validate("--method");

    namespace fs = std::filesystem;
    if (!o.force && fs::exists(o.out) && !fs::is_directory(o.out))
        throw InputError(o.out, "already exists (use --force to replace it)");
    if (!o.force && fs::is_directory(o.out) && fs::exists(fs::path(o.out) / "model.safetensors"))
        throw InputError(o.out, "already holds a model.safetensors (use --force to replace it)");

    Progress progress = terminalProgress("quantize");
    Progress runProgress = progress.child(0.0, 0.8);
    RunOptions runOptions;
    runOptions.threads = o.threads;
    const RunResult run = runPlan(model, plan, opened.activations ? &*opened.activations : nullptr, runOptions, runProgress);
    ExportOptions exportOptions;
    exportOptions.overwrite = o.force;
    Progress exportProgress = progress.child(0.8, 1.0);
    const auto written = exportFakeQuantSafetensors(model, run, o.out, exportOptions, exportProgress);
    const nlohmann::json report = runReportJson(model, run);
    if (!o.report.empty()) {
        AtomicFile f(o.report, true);
        f.stream() << report.dump(2) << "\n";
        f.commit();
    }
    finishProgress();

    if (o.json) {
        printJson(report);
        return;
    }
    std::printf("%-34s %-22s %10s %10s %8s %7s\n", "layer", "recipe", "rel.W.err", "rel.out", "SQNR dB", "bits/w");
    for (const auto& r : run.layers) {
        const std::string out = r.metrics.relativeOutputError ? std::to_string(*r.metrics.relativeOutputError).substr(0, 8) : "-";
        std::printf("%-34s %-22s %10.5f %10s %8.2f %7.3f\n", r.layer.c_str(), r.recipe.summary().c_str(),
                    r.metrics.relativeWeightError, out.c_str(),
                    std::isfinite(r.metrics.sqnrDb) ? r.metrics.sqnrDb : 0.0, r.metrics.bitsPerWeight);
    }
    std::printf("\n%lld layers quantized, %.3f bits per weight on average; model %s -> %s\n",
                (long long)run.summary.layersQuantized, run.summary.averageBitsPerWeight,
                formatBytes(run.summary.originalBits / 8).c_str(), formatBytes(run.summary.quantizedBits / 8).c_str());
    for (const auto& w : written)
        std::printf("wrote %s\n", w.c_str());
}

} // namespace

void addQuantizeCommand(CLI::App& app)
{
    auto o = std::make_shared<QuantizeOptions>();
    CLI::App* cmd = app.add_subcommand("quantize", "Quantize every layer and export a fake-quantized safetensors "
                                                   "checkpoint with a JSON report");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--method", o->recipe.method, "Method for every layer: " + methodNames())->capture_default_str();
    cmd->add_option("--bits", o->recipe.bits, "Bits per weight, 2..8")->capture_default_str();
    cmd->add_option("--group", o->recipe.groupSize,
                    "Group size in input columns; 0 = per output channel, -1 = per tensor")
        ->capture_default_str();
    cmd->add_flag("--sym", o->recipe.symmetric, "Symmetric grid (default asymmetric)");
    cmd->add_option("--plan", o->plan, "A plan file (JSON) with per-layer recipes instead of one method")
        ->check(CLI::ExistingFile);
    cmd->add_option("--acts", o->acts, "Activation file, for output errors and activation-aware methods")
        ->check(CLI::ExistingFile);
    cmd->add_option("-o,--output", o->out,
                    "Output: a .safetensors file, or a directory (model.safetensors + config.json + report)")
        ->required();
    cmd->add_option("--report", o->report, "Also write the JSON report here");
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)");
    cmd->add_flag("--force", o->force, "Replace existing output files");
    cmd->add_flag("--json", o->json, "Print the report as JSON instead of a table");
    cmd->final_callback([cmd, o] { runQuantize(*cmd, *o); });
}

} // namespace salience::cli
