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

std::vector<std::string> exportFakeQuantSafetensors(const Model& model, const RunResult& run, const std::string& out,
                                                    const ExportOptions& options, Progress& progress)
{
    for (const auto& r : run.layers)
        model.layer(r.layer); // throws for a result naming no layer of the model
    HeldResults held(run);
    return exportFakeQuantSafetensors(model, held, out, options, progress);
}

std::vector<std::string> exportFakeQuantSafetensors(const Model& model, LayerResultSource& results,
                                                    const std::string& out, const ExportOptions& options,
                                                    Progress& progress)
{
    std::map<std::string, std::string> resultKey; // canonical layer name → the name results use
    for (const auto& [name, recipe] : results.quantizedRecipes())
        resultKey[model.layer(name).name] = name; // throws for a result naming no layer of the model

    const bool singleFile = fs::path(out).extension() == ".safetensors";
    const fs::path dir = singleFile ? fs::path(out).parent_path() : fs::path(out);
    const std::string weightsPath = singleFile ? out : (dir / "model.safetensors").string();
    const std::string reportPath = singleFile ? (fs::path(out).replace_extension("").string() + ".report.json")
                                              : (dir / "quantization_report.json").string();
    const std::string configPath = (dir / "config.json").string();
    std::vector<std::string> targets{weightsPath, reportPath};
    if (!singleFile)
        targets.push_back(configPath);
    HfExportFiles files(dir.string(), targets, options.overwrite, /*refuseShardIndex=*/!singleFile);
    {
        SafetensorsWriter writer;
        writer.setMetadata({{"format", "pt"},
                            {"salience", "fake-quantized: quantized layers hold their dequantized weights"}});
        // Untouched tensors keep the source's bytes; quantized ones hold Ŵ in the source's dtype,
        // made from each result as the file reaches it.
        std::vector<std::string> takeOrder;
        forEachHfTensor(
            model,
            [&](const HfTensor& t) {
                const auto key = t.layer ? resultKey.find(t.layer->name) : resultKey.end();
                if (key == resultKey.end()) {
                    addSourceTensor(writer, model, t);
                    return;
                }
                takeOrder.push_back(key->second);
                writer.addProduced(t.name, t.dtype, t.shape, [&results, &progress, t, name = key->second] {
                    progress.throwIfCancelled();
                    const Matrix stored = toHfLayout(results.take(name)->dequantize(), t);
                    return SafetensorsWriter::encodeFloats(stored.data(), size_t(stored.size()), t.dtype);
                });
            },
            progress, 0.05, "preparing");
        results.expect(takeOrder);
        Progress writeProgress = progress.child(0.05, 0.95);
        writer.write(weightsPath, options.overwrite, writeProgress);
        const RunResult& run = results.completed();
        files.wrote(weightsPath);

        if (!singleFile) {
            const fs::path sourceDir = fs::path(model.path()).parent_path();
            const fs::path sourceConfig = sourceDir / "config.json";
            std::string configText;
            if (model.format() == "safetensors" && fs::exists(sourceConfig)) {
                std::ifstream in(sourceConfig);
                configText.assign(std::istreambuf_iterator<char>(in), {});
            } else {
                configText = model.config().toHfConfig().dump(2) + "\n";
            }
            writeTextFile(configPath, configText, options.overwrite);
            files.wrote(configPath);
            if (model.format() == "safetensors")
                for (const char* name : {"tokenizer.json", "tokenizer_config.json", "tokenizer.model",
                                         "special_tokens_map.json", "generation_config.json"})
                    if (fs::exists(sourceDir / name) && sourceDir != dir) {
                        const bool existed = fs::exists(dir / name);
                        const auto mode = options.overwrite ? fs::copy_options::overwrite_existing
                                                            : fs::copy_options::skip_existing;
                        if (fs::copy_file(sourceDir / name, dir / name, mode) && !existed)
                            files.wrote((dir / name).string());
                    }
        }
        writeTextFile(reportPath, runReportJson(model, run).dump(2) + "\n", options.overwrite);
        files.wrote(reportPath);
        progress.report(1.0, "exported " + weightsPath);
        files.commit();
    }
    return files.written();
}

} // namespace salience
