#pragma once
// A linear layer found in a model file: where its weight lives and how to turn the stored
// tensor into the canonical float32 [out_features, in_features].
#include "model/LayerRole.h"

#include <cstdint>
#include <string>

namespace salience {

// How a stored tensor maps to the canonical weight. Canonical q/k rows follow the interleaved
// rotary convention of llama2.c and llama.cpp, so Hugging Face's rotate-half permutation is
// undone on read and every format gives the same matrix for the same (block, role).
enum class WeightLayout {
    AsStored,         // stored [out, in]
    Transposed,       // stored [in, out] (GPT-2 Conv1D)
    HfRotaryPermuted, // stored [out, in] with Hugging Face's q/k row permutation per head
};

struct LinearLayer {
    std::string name;       // canonical name: "model.layers.3.self_attn.q_proj", "lm_head"
    std::string tensorName; // the tensor's name in the file: "blk.3.attn_q.weight"
    int block = -1;         // -1 for the embedding and the classifier
    LayerRole role = LayerRole::Other;
    int64_t inFeatures = 0;
    int64_t outFeatures = 0;
    std::string dtype;      // as stored: "F32", "Q4_K", ...
    WeightLayout layout = WeightLayout::AsStored;
    int64_t rotaryHeads = 0; // heads of the permutation when layout is HfRotaryPermuted

    int64_t numel() const { return inFeatures * outFeatures; }
    // Layers a plan quantizes by default: everything but the embedding lookup table.
    bool isQuantizable() const { return role != LayerRole::Embedding; }
};

} // namespace salience
