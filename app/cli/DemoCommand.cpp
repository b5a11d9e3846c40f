// salience-cli demo -o DIR: writes the built-in demo model and its planted activations.
// salience-cli demo --shape NAME [--layers N] [--tokenizer PATH] -o DIR: a random-weight
// checkpoint of a published shape in Hugging Face layout (demo/ShapedCheckpoint.h).
#include "CliSupport.h"
#include "Commands.h"

#include "base/Error.h"
#include "demo/DemoModel.h"
#include "demo/ShapedCheckpoint.h"

#include <filesystem>

#include <iostream>
#include <memory>

namespace salience::cli {

namespace {
struct DemoCommandOptions {
    std::string out;
    uint64_t seed = DemoOptions{}.seed;
    bool force = false;
    std::string shape;
    int64_t layers = 0;
    int64_t vocab = 0;
    std::string tokenizer;
};
} // namespace

void addDemoCommand(CLI::App& app)
{
    auto o = std::make_shared<DemoCommandOptions>();
    CLI::App* cmd = app.add_subcommand("demo", "Write the demo model (safetensors + config.json) and its activation "
                                               "file, with massive activations, outlier channels and shaped spectra "
                                               "planted in them");
    cmd->add_option("-o,--output", o->out, "Output directory")->required();
    cmd->add_option("--seed", o->seed, "Seed of the generator (the same seed writes the same files)");
    cmd->add_flag("--force", o->force, "Replace the files when DIR already holds a model");
    std::string shapes;
    for (const auto& s : checkpointShapes())
        shapes += (shapes.empty() ? "" : ", ") + s.name;
    cmd->add_option("--shape", o->shape,
                    "Write a random-weight Hugging Face checkpoint of this published shape instead (" + shapes + ")");
    cmd->add_option("--layers", o->layers, "With --shape: the number of blocks to write (default: all)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--tokenizer", o->tokenizer, "With --shape: a tokenizer.json (or its folder) to copy beside");
    cmd->add_option("--vocab", o->vocab, "With --shape: embedding rows (default: the shape's own), e.g. a tiny shape "
                                         "with a real tokenizer")
        ->check(CLI::NonNegativeNumber);
    cmd->final_callback([o] {
        namespace fs = std::filesystem;
        if (!o->shape.empty()) {
            const CheckpointShape& shape = checkpointShape(o->shape);
            ShapedCheckpointOptions options;
            options.layers = o->layers;
            options.vocab = o->vocab;
            options.seed = o->seed;
            options.tokenizerJson = o->tokenizer;
            options.overwrite = o->force;
            Progress progress = terminalProgress("demo");
            const auto written = writeShapedCheckpoint(shape, o->out, options, progress);
            finishProgress();
            std::cout << "wrote " << shape.name << " (" << written.size() << " files) to " << o->out << "\n";
            return;
        }
        if (o->layers != 0 || o->vocab != 0 || !o->tokenizer.empty())
            throw InputError("--layers", "--layers, --vocab and --tokenizer go with --shape");
        for (const char* f : {"model.safetensors", "config.json", "activations.h5"})
            if (!o->force && fs::exists(fs::path(o->out) / f))
                throw InputError((fs::path(o->out) / f).string(), "already exists (use --force to replace it)");
        DemoOptions options;
        options.seed = o->seed;
        const DemoModel demo = makeDemoModel(options);
        Progress progress = terminalProgress("demo");
        writeDemoModel(demo, o->out, progress);
        finishProgress();
        std::cout << "wrote " << o->out << "/model.safetensors, config.json and activations.h5\n";
    });
}

} // namespace salience::cli
