// salience-cli demo -o DIR: writes the built-in demo model and its planted activations.
#include "CliSupport.h"
#include "Commands.h"

#include "base/Error.h"
#include "demo/DemoModel.h"

#include <filesystem>

#include <iostream>
#include <memory>

namespace salience::cli {

namespace {
struct DemoCommandOptions {
    std::string out;
    uint64_t seed = DemoOptions{}.seed;
    bool force = false;
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
    cmd->final_callback([o] {
        namespace fs = std::filesystem;
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
