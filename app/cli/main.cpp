// salience-cli: the Salience engine from a shell.
#include "CliSupport.h"
#include "Commands.h"

#include "base/Error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

using namespace salience;

int main(int argc, char** argv)
{
    CLI::App app{"Salience: look inside a language model and quantize it.\n"
                 "MODEL is a .safetensors, .gguf or llama2.c .bin file or a Hugging Face directory; "
                 "without MODEL, commands use the built-in demo model.",
                 "salience-cli"};
    app.set_version_flag("--version", std::string("salience-cli ") + SALIENCE_VERSION);
    app.require_subcommand(1);
    // One line, as every other error: what is wrong, and where to look.
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        return std::string("salience-cli: ") + e.what() + " (see --help)\n";
    });
    cli::addInspectCommand(app);
    cli::addAnalyzeCommand(app);
    cli::addQuantizeCommand(app);
    cli::addDemoCommand(app);
    cli::addCaptureCommand(app);
    cli::addEvalCommand(app);
    cli::addGenerateCommand(app);
    cli::addCompareCommand(app);
    cli::addExportCommand(app);
    cli::addSensitivityCommand(app);
    cli::addAllocateCommand(app);
    cli::addBenchCommand(app);
    cli::addTokenizeCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? cli::kOk : cli::kUsage;
    } catch (const CancelledError&) {
        cli::finishProgress();
        std::cerr << "salience-cli: cancelled\n";
        return cli::kCancelled;
    } catch (const InputError& e) {
        cli::finishProgress();
        std::cerr << "salience-cli: " << e.what() << "\n";
        // An error that names an option is about the command line (a bad option value, options
        // that contradict each other): a usage error, as README says; anything else names a file.
        return e.source().rfind("-", 0) == 0 ? cli::kUsage : cli::kBadInput;
    } catch (const std::filesystem::filesystem_error& e) {
        // A path that cannot be read or written is the user's input, not our bug.
        cli::finishProgress();
        std::cerr << "salience-cli: " << e.what() << "\n";
        return cli::kBadInput;
    } catch (const nlohmann::json::exception& e) {
        cli::finishProgress();
        std::cerr << "salience-cli: malformed JSON input: " << e.what() << "\n";
        return cli::kBadInput;
    } catch (const std::exception& e) {
        cli::finishProgress();
        std::cerr << "salience-cli: internal error: " << e.what() << "\n";
        return cli::kInternal;
    }
    return cli::kOk;
}
