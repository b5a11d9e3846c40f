#pragma once
// Finds the linear layers and the other tensors a forward pass needs from tensor names and
// shapes, for every naming scheme Salience knows: Hugging Face Llama/Mistral/Qwen, GGUF blk.N,
// llama2.c/Meta, and GPT-2's transposed Conv1D. Everything gets one canonical (HF) name.
#include "model/ArchConfig.h"
#include "model/LinearLayer.h"
#include "tensor/Tensor.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace salience {

// A tensor under its canonical name ("model.layers.0.input_layernorm", "model.norm").
struct CanonicalTensor {
    std::string name;
    std::string tensorName;
    WeightLayout layout = WeightLayout::AsStored;
    int64_t rotaryHeads = 0;
};

struct DiscoveredLayout {
    std::vector<LinearLayer> layers;        // blocks in order, roles q,k,v,o,gate,up,down
    std::vector<CanonicalTensor> tensors;   // every recognised tensor, linear or not
    std::vector<std::string> warnings;      // e.g. q/k permutation unknown without a config
};

DiscoveredLayout discoverLayers(const std::vector<TensorInfo>& tensors, const ArchConfig& config);

// (block, role) of a tensor name in any known scheme, for mapping imatrix or activation names
// across formats. nullopt when the name is not a known linear layer.
struct BlockRole {
    int block;
    LayerRole role;
};
std::optional<BlockRole> parseLayerName(const std::string& name);

// The canonical name of a layer: HF Llama naming.
std::string canonicalLayerName(int block, LayerRole role);
// llama.cpp's tensor name for a (block, role): "blk.3.attn_q.weight", "token_embd.weight",
// "output.weight"; "" for LayerRole::Other.
std::string ggufTensorName(int block, LayerRole role);

} // namespace salience
