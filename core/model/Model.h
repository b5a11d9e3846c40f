#pragma once
// A model: a catalog of tensors (memory-mapped, lazy) plus its architecture and the linear
// layers found in it, each served as canonical float32 [out_features, in_features].
// Copies are cheap and share the open file; reading is safe from several threads.
#include "io/TensorReader.h"
#include "model/ArchConfig.h"
#include "model/LayerDiscovery.h"
#include "model/LinearLayer.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace salience {

class Model {
public:
    Model() = default;

    // A .safetensors, .gguf or llama2.c .bin file, a model.safetensors.index.json, or a
    // Hugging Face directory (config.json + weights). Throws InputError naming the path.
    static Model open(const std::string& path);
    // A model over an already open reader (the demo model, tests).
    static Model fromReader(std::shared_ptr<const TensorReader> reader, ArchConfig config);

    bool isOpen() const { return m_reader != nullptr; }
    const std::string& path() const;
    std::string format() const;
    const ArchConfig& config() const { return m_config; }
    const TensorReader& reader() const { return *m_reader; }
    std::shared_ptr<const TensorReader> readerPtr() const { return m_reader; }
    const std::vector<std::string>& warnings() const { return m_warnings; }

    const std::vector<LinearLayer>& layers() const { return m_layers; }
    // Finds a layer by its canonical name, its tensor name (with or without ".weight"), or any
    // scheme's name for the same (block, role): "blk.0.attn_q.weight" finds
    // "model.layers.0.self_attn.q_proj". nullptr when there is none.
    const LinearLayer* findLayer(std::string_view name) const;
    // As findLayer, but throws InputError naming the model and the layer.
    const LinearLayer& layer(std::string_view name) const;

    // The canonical weight, float32 [out_features, in_features].
    Matrix weight(const LinearLayer& layer) const;
    Matrix weight(std::string_view layerName) const { return weight(layer(layerName)); }

    // Every recognised tensor under its canonical name (norms included), and its data.
    const std::vector<CanonicalTensor>& canonicalTensors() const { return m_tensors; }
    const CanonicalTensor* findCanonical(std::string_view name) const;
    FloatTensor canonicalTensor(std::string_view name) const;

    // Parameters in all tensors, and in the quantizable layers.
    int64_t parameterCount() const;

private:
    Matrix toCanonical(const FloatTensor& stored, const std::string& tensorName, WeightLayout layout,
                       int64_t rotaryHeads) const;

    std::shared_ptr<const TensorReader> m_reader;
    ArchConfig m_config;
    std::vector<LinearLayer> m_layers;
    std::vector<CanonicalTensor> m_tensors;
    std::vector<std::string> m_warnings;
};

// Undoes Hugging Face's per-head rotary row permutation:
// canonical[h*d + 2p + a] = stored[h*d + a*d/2 + p] for head h, head size d, pair p, a in {0,1}.
Matrix unpermuteRotaryRows(const Matrix& stored, int64_t heads);
// The inverse: canonical rows to Hugging Face's order (for exporters).
Matrix permuteRotaryRows(const Matrix& canonical, int64_t heads);

} // namespace salience
