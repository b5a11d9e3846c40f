#pragma once
// llama-quantize's mixes as export presets: for a model and a preset name (Q4_K_M, Q3_K_S, Q8_0,
// ...), the ggml type llama.cpp's llama_model_quantize chooses for every tensor Salience writes to
// GGUF, and why. This follows llama_tensor_get_type of the llama.cpp release the tests load
// (node-llama-cpp 3.22.1, llama.cpp v0.5.0), for the architectures the GGUF exporter writes
// (llama, Mistral written as llama, qwen2, qwen3; dense, no experts, never Falcon):
//
//   - the preset's base type (Q4_K for Q4_K_M/S, Q3_K for Q3_K_*, ...) for every linear layer;
//   - output.weight (the classifier): Q6_K unless the base type is Q8_0 (then Q8_0) or its rows are
//     not whole base-type blocks (then Q8_0);
//   - token_embd: the base type; with tied embeddings (no output.weight in the file) llama.cpp gives
//     token_embd the classifier's rule instead;
//   - attn_v: Q2_K → Q4_K when n_head/n_head_kv ≥ 4 else Q3_K; Q3_K_M → Q5_K in the first two
//     blocks, else Q4_K; Q3_K_L → Q5_K; Q4_K_M, Q5_K_M → Q6_K where use_more_bits(i, n);
//     Q4_K_S → Q5_K in the first four blocks; IQ4_NL → Q5_K when n_head/n_head_kv ≥ 4; and on a
//     "70B" (llama with 80 blocks and grouped KV heads, qwen2 with 80 blocks) a Q3_K or Q4_K attn_v
//     becomes Q5_K;
//   - ffn_down: Q2_K → Q3_K; Q3_K_M → Q5_K for i < n/16, else Q4_K; Q3_K_L → Q5_K;
//     Q4_K_M, Q5_K_M → Q6_K where use_more_bits(i, n); Q4_K_S → Q5_K for i < n/8; IQ4_NL → Q5_K
//     for i < n/8 without an importance matrix; Q4_0 / Q5_0 → Q4_1 / Q5_1 for i < n/8 with one;
//   - attn_output: Q2_K → Q3_K, Q3_K_M → Q4_K, Q3_K_L → Q5_K;
//   - attn_q, attn_k, ffn_gate, ffn_up: the base type;
//   - use_more_bits(i, n) = i < n/8 || i ≥ 7n/8 || (i − n/8) % 3 == 2, i the block, n the blocks;
//   - then tensor_type_fallback when a row (the tensor's input features) is not a whole number of
//     the type's blocks: Q2_K, Q3_K → Q4_0; Q4_K → Q5_0; Q5_K → Q5_1; Q6_K → Q8_0; then F16.
//     F16, BF16 and F32 presets put every tensor in that type, with no rules and no fallback.
//
// `pure` (llama-quantize --pure) skips the rules: every tensor in the base type, fallback included.
// outputTensorType / tokenEmbeddingType (--output-tensor-type / --token-embedding-type) put those
// tensors in the named type, overriding the mix (and `pure`); with tied embeddings an output type
// also applies to token_embd unless a token-embedding type is given, as in llama.cpp. llama.cpp
// applies no fallback to these two overrides (it fails on a shape the type cannot hold); Salience's
// exporter falls back as for any other tensor and says so in its report.
#include "model/Model.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace salience {

struct LlamaQuantizeOptions {
    std::string outputTensorType;   // ggml type name for output.weight; empty: the mix's
    std::string tokenEmbeddingType; // ggml type name for token_embd.weight; empty: the mix's
    bool pure = false;              // every tensor in the preset's base type
    bool importanceMatrix = false;  // quantized with an importance matrix (changes Q4_0/Q5_0/IQ4_NL ffn_down)
};

struct LlamaQuantizeTensorType {
    std::string tensorName; // llama.cpp's name: "blk.3.ffn_down.weight"
    std::string requested;  // the mix's choice before tensor_type_fallback
    std::string type;       // what llama-quantize writes: `requested` unless its blocks do not fit a row
    std::string reason;     // "ffn_down upgrade (use_more_bits)", "Q4_K_M base type", ...
};

struct LlamaQuantizeMix {
    std::string preset;      // canonical name: "Q4_K_M" (aliases Q3_K, Q4_K, Q5_K give the _M mix)
    uint32_t fileType = 0;   // llama_ftype, for general.file_type
    std::string baseType;    // the preset's default ggml type: "Q4_K"
    // Every linear layer the GGUF exporter writes, the embedding and the classifier included, by
    // canonical name ("model.layers.3.mlp.down_proj", "model.embed_tokens", "lm_head").
    std::map<std::string, LlamaQuantizeTensorType> layers;
};

// The preset names, in llama-quantize's order.
const std::vector<std::string>& llamaQuantizePresets();

// The preset's llama_ftype and canonical name; InputError("--preset", ...) listing the presets for
// a name that is not one (case-insensitive).
uint32_t llamaQuantizeFileType(const std::string& preset);

// The types llama-quantize gives `model`'s tensors for `preset`. Throws InputError naming --preset
// for an unknown preset, --output-tensor-type / --token-embedding-type for a type Salience cannot
// write, and the model when it has no token embedding.
LlamaQuantizeMix llamaQuantizeMix(const Model& model, const std::string& preset,
                                  const LlamaQuantizeOptions& options = {});

} // namespace salience
