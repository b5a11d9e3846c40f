#include "model/LayerDiscovery.h"

#include <algorithm>
#include <regex>

namespace salience {

namespace {

enum class Scheme { Hf, Gguf, Meta, Gpt2 };

struct LinearRule {
    std::regex pattern; // group 1: block; group 2: the role token
    Scheme scheme;
};

const std::vector<LinearRule>& linearRules()
{
    static const std::vector<LinearRule> rules{
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.self_attn\.(q|k|v|o)_proj\.weight$)"), Scheme::Hf},
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.mlp\.(gate|up|down)_proj\.weight$)"), Scheme::Hf},
        {std::regex(R"(^blk\.(\d+)\.(attn_q|attn_k|attn_v|attn_output|ffn_gate|ffn_up|ffn_down)\.weight$)"), Scheme::Gguf},
        {std::regex(R"(^layers\.(\d+)\.(attention\.wq|attention\.wk|attention\.wv|attention\.wo|feed_forward\.w1|feed_forward\.w2|feed_forward\.w3)\.weight$)"),
         Scheme::Meta},
        {std::regex(R"(^(?:transformer\.)?h\.(\d+)\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$)"), Scheme::Gpt2},
    };
    return rules;
}

LayerRole roleOfToken(const std::string& t)
{
    static const std::map<std::string, LayerRole> roles{
        {"q", LayerRole::Q},
        {"k", LayerRole::K},
        {"v", LayerRole::V},
        {"o", LayerRole::O},
        {"gate", LayerRole::Gate},
        {"up", LayerRole::Up},
        {"down", LayerRole::Down},
        {"attn_q", LayerRole::Q},
        {"attn_k", LayerRole::K},
        {"attn_v", LayerRole::V},
        {"attn_output", LayerRole::O},
        {"ffn_gate", LayerRole::Gate},
        {"ffn_up", LayerRole::Up},
        {"ffn_down", LayerRole::Down},
        {"attention.wq", LayerRole::Q},
        {"attention.wk", LayerRole::K},
        {"attention.wv", LayerRole::V},
        {"attention.wo", LayerRole::O},
        {"feed_forward.w1", LayerRole::Gate},
        {"feed_forward.w2", LayerRole::Down},
        {"feed_forward.w3", LayerRole::Up},
        {"attn.c_attn", LayerRole::Other},
        {"attn.c_proj", LayerRole::O},
        {"mlp.c_fc", LayerRole::Up},
        {"mlp.c_proj", LayerRole::Down},
    };
    auto it = roles.find(t);
    return it == roles.end() ? LayerRole::Other : it->second;
}

// How a vector's entries follow the q/k rows, so it moves with them out of Hugging Face's
// rotary order: a q or k bias over all heads, or a per-head norm weight (Qwen3's q_norm).
enum class RotaryVector { None, QueryHeads, KeyHeads, WithinHead };

// Tensors that are not linear layers but that the forward pass needs, by canonical name.
struct NamedRule {
    std::regex pattern; // group 1 (if any): block
    std::string canonical; // "{}" is replaced by the block
    RotaryVector rotary = RotaryVector::None;
    bool hfScheme = false; // Hugging Face's own names (always in its rotary order)
};

const std::vector<NamedRule>& namedRules()
{
    static const std::vector<NamedRule> rules{
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.input_layernorm\.weight$)"), "model.layers.{}.input_layernorm"},
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.post_attention_layernorm\.weight$)"), "model.layers.{}.post_attention_layernorm"},
        {std::regex(R"(^blk\.(\d+)\.attn_norm\.weight$)"), "model.layers.{}.input_layernorm"},
        {std::regex(R"(^blk\.(\d+)\.ffn_norm\.weight$)"), "model.layers.{}.post_attention_layernorm"},
        {std::regex(R"(^layers\.(\d+)\.attention_norm\.weight$)"), "model.layers.{}.input_layernorm"},
        {std::regex(R"(^layers\.(\d+)\.ffn_norm\.weight$)"), "model.layers.{}.post_attention_layernorm"},
        {std::regex(R"(^(?:model\.norm|output_norm|norm)\.weight$)"), "model.norm"},
        // Qwen2's q/k/v biases and Qwen3's per-head q/k norms.
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.self_attn\.q_proj\.bias$)"), "model.layers.{}.self_attn.q_proj.bias",
         RotaryVector::QueryHeads, true},
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.self_attn\.k_proj\.bias$)"), "model.layers.{}.self_attn.k_proj.bias",
         RotaryVector::KeyHeads, true},
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.self_attn\.v_proj\.bias$)"), "model.layers.{}.self_attn.v_proj.bias"},
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.self_attn\.q_norm\.weight$)"), "model.layers.{}.self_attn.q_norm",
         RotaryVector::WithinHead, true},
        {std::regex(R"(^(?:.*\.)?layers\.(\d+)\.self_attn\.k_norm\.weight$)"), "model.layers.{}.self_attn.k_norm",
         RotaryVector::WithinHead, true},
        {std::regex(R"(^blk\.(\d+)\.attn_q\.bias$)"), "model.layers.{}.self_attn.q_proj.bias", RotaryVector::QueryHeads},
        {std::regex(R"(^blk\.(\d+)\.attn_k\.bias$)"), "model.layers.{}.self_attn.k_proj.bias", RotaryVector::KeyHeads},
        {std::regex(R"(^blk\.(\d+)\.attn_v\.bias$)"), "model.layers.{}.self_attn.v_proj.bias"},
        {std::regex(R"(^blk\.(\d+)\.attn_q_norm\.weight$)"), "model.layers.{}.self_attn.q_norm", RotaryVector::WithinHead},
        {std::regex(R"(^blk\.(\d+)\.attn_k_norm\.weight$)"), "model.layers.{}.self_attn.k_norm", RotaryVector::WithinHead},
        // llama.cpp's llama3 rotary scaling: one divisor per frequency.
        {std::regex(R"(^rope_freqs\.weight$)"), "rope_freqs"},
    };
    return rules;
}

const std::vector<std::string> kEmbeddingNames{"model.embed_tokens.weight", "token_embd.weight",
                                               "tok_embeddings.weight", "transformer.wte.weight", "wte.weight"};
const std::vector<std::string> kClassifierNames{"lm_head.weight", "output.weight"};

std::string withBlock(std::string pattern, int block)
{
    const auto pos = pattern.find("{}");
    if (pos != std::string::npos)
        pattern.replace(pos, 2, std::to_string(block));
    return pattern;
}

bool contains(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

std::string canonicalLayerName(int block, LayerRole role)
{
    const std::string prefix = "model.layers." + std::to_string(block) + ".";
    switch (role) {
    case LayerRole::Q: return prefix + "self_attn.q_proj";
    case LayerRole::K: return prefix + "self_attn.k_proj";
    case LayerRole::V: return prefix + "self_attn.v_proj";
    case LayerRole::O: return prefix + "self_attn.o_proj";
    case LayerRole::Gate: return prefix + "mlp.gate_proj";
    case LayerRole::Up: return prefix + "mlp.up_proj";
    case LayerRole::Down: return prefix + "mlp.down_proj";
    case LayerRole::Embedding: return "model.embed_tokens";
    case LayerRole::Classifier: return "lm_head";
    case LayerRole::Other: break;
    }
    return prefix + "other";
}

std::string ggufTensorName(int block, LayerRole role)
{
    const std::string blk = "blk." + std::to_string(block) + ".";
    switch (role) {
    case LayerRole::Q: return blk + "attn_q.weight";
    case LayerRole::K: return blk + "attn_k.weight";
    case LayerRole::V: return blk + "attn_v.weight";
    case LayerRole::O: return blk + "attn_output.weight";
    case LayerRole::Gate: return blk + "ffn_gate.weight";
    case LayerRole::Up: return blk + "ffn_up.weight";
    case LayerRole::Down: return blk + "ffn_down.weight";
    case LayerRole::Embedding: return "token_embd.weight";
    case LayerRole::Classifier: return "output.weight";
    case LayerRole::Other: break;
    }
    return {};
}

std::optional<BlockRole> parseLayerName(const std::string& rawName)
{
    // Accept names with or without the ".weight" suffix.
    const std::string name = rawName.ends_with(".weight") ? rawName : rawName + ".weight";
    std::smatch m;
    for (const auto& rule : linearRules())
        if (std::regex_match(name, m, rule.pattern))
            return BlockRole{std::stoi(m[1].str()), roleOfToken(m[2].str())};
    if (contains(kEmbeddingNames, name))
        return BlockRole{-1, LayerRole::Embedding};
    if (contains(kClassifierNames, name))
        return BlockRole{-1, LayerRole::Classifier};
    return std::nullopt;
}

DiscoveredLayout discoverLayers(const std::vector<TensorInfo>& tensors, const ArchConfig& config)
{
    DiscoveredLayout out;
    bool warnedPermutation = false;
    for (const auto& t : tensors) {
        if (t.shape.size() != 2 && !t.name.ends_with("norm.weight") && !t.name.ends_with(".bias") &&
            t.name != "rope_freqs.weight")
            continue;
        std::smatch m;
        bool matched = false;
        for (const auto& rule : linearRules()) {
            if (!std::regex_match(t.name, m, rule.pattern))
                continue;
            matched = true;
            LinearLayer layer;
            layer.block = std::stoi(m[1].str());
            layer.role = roleOfToken(m[2].str());
            layer.tensorName = t.name;
            layer.dtype = t.dtype;
            if (rule.scheme == Scheme::Gpt2) {
                layer.name = t.name.substr(0, t.name.size() - 7);
                layer.layout = WeightLayout::Transposed;
                layer.inFeatures = t.shape[0];
                layer.outFeatures = t.shape[1];
            } else {
                layer.name = canonicalLayerName(layer.block, layer.role);
                layer.inFeatures = t.shape[1];
                layer.outFeatures = t.shape[0];
                const bool qk = layer.role == LayerRole::Q || layer.role == LayerRole::K;
                const bool hfOrder = rule.scheme == Scheme::Hf ||
                                     (rule.scheme == Scheme::Gguf && config.ggufKeepsHfRotaryOrder());
                if (hfOrder && qk) {
                    const int64_t heads = layer.role == LayerRole::Q ? config.nHeads : config.nKvHeads;
                    if (config.hasRotaryAttention() && heads > 0 && layer.outFeatures % (2 * heads) == 0) {
                        layer.layout = WeightLayout::HfRotaryPermuted;
                        layer.rotaryHeads = heads;
                    } else if (!warnedPermutation) {
                        out.warnings.push_back("q/k rows kept as stored: the head count or rotary architecture is "
                                               "unknown (no config.json?), so Hugging Face's permutation cannot be undone");
                        warnedPermutation = true;
                    }
                }
            }
            out.tensors.push_back({layer.name, t.name, layer.layout, layer.rotaryHeads});
            out.layers.push_back(std::move(layer));
            break;
        }
        if (matched)
            continue;
        if (t.shape.size() == 2 && (contains(kEmbeddingNames, t.name) || contains(kClassifierNames, t.name))) {
            LinearLayer layer;
            layer.role = contains(kEmbeddingNames, t.name) ? LayerRole::Embedding : LayerRole::Classifier;
            layer.name = canonicalLayerName(-1, layer.role);
            layer.tensorName = t.name;
            layer.dtype = t.dtype;
            layer.outFeatures = t.shape[0];
            layer.inFeatures = t.shape[1];
            out.tensors.push_back({layer.name, t.name, WeightLayout::AsStored, 0});
            out.layers.push_back(std::move(layer));
            continue;
        }
        for (const auto& rule : namedRules()) {
            if (!std::regex_match(t.name, m, rule.pattern))
                continue;
            const int block = m.size() > 1 && m[1].matched ? std::stoi(m[1].str()) : -1;
            CanonicalTensor c{withBlock(rule.canonical, block), t.name, WeightLayout::AsStored, 0};
            // In Hugging Face's rotary order (HF names, or a GGUF of a NEOX architecture) the vector
            // is permuted like the rows it goes with.
            const bool hfOrder = rule.hfScheme || config.ggufKeepsHfRotaryOrder();
            if (rule.rotary != RotaryVector::None && hfOrder && config.hasRotaryAttention()) {
                c.layout = WeightLayout::HfRotaryPermuted;
                c.rotaryHeads = rule.rotary == RotaryVector::QueryHeads ? config.nHeads
                                : rule.rotary == RotaryVector::KeyHeads ? config.nKvHeads
                                                                        : 1;
            }
            out.tensors.push_back(std::move(c));
            break;
        }
    }
    // Blocks in order, then roles in the order of the forward pass; embedding first, classifier last.
    auto rank = [](const LinearLayer& l) {
        const int b = l.role == LayerRole::Embedding ? -1 : l.role == LayerRole::Classifier ? 1 << 30 : l.block;
        return std::pair(b, int(l.role));
    };
    std::stable_sort(out.layers.begin(), out.layers.end(),
                     [&](const LinearLayer& a, const LinearLayer& b) { return rank(a) < rank(b); });
    return out;
}

} // namespace salience
