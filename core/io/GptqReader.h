#pragma once
// A GPTQ-packed checkpoint (AutoGPTQ / GPTQModel / transformers layout, see
// io/GptqPacking.h) read back as float weights. PATH is a directory holding config.json
// (with quantization_config) or quantize_config.json and model.safetensors (or a sharded
// model.safetensors.index.json), or a .safetensors file with those JSON files beside it.
//
// Each packed layer <prefix>.{qweight,qzeros,scales,g_idx} is listed as one tensor
// "<prefix>.weight", dtype "F32", shape [out, in] in the file's row order, and readFloat
// dequantizes it as the loaders do (v1: zero = stored + 1). A missing g_idx means the plain
// order (column / group size). Every other tensor is served as stored.
#include "io/GptqPacking.h"
#include "io/TensorReader.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace salience {

struct GptqCheckpointConfig {
    int bits = 4;
    int groupSize = 128; // -1: per output channel
    bool descAct = false;
    bool symmetric = true;
    GptqFormat format = GptqFormat::V1;
};

// The quantization the folder holding PATH declares: config.json's
// quantization_config.quant_method ("gptq" when the field is absent, as in AutoGPTQ's files),
// "gptq" for a quantize_config.json alone, "" for a float checkpoint. Throws InputError for a
// malformed quantization_config.
std::string checkpointQuantMethod(const std::string& path);

class GptqReader : public TensorReader {
public:
    // Throws InputError naming the file at fault: no quantization config, quant_method not
    // "gptq", bits not 2/3/4/8, an unknown checkpoint_format, or a packed layer whose tensors
    // have the wrong dtype or inconsistent shapes.
    explicit GptqReader(const std::string& path);

    std::string format() const override { return "gptq"; }
    const std::string& path() const override { return m_path; }
    const std::vector<TensorInfo>& tensors() const override { return m_tensors; }
    FloatTensor readFloat(const std::string& name) const override;

    const GptqCheckpointConfig& config() const { return m_config; }
    // config.json as read (an empty object when there was only quantize_config.json).
    const nlohmann::json& modelConfig() const { return m_modelConfig; }
    // Prefixes of the packed layers ("model.layers.0.self_attn.q_proj"), in file order.
    const std::vector<std::string>& packedLayers() const { return m_packed; }
    // The packed tensors of one layer, checked. Throws InputError when `prefix` is not packed.
    GptqLayer layer(const std::string& prefix) const;

private:
    struct Packed {
        int64_t out = 0;
        int64_t in = 0;
        int64_t groups = 0;
        bool hasGIdx = false;
    };
    std::vector<int32_t> readInt32(const std::string& name) const;

    std::string m_path;
    std::shared_ptr<const TensorReader> m_weights; // SafetensorsReader or ShardedSafetensors
    GptqCheckpointConfig m_config;
    nlohmann::json m_modelConfig = nlohmann::json::object();
    std::vector<TensorInfo> m_tensors;
    std::vector<std::string> m_packed;
    std::map<std::string, Packed> m_packedByPrefix;
};

} // namespace salience
