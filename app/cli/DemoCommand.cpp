// salience-cli demo -o DIR: writes the built-in demo model and its planted activations.
#include "CliSupport.h"
#include "Commands.h"

#include "model/DemoModel.h"

#include <iostream>
#include <memory>

namespace salience::cli {

namespace {
struct DemoCommandOptions {
    std::string out;
    uint64_t seed = DemoOptions{}.seed;
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
    cmd->final_callback([o] {
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
