#pragma once
// The export options `quantize -o` and `export` share, and the report as a table. What is
// written, and how, is core's (export/ExportRun.h): the GUI writes the same bytes.
#include "CliSupport.h"
#include "RecipeOptions.h"

#include "export/ExportRun.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace salience::cli {

struct ExportSettings {
    std::string format;   // --format; empty: from the output's extension
    std::string ggufType; // --gguf-type; empty: per-layer types (export/ExportRun.h)
    std::string preset;   // --preset: a llama-quantize mix (GGUF)
    std::string outputTensorType;   // --output-tensor-type (GGUF)
    std::string tokenEmbeddingType; // --token-embedding-type (GGUF)
    std::string tokenizer; // --tokenizer for GGUF
    bool recordCodes = false; // --codes: codes, scales and zero points in a run record
    bool force = false;
};

// --format, --gguf-type, --preset, --output-tensor-type, --token-embedding-type, --tokenizer, --codes (not --force, which each command declares).
void addExportOptions(CLI::App& cmd, ExportSettings& settings);

// The request core's exportRun takes, for OUT.
ExportRequest exportRequest(const std::string& out, const ExportSettings& settings);

// llama-quantize's mix options the settings give (--output-tensor-type, --token-embedding-type),
// with the mix's importance-matrix rules when activations are open.
LlamaQuantizeOptions mixOptions(const ExportSettings& settings, bool withActivations);

// The plan a command runs: --plan's file; else, when a recipe option is given, the recipe for
// every layer, onto llama-quantize's mix when --preset names one (presetPlan); else none.
std::optional<QuantPlan> commandPlan(const CLI::App& cmd, const OpenedModel& opened, const std::string& planPath,
                                     const RecipeOptions& recipe, const ExportSettings& settings);

// The report as a table on stdout.
void printExportReport(const nlohmann::json& report);

} // namespace salience::cli
