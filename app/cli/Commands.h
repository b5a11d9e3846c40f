#pragma once
// Each salience-cli command adds itself to the app; its callback runs the command.
#include <CLI/CLI.hpp>

namespace salience::cli {

void addInspectCommand(CLI::App& app);
void addAnalyzeCommand(CLI::App& app);
void addQuantizeCommand(CLI::App& app);
void addDemoCommand(CLI::App& app);
void addCaptureCommand(CLI::App& app);
void addEvalCommand(CLI::App& app);
void addGenerateCommand(CLI::App& app);
void addCompareCommand(CLI::App& app);
void addExportCommand(CLI::App& app);
void addAllocateCommand(CLI::App& app);
void addSensitivityCommand(CLI::App& app);
void addBenchCommand(CLI::App& app);
void addTokenizeCommand(CLI::App& app);

} // namespace salience::cli
