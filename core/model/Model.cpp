#include "model/Model.h"

#include "base/Error.h"
#include "base/PageAdvice.h"
#include "io/GgufReader.h"
#include "io/JsonFile.h"
#include "io/GptqReader.h"
#include "io/Llama2cReader.h"
#include "io/SafetensorsReader.h"
#include "io/ShardedSafetensors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace salience {

namespace {

std::string readMagic(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, "cannot open");
    char buf[4] = {};
    in.read(buf, 4);
    return std::string(buf, size_t(in.gcount()));
}

// HF weights inside a directory: one file, or an index of shards.
std::shared_ptr<const TensorReader> openHfWeights(const fs::path& dir)
{
    if (fs::exists(dir / "model.safetensors.index.json"))
        return std::make_shared<ShardedSafetensors>((dir / "model.safetensors.index.json").string());
    if (fs::exists(dir / "model.safetensors"))
        return std::make_shared<SafetensorsReader>((dir / "model.safetensors").string());
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".safetensors")
            return std::make_shared<SafetensorsReader>(entry.path().string());
    throw InputError(dir.string(), "no model.safetensors or model.safetensors.index.json in this directory");
}

} // namespace

Model Model::open(const std::string& path)
{
    const fs::path p(path);
    std::error_code ec;
    if (!fs::exists(p, ec))
        throw InputError(path, "no such file or directory");

    // A quantized Hugging Face checkpoint: GPTQ layers are dequantized as they are read; any other
    // method would leave its layers out, so it is refused by name.
    const bool hfLayout = fs::is_directory(p) || p.extension() == ".safetensors" || p.extension() == ".json";
    if (hfLayout) {
        const std::string method = checkpointQuantMethod(path);
        if (method == "gptq") {
            auto reader = std::make_shared<GptqReader>(path);
            ArchConfig config;
            if (!reader->modelConfig().empty())
                config = ArchConfig::fromHfConfig(reader->modelConfig(), path);
            return fromReader(reader, config);
        }
        if (!method.empty())
            throw InputError(path, "a checkpoint quantized with '" + method +
                                       "': Salience reads float and GPTQ-packed checkpoints only");
    }

    if (fs::is_directory(p)) {
        if (!fs::exists(p / "config.json"))
            throw InputError(path, "not a model directory: it has no config.json");
        const auto config = ArchConfig::fromHfConfig(readJsonFile(p / "config.json"), (p / "config.json").string());
        return fromReader(openHfWeights(p), config);
    }

    const std::string magic = readMagic(path);
    if (magic == "GGUF") {
        auto gguf = std::make_shared<GgufReader>(path);
        const auto config = ArchConfig::fromGguf(*gguf);
        return fromReader(gguf, config);
    }
    if (p.filename() == "model.safetensors.index.json" || p.extension() == ".json") {
        const fs::path configPath = p.parent_path() / "config.json";
        ArchConfig config;
        if (fs::exists(configPath))
            config = ArchConfig::fromHfConfig(readJsonFile(configPath), configPath.string());
        return fromReader(std::make_shared<ShardedSafetensors>(path), config);
    }
    if (p.extension() == ".safetensors") {
        const fs::path configPath = p.parent_path() / "config.json";
        ArchConfig config;
        if (fs::exists(configPath))
            config = ArchConfig::fromHfConfig(readJsonFile(configPath), configPath.string());
        return fromReader(std::make_shared<SafetensorsReader>(path), config);
    }
    if (p.extension() == ".bin") {
        auto reader = std::make_shared<Llama2cReader>(path);
        const auto config = ArchConfig::fromLlama2c(reader->config());
        return fromReader(reader, config);
    }
    throw InputError(path, "unknown model format: expected a .safetensors, .gguf or llama2.c .bin file, "
                           "or a Hugging Face directory");
}

Model Model::fromReader(std::shared_ptr<const TensorReader> reader, ArchConfig config)
{
    Model m;
    m.m_reader = std::move(reader);
    auto found = discoverLayers(m.m_reader->tensors(), config);
    // Fill gaps in the config from the shapes, so a bare safetensors file still opens.
    for (const auto& l : found.layers) {
        if (l.role == LayerRole::Embedding && config.vocabSize == 0)
            config.vocabSize = l.outFeatures;
        if (l.role == LayerRole::Embedding && config.dim == 0)
            config.dim = l.inFeatures;
        if (l.role == LayerRole::Gate && config.hiddenDim == 0)
            config.hiddenDim = l.outFeatures;
        if (l.block >= 0 && config.nLayers <= l.block)
            config.nLayers = l.block + 1;
    }
    if (config.architecture.empty() && !found.layers.empty())
        config.architecture = "llama";
    m.m_config = config;
    m.m_layers = std::move(found.layers);
    m.m_tensors = std::move(found.tensors);
    m.m_warnings = std::move(found.warnings);
    if (m.m_layers.empty())
        m.m_warnings.push_back("no linear layers recognised in this file");
    return m;
}

const std::string& Model::path() const
{
    static const std::string none;
    return m_reader ? m_reader->path() : none;
}

std::string Model::format() const { return m_reader ? m_reader->format() : std::string(); }

const LinearLayer* Model::findLayer(std::string_view name) const
{
    const std::string n(name);
    for (const auto& l : m_layers)
        if (l.name == n || l.tensorName == n || l.tensorName == n + ".weight")
            return &l;
    if (auto br = parseLayerName(n))
        for (const auto& l : m_layers)
            if (l.block == br->block && l.role == br->role && l.role != LayerRole::Other)
                return &l;
    return nullptr;
}

const LinearLayer& Model::layer(std::string_view name) const
{
    if (const auto* l = findLayer(name))
        return *l;
    throw InputError(path(), "no layer named '" + std::string(name) + "' in this model");
}

const CanonicalTensor* Model::findCanonical(std::string_view name) const
{
    for (const auto& t : m_tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

Matrix Model::toCanonical(const FloatTensor& stored, const std::string& tensorName, WeightLayout layout,
                          int64_t rotaryHeads) const
{
    // A vector (a bias, a per-head norm) moves as a column of rows.
    const bool vector = stored.shape.size() == 1 && layout == WeightLayout::HfRotaryPermuted;
    if (stored.shape.size() != 2 && !vector)
        throw InputError(path(), "tensor '" + tensorName + "' is not 2-D");
    Matrix w = vector ? Matrix(Eigen::Map<const Matrix>(stored.data.data(), stored.shape[0], 1)) : stored.toMatrix();
    switch (layout) {
    case WeightLayout::AsStored: return w;
    case WeightLayout::Transposed: return w.transpose();
    case WeightLayout::HfRotaryPermuted: return unpermuteRotaryRows(w, rotaryHeads);
    }
    return w;
}

Matrix Model::weight(const LinearLayer& l) const
{
    const TensorInfo* info = m_reader->find(l.tensorName);
    if (!info || info->shape.size() != 2)
        return toCanonical(m_reader->readFloat(l.tensorName), l.tensorName, l.layout, l.rotaryHeads);
    // Decoded straight into the matrix: no zero-filled buffer, no second copy.
    Matrix stored(info->shape[0], info->shape[1]);
    adviseHugePages(stored.data(), size_t(stored.size()) * sizeof(float));
    m_reader->readFloatInto(l.tensorName, stored.data());
    switch (l.layout) {
    case WeightLayout::AsStored: return stored;
    case WeightLayout::Transposed: return stored.transpose();
    case WeightLayout::HfRotaryPermuted: return unpermuteRotaryRows(stored, l.rotaryHeads);
    }
    return stored;
}

FloatTensor Model::canonicalTensor(std::string_view name) const
{
    const auto* t = findCanonical(name);
    if (!t)
        throw InputError(path(), "no tensor named '" + std::string(name) + "' in this model");
    FloatTensor stored = m_reader->readFloat(t->tensorName);
    if (t->layout == WeightLayout::AsStored)
        return stored;
    const Matrix w = toCanonical(stored, t->tensorName, t->layout, t->rotaryHeads);
    FloatTensor out;
    out.shape = stored.shape.size() == 1 ? std::vector<int64_t>{w.rows()} : std::vector<int64_t>{w.rows(), w.cols()};
    out.data.assign(w.data(), w.data() + w.size());
    return out;
}

int64_t Model::parameterCount() const
{
    int64_t n = 0;
    if (m_reader)
        for (const auto& t : m_reader->tensors())
            n += t.numel();
    return n;
}

namespace {
Matrix moveRotaryRows(const Matrix& in, int64_t heads, bool toCanonical)
{
    if (heads <= 0 || in.rows() % (2 * heads) != 0)
        throw Error("rotary permutation: " + std::to_string(in.rows()) + " rows do not split into " +
                    std::to_string(heads) + " heads of even size");
    const int64_t d = in.rows() / heads;
    Matrix out(in.rows(), in.cols());
    adviseHugePages(out.data(), size_t(out.size()) * sizeof(float));
    for (int64_t h = 0; h < heads; ++h)
        for (int64_t p = 0; p < d / 2; ++p)
            for (int64_t a = 0; a < 2; ++a) {
                const int64_t canonical = h * d + 2 * p + a;
                const int64_t hf = h * d + a * (d / 2) + p;
                if (toCanonical)
                    out.row(canonical) = in.row(hf);
                else
                    out.row(hf) = in.row(canonical);
            }
    return out;
}
} // namespace

Matrix unpermuteRotaryRows(const Matrix& stored, int64_t heads) { return moveRotaryRows(stored, heads, true); }

Matrix permuteRotaryRows(const Matrix& canonical, int64_t heads) { return moveRotaryRows(canonical, heads, false); }

} // namespace salience
