#pragma once
// The architecture of a model as Salience needs it, whatever file it came from: config.json,
// GGUF metadata or a llama2.c header.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

class GgufReader;
struct Llama2cConfig;

struct ArchConfig {
    std::string architecture;  // "llama", "mistral", "qwen2", "gpt2", ... ("" when unknown)
    int64_t dim = 0;           // hidden size
    int64_t hiddenDim = 0;     // MLP intermediate size
    int64_t nLayers = 0;
    int64_t nHeads = 0;
    int64_t nKvHeads = 0;
    int64_t headDim = 0;       // dim / nHeads unless the config says otherwise
    int64_t vocabSize = 0;
    int64_t contextLength = 0;
    double rmsNormEps = 1e-5;
    double ropeTheta = 10000.0;
    bool tiedEmbeddings = false;
    // Rotary scaling: "" none, "linear" (every frequency / factor), "llama3" (Llama 3.1's
    // wavelength-dependent scaling); other kinds make the forward pass refuse the model.
    std::string ropeScalingType;
    double ropeScalingFactor = 1.0;
    double ropeLowFreqFactor = 1.0;
    double ropeHighFreqFactor = 4.0;
    int64_t ropeOriginalContext = 8192;
    int64_t slidingWindow = 0; // attention sees at most this many positions (Mistral); 0: all

    // Why Salience's forward pass cannot run this architecture exactly, naming the missing piece
    // ("" when it can): Llama 1/2/3, Mistral, Qwen2/2.5 and Qwen3 run; Gemma, GPT-2 and the
    // rest are refused by name rather than run wrongly.
    std::string forwardPassGap() const;
    // The divisor of each of the headDim / 2 rotary frequencies that the scaling asks for (all
    // 1 without scaling): llama.cpp's rope_freqs tensor for "llama3".
    std::vector<float> ropeFrequencyFactors() const;

    // True when the fields a Llama forward pass and the q/k un-permutation need are known.
    bool isComplete() const { return dim > 0 && nLayers > 0 && nHeads > 0 && nKvHeads > 0 && headDim > 0; }
    // Llama-family models use rotary embeddings whose q/k rows HF checkpoints permute.
    bool hasRotaryAttention() const;
    // llama.cpp's converter leaves q/k rows in Hugging Face order for architectures whose
    // rotary mode it calls NEOX (rotate-half); for the others it permutes them to the
    // interleaved order Salience uses as canonical.
    bool ggufKeepsHfRotaryOrder() const;

    static ArchConfig fromHfConfig(const nlohmann::json& config, const std::string& source);
    static ArchConfig fromGguf(const GgufReader& gguf);
    static ArchConfig fromLlama2c(const Llama2cConfig& header);

    nlohmann::json toJson() const;
    // The Hugging Face config.json a LlamaForCausalLM loader expects.
    nlohmann::json toHfConfig() const;
};

} // namespace salience
