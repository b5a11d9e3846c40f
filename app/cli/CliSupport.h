#pragma once
// What every salience-cli command shares: opening MODEL (or the built-in demo when it is
// omitted), opening activations, progress on stderr, and the exit codes.
#include "acts/ActivationStore.h"
#include "eval/Tokenizer.h"
#include "model/Model.h"
#include "base/Progress.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace salience::cli {

// Exit codes: 0 success, 1 usage error, 2 bad input, 3 internal error, 130 cancelled.
enum ExitCode { kOk = 0, kUsage = 1, kBadInput = 2, kInternal = 3, kCancelled = 130 };

struct OpenedModel {
    Model model;
    std::optional<ActivationStore> activations; // the demo's planted ones, or --acts
    bool isDemo = false;
};

// Empty `modelPath` opens the built-in demo model with its planted activations; `actsPath`
// (when given) replaces them.
OpenedModel openModel(const std::string& modelPath, const std::string& actsPath);

// A progress bar on stderr when stderr is a terminal; silent otherwise.
Progress terminalProgress(const std::string& task);
// Ends the progress line (when one was drawn).
void finishProgress();

void printJson(const nlohmann::json& j);

// --part whole|held-out|calibration: which half of --text a command reads (eval/TextHalves.h).
void addTextPartOption(CLI::App& cmd, std::string& part);
// The tokens of that part of the text file (without BOS), at most `maxTokens` of them (0: all).
// InputError naming the file when the part gives none.
std::vector<int32_t> textPartTokens(const Tokenizer& tokenizer, const std::string& path, const std::string& part,
                                    int64_t maxTokens);

// "1.23 MiB"
std::string formatBytes(double bytes);

} // namespace salience::cli
