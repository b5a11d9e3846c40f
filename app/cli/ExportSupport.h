#pragma once
// Writing a run in any of the export formats, shared by `quantize -o` and `export`.
//
// Format from --format, else from OUT: .gguf → gguf, .bin → llama2c, .h5/.hdf5 → record,
// anything else (.safetensors or a directory) → fakequant. gptq (a directory) only by --format.
//
// GGUF types. --gguf-type T puts every linear tensor in T, as llama-quantize does. Without it
// a layer the run quantized goes to the ggml type that holds its grid, so a plain result is
// written losslessly where it fits (see export/GgufExport.h):
//   8 bits → Q8_0;  5 bits → Q5_0 symmetric, Q5_1 asymmetric;  4 bits → Q4_0 symmetric,
//   Q4_1 asymmetric;  other bit widths → Q8_0 (requantized)
// and every other linear layer keeps its source precision (F16 for F16/BF16 sources, else F32).
#include "CliSupport.h"

#include "plan/Recipe.h"
#include "run/Runner.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace salience::cli {

enum class ExportFormat { FakeQuant, Gguf, Gptq, Llama2c, Record };

struct ExportSettings {
    std::string format;   // --format; empty: from the output's extension
    std::string ggufType; // --gguf-type; empty: per-layer types as above
    std::string tokenizer; // --tokenizer for GGUF
    bool recordCodes = false; // --codes: codes, scales and zero points in a run record
    bool force = false;
};

// --format, --gguf-type, --tokenizer, --codes (not --force, which each command declares).
void addExportOptions(CLI::App& cmd, ExportSettings& settings);

ExportFormat exportFormatFor(const std::string& out, const std::string& format);
std::string exportFormatName(ExportFormat format);

// InputError naming OUT when it (or, for a directory, its model.safetensors) exists without
// --force: checked before any work starts.
void checkOutputFree(const std::string& out, ExportFormat format, bool force);

// InputError when the model cannot be written in the format at all (llama2.c takes only plain
// Llama models): checked before the run, so no quantization is wasted.
void checkExportable(const Model& model, ExportFormat format);

// The GGUF type of a quantized layer's recipe by the table above; nullopt when none holds it.
std::optional<std::string> ggufTypeForRecipe(const Recipe& recipe);

// Writes the run and returns the exporter's report:
// {"format", "output", "written": [...], "layers": [{name, status, type?, error_before,
//   error_after, reason?}], "warnings": [...]}.
// `plan` is the plan's JSON (null without one) for the run record.
nlohmann::json exportRun(const Model& model, const RunResult& run, const nlohmann::json& plan, const std::string& out,
                         ExportFormat format, const ExportSettings& settings, Progress& progress);

// The report as a table on stdout.
void printExportReport(const nlohmann::json& report);

} // namespace salience::cli
