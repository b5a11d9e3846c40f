#pragma once
// Random-weight checkpoints of published shapes (Llama 3.2 1B, Llama 3.1 8B, Qwen2.5 0.5B,
// Qwen3 0.6B, Mistral 7B) in Hugging Face layout, for tests and benchmarks: nothing downloads
// weights. Each is bf16, sharded as the originals are (shards of at most shardBytes, with
// model.safetensors.index.json), with the architecture's own config.json (rope scaling, biases,
// per-head norms, sliding window), and the demo model's phenomena planted so that the plots show
// something: a few heavy input columns in q/k/v and gate/up, and massive values in a few residual
// dimensions of the first tokens' embeddings. Tiny shapes of each family (vocabulary 512, the
// size of llama2.c's tok512) let tests compare against llama.cpp in seconds.
#include "base/Progress.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

struct CheckpointShape {
    std::string name;       // "llama-3.2-1b"
    std::string modelType;  // config.json model_type: llama, qwen2, qwen3, mistral
    std::string hfClass;    // LlamaForCausalLM, ...
    int64_t dim = 0, hiddenDim = 0, layers = 0, heads = 0, kvHeads = 0, headDim = 0, vocab = 0, context = 0;
    double ropeTheta = 10000, rmsNormEps = 1e-5;
    bool tiedEmbeddings = false;
    bool attentionBias = false; // Qwen2's q/k/v biases
    bool qkNorm = false;        // Qwen3's per-head q/k RMSNorm
    nlohmann::json ropeScaling; // null, or config.json's rope_scaling object
    int64_t slidingWindow = 0;  // Mistral
    int64_t shardBytes = int64_t(5) << 30;

    int64_t parameterCount() const;
    // The config.json of this shape with `layers` blocks.
    nlohmann::json hfConfig(int64_t layers) const;
};

// Every shape `demo --shape` knows, published ones first, then the tiny test shapes
// (tiny-llama3, tiny-qwen2, tiny-qwen3, tiny-mistral).
const std::vector<CheckpointShape>& checkpointShapes();
// The shape named `name`; InputError("--shape", ...) listing the names otherwise.
const CheckpointShape& checkpointShape(const std::string& name);

struct ShapedCheckpointOptions {
    int64_t layers = 0;         // blocks to write; 0: the shape's own count
    int64_t vocab = 0;          // embedding rows; 0: the shape's own (a tiny shape with a real tokenizer)
    uint64_t seed = 1;
    std::string tokenizerJson;  // a tokenizer.json (or folder holding one) copied beside; empty: none
    bool overwrite = false;
};

// Writes the checkpoint into `dir` shard by shard (memory: one shard). Returns the files written.
// Throws InputError naming the folder or file at fault; CancelledError (nothing left) on cancel.
std::vector<std::string> writeShapedCheckpoint(const CheckpointShape& shape, const std::string& dir,
                                               const ShapedCheckpointOptions& options, Progress& progress);

} // namespace salience
