#include "io/GptqReader.h"

#include "base/Error.h"
#include "io/JsonFile.h"
#include "io/SafetensorsReader.h"
#include "io/ShardedSafetensors.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace fs = std::filesystem;

namespace salience {

namespace {

RawTensorView rawOf(const TensorReader& reader, const std::string& name)
{
    if (const auto* s = dynamic_cast<const SafetensorsReader*>(&reader))
        return s->raw(name);
    return dynamic_cast<const ShardedSafetensors&>(reader).raw(name);
}

GptqCheckpointConfig parseQuantizationConfig(const nlohmann::json& q, const std::string& source)
{
    if (!q.is_object())
        throw InputError(source, "quantization_config is not a JSON object");
    GptqCheckpointConfig c;
    const std::string method = q.value("quant_method", std::string("gptq"));
    if (method != "gptq")
        throw InputError(source, "quant_method is '" + method + "', not 'gptq'");
    const auto intField = [&](const char* key, int fallback) {
        const auto it = q.find(key);
        if (it == q.end() || it->is_null())
            return fallback;
        if (!it->is_number_integer() || it->get<int64_t>() < std::numeric_limits<int>::min() ||
            it->get<int64_t>() > std::numeric_limits<int>::max())
            throw InputError(source, std::string("quantization_config.") + key + " must be an integer");
        return it->get<int>();
    };
    c.bits = intField("bits", 4);
    if (!isGptqBits(c.bits))
        throw InputError(source, "quantization_config.bits = " + std::to_string(c.bits) + ": GPTQ has 2, 3, 4 and 8");
    c.groupSize = intField("group_size", 128);
    if (c.groupSize == 0 || c.groupSize < -1)
        throw InputError(source, "quantization_config.group_size = " + std::to_string(c.groupSize) +
                                     ": expected -1 or a positive size");
    c.descAct = q.value("desc_act", false);
    c.symmetric = q.value("sym", true);
    const std::string format = q.value("checkpoint_format", std::string("gptq"));
    if (format == "gptq")
        c.format = GptqFormat::V1;
    else if (format == "gptq_v2")
        c.format = GptqFormat::V2;
    else
        throw InputError(source, "checkpoint_format '" + format + "' is not 'gptq' or 'gptq_v2'");
    return c;
}

int64_t checkedProduct(int64_t a, int64_t b, const std::string& source)
{
    if (a < 0 || b < 0 || (a > 0 && b > std::numeric_limits<int64_t>::max() / a))
        throw InputError(source, "tensor sizes overflow");
    return a * b;
}

} // namespace

std::string checkpointQuantMethod(const std::string& path)
{
    std::error_code ec;
    const fs::path p(path);
    const fs::path dir = fs::is_directory(p, ec) ? p : p.parent_path();
    const fs::path configPath = dir / "config.json";
    if (fs::exists(configPath, ec)) {
        const nlohmann::json config = readJsonFile(configPath);
        if (config.is_object() && config.contains("quantization_config")) {
            const nlohmann::json& q = config["quantization_config"];
            if (!q.is_object())
                throw InputError(configPath.string(), "quantization_config is not a JSON object");
            const auto it = q.find("quant_method");
            if (it == q.end())
                return "gptq"; // AutoGPTQ's own files name no method
            if (!it->is_string())
                throw InputError(configPath.string(), "quantization_config.quant_method is not a string");
            return it->get<std::string>();
        }
    }
    if (fs::exists(dir / "quantize_config.json", ec))
        return "gptq";
    return {};
}

GptqReader::GptqReader(const std::string& path) : m_path(path)
{
    const fs::path p(path);
    std::error_code ec;
    if (!fs::exists(p, ec))
        throw InputError(path, "no such file or directory");
    const fs::path dir = fs::is_directory(p) ? p : p.parent_path();
    if (fs::is_directory(p)) {
        if (fs::exists(dir / "model.safetensors.index.json"))
            m_weights = std::make_shared<ShardedSafetensors>((dir / "model.safetensors.index.json").string());
        else if (fs::exists(dir / "model.safetensors"))
            m_weights = std::make_shared<SafetensorsReader>((dir / "model.safetensors").string());
        else
            for (const auto& entry : fs::directory_iterator(dir))
                if (!m_weights && entry.path().extension() == ".safetensors")
                    m_weights = std::make_shared<SafetensorsReader>(entry.path().string());
        if (!m_weights)
            throw InputError(path, "no .safetensors weights or model.safetensors.index.json in this directory");
    } else if (p.extension() == ".json") {
        m_weights = std::make_shared<ShardedSafetensors>(path);
    } else {
        m_weights = std::make_shared<SafetensorsReader>(path);
    }

    // The quantization fields: config.json's quantization_config first, else quantize_config.json.
    const fs::path configPath = dir / "config.json";
    const fs::path quantizePath = dir / "quantize_config.json";
    if (fs::exists(configPath)) {
        m_modelConfig = readJsonFile(configPath);
        if (!m_modelConfig.is_object())
            throw InputError(configPath.string(), "config.json is not a JSON object");
    }
    if (m_modelConfig.contains("quantization_config"))
        m_config = parseQuantizationConfig(m_modelConfig["quantization_config"], configPath.string());
    else if (fs::exists(quantizePath))
        m_config = parseQuantizationConfig(readJsonFile(quantizePath), quantizePath.string());
    else
        throw InputError(path, "not a GPTQ checkpoint: no quantization_config in config.json and no "
                               "quantize_config.json");

    const std::string& file = m_weights->path();
    const auto find = [&](const std::string& name) { return m_weights->find(name); };
    // Tensors that belong to a packed layer are folded into its one "<prefix>.weight".
    std::map<std::string, bool> consumed;
    for (const auto& t : m_weights->tensors()) {
        if (!t.name.ends_with(".qweight"))
            continue;
        const std::string prefix = t.name.substr(0, t.name.size() - 8);
        const TensorInfo* qzeros = find(prefix + ".qzeros");
        const TensorInfo* scales = find(prefix + ".scales");
        const TensorInfo* gIdx = find(prefix + ".g_idx");
        const auto fail = [&](const std::string& problem) { throw InputError(file, prefix + ": " + problem); };
        if (!qzeros || !scales)
            fail("has a qweight but no " + std::string(!qzeros ? "qzeros" : "scales"));
        if (t.dtype != "I32" || qzeros->dtype != "I32" || (gIdx && gIdx->dtype != "I32"))
            fail("qweight, qzeros and g_idx must be I32");
        if (scales->dtype != "F16")
            fail("scales are " + scales->dtype + ", expected F16");
        if (t.shape.size() != 2 || qzeros->shape.size() != 2 || scales->shape.size() != 2 ||
            (gIdx && gIdx->shape.size() != 1))
            fail("qweight, qzeros and scales must be 2-D and g_idx 1-D");
        Packed packed;
        const int bits = m_config.bits;
        packed.out = t.shape[1];
        const int64_t words = checkedProduct(t.shape[0], 32, file);
        if (words % bits != 0)
            fail(std::to_string(t.shape[0]) + " qweight rows do not hold whole " + std::to_string(bits) + "-bit codes");
        packed.in = words / bits;
        if (packed.out < 1 || packed.in < 1)
            fail("has no weights");
        GptqLayer probe;
        probe.inFeatures = packed.in;
        probe.groupSize = m_config.groupSize;
        packed.groups = probe.groups();
        if (scales->shape != std::vector<int64_t>{packed.groups, packed.out})
            fail("scales are " + scales->shapeString() + ", expected [" + std::to_string(packed.groups) + ", " +
                 std::to_string(packed.out) + "] for group size " + std::to_string(m_config.groupSize));
        if (checkedProduct(packed.out, bits, file) % 32 != 0 ||
            qzeros->shape != std::vector<int64_t>{packed.groups, packed.out * bits / 32})
            fail("qzeros are " + qzeros->shapeString() + ", expected [" + std::to_string(packed.groups) + ", " +
                 std::to_string(packed.out * bits / 32) + "]");
        if (gIdx && gIdx->shape[0] != packed.in)
            fail("g_idx has " + std::to_string(gIdx->shape[0]) + " entries for " + std::to_string(packed.in) +
                 " input columns");
        packed.hasGIdx = gIdx != nullptr;
        m_packedByPrefix[prefix] = packed;
        m_packed.push_back(prefix);
        for (const char* suffix : {".qweight", ".qzeros", ".scales", ".g_idx"})
            consumed[prefix + suffix] = true;
    }
    for (const auto& t : m_weights->tensors()) {
        if (t.name.ends_with(".qweight")) {
            const std::string prefix = t.name.substr(0, t.name.size() - 8);
            const Packed& p = m_packedByPrefix.at(prefix);
            TensorInfo info;
            info.name = prefix + ".weight";
            info.dtype = "F32";
            info.shape = {p.out, p.in};
            info.byteSize = uint64_t(checkedProduct(p.out, p.in, file)) * 4;
            if (find(info.name))
                throw InputError(file, "holds both " + info.name + " and a packed " + prefix + ".qweight");
            m_tensors.push_back(std::move(info));
        } else if (!consumed.count(t.name)) {
            m_tensors.push_back(t);
        }
    }
}

std::vector<int32_t> GptqReader::readInt32(const std::string& name) const
{
    const RawTensorView raw = rawOf(*m_weights, name);
    std::vector<int32_t> v(raw.size / 4);
    if (raw.size)
        std::memcpy(v.data(), raw.data, v.size() * 4);
    return v;
}

GptqLayer GptqReader::layer(const std::string& prefix) const
{
    const auto it = m_packedByPrefix.find(prefix);
    if (it == m_packedByPrefix.end())
        throw InputError(m_weights->path(), "no packed layer '" + prefix + "'");
    const Packed& p = it->second;
    GptqLayer l;
    l.bits = m_config.bits;
    l.outFeatures = p.out;
    l.inFeatures = p.in;
    l.groupSize = m_config.groupSize;
    l.qweight = readInt32(prefix + ".qweight");
    l.qzeros = readInt32(prefix + ".qzeros");
    const RawTensorView scales = rawOf(*m_weights, prefix + ".scales");
    l.scales.resize(scales.size / 2);
    if (scales.size)
        std::memcpy(l.scales.data(), scales.data, l.scales.size() * 2);
    if (p.hasGIdx) {
        l.gIdx = readInt32(prefix + ".g_idx");
    } else {
        l.gIdx.resize(size_t(p.in));
        for (int64_t j = 0; j < p.in; ++j)
            l.gIdx[size_t(j)] = int32_t(m_config.groupSize > 0 ? j / m_config.groupSize : 0);
    }
    return l;
}

FloatTensor GptqReader::readFloat(const std::string& name) const
{
    if (name.ends_with(".weight")) {
        const std::string prefix = name.substr(0, name.size() - 7);
        if (m_packedByPrefix.count(prefix)) {
            Matrix w;
            try {
                w = dequantizeGptqLayer(layer(prefix), m_config.format);
            } catch (const InputError& e) {
                throw InputError(m_weights->path(), prefix + ": " + e.problem());
            }
            FloatTensor t;
            t.shape = {w.rows(), w.cols()};
            t.data.assign(w.data(), w.data() + w.size());
            return t;
        }
    }
    return m_weights->readFloat(name);
}

} // namespace salience
