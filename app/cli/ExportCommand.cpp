// salience-cli export [MODEL] -o OUT [--format gguf|gptq|fakequant|llama2c|record]
//                      [--plan PLAN | --method ...] [--acts ACTS] [--gguf-type T]
//                      [--preset Q4_K_M] [--output-tensor-type T] [--token-embedding-type T] [--force]:
// write the model in another format, quantized by a plan or a method when one is given, and
// report what each layer became in the file (lossless, or requantized and by how much).
#include "CliSupport.h"
#include "Commands.h"
#include "ExportSupport.h"
#include "RecipeOptions.h"

#include "base/Error.h"
#include "run/Runner.h"

#include <cstdio>
#include <memory>

namespace salience::cli {

namespace {

struct ExportCommandOptions {
    std::string model;
    std::string acts;
    std::string plan;
    std::string out;
    RecipeOptions recipe;
    ExportSettings exportSettings;
    int threads = 0;
    bool json = false;
};

void runExport(CLI::App& cmd, const ExportCommandOptions& o)
{
    const bool recipeGiven = recipeOptionsGiven(cmd);
    if (!o.plan.empty() && recipeGiven)
        throw InputError("--plan", "give either --plan or --method and its options, not both");
    ExportRequest request = exportRequest(o.out, o.exportSettings);
    const ExportFormat format = request.format;
    if (o.plan.empty() && !recipeGiven && (format == ExportFormat::Record || format == ExportFormat::Gptq))
        throw InputError("--format", exportFormatName(format) + " needs a run: give --plan or --method");
    OpenedModel opened = openModel(o.model, o.acts);
    const Model& model = opened.model;
    const std::optional<QuantPlan> plan = commandPlan(cmd, opened, o.plan, o.recipe, o.exportSettings);
    checkOutputFree(o.out, format, o.exportSettings.force);
    checkExportable(opened.model, request);

    Progress progress = terminalProgress("export");
    // Without a run, the activations weigh llama.cpp's quantizers as llama-quantize --imatrix.
    if (!plan && opened.activations)
        request.importance = &*opened.activations;
    RunResult run;
    nlohmann::json report;
    if (plan) {
        RunOptions runOptions;
        runOptions.threads = o.threads;
        PlanExport exported = exportPlan(model, *plan, opened.activations ? &*opened.activations : nullptr,
                                         runOptions, request, progress);
        run = std::move(exported.run);
        report = std::move(exported.report);
    } else {
        report = exportRun(model, run, nlohmann::json(nullptr), request, progress);
    }
    finishProgress();
    if (plan)
        report["summary"] = {{"layers_quantized", run.summary.layersQuantized},
                             {"average_bits_per_weight", run.summary.averageBitsPerWeight},
                             {"original_bytes", run.summary.originalBits / 8.0},
                             {"quantized_bytes", run.summary.quantizedBits / 8.0}};
    if (o.json) {
        printJson(report);
        return;
    }
    if (plan)
        std::printf("%lld layers quantized, %.3f bits per weight on average\n", (long long)run.summary.layersQuantized,
                    run.summary.averageBitsPerWeight);
    printExportReport(report);
}

} // namespace

void addExportCommand(CLI::App& app)
{
    auto o = std::make_shared<ExportCommandOptions>();
    CLI::App* cmd = app.add_subcommand(
        "export", "Write the model as GGUF, GPTQ, llama2.c, fake-quantized safetensors or a run record, quantized "
                  "by --plan or --method when given, and report each layer's fate in the file");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("-o,--output", o->out, "Output file or directory (its extension picks the format)")->required();
    cmd->add_option("--plan", o->plan, "Quantize with this plan (JSON) first")->check(CLI::ExistingFile);
    cmd->add_option("--acts", o->acts,
                    "Activation file (.h5 capture or llama.cpp imatrix), for activation-aware methods; without a "
                    "method, it weighs --gguf-type / --preset quantization as llama-quantize --imatrix does")
        ->check(CLI::ExistingFile);
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--force", o->exportSettings.force, "Replace existing output files");
    cmd->add_flag("--json", o->json, "Print the export report as JSON");
    addExportOptions(*cmd, o->exportSettings);
    addRecipeOptions(*cmd, o->recipe);
    cmd->final_callback([cmd, o] { runExport(*cmd, *o); });
}

} // namespace salience::cli
