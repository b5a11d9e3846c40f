#pragma once
// Fake-quantized safetensors: the model with every quantized layer's weight replaced by its
// dequantized values Ŵ, so any loader of the original loads it and runs the quantized model
// in float. A safetensors source keeps its tensor names, shapes, dtypes and layouts (HF q/k
// rows permuted back). A GGUF or llama2.c source is written in Hugging Face Llama layout
// (HF names, rotate-half q/k order, a config.json) so transformers loads it.
//
// OUT ending in ".safetensors" is one file, with the report beside it as OUT minus the
// extension plus ".report.json"; any other OUT is a directory holding model.safetensors,
// config.json (copied from a HF source, else generated), the source's tokenizer files and
// quantization_report.json. Every file is written atomically; a failure or a cancel leaves
// no partial file.
#include "model/Model.h"
#include "base/Progress.h"
#include "run/LayerResultSource.h"
#include "run/Runner.h"

#include <string>
#include <vector>

namespace salience {

struct ExportOptions {
    bool overwrite = false; // replace existing files (the CLI's --force)
};

// Returns the paths written. Throws InputError naming the output when it exists and
// overwrite is false, or a layer of the run is not in the model.
std::vector<std::string> exportFakeQuantSafetensors(const Model& model, const RunResult& run, const std::string& out,
                                                    const ExportOptions& options, Progress& progress);
// The same, taking each result from `results` as its tensor is written (a StreamedRun computes it
// then, and it is dropped once written).
std::vector<std::string> exportFakeQuantSafetensors(const Model& model, LayerResultSource& results,
                                                    const std::string& out, const ExportOptions& options,
                                                    Progress& progress);

} // namespace salience
