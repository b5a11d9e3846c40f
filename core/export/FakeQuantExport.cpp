#include "export/FakeQuantExport.h"

#include "base/Error.h"
#include "export/RunReport.h"
#include "export/HfExportSupport.h"
#include "io/AtomicFile.h"
#include "io/SafetensorsReader.h"
#include "io/SafetensorsWriter.h"
#include "io/ShardedSafetensors.h"

#include <algorithm>
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
    const std::string configPath = (dir / "config.json").string();
    std::vector<std::string> targets{weightsPath, reportPath};
    if (!singleFile)
        targets.push_back(configPath);
    if (!options.overwrite)
        for (const auto& t : targets)
            if (fs::exists(t))
                throw InputError(t, "already exists (choose another output or allow replacing it)");
    if (!singleFile && fs::exists(dir / "model.safetensors.index.json"))
        throw InputError(dir.string(), "holds a sharded checkpoint (model.safetensors.index.json), which loaders would "
                                       "open instead of the exported model.safetensors: choose another directory");
    // Files that exist now are replaced only as a whole; on failure only new files are removed.
    std::vector<std::string> existedBefore;
    for (const auto& t : targets)
        if (fs::exists(t))
            existedBefore.push_back(t);
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
        // Untouched tensors are copied byte for byte where the source can hand out its bytes.
        const auto* safetensors = dynamic_cast<const SafetensorsReader*>(&model.reader());
        const auto* sharded = dynamic_cast<const ShardedSafetensors*>(&model.reader());
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
                    writer.addFloat(t.name, t.shape, flatValues(stored), floatDtypeFor(t.dtype));
                } else if (safetensors || sharded) {
                    const RawTensorView raw = safetensors ? safetensors->raw(t.name) : sharded->raw(t.name);
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
                    t.data = flatValues(w);
                }
                if (layer && (layer->role == LayerRole::Q || layer->role == LayerRole::K) &&
                    model.config().hasRotaryAttention()) {
                    const int64_t heads = layer->role == LayerRole::Q ? model.config().nHeads : model.config().nKvHeads;
                    const Matrix hf = permuteRotaryRows(Eigen::Map<const Matrix>(t.data.data(), t.shape[0], t.shape[1]), heads);
                    t.data = flatValues(hf);
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
            writeTextFile(configPath, configText, options.overwrite);
            written.push_back(configPath);
            if (model.format() == "safetensors")
                for (const char* name : {"tokenizer.json", "tokenizer_config.json", "tokenizer.model",
                                         "special_tokens_map.json", "generation_config.json"})
                    if (fs::exists(sourceDir / name) && sourceDir != dir) {
                        const bool existed = fs::exists(dir / name);
                        const auto mode = options.overwrite ? fs::copy_options::overwrite_existing
                                                            : fs::copy_options::skip_existing;
                        if (fs::copy_file(sourceDir / name, dir / name, mode) && !existed)
                            written.push_back((dir / name).string());
                    }
        }
        writeTextFile(reportPath, runReportJson(model, run).dump(2) + "\n", options.overwrite);
        written.push_back(reportPath);
        progress.report(1.0, "exported " + weightsPath);
    } catch (...) {
        for (const auto& p : written) {
            if (std::find(existedBefore.begin(), existedBefore.end(), p) != existedBefore.end())
                continue; // a complete replacement of the user's file; removing it would lose both
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
