// salience-cli sensitivity [MODEL] --text FILE [--part calibration] [--tokens N] [--candidates ...]
//                           [--unit layer|role|block] [recipe options] [-o SENS.json] [--json]:
// quantize each layer (role, block) alone with each candidate and measure the whole model against
// the float model on the text (run/Sensitivity.h); a table of units × candidates. With -o the
// table is written, and reopened instead of measured when it exists and fits the inputs.
#include "CliSupport.h"
#include "Commands.h"
#include "RecipeOptions.h"
#include "SensitivitySupport.h"

#include "base/Error.h"
#include "run/SensitivityAllocation.h"
#include "run/SensitivityFile.h"

#include <cstdio>
#include <memory>

namespace salience::cli {

namespace {

struct SensitivityCommandOptions {
    std::string model;
    std::string acts;
    std::string out;
    RecipeOptions recipe;
    CalibrationOptions calibration;
    bool force = false;
    bool json = false;
};

void printTable(const SensitivityTable& t, SensitivityMeasure measure)
{
    const auto& candidates = t.candidates();
    double params = 0;
    for (const auto& u : t.units)
        params += double(u.parameters);
    std::printf("%-34s %9s", "unit", "params");
    for (const auto& c : candidates)
        std::printf(" %9s", c.label().c_str());
    std::printf("\n%-34s %9s", "bits per weight (all units)", "");
    for (size_t c = 0; c < candidates.size(); ++c) {
        double bits = 0;
        for (const auto& u : t.units)
            bits += u.cells[c].bitsPerWeight * double(u.parameters);
        std::printf(" %9.3f", bits / params);
    }
    std::printf("\n");
    for (const auto& u : t.units) {
        std::printf("%-34s %9lld", u.name.c_str(), (long long)u.parameters);
        for (const auto& cell : u.cells)
            std::printf(" %9.5f", measure == SensitivityMeasure::Kl ? cell.kl : cell.nllDelta);
        std::printf("\n");
    }
    std::printf("\n%s with each %s alone quantized by the candidate (rest of the model in float), measured on %lld "
                "positions of %lld tokens (%s, %s part) in windows of %lld; float model's NLL %.4f\n",
                measure == SensitivityMeasure::Kl ? "mean KL(P_float || P_quantized), nats,"
                                                  : "mean NLL change, nats,",
                unitKindName(t.key.unitKind), (long long)t.positions, (long long)t.tokens,
                t.textSource.empty() ? "text" : t.textSource.c_str(), t.textPart.c_str(), (long long)t.key.window,
                t.floatNll);
}

void runSensitivity(const SensitivityCommandOptions& o)
{
    const SensitivityMeasure measure = parseSensitivityMeasure(o.calibration.measure, "--measure");
    parseUnitKind(o.calibration.unit, "--unit");
    const Recipe base = recipeFromOptions(o.recipe);
    const auto candidates = candidatesFor(o.calibration, base);
    OpenedModel opened = openModel(o.model, o.acts);

    Progress progress = terminalProgress("sensitivity");
    const ObtainedTable obtained =
        sensitivityFor(opened, base, candidates, o.calibration, o.out, o.force, progress).obtained;
    finishProgress();
    if (o.json) {
        nlohmann::json j = sensitivityJson(obtained.table);
        j["reused"] = obtained.reused;
        if (!o.out.empty())
            j["file"] = o.out;
        printJson(j);
        return;
    }
    printTable(obtained.table, measure);
    if (obtained.reused)
        std::printf("reused %s (measured earlier on the same model, tokens and candidates)\n", o.out.c_str());
    else if (!o.out.empty())
        std::printf("wrote %s\n", o.out.c_str());
}

} // namespace

void addSensitivityCommand(CLI::App& app)
{
    auto o = std::make_shared<SensitivityCommandOptions>();
    CLI::App* cmd = app.add_subcommand(
        "sensitivity", "Quantize each layer (or role, or block) alone with each candidate recipe and measure the "
                       "whole model's KL divergence from the float model on a text: a table of layers x candidates");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--text", o->calibration.text, "Calibration text file")->required()->check(CLI::ExistingFile);
    addCalibrationOptions(*cmd, o->calibration);
    cmd->add_option("--acts", o->acts,
                    "Activation file for activation-aware methods (default: captured from the calibration text)")
        ->check(CLI::ExistingFile);
    cmd->add_option("-o,--output", o->out,
                    "Write the table (JSON); when the file exists and was measured on the same model, tokens, recipe "
                    "and candidates, it is reopened instead");
    cmd->add_flag("--force", o->force, "Measure again and replace an output file measured on other inputs");
    cmd->add_flag("--json", o->json, "Print the table as JSON (the file's format, plus reused)");
    addRecipeOptions(*cmd, o->recipe);
    cmd->final_callback([o] { runSensitivity(*o); });
}

} // namespace salience::cli
