#pragma once
// Each salience-cli command adds itself to the app; its callback runs the command.
#include <CLI/CLI.hpp>

namespace salience::cli {

void addInspectCommand(CLI::App& app);
void addAnalyzeCommand(CLI::App& app);
void addQuantizeCommand(CLI::App& app);
void addDemoCommand(CLI::App& app);

} // namespace salience::cli
