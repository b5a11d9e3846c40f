#pragma once
// A float32 forward pass of the Llama family over a model's canonical weights, whatever file
// they came from: RMSNorm, rotary embeddings in the interleaved convention of llama2.c and
// llama.cpp (the canonical q/k row order) with linear or Llama 3 frequency scaling, grouped-query
// attention with a causal mask (and Mistral's sliding window), Qwen2's q/k/v biases, Qwen3's
// per-head q/k RMSNorm, a SwiGLU MLP and a tied or separate classifier. Architectures it cannot
// run exactly (ArchConfig::forwardPassGap) are refused by name.
//
// One call runs one window of tokens through every block with matrix products over the whole
// window; a KvCache lets a caller continue a window token by token (generation). Any linear
// layer's weight can be replaced in memory, which is how a plan's dequantized results are
// evaluated without exporting anything.
#include "model/Model.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace salience {

// Observes the activations of a forward pass. Every callback receives one window's rows.
class ForwardHooks {
public:
    virtual ~ForwardHooks() = default;
    // X [tokens, in_features] entering a linear layer (q, k and v receive the same X).
    virtual void linearInput(const std::string& /*layer*/, const Matrix& /*inputs*/) {}
    // A block site of DESIGN.md: resid_in, attn_in, attn_out, resid_mid, mlp_in, mlp_act, mlp_out.
    virtual void site(int /*block*/, const std::string& /*site*/, const Matrix& /*values*/) {}
    // Skip building what nobody looks at.
    virtual bool wantsLinearInputs() const { return true; }
    virtual bool wantsSites() const { return true; }
};

// Keys and values of the positions seen so far, per block, after rotary embedding.
struct KvCache {
    std::vector<Matrix> keys;   // per block: [positions, kvHeads·headDim]
    std::vector<Matrix> values; // per block: the same shape
    int64_t positions() const { return keys.empty() ? 0 : keys.front().rows(); }
};

class Transformer {
public:
    // Reads every weight the pass needs. Throws InputError naming the model file when the
    // architecture is not a Llama-family decoder or a tensor is missing or misshapen.
    static Transformer load(const Model& model, Progress& progress);

    const ArchConfig& config() const { return m_config; }
    int64_t vocabSize() const { return m_embedding.rows(); }
    // The canonical names of the linear layers the pass uses, in order.
    std::vector<std::string> linearLayerNames() const;
    bool hasLinear(const std::string& layerName) const;
    const Matrix& linearWeight(const std::string& layerName) const;
    // Replaces a linear layer's weight (same shape), e.g. by QuantizedLinear::dequantize().
    // Throws InputError naming the layer when it is unknown or the shape differs.
    void setLinearWeight(const std::string& layerName, Matrix weight);

    // Logits [tokens, vocab] for `tokens` at positions cache.positions() onward (0 without a
    // cache). With a cache, the window's keys and values are appended to it. Throws InputError
    // for a token id outside the vocabulary.
    Matrix forward(std::span<const int32_t> tokens, ForwardHooks* hooks = nullptr, KvCache* cache = nullptr) const;
    // The same logits from the residual stream entering block `firstBlock` ([tokens, dim], what
    // a hook's "resid_in" site of that block saw; at the number of blocks, what leaves the last
    // one), without running the blocks before it: forward(tokens) exactly, to the last bit, when
    // those blocks' weights are the ones that produced `residual`. Throws Error for a block
    // outside 0..blocks or a residual of the wrong width.
    Matrix forwardFrom(int firstBlock, Matrix residual) const;
    int blockCount() const { return int(m_blocks.size()); }

private:
    struct Block {
        std::vector<float> attentionNorm, mlpNorm;
        std::vector<float> qBias, kBias, vBias; // empty when the model has none
        std::vector<float> qNorm, kNorm;        // per-head RMSNorm weights [headDim]; empty when none
        Matrix q, k, v, o, gate, up, down;
        std::string names[7];
    };

    // Blocks firstBlock.. on the residual stream x, then the final norm and the classifier.
    Matrix runBlocks(Matrix x, size_t firstBlock, ForwardHooks* hooks, KvCache* cache) const;
    Matrix* findLinear(const std::string& layerName);
    const Matrix* findLinear(const std::string& layerName) const;

    std::string m_source;
    ArchConfig m_config;
    Matrix m_embedding;   // [vocab, dim]
    Matrix m_classifier;  // [vocab, dim]; empty when tied to the embedding
    std::vector<float> m_finalNorm;
    std::vector<Block> m_blocks;
    std::vector<float> m_inverseFrequencies; // headDim / 2 rotary frequencies
};

} // namespace salience
