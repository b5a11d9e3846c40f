#pragma once
// GPTQ-packed checkpoint: a directory that Hugging Face transformers (through optimum or
// GPTQModel), GPTQModel and AutoGPTQ load as a GPTQ model.
//
//   OUT/model.safetensors     per packed layer <prefix>.qweight, .qzeros, .scales, .g_idx
//                             (GptqPacking.h); every other tensor in float under its HF name
//   OUT/config.json           the source's config.json (HF source) or a generated Llama one,
//                             with quantization_config {quant_method "gptq", bits, group_size,
//                             desc_act, sym, checkpoint_format, ...}
//   OUT/quantize_config.json  the same quantization fields (AutoGPTQ reads this file)
//   OUT/gptq_export.json      what happened to each layer (gptqExportReportJson)
//
// One bit width and one group size hold for the whole file (GPTQ has no per-layer grid).
// A run's layer is packed LOSSLESSLY when its result is plain codes (+ act-order permutation)
// on that grid, per group or per channel (per tensor becomes per channel). Otherwise — other
// bits or group size, input scaling, rotation, sparse or low-rank parts — its dequantized
// weight Ŵ is quantized
// again with RTN on the file's grid (asymmetric unless the recipe was symmetric) and packed:
// "requantized", with the weight error before and after. In the v1 format a zero point of 0
// moves up by one (GptqPacking.h); when that clips codes the layer is "clipped".
// Layers the loaders cannot pack are written as float32 Ŵ and listed as not packed (both in
// modules_in_block_to_quantize and as GPTQModel "dynamic" exclusions): in or out features not
// a multiple of 32 (the kernels' requirement), a GPT-2 Conv1D (transposed) tensor, the
// embedding and the classifier (lm_head), which GPTQ loaders keep in float.
//
// Q/K rows are written in Hugging Face's rotary order, the packed ones too (rows of a packed
// layer are its output columns: codes, scales and zeros move together, losslessly).
// Tensors that are not quantized keep the source's float dtype (F16/BF16, else F32).
// Every file is written atomically; a failure or a cancel leaves no file behind; existing
// files are refused unless `overwrite`.
#include "export/GptqConversion.h"
#include "model/Model.h"
#include "base/Progress.h"
#include "run/Runner.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace salience {

struct GptqExportOptions {
    int bits = 0;                  // 2, 3, 4 or 8; 0: the most common among the run's quantized layers
    std::optional<int> groupSize;  // GPTQ convention: -1 per channel, else > 0; absent: the most common
    GptqFormat format = GptqFormat::V1;
    bool overwrite = false;        // replace existing files
};

enum class GptqLayerStatus {
    Lossless,    // packed exactly as the run computed it
    Clipped,     // packed; v1's zero-point shift moved some codes one step (see clippedCodes)
    Requantized, // Ŵ quantized again with RTN on the file's grid, then packed
    Float,       // quantized by the run but written as float32 Ŵ (see reason)
    NotQuantized // the run kept it (or did not touch it): written as the original float
};

std::string gptqLayerStatusName(GptqLayerStatus status); // "lossless", "clipped", ...

struct GptqLayerExport {
    std::string layer;        // canonical name
    std::string tensorPrefix; // "<prefix>.qweight" etc. in the file
    GptqLayerStatus status = GptqLayerStatus::NotQuantized;
    std::string reason;       // why requantized or not packed; empty when lossless
    // ‖W − Ŵ‖/‖W‖ of the run's result, and of what the file holds. Equal unless requantized
    // or clipped; both 0 for layers not quantized.
    double relativeWeightErrorBefore = 0;
    double relativeWeightErrorAfter = 0;
    int64_t zeroShiftedGroups = 0;
    int64_t clippedCodes = 0;
};

struct GptqExportReport {
    std::vector<std::string> written; // paths
    int bits = 4;
    int groupSize = 128;              // GPTQ convention
    bool descAct = false;             // some packed layer carries an act-order permutation
    bool symmetric = false;           // every packed layer is symmetric
    GptqFormat format = GptqFormat::V1;
    std::vector<GptqLayerExport> layers; // every linear layer of the model, in model order
    // What made the packed layers, for the config's metadata: "quant_method" names the packing
    // (loaders require "gptq"), these name the methods. damp_percent is written only when every
    // packed GPTQ layer used the same damping, static_groups is true when every one used them.
    std::vector<std::string> methods; // distinct, in the order their layers are written
    std::optional<double> damp;
    bool staticGroups = false;

    int64_t count(GptqLayerStatus status) const;
};

// The quantization_config block of config.json (also the content of quantize_config.json),
// with the modules written unpacked excluded for both loaders.
nlohmann::json gptqQuantizationConfig(const GptqExportReport& report);
nlohmann::json gptqExportReportJson(const GptqExportReport& report);

// Writes the directory `out` (created when missing). Throws InputError naming the output when
// a file exists and overwrite is false, `out` names a .safetensors file rather than a
// directory, the options are out of range, or a run layer is not in the model;
// CancelledError on cancel (nothing is left behind).
GptqExportReport exportGptq(const Model& model, const RunResult& run, const std::string& out,
                            const GptqExportOptions& options, Progress& progress);

} // namespace salience
