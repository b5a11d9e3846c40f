// salience-cli quantize [MODEL] (--method NAME ... | --plan PLAN) -o OUT [--format F] [--report FILE]:
// quantize every layer and export the result, in the format -o's extension or --format names
// (ExportSupport.h).
#include "CliSupport.h"
#include "Commands.h"
#include "ExportSupport.h"
#include "RecipeOptions.h"

#include "base/Error.h"
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
    RecipeOptions recipe;
    ExportSettings exportSettings;
    int threads = 0;
    bool json = false;
};

void runQuantize(CLI::App& cmd, const QuantizeOptions& o)
{
    if (!o.plan.empty() && recipeOptionsGiven(cmd))
        throw InputError("--plan", "give either --plan or --method and its options, not both");
    OpenedModel opened = openModel(o.model, o.acts);
    const Model& model = opened.model;
    // No plan file: --method's recipe (rtn by default) for every layer, or onto --preset's mix.
    const QuantPlan plan = !o.plan.empty() ? QuantPlan::load(o.plan)
                           : o.exportSettings.preset.empty()
                               ? QuantPlan::uniform(recipeFromOptions(o.recipe))
                               : presetPlan(cmd, model, o.recipe, o.exportSettings.preset,
                                            mixOptions(o.exportSettings, opened.activations.has_value()));

    const ExportRequest request = exportRequest(o.out, o.exportSettings);
    const ExportFormat format = request.format;
    checkOutputFree(o.out, format, o.exportSettings.force);
    checkExportable(opened.model, request);
    if (!o.report.empty() && !o.exportSettings.force && std::filesystem::exists(o.report))
        throw InputError(o.report, "already exists (use --force to replace it)");

    Progress progress = terminalProgress("quantize");
    RunOptions runOptions;
    runOptions.threads = o.threads;
    PlanExport planExport =
        exportPlan(model, plan, opened.activations ? &*opened.activations : nullptr, runOptions, request, progress);
    const RunResult& run = planExport.run;
    const nlohmann::json& exported = planExport.report;
    nlohmann::json report = runReportJson(model, run);
    if (!o.report.empty()) {
        AtomicFile f(o.report, true);
        f.stream() << report.dump(2) << "\n";
        f.commit();
    }
    finishProgress();

    if (o.json) {
        report["export"] = exported;
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
    printExportReport(exported);
}

} // namespace

void addQuantizeCommand(CLI::App& app)
{
    auto o = std::make_shared<QuantizeOptions>();
    CLI::App* cmd = app.add_subcommand("quantize", "Quantize every layer and export the model (fake-quantized safetensors, "
                                                   "GGUF, GPTQ, llama2.c or a run record) with a JSON report");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--plan", o->plan, "A plan file (JSON) with per-layer recipes instead of one method")
        ->check(CLI::ExistingFile);
    cmd->add_option("--acts", o->acts, "Activation file, for output errors and activation-aware methods")
        ->check(CLI::ExistingFile);
    cmd->add_option("-o,--output", o->out,
                    "Output: .gguf, llama2.c .bin, run record .h5, a .safetensors file or a directory "
                    "(fake-quantized model.safetensors + config.json + report; GPTQ-packed with --format gptq)")
        ->required();
    cmd->add_option("--report", o->report, "Also write the JSON report here");
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--force", o->exportSettings.force, "Replace existing output files");
    addExportOptions(*cmd, o->exportSettings);
    cmd->add_flag("--json", o->json, "Print the report as JSON instead of a table");
    addRecipeOptions(*cmd, o->recipe); // last: its parameter options skip names already taken
    cmd->final_callback([cmd, o] { runQuantize(*cmd, *o); });
}

} // namespace salience::cli
