#include "model/ArchConfig.h"

#include "base/Error.h"
#include "io/GgufReader.h"
#include "io/Llama2cReader.h"

#include <set>

namespace salience {

namespace {

int64_t intField(const nlohmann::json& j, const char* key, int64_t fallback, const std::string& source)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() < 0)
        throw InputError(source, std::string("config field '") + key + "' must be a non-negative integer");
    return it->get<int64_t>();
}

double floatField(const nlohmann::json& j, const char* key, double fallback, const std::string& source)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if (!it->is_number())
        throw InputError(source, std::string("config field '") + key + "' must be a number");
    return it->get<double>();
}

void deriveHeadDim(ArchConfig& c)
{
    if (c.headDim == 0 && c.nHeads > 0 && c.dim % c.nHeads == 0)
        c.headDim = c.dim / c.nHeads;
    if (c.nKvHeads == 0)
        c.nKvHeads = c.nHeads;
}

} // namespace

bool ArchConfig::hasRotaryAttention() const
{
    static const std::set<std::string> rotary{"llama",  "mistral", "qwen2",  "qwen2moe", "qwen3", "qwen3moe",
                                              "gemma",  "gemma2",  "gemma3", "phi3",     "olmo",  "internlm2",
                                              "granite", "yi",     "stablelm", "starcoder2"};
    return rotary.count(architecture) > 0;
}

bool ArchConfig::ggufKeepsHfRotaryOrder() const
{
    static const std::set<std::string> neox{"qwen2",  "qwen2moe", "qwen3",    "qwen3moe",  "gemma", "gemma2",
                                            "gemma3", "phi3",     "stablelm", "starcoder2"};
    return neox.count(architecture) > 0;
}

ArchConfig ArchConfig::fromHfConfig(const nlohmann::json& j, const std::string& source)
{
    if (!j.is_object())
        throw InputError(source, "config.json is not a JSON object");
    ArchConfig c;
    c.architecture = j.value("model_type", std::string());
    if (c.architecture == "gpt2") {
        c.dim = intField(j, "n_embd", 0, source);
        c.nLayers = intField(j, "n_layer", 0, source);
        c.nHeads = intField(j, "n_head", 0, source);
        c.hiddenDim = intField(j, "n_inner", 4 * c.dim, source);
        c.contextLength = intField(j, "n_positions", 0, source);
        c.tiedEmbeddings = true;
    } else {
        c.dim = intField(j, "hidden_size", 0, source);
        c.hiddenDim = intField(j, "intermediate_size", 0, source);
        c.nLayers = intField(j, "num_hidden_layers", 0, source);
        c.nHeads = intField(j, "num_attention_heads", 0, source);
        c.nKvHeads = intField(j, "num_key_value_heads", 0, source);
        c.headDim = intField(j, "head_dim", 0, source);
        c.contextLength = intField(j, "max_position_embeddings", 0, source);
        c.rmsNormEps = floatField(j, "rms_norm_eps", 1e-5, source);
        c.ropeTheta = floatField(j, "rope_theta", 10000.0, source);
        c.tiedEmbeddings = j.value("tie_word_embeddings", false);
    }
    c.vocabSize = intField(j, "vocab_size", 0, source);
    deriveHeadDim(c);
    if (c.nHeads > 0 && c.nKvHeads > 0 && c.nHeads % c.nKvHeads != 0)
        throw InputError(source, "num_attention_heads is not a multiple of num_key_value_heads");
    return c;
}

ArchConfig ArchConfig::fromGguf(const GgufReader& gguf)
{
    ArchConfig c;
    c.architecture = gguf.getString("general.architecture").value_or("");
    const std::string a = c.architecture + ".";
    c.dim = gguf.getInt(a + "embedding_length").value_or(0);
    c.hiddenDim = gguf.getInt(a + "feed_forward_length").value_or(0);
    c.nLayers = gguf.getInt(a + "block_count").value_or(0);
    c.nHeads = gguf.getInt(a + "attention.head_count").value_or(0);
    c.nKvHeads = gguf.getInt(a + "attention.head_count_kv").value_or(0);
    c.headDim = gguf.getInt(a + "attention.key_length").value_or(0);
    c.contextLength = gguf.getInt(a + "context_length").value_or(0);
    c.rmsNormEps = gguf.getFloat(a + "attention.layer_norm_rms_epsilon").value_or(1e-5);
    c.ropeTheta = gguf.getFloat(a + "rope.freq_base").value_or(10000.0);
    c.vocabSize = gguf.getInt(a + "vocab_size").value_or(0);
    if (c.vocabSize == 0)
        c.vocabSize = int64_t(gguf.getStringArray("tokenizer.ggml.tokens").size());
    c.tiedEmbeddings = gguf.find("output.weight") == nullptr;
    deriveHeadDim(c);
    return c;
}

ArchConfig ArchConfig::fromLlama2c(const Llama2cConfig& h)
{
    ArchConfig c;
    c.architecture = "llama";
    c.dim = h.dim;
    c.hiddenDim = h.hiddenDim;
    c.nLayers = h.nLayers;
    c.nHeads = h.nHeads;
    c.nKvHeads = h.nKvHeads;
    c.vocabSize = h.vocabSize;
    c.contextLength = h.seqLen;
    c.tiedEmbeddings = h.sharedClassifier;
    deriveHeadDim(c);
    return c;
}

nlohmann::json ArchConfig::toJson() const
{
    return {{"architecture", architecture}, {"dim", dim},           {"hidden_dim", hiddenDim},
            {"n_layers", nLayers},          {"n_heads", nHeads},     {"n_kv_heads", nKvHeads},
            {"head_dim", headDim},          {"vocab_size", vocabSize}, {"context_length", contextLength},
            {"rms_norm_eps", rmsNormEps},   {"rope_theta", ropeTheta}, {"tied_embeddings", tiedEmbeddings}};
}

nlohmann::json ArchConfig::toHfConfig() const
{
    return {{"architectures", {"LlamaForCausalLM"}},
            {"model_type", architecture.empty() ? "llama" : architecture},
            {"hidden_size", dim},
            {"intermediate_size", hiddenDim},
            {"num_hidden_layers", nLayers},
            {"num_attention_heads", nHeads},
            {"num_key_value_heads", nKvHeads},
            {"head_dim", headDim},
            {"vocab_size", vocabSize},
            {"max_position_embeddings", contextLength},
            {"rms_norm_eps", rmsNormEps},
            {"rope_theta", ropeTheta},
            {"tie_word_embeddings", tiedEmbeddings},
            {"hidden_act", "silu"},
            {"torch_dtype", "float32"},
            {"bos_token_id", 1},
            {"eos_token_id", 2}};
}

} // namespace salience
