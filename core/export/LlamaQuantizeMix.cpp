#include "export/LlamaQuantizeMix.h"

#include "base/Error.h"
#include "io/GgmlTypes.h"
#include "model/LayerDiscovery.h"
#include "quant/GgmlQuantize.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace salience {

namespace {

// llama.h's llama_ftype values of the presets.
enum Ftype : uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q8_0 = 7, Q5_0 = 8, Q5_1 = 9, Q2_K = 10, Q3_K_S = 11, Q3_K_M = 12,
    Q3_K_L = 13, Q4_K_S = 14, Q4_K_M = 15, Q5_K_S = 16, Q5_K_M = 17, Q6_K = 18, IQ4_NL = 25, BF16 = 32,
};

struct Preset {
    const char* name;
    Ftype ftype;
    GgmlType base; // llama_ftype_get_default_type
};

// llama-quantize's names (tools/quantize/quantize.cpp) for the types Salience writes, in its order;
// Q2_K_S is left out because llama.cpp refuses it without an importance matrix.
const std::vector<Preset>& presets()
{
    static const std::vector<Preset> list{
        {"Q4_0", Q4_0, GgmlType::Q4_0},     {"Q4_1", Q4_1, GgmlType::Q4_1},     {"Q5_0", Q5_0, GgmlType::Q5_0},
        {"Q5_1", Q5_1, GgmlType::Q5_1},     {"Q2_K", Q2_K, GgmlType::Q2_K},     {"Q3_K", Q3_K_M, GgmlType::Q3_K},
        {"Q3_K_S", Q3_K_S, GgmlType::Q3_K}, {"Q3_K_M", Q3_K_M, GgmlType::Q3_K}, {"Q3_K_L", Q3_K_L, GgmlType::Q3_K},
        {"IQ4_NL", IQ4_NL, GgmlType::IQ4_NL}, {"Q4_K", Q4_K_M, GgmlType::Q4_K}, {"Q4_K_S", Q4_K_S, GgmlType::Q4_K},
        {"Q4_K_M", Q4_K_M, GgmlType::Q4_K}, {"Q5_K", Q5_K_M, GgmlType::Q5_K}, {"Q5_K_S", Q5_K_S, GgmlType::Q5_K},
        {"Q5_K_M", Q5_K_M, GgmlType::Q5_K}, {"Q6_K", Q6_K, GgmlType::Q6_K},   {"Q8_0", Q8_0, GgmlType::Q8_0},
        {"F16", F16, GgmlType::F16},        {"BF16", BF16, GgmlType::BF16},     {"F32", F32, GgmlType::F32},
    };
    return list;
}

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return s;
}

const Preset& findPreset(const std::string& name)
{
    const std::string key = upper(name);
    for (const Preset& p : presets())
        if (key == p.name)
            return p;
    std::string list;
    for (const Preset& p : presets())
        list += (list.empty() ? "" : ", ") + std::string(p.name);
    throw InputError("--preset", "unknown preset '" + name + "' (llama-quantize's mixes: " + list + ")");
}

// The canonical name of a preset: an alias gives the mix it stands for.
std::string canonicalName(const Preset& p)
{
    const std::string name = p.name;
    return name == "Q3_K" || name == "Q4_K" || name == "Q5_K" ? name + "_M" : name;
}

std::optional<GgmlType> overrideType(const std::string& name, const std::string& option)
{
    if (name.empty())
        return std::nullopt;
    const auto type = ggmlTypeFromName(name);
    if (!type || !canQuantize(*type))
        throw InputError(option, "'" + name + "' is not a type Salience writes (" + quantizableTypeList() + ")");
    return type;
}

bool isQuantized(GgmlType t) { return t != GgmlType::F32 && t != GgmlType::F16 && t != GgmlType::BF16; }

std::string typeName(GgmlType t) { return ggmlTypeName(uint32_t(t)); }


bool useMoreBits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

struct Choice {
    GgmlType type;
    std::string reason;
};

} // namespace

const std::vector<std::string>& llamaQuantizePresets()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const Preset& p : presets())
            out.push_back(p.name);
        return out;
    }();
    return names;
}

uint32_t llamaQuantizeFileType(const std::string& preset) { return findPreset(preset).ftype; }

LlamaQuantizeMix llamaQuantizeMix(const Model& model, const std::string& presetName, const LlamaQuantizeOptions& options)
{
    const Preset& preset = findPreset(presetName);
    const std::optional<GgmlType> outputOverride = overrideType(options.outputTensorType, "--output-tensor-type");
    const std::optional<GgmlType> embeddingOverride =
        overrideType(options.tokenEmbeddingType, "--token-embedding-type");
    const ArchConfig& cfg = model.config();
    const Ftype f = preset.ftype;
    const GgmlType base = preset.base;
    const std::string mix = canonicalName(preset);

    LlamaQuantizeMix out;
    out.preset = mix;
    out.fileType = preset.ftype;
    out.baseType = typeName(base);

    // What llama.cpp's quantize state knows of the model: the blocks (n_layer, also the count of
    // ffn_down tensors), the attn_v tensors, whether output.weight exists, n_gqa of layer 0, and
    // whether the model is typed 70B (only that type changes a choice).
    bool hasEmbedding = false, tied = true;
    int nAttentionV = 0;
    for (const LinearLayer& l : model.layers()) {
        hasEmbedding |= l.role == LayerRole::Embedding;
        if (l.role == LayerRole::Classifier)
            tied = false;
        if (l.role == LayerRole::V && l.block >= 0 && l.block < cfg.nLayers)
            ++nAttentionV;
    }
    if (!hasEmbedding)
        throw InputError(model.path(), "no token embedding (llama.cpp's token_embd.weight)");
    const int nLayer = int(cfg.nLayers);
    const int64_t nGqa = cfg.nKvHeads > 0 ? cfg.nHeads / cfg.nKvHeads : 0;
    const std::string arch = cfg.architecture == "mistral" ? std::string("llama") : cfg.architecture;
    const bool is70B = nLayer == 80 && ((arch == "llama" && cfg.nHeads != cfg.nKvHeads) || arch == "qwen2");

    // llama.cpp visits attn_v tensors in block order and counts them; ffn_down's index is its block.
    std::vector<int> vBlocks;
    for (const LinearLayer& l : model.layers())
        if (l.role == LayerRole::V && l.block >= 0 && l.block < cfg.nLayers)
            vBlocks.push_back(l.block);
    std::sort(vBlocks.begin(), vBlocks.end());
    const auto attentionVIndex = [&](int block) {
        return int(std::lower_bound(vBlocks.begin(), vBlocks.end(), block) - vBlocks.begin());
    };

    const std::string baseReason = mix + " base type";
    // The classifier's rule (also token_embd's with tied embeddings), before the fallback.
    const auto outputRule = [&](int64_t rowLength) -> Choice {
        if (rowLength % ggmlTypeTraits(base)->blockSize != 0)
            return {GgmlType::Q8_0, "output: rows are not whole " + typeName(base) + " blocks, so Q8_0"};
        if (base != GgmlType::Q8_0)
            return {GgmlType::Q6_K, "output tensor: Q6_K for every k-quant and legacy mix"};
        return {base, "output tensor: Q8_0 mix keeps Q8_0"};
    };

    // llama_tensor_get_type_impl for the tensors of a dense llama/qwen model.
    const auto mixRule = [&](const LinearLayer& l) -> Choice {
        const bool moreBits = l.block >= 0 && useMoreBits(l.block, nLayer);
        switch (l.role) {
        case LayerRole::Classifier: return outputRule(l.inFeatures);
        case LayerRole::Embedding:
            if (tied) {
                Choice c = outputRule(l.inFeatures);
                c.reason = "tied embeddings: token_embd takes the " + c.reason;
                return c;
            }
            return {base, baseReason};
        case LayerRole::V: {
            const int i = attentionVIndex(l.block), n = nAttentionV;
            Choice c{base, baseReason};
            if (f == Q2_K)
                c = nGqa >= 4 ? Choice{GgmlType::Q4_K, "attn_v upgrade (n_head/n_head_kv >= 4)"}
                              : Choice{GgmlType::Q3_K, "attn_v upgrade (Q2_K mix)"};
            else if (f == Q3_K_M)
                c = i < 2 ? Choice{GgmlType::Q5_K, "attn_v upgrade (first two blocks)"}
                          : Choice{GgmlType::Q4_K, "attn_v upgrade (Q3_K_M mix)"};
            else if (f == Q3_K_L)
                c = {GgmlType::Q5_K, "attn_v upgrade (Q3_K_L mix)"};
            else if (f == IQ4_NL && nGqa >= 4)
                c = {GgmlType::Q5_K, "attn_v upgrade (n_head/n_head_kv >= 4)"};
            else if ((f == Q4_K_M || f == Q5_K_M) && useMoreBits(i, n))
                c = {GgmlType::Q6_K, "attn_v upgrade (use_more_bits)"};
            else if (f == Q4_K_S && i < 4)
                c = {GgmlType::Q5_K, "attn_v upgrade (first four blocks)"};
            if (is70B && (c.type == GgmlType::Q3_K || c.type == GgmlType::Q4_K))
                c = {GgmlType::Q5_K, "attn_v upgrade (70B model: 8 heads share attn_v)"};
            return c;
        }
        case LayerRole::Down: {
            const int i = l.block, n = nLayer;
            if (f == Q2_K)
                return {GgmlType::Q3_K, "ffn_down upgrade (Q2_K mix)"};
            if (f == Q3_K_M)
                return i < n / 16 ? Choice{GgmlType::Q5_K, "ffn_down upgrade (first n/16 blocks)"}
                                  : Choice{GgmlType::Q4_K, "ffn_down upgrade (Q3_K_M mix)"};
            if (f == Q3_K_L)
                return {GgmlType::Q5_K, "ffn_down upgrade (Q3_K_L mix)"};
            if (f == Q4_K_M)
                return moreBits ? Choice{GgmlType::Q6_K, "ffn_down upgrade (use_more_bits)"} : Choice{base, baseReason};
            if (f == IQ4_NL && i < n / 8 && !options.importanceMatrix)
                return {GgmlType::Q5_K, "ffn_down upgrade (first n/8 blocks, no imatrix)"};
            if (f == Q5_K_M && moreBits)
                return {GgmlType::Q6_K, "ffn_down upgrade (use_more_bits)"};
            if (f == Q4_K_S && i < n / 8)
                return {GgmlType::Q5_K, "ffn_down upgrade (first n/8 blocks)"};
            if ((f == Q4_0 || f == Q5_0) && options.importanceMatrix && i < n / 8)
                return {f == Q4_0 ? GgmlType::Q4_1 : GgmlType::Q5_1, "ffn_down upgrade (first n/8 blocks, imatrix)"};
            return {base, baseReason};
        }
        case LayerRole::O:
            if (f == Q2_K)
                return {GgmlType::Q3_K, "attn_output upgrade (Q2_K mix)"};
            if (f == Q3_K_M)
                return {GgmlType::Q4_K, "attn_output upgrade (Q3_K_M mix)"};
            if (f == Q3_K_L)
                return {GgmlType::Q5_K, "attn_output upgrade (Q3_K_L mix)"};
            return {base, baseReason};
        default: return {base, baseReason};
        }
    };

    for (const LinearLayer& l : model.layers()) {
        if (l.role == LayerRole::Other)
            continue; // the exporter writes no such tensor
        LlamaQuantizeTensorType t;
        t.tensorName = ggufTensorName(l.block, l.role);
        // llama_tensor_get_type: the two overrides first (no fallback in llama.cpp), then the mix.
        Choice c;
        if (l.role == LayerRole::Embedding && embeddingOverride)
            c = {*embeddingOverride, "--token-embedding-type"};
        else if (l.role == LayerRole::Classifier && outputOverride)
            c = {*outputOverride, "--output-tensor-type"};
        else if (!isQuantized(base))
            c = {base, baseReason + " (not quantized: no mix rules)"};
        else if (l.role == LayerRole::Embedding && tied && outputOverride && !options.pure)
            c = {*outputOverride, "tied embeddings: token_embd takes --output-tensor-type"};
        else if (options.pure)
            c = {base, mix + " base type (--pure)"};
        else
            c = mixRule(l);
        t.requested = typeName(c.type);
        // F16, BF16 and F32 hold any row, so only block types fall back. llama.cpp does not fall
        // back from the two overrides (it fails instead); Salience's exporter does, and says so.
        const GgmlType written = ggmlFallbackType(c.type, l.inFeatures);
        t.type = typeName(written);
        t.reason = t.requested + ": " + c.reason;
        if (written != c.type)
            t.reason += "; rows of " + std::to_string(l.inFeatures) + " are not whole " + t.requested + " blocks, so " +
                        t.type + (c.reason.rfind("--", 0) == 0 ? " (Salience's fallback; llama-quantize would fail)"
                                                              : " (tensor_type_fallback)");
        out.layers.emplace(l.name, std::move(t));
    }
    return out;
}

} // namespace salience
