#pragma once
// A model and its per-layer quantization results as a llama.cpp checkpoint: GGUF v3, llama.cpp's
// architecture for the model ("llama" for Llama and Mistral, "qwen2", "qwen3"; anything the
// forward pass refuses is refused here too), its tensor names (token_embd, blk.N.attn_q,
// blk.N.attn_q.bias, blk.N.attn_q_norm, ..., output_norm, output, rope_freqs) and
// hyper-parameter keys, and a tokenizer llama.cpp can load. For NEOX architectures (Qwen) the
// q/k rows, biases and per-head norms go back to Hugging Face's order, as llama.cpp expects.
//
// Weights. Canonical weights are already in llama.cpp's interleaved rotary order, so q/k rows
// are written as they are. Each linear layer is written in its target type (its entry in
// layerTypes, else defaultType) from its result's Ŵ when there is a result, else from the
// float weight. A result is written losslessly, from its own scales, when the target type
// holds Ŵ exactly: every 32-value block lies in one group of the result (group size a multiple
// of 32, per channel or per tensor), d = the group's float16 scale, and every value is d·q
// with q = code − zero in the type's range: Q8_0 [−128, 127] (any symmetric grid, and any
// asymmetric one up to 7 bits), Q5_0 [−16, 15] (5-bit symmetric and below), Q4_0 [−8, 7]
// (4-bit symmetric and below); Q4_1/Q5_1 only when −zero·scale is itself a float16. The
// written block is decoded and compared with Ŵ bit for bit before it is accepted, so side
// parts (permutation, input scaling, rotation, sparse, low rank, pruning) simply make the
// check fail. Any other result is requantized from Ŵ with ggml's reference quantizer. A layer whose rows are not a whole number of the
// type's blocks falls back like llama-quantize (Q2_K, Q3_K → Q4_0; Q4_K → Q5_0; Q5_K → Q5_1; Q6_K → Q8_0;
// then F16).
// token_embd is F32 unless layerTypes names the embedding (llama.cpp would often quantize it;
// F32 keeps the lookup table exact). Norms are always F32.
//
// Tokenizer. A GGUF source's tokenizer.* keys are copied verbatim. A llama2.c source gets the
// vocabulary of its tokenizer.bin converted as llama.cpp's convert-llama2c-to-ggml does it
// (spaces as U+2581, <unk>/<s>/</s> at 0/1/2, token types unknown/control/byte/normal). A
// Hugging Face folder gets its tokenizer.json (export/GgufTokenizerKeys.h: byte-level BPE as
// "gpt2" with merges and pre-tokenizer, SentencePiece-style BPE as "llama" with scores).
// tokenizerPath overrides all of these. Without any, the report warns that llama.cpp cannot run
// the file.
#include "io/GgmlTypes.h"
#include "model/Model.h"
#include "quant/QuantizedLinear.h"
#include "run/LayerResultSource.h"
#include "base/Progress.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace salience {

struct GgufExportOptions {
    std::string defaultType = "Q8_0";                 // ggml type name for linear layers
    std::map<std::string, std::string> layerTypes;    // canonical layer name → ggml type name
    bool overwrite = false;                           // replace an existing file
    // A tokenizer.json, a llama2.c tokenizer.bin, or a folder holding one. Empty: the source's
    // own (GGUF vocabulary; tokenizer.bin, then tok<vocab size>.bin beside a llama2.c file;
    // tokenizer.json in a Hugging Face folder).
    std::string tokenizerPath;
    std::string name; // general.name; empty: the source's general.name, else the file's stem
    // general.file_type (a llama_ftype, e.g. a llama-quantize preset's); nullopt:
    // llamaFileType(defaultType).
    std::optional<uint32_t> fileType;
    // Canonical layer name → one importance per input column (llama.cpp's imatrix entries) for
    // the layers written from their float weights: ggml's quantizers weigh by it, as
    // llama-quantize --imatrix does. Results (Ŵ) are written without it.
    std::map<std::string, std::vector<float>> importance;
};

struct GgufLayerExport {
    std::string layer;         // canonical name ("model.layers.0.self_attn.q_proj")
    std::string tensorName;    // name in the GGUF ("blk.0.attn_q.weight")
    std::string requestedType; // from the options
    std::string type;          // written: requestedType unless a fallback was needed
    bool fallback = false;     // rows not a whole number of requestedType's blocks
    bool fromResult = false;   // written from a QuantizedLinear (else from the float weight)
    // The written tensor decodes bit-exactly to its source (Ŵ, or W without a result); false
    // means it was requantized and differs.
    bool lossless = false;
    double errorVsOriginal = 0; // ‖W − T‖/‖W‖, T the tensor as llama.cpp decodes it
    double errorVsResult = 0;   // ‖Ŵ − T‖/‖Ŵ‖; equals errorVsOriginal without a result
    std::string method;         // the result's method; empty without a result
    // The side parts of the result a GGUF tensor has no place for, as a phrase ("input scales
    // and low-rank factors"); empty when its base alone makes Ŵ.
    std::string unheldParts;
};

struct GgufExportReport {
    std::string path;
    std::vector<GgufLayerExport> layers; // the linear layers, in file order
    std::vector<std::string> warnings;
};

// ggml type → llama.cpp's general.file_type (LLAMA_FTYPE_*) for a file mostly of that type.
uint32_t llamaFileType(GgmlType type);

// Throws InputError naming: the option when a type name is unknown or not writable, or a
// layerTypes / results key names no layer of the model; the model when it is not a complete
// Llama-family model or a result's shape differs from its layer; outPath when it exists and
// overwrite is false; the tokenizer file when it cannot be read. CancelledError on cancel.
// A failure or cancel leaves no file behind.
GgufExportReport exportGguf(const Model& model, const std::map<std::string, QuantizedLinear>& results,
                            const std::string& outPath, const GgufExportOptions& options, Progress& progress);
// The same, taking each result from `results` as its tensor is written (a StreamedRun computes it
// then, and it is dropped once written).
GgufExportReport exportGguf(const Model& model, LayerResultSource& results, const std::string& outPath,
                            const GgufExportOptions& options, Progress& progress);

} // namespace salience
