#include "model/ArchConfig.h"

#include "base/Error.h"
#include "io/GgufReader.h"
#include "io/Llama2cReader.h"

#include <cmath>
#include <map>
#include <numbers>
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

std::string ArchConfig::forwardPassGap() const
{
    static const std::set<std::string> runs{"llama", "mistral", "qwen2", "qwen3"};
    if (architecture.starts_with("gemma"))
        return "architecture '" + architecture + "' (Gemma) needs scaled embeddings, (1 + w) RMSNorm, GeGLU, "
               "pre- and post-norms, logit soft-capping and sliding-window layers, which Salience's forward pass "
               "does not have";
    if (!runs.count(architecture))
        return "architecture '" + architecture + "' has no forward pass in Salience (llama, mistral, qwen2 and "
               "qwen3 run)";
    if (slidingWindow > 0 && architecture != "mistral")
        return "the per-layer sliding window of '" + architecture + "' (use_sliding_window) is not modelled";
    if (!ropeScalingType.empty() && ropeScalingType != "linear" && ropeScalingType != "llama3")
        return "rope_scaling of type '" + ropeScalingType + "' is not implemented (linear and llama3 are)";
    return {};
}

std::vector<float> ArchConfig::ropeFrequencyFactors() const
{
    std::vector<float> factors(size_t(std::max<int64_t>(headDim / 2, 0)), 1.0f);
    if (ropeScalingType == "linear") {
        std::fill(factors.begin(), factors.end(), float(ropeScalingFactor));
    } else if (ropeScalingType == "llama3") {
        // As Llama 3.1's reference and llama.cpp's converter: long wavelengths scaled by the
        // factor, short ones kept, the band between blended smoothly.
        const double lowWavelength = double(ropeOriginalContext) / ropeLowFreqFactor;
        const double highWavelength = double(ropeOriginalContext) / ropeHighFreqFactor;
        for (size_t i = 0; i < factors.size(); ++i) {
            const double freq = 1.0 / std::pow(ropeTheta, double(2 * i) / double(headDim));
            const double wavelength = 2.0 * std::numbers::pi / freq;
            if (wavelength < highWavelength)
                factors[i] = 1.0f;
            else if (wavelength > lowWavelength)
                factors[i] = float(ropeScalingFactor);
            else {
                const double smooth = (double(ropeOriginalContext) / wavelength - ropeLowFreqFactor) /
                                      (ropeHighFreqFactor - ropeLowFreqFactor);
                factors[i] = float(1.0 / ((1.0 - smooth) / ropeScalingFactor + smooth));
            }
        }
    }
    return factors;
}

ArchConfig ArchConfig::fromHfConfig(const nlohmann::json& j, const std::string& source)
{
    // A field of an unexpected JSON type ("model_type": 100) is the file's fault, named as such.
    try {
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
            c.tiedEmbeddings = j.contains("tie_word_embeddings") && j["tie_word_embeddings"].is_boolean()
                                   ? j["tie_word_embeddings"].get<bool>()
                                   : false;
            if (const auto it = j.find("rope_scaling"); it != j.end() && !it->is_null()) {
                if (!it->is_object())
                    throw InputError(source, "config field 'rope_scaling' must be an object or null");
                const auto type = it->contains("rope_type") ? it->at("rope_type") : it->value("type", nlohmann::json());
                if (!type.is_string())
                    throw InputError(source, "rope_scaling names no rope_type");
                c.ropeScalingType = type.get<std::string>();
                if (c.ropeScalingType == "default")
                    c.ropeScalingType.clear();
                c.ropeScalingFactor = floatField(*it, "factor", 1.0, source);
                c.ropeLowFreqFactor = floatField(*it, "low_freq_factor", 1.0, source);
                c.ropeHighFreqFactor = floatField(*it, "high_freq_factor", 4.0, source);
                c.ropeOriginalContext = intField(*it, "original_max_position_embeddings", 8192, source);
                if (c.ropeScalingType == "llama3" &&
                    !(c.ropeScalingFactor > 0 && c.ropeLowFreqFactor > 0 && c.ropeHighFreqFactor > c.ropeLowFreqFactor &&
                      c.ropeOriginalContext > 0))
                    throw InputError(source, "rope_scaling of type llama3 needs factor > 0 and high_freq_factor > "
                                             "low_freq_factor > 0");
                if (c.ropeScalingType == "linear" && !(c.ropeScalingFactor > 0))
                    throw InputError(source, "rope_scaling of type linear needs factor > 0");
            }
            // Mistral attends within a sliding window on every layer; Qwen2 declares one too but uses it
            // only with use_sliding_window, on some layers, which the forward pass does not model.
            const bool sliding = c.architecture == "mistral" ||
                                 (j.contains("use_sliding_window") && j["use_sliding_window"] == true);
            if (sliding && j.contains("sliding_window") && !j["sliding_window"].is_null())
                c.slidingWindow = intField(j, "sliding_window", 0, source);
        }
        c.vocabSize = intField(j, "vocab_size", 0, source);
        deriveHeadDim(c);
        if (c.nHeads > 0 && c.nKvHeads > 0 && c.nHeads % c.nKvHeads != 0)
            throw InputError(source, "num_attention_heads is not a multiple of num_key_value_heads");
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(source, std::string("a field has the wrong JSON type: ") + e.what());
    }
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
    // llama3 scaling travels as the rope_freqs tensor (read by the forward pass); linear as a key.
    if (gguf.getString(a + "rope.scaling.type").value_or("") == "linear") {
        c.ropeScalingType = "linear";
        c.ropeScalingFactor = gguf.getFloat(a + "rope.scaling.factor").value_or(1.0);
    }
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
            {"rms_norm_eps", rmsNormEps},   {"rope_theta", ropeTheta}, {"tied_embeddings", tiedEmbeddings},
            {"rope_scaling", ropeScalingType}, {"sliding_window", slidingWindow}};
}

nlohmann::json ArchConfig::toHfConfig() const
{
    const std::string type = architecture.empty() ? "llama" : architecture;
    static const std::map<std::string, std::string> classes{
        {"llama", "LlamaForCausalLM"}, {"mistral", "MistralForCausalLM"}, {"qwen2", "Qwen2ForCausalLM"},
        {"qwen3", "Qwen3ForCausalLM"}};
    const auto cls = classes.find(type);
    nlohmann::json c{{"architectures", {cls != classes.end() ? cls->second : std::string("LlamaForCausalLM")}},
                     {"model_type", type},
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
    if (ropeScalingType == "linear")
        c["rope_scaling"] = {{"rope_type", "linear"}, {"factor", ropeScalingFactor}};
    else if (ropeScalingType == "llama3")
        c["rope_scaling"] = {{"rope_type", "llama3"},
                             {"factor", ropeScalingFactor},
                             {"low_freq_factor", ropeLowFreqFactor},
                             {"high_freq_factor", ropeHighFreqFactor},
                             {"original_max_position_embeddings", ropeOriginalContext}};
    if (slidingWindow > 0)
        c["sliding_window"] = slidingWindow;
    return c;
}

} // namespace salience
