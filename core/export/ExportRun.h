#pragma once
// The one way a run leaves Salience: salience-cli (export, quantize -o) and the GUI's
// File ▸ Export both call exportRun, so the same model, plan and settings give the same bytes
// whichever front end wrote them.
//
// Format from ExportRequest::format, else from the output's extension: .gguf → GGUF, .bin →
// llama2.c, .h5/.hdf5 → run record, anything else (.safetensors or a directory) → fake-quantized
// safetensors. GPTQ (a directory) only when asked for by name.
//
// GGUF types, per layer (ggufLayerTypes):
//   - the embedding stays F32 (the exporter keeps the lookup table exact);
//   - a layer the run quantized goes to `ggufType` when one is given, else to the ggml type that
//     holds its grid, so a plain result is written losslessly where it fits (export/GgufExport.h):
//     a recipe onto a ggml block format (grid_type Q4_K, ...) → that format, its blocks copied;
//     8 bits → Q8_0; 5 bits → Q5_0 symmetric, Q5_1 asymmetric; 4 bits → Q4_0 symmetric, Q4_1
//     asymmetric; other bit widths are refused (InputError naming the layer: no type holds them,
//     and Q8_0 would be a silent upgrade), unless `ggufType` names the type to requantize into;
//   - a layer whose recipe is `none` keeps the type its source stored (F16 for F16/BF16, the same
//     ggml type for a quantized GGUF source, else F32): never quantized behind the user's back;
//   - with no run at all (no plan, no method) and a `ggufType`, every linear layer but the
//     embedding goes to that type, as llama-quantize does.
//
// llama-quantize's mixes (`preset`, export/LlamaQuantizeMix.h: Q4_K_M, Q3_K_S, Q8_0, ...):
//   - with no run (no plan, no method), every tensor gets the type llama-quantize gives it for
//     that preset, embedding and classifier included, and general.file_type is the preset's
//     llama_ftype: the file is what `llama-quantize F32.gguf out.gguf PRESET` writes;
//   - with a run, a layer the run quantized keeps its result and its type as above (`ggufType`, or
//     the type that holds its grid); every other tensor (layers whose recipe is `none`, the
//     embedding, the classifier) takes the preset's type; general.file_type is the preset's;
//   - `ggufType` with a preset and no run is refused: both would decide every layer.
// `outputTensorType` / `tokenEmbeddingType` (llama-quantize's --output-tensor-type,
// --token-embedding-type) put output.weight / token_embd.weight in that type whatever else decides
// it (a plan's result for the classifier is then written in that type from its Ŵ), with or
// without a preset. All three are GGUF only. The report gives each GGUF tensor's type and why
// ("why": "Q6_K: ffn_down upgrade (use_more_bits)").
#include "acts/ActivationStore.h"
#include "base/Progress.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Recipe.h"
#include "run/Runner.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace salience {

enum class ExportFormat { FakeQuant, Gguf, Gptq, Llama2c, Record };

// "fakequant", "gguf", "gptq", "llama2c", "record".
std::string exportFormatName(ExportFormat format);
// The format named `name` (one of the above), else the one `out`'s extension picks (.gguf,
// .bin, .h5/.hdf5, .safetensors; no extension: a fake-quantized folder). Throws
// InputError("--format", ...) for an unknown name, InputError("-o", ...) for another extension.
ExportFormat exportFormatFor(const std::string& out, const std::string& name);

struct ExportRequest {
    std::string out;
    ExportFormat format = ExportFormat::FakeQuant;
    std::string ggufType;      // GGUF: one type for the quantized layers; empty: per layer, as above
    std::string preset;             // GGUF: a llama-quantize mix (Q4_K_M, ...); empty: none
    std::string outputTensorType;   // GGUF: output.weight's type; empty: as above
    std::string tokenEmbeddingType; // GGUF: token_embd.weight's type; empty: as above
    std::string tokenizer;     // GGUF: a tokenizer.json or llama2.c tokenizer.bin to embed; empty: the model's own
    bool recordCodes = false;  // run record: codes, scales and zero points of every layer
    bool overwrite = false;    // replace existing output files
    // GGUF: activation statistics (a capture, or llama.cpp's imatrix) that weigh ggml's quantizers
    // for the layers written from their float weights (no result: --gguf-type or --preset without
    // a method), as llama-quantize --imatrix does; also llama-quantize's imatrix rules of the
    // mixes. nullptr: unweighted, as llama-quantize without an imatrix.
    const ActivationStore* importance = nullptr;
};

// InputError naming OUT when it (or, for a directory, its model.safetensors) exists and
// overwriting was not asked for: checked before any work starts.
void checkOutputFree(const std::string& out, ExportFormat format, bool overwrite);

// InputError when the model cannot be written in the format at all (llama2.c takes only plain
// Llama models): checked before the run, so no quantization is wasted.
void checkExportable(const Model& model, ExportFormat format);
// The same, and the request's GGUF-only options: InputError naming --preset,
// --output-tensor-type or --token-embedding-type when one is given for another format, names no
// preset or no type Salience writes.
void checkExportable(const Model& model, const ExportRequest& request);

// The GGUF type of a quantized layer's recipe by the table above; nullopt when none holds it.
std::optional<std::string> ggufTypeForRecipe(const Recipe& recipe);

// The GGUF type of every linear layer but the embedding, by the rules above.
std::map<std::string, std::string> ggufLayerTypes(const Model& model, const RunResult& run,
                                                  const std::string& ggufType);
// The same from what a run quantizes (layer → recipe) before it runs; `hasRun` false: no plan.
std::map<std::string, std::string> ggufLayerTypes(const Model& model, const std::map<std::string, Recipe>& quantized,
                                                  bool hasRun, const std::string& ggufType);

// Every GGUF tensor's type, why, and the file type, by the rules above (ggufLayerTypes, the
// preset and the two overrides). InputError as checkExportable, and naming --gguf-type when it is
// given with a preset and no run.
struct GgufTypeChoice {
    std::map<std::string, std::string> types;   // canonical layer name → ggml type (before fallback)
    std::map<std::string, std::string> reasons; // canonical layer name → why
    std::optional<uint32_t> fileType;           // the preset's llama_ftype; nullopt without one
};
GgufTypeChoice ggufTypeChoice(const Model& model, const RunResult& run, const ExportRequest& request);
GgufTypeChoice ggufTypeChoice(const Model& model, const std::map<std::string, Recipe>& quantized, bool hasRun,
                              const ExportRequest& request);

// Writes the run and returns the exporter's report:
// {"format", "output", "written": [...], "layers": [{name, status, type?, why?, error_before,
//   error_after, reason?}], "warnings": [...], "preset"?, "note"?}. `plan` is the plan's JSON (null without
// one), recorded in a run record. Throws InputError (nothing left behind) or CancelledError.
nlohmann::json exportRun(const Model& model, const RunResult& run, const nlohmann::json& plan,
                         const ExportRequest& request, Progress& progress);

// Runs `plan` and writes it: the same file and report as runPlan then exportRun. GGUF and
// fake-quantized safetensors stream (run/StreamedRun.h): each layer is quantized a little ahead
// of the writer and dropped once written, so peak memory does not grow with the number of
// layers, and `run` holds every layer's metrics but no QuantizedLinear. The other formats run
// the whole plan first (they need every result at once), and `run` is runPlan's.
struct PlanExport {
    nlohmann::json report;
    RunResult run;
};
PlanExport exportPlan(const Model& model, const QuantPlan& plan, const ActivationStore* activations,
                      const RunOptions& runOptions, const ExportRequest& request, Progress& progress);

} // namespace salience
