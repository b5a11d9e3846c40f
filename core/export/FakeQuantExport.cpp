#include "export/FakeQuantExport.h"

#include "base/Error.h"
#include "export/RunReport.h"
#include "io/AtomicFile.h"
#include "io/SafetensorsReader.h"
#include "io/SafetensorsWriter.h"

#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace salience {

namespace {

bool keepsSourceLayout(const Model& model)
{
    const std::string f = model.format();
    return f == "safetensors" || f == "memory";
}

std::string floatDtypeFor(const std::string& stored)
{
    return stored == "F16" || stored == "BF16" ? stored : "F32";
}

// Canonical [out, in] back to the layout the tensor is stored in.
Matrix toStoredLayout(const Matrix& canonical, const LinearLayer& layer)
{
    switch (layer.layout) {
    case WeightLayout::AsStored: return canonical;
    case WeightLayout::Transposed: return canonical.transpose();
    case WeightLayout::HfRotaryPermuted: return permuteRotaryRows(canonical, layer.rotaryHeads);
    }
    return canonical;
}

std::vector<float> flat(const Matrix& m) { return {m.data(), m.data() + m.size()}; }

void writeText(const std::string& path, const std::string& text, bool overwrite)
{
    AtomicFile f(path, overwrite);
    f.stream() << text;
    f.commit();
}

} // namespace

std::vector<std::string> exportFakeQuantSafetensors(const Model& model, const RunResult& run, const std::string& out,
                                                    const ExportOptions& options, Progress& progress)
{
    std::map<std::string, const LayerResult*> quantizedByTensor;
    for (const auto& r : run.layers)
        if (r.quantized)
            quantizedByTensor[model.layer(r.layer).tensorName] = &r;

    const bool singleFile = fs::path(out).extension() == ".safetensors";
    const fs::path dir = singleFile ? fs::path(out).parent_path() : fs::path(out);
    const std::string weightsPath = singleFile ? out : (dir / "model.safetensors").string();
    const std::string reportPath = singleFile ? (fs::path(out).replace_extension("").string() + ".report.json")
                                              : (dir / "quantization_report.json").string();
    if (!options.overwrite && fs::exists(weightsPath))
        throw InputError(weightsPath, "already exists (choose another output or allow replacing it)");
    bool createdDir = false;
    if (!dir.empty() && !fs::exists(dir)) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            throw InputError(dir.string(), "cannot create the output directory: " + ec.message());
        createdDir = true;
    }

    std::vector<std::string> written;
    try {
        SafetensorsWriter writer;
        writer.setMetadata({{"format", "pt"},
                            {"salience", "fake-quantized: quantized layers hold their dequantized weights"}});
        const auto* safetensors = dynamic_cast<const SafetensorsReader*>(&model.reader());
        const auto& tensors = model.reader().tensors();
        // Keep the dequantized matrices alive until write(): the writer copies on add.
        if (keepsSourceLayout(model)) {
            for (size_t i = 0; i < tensors.size(); ++i) {
                progress.throwIfCancelled();
                const TensorInfo& t = tensors[i];
                auto it = quantizedByTensor.find(t.name);
                if (it != quantizedByTensor.end()) {
                    const LinearLayer& layer = model.layer(it->second->layer);
                    const Matrix stored = toStoredLayout(it->second->quantized->dequantize(), layer);
                    writer.addFloat(t.name, t.shape, flat(stored), floatDtypeFor(t.dtype));
                } else if (safetensors) {
                    const RawTensorView raw = safetensors->raw(t.name);
                    writer.addRawView(t.name, raw.dtype, raw.shape, raw.data, raw.size);
                } else {
                    writer.addFloat(t.name, t.shape, model.reader().readFloat(t.name).data, floatDtypeFor(t.dtype));
                }
                progress.report(0.5 * double(i + 1) / double(tensors.size()), "preparing " + t.name);
            }
        } else {
            const auto& canon = model.canonicalTensors();
            for (size_t i = 0; i < canon.size(); ++i) {
                progress.throwIfCancelled();
                const CanonicalTensor& c = canon[i];
                const TensorInfo* info = model.reader().find(c.tensorName);
                const std::string dtype = floatDtypeFor(info ? info->dtype : "F32");
                FloatTensor t = model.canonicalTensor(c.name);
                const LinearLayer* layer = model.findLayer(c.name);
                auto it = quantizedByTensor.find(c.tensorName);
                if (it != quantizedByTensor.end()) {
                    const Matrix w = it->second->quantized->dequantize();
                    t.data = flat(w);
                }
                if (layer && (layer->role == LayerRole::Q || layer->role == LayerRole::K) &&
                    model.config().hasRotaryAttention()) {
                    const int64_t heads = layer->role == LayerRole::Q ? model.config().nHeads : model.config().nKvHeads;
                    const Matrix hf = permuteRotaryRows(Eigen::Map<const Matrix>(t.data.data(), t.shape[0], t.shape[1]), heads);
                    t.data = flat(hf);
                }
                writer.addFloat(c.name + ".weight", t.shape, t.data, dtype);
                progress.report(0.5 * double(i + 1) / double(canon.size()), "preparing " + c.name);
            }
        }
        Progress writeProgress = progress.child(0.5, 0.95);
        writer.write(weightsPath, options.overwrite, writeProgress);
        written.push_back(weightsPath);

        if (!singleFile) {
            const fs::path sourceDir = fs::path(model.path()).parent_path();
            const fs::path sourceConfig = sourceDir / "config.json";
            std::string configText;
            if (keepsSourceLayout(model) && model.format() == "safetensors" && fs::exists(sourceConfig)) {
                std::ifstream in(sourceConfig);
                configText.assign(std::istreambuf_iterator<char>(in), {});
            } else {
                configText = model.config().toHfConfig().dump(2) + "\n";
            }
            writeText((dir / "config.json").string(), configText, true);
            written.push_back((dir / "config.json").string());
            if (model.format() == "safetensors")
                for (const char* name : {"tokenizer.json", "tokenizer_config.json", "tokenizer.model",
                                         "special_tokens_map.json", "generation_config.json"})
                    if (fs::exists(sourceDir / name) && sourceDir != dir) {
                        fs::copy_file(sourceDir / name, dir / name, fs::copy_options::overwrite_existing);
                        written.push_back((dir / name).string());
                    }
        }
        writeText(reportPath, runReportJson(model, run).dump(2) + "\n", true);
        written.push_back(reportPath);
        progress.report(1.0, "exported " + weightsPath);
    } catch (...) {
        for (const auto& p : written) {
            std::error_code ec;
            fs::remove(p, ec);
        }
        if (createdDir) {
            std::error_code ec;
            fs::remove(dir, ec); // only succeeds when empty
        }
        throw;
    }
    return written;
}

} // namespace salience
