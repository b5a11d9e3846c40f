#include "export/GptqExport.h"

#include "base/Error.h"
#include "io/JsonFile.h"
#include "export/HfExportSupport.h"
#include "io/AtomicFile.h"
#include "io/SafetensorsReader.h"
#include "io/SafetensorsWriter.h"
#include "io/ShardedSafetensors.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace salience {

namespace {

// The file's grid as GPTQ sees it for a layer of `in` columns: the group size, or 0 when one
// group spans the whole row (per channel, per tensor, or a group at least as wide as the row).
int64_t effectiveGroup(int64_t groupSize, int64_t in) { return groupSize > 0 && groupSize < in ? groupSize : 0; }

int64_t effectiveGroup(const QuantGrid& grid, int64_t in)
{
    return grid.granularity == Granularity::PerGroup ? effectiveGroup(grid.groupSize, in) : 0;
}

template <class T>
T mostCommon(const std::vector<T>& values, T fallback)
{
    std::map<T, int> counts;
    for (const T& v : values)
        ++counts[v];
    T best = fallback;
    int bestCount = 0;
    for (const auto& [v, n] : counts)
        if (n > bestCount) {
            best = v;
            bestCount = n;
        }
    return best;
}

// Stored output row r holds canonical row order[r]: Hugging Face's rotary order when heads > 0.
std::vector<int64_t> hfRowOrder(int64_t rows, int64_t heads)
{
    std::vector<int64_t> order(static_cast<size_t>(rows));
    if (heads <= 0) {
        for (int64_t r = 0; r < rows; ++r)
            order[size_t(r)] = r;
        return order;
    }
    Matrix index(rows, 1);
    for (int64_t r = 0; r < rows; ++r)
        index(r, 0) = float(r); // exact: row counts stay far below 2^24
    const Matrix moved = permuteRotaryRows(index, heads);
    for (int64_t r = 0; r < rows; ++r)
        order[size_t(r)] = int64_t(moved(r, 0));
    return order;
}



std::vector<uint8_t> int32Bytes(const std::vector<int32_t>& v)
{
    std::vector<uint8_t> b(v.size() * 4);
    std::memcpy(b.data(), v.data(), b.size());
    return b;
}

std::vector<uint8_t> halfBytes(const std::vector<uint16_t>& v)
{
    std::vector<uint8_t> b(v.size() * 2);
    std::memcpy(b.data(), v.data(), b.size());
    return b;
}


struct ExportGrid {
    int bits = 4;
    int groupSize = 128; // GPTQ convention
    GptqFormat format = GptqFormat::V1;
};

// Decides and builds what the file holds for one linear layer with a quantized result.
// `rowHeads` > 0 puts rows in Hugging Face's rotary order. Returns the packed layer, or
// nullopt with entry.status Float and a reason.
std::optional<GptqLayer> packLayer(const Model& model, const LinearLayer& layer, const QuantizedLinear& result,
                                   int64_t rowHeads, bool packable, const std::string& whyNot,
                                   const ExportGrid& grid, GptqLayerExport& entry, Matrix& floatWeight)
{
    const Matrix original = model.weight(layer);
    const Matrix before = result.dequantize();
    entry.relativeWeightErrorBefore = relativeWeightError(original, before);
    entry.relativeWeightErrorAfter = entry.relativeWeightErrorBefore;
    if (!packable) {
        entry.status = GptqLayerStatus::Float;
        entry.reason = whyNot;
        floatWeight = before;
        return std::nullopt;
    }
    const QuantizedLinear* source = &result;
    std::optional<QuantizedLinear> requantized;
    std::string why = gptqIncompatibility(result);
    if (why.empty() && result.grid.bits != grid.bits)
        why = std::to_string(result.grid.bits) + " bits, the file has " + std::to_string(grid.bits);
    if (why.empty() && effectiveGroup(result.grid, layer.inFeatures) != effectiveGroup(grid.groupSize, layer.inFeatures))
        why = "grid " + result.grid.describe() + ", the file has group size " + std::to_string(grid.groupSize);
    if (!why.empty()) {
        QuantGrid g;
        g.bits = grid.bits;
        g.symmetric = result.grid.symmetric;
        g.granularity = grid.groupSize > 0 ? Granularity::PerGroup : Granularity::PerChannel;
        g.groupSize = grid.groupSize > 0 ? grid.groupSize : 128;
        requantized = quantizeRtn(before, g);
        source = &*requantized;
        entry.status = GptqLayerStatus::Requantized;
        entry.reason = why;
    } else {
        entry.status = GptqLayerStatus::Lossless;
    }
    const auto order = hfRowOrder(layer.outFeatures, rowHeads);
    GptqConversion converted = toGptqLayer(*source, grid.format, order);
    entry.zeroShiftedGroups = converted.zeroShiftedGroups;
    entry.clippedCodes = converted.clippedCodes;
    if (converted.clippedCodes > 0 && entry.status == GptqLayerStatus::Lossless) {
        entry.status = GptqLayerStatus::Clipped;
        entry.reason = std::to_string(converted.clippedCodes) +
                       " codes moved one step down: v1 stores zero − 1 and cannot hold a zero point of 0";
    }
    if (entry.status != GptqLayerStatus::Lossless) {
        // What the file holds, back in canonical row order.
        const Matrix stored = dequantizeGptqLayer(converted.layer, grid.format);
        Matrix canonical(stored.rows(), stored.cols());
        for (int64_t r = 0; r < stored.rows(); ++r)
            canonical.row(order[size_t(r)]) = stored.row(r);
        entry.relativeWeightErrorAfter = relativeWeightError(original, canonical);
    }
    return std::move(converted.layer);
}

void addPacked(SafetensorsWriter& writer, const std::string& prefix, const GptqLayer& l)
{
    const int64_t groups = l.groups();
    writer.addRaw(prefix + ".qweight", "I32", {l.inFeatures * l.bits / 32, l.outFeatures}, int32Bytes(l.qweight));
    writer.addRaw(prefix + ".qzeros", "I32", {groups, l.outFeatures * l.bits / 32}, int32Bytes(l.qzeros));
    writer.addRaw(prefix + ".scales", "F16", {groups, l.outFeatures}, halfBytes(l.scales));
    writer.addRaw(prefix + ".g_idx", "I32", {l.inFeatures}, int32Bytes(l.gIdx));
}

} // namespace

std::string gptqLayerStatusName(GptqLayerStatus status)
{
    switch (status) {
    case GptqLayerStatus::Lossless: return "lossless";
    case GptqLayerStatus::Clipped: return "clipped";
    case GptqLayerStatus::Requantized: return "requantized";
    case GptqLayerStatus::Float: return "float";
    case GptqLayerStatus::NotQuantized: return "not-quantized";
    }
    return "unknown";
}

int64_t GptqExportReport::count(GptqLayerStatus status) const
{
    return std::count_if(layers.begin(), layers.end(), [&](const auto& l) { return l.status == status; });
}

nlohmann::json gptqQuantizationConfig(const GptqExportReport& report)
{
    nlohmann::json q{{"quant_method", "gptq"},
                     {"bits", report.bits},
                     {"group_size", report.groupSize},
                     {"desc_act", report.descAct},
                     {"sym", report.symmetric},
                     {"static_groups", report.staticGroups},
                     {"true_sequential", true},
                     {"checkpoint_format", gptqFormatName(report.format)},
                     {"pack_dtype", "int32"},
                     {"model_file_base_name", "model"},
                     {"meta", {{"quantizer", {"salience"}}, {"methods", report.methods}}}};
    if (report.damp)
        q["damp_percent"] = *report.damp;
    // Block layers written in float must not be turned into quantized modules by the loader:
    // optimum keeps only modules whose names end with an entry of modules_in_block_to_quantize,
    // GPTQModel skips modules matching a "-:" pattern of "dynamic".
    nlohmann::json packed = nlohmann::json::array();
    nlohmann::json dynamic = nlohmann::json::object();
    bool anyUnpackedInBlock = false;
    for (const auto& l : report.layers) {
        const bool isPacked = l.status == GptqLayerStatus::Lossless || l.status == GptqLayerStatus::Clipped ||
                              l.status == GptqLayerStatus::Requantized;
        if (isPacked) {
            packed.push_back(l.tensorPrefix);
        } else if (l.tensorPrefix.find("layers.") != std::string::npos || l.tensorPrefix.find("h.") == 0) {
            anyUnpackedInBlock = true;
            std::string pattern = "^";
            for (char c : l.tensorPrefix) {
                if (c == '.')
                    pattern += '\\';
                pattern += c;
            }
            dynamic["-:" + pattern + "$"] = nlohmann::json::object();
        }
    }
    if (anyUnpackedInBlock) {
        q["modules_in_block_to_quantize"] = nlohmann::json::array({packed});
        q["dynamic"] = dynamic;
    }
    return q;
}

nlohmann::json gptqExportReportJson(const GptqExportReport& report)
{
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : report.layers) {
        nlohmann::json j{{"name", l.layer},
                         {"tensor_prefix", l.tensorPrefix},
                         {"status", gptqLayerStatusName(l.status)},
                         {"rel_weight_error_before", l.relativeWeightErrorBefore},
                         {"rel_weight_error_after", l.relativeWeightErrorAfter}};
        if (!l.reason.empty())
            j["reason"] = l.reason;
        if (l.zeroShiftedGroups)
            j["zero_shifted_groups"] = l.zeroShiftedGroups;
        if (l.clippedCodes)
            j["clipped_codes"] = l.clippedCodes;
        layers.push_back(std::move(j));
    }
    nlohmann::json summary;
    for (auto s : {GptqLayerStatus::Lossless, GptqLayerStatus::Clipped, GptqLayerStatus::Requantized,
                   GptqLayerStatus::Float, GptqLayerStatus::NotQuantized})
        summary[gptqLayerStatusName(s)] = report.count(s);
    return {{"quantization_config", gptqQuantizationConfig(report)}, {"layers", layers}, {"summary", summary}};
}

GptqExportReport exportGptq(const Model& model, const RunResult& run, const std::string& out,
                            const GptqExportOptions& options, Progress& progress)
{
    if (fs::path(out).extension() == ".safetensors")
        throw InputError(out, "a GPTQ export is a directory (model.safetensors, config.json, quantize_config.json): "
                              "give a directory name");
    // The run's quantized layers, and the grid of the file.
    std::map<std::string, const LayerResult*> resultOf;
    std::vector<int> bitsSeen;
    std::vector<int> groupsSeen;
    for (const auto& r : run.layers) {
        const LinearLayer& l = model.layer(r.layer); // throws for a layer not in the model
        if (!r.quantized)
            continue;
        resultOf[l.name] = &r;
        if (isGptqBits(r.quantized->grid.bits))
            bitsSeen.push_back(r.quantized->grid.bits);
        const auto& g = r.quantized->grid;
        groupsSeen.push_back(g.granularity == Granularity::PerGroup ? g.groupSize : -1);
    }
    ExportGrid grid;
    grid.format = options.format;
    grid.bits = options.bits != 0 ? options.bits : mostCommon(bitsSeen, 4);
    grid.groupSize = options.groupSize ? *options.groupSize : mostCommon(groupsSeen, 128);
    if (!isGptqBits(grid.bits))
        throw InputError("GPTQ export", "bits must be 2, 3, 4 or 8, not " + std::to_string(grid.bits));
    if (grid.groupSize == 0 || grid.groupSize < -1)
        throw InputError("GPTQ export", "group size must be -1 (per channel) or positive, not " +
                                            std::to_string(grid.groupSize));

    const fs::path dir(out);
    const std::string weightsPath = (dir / "model.safetensors").string();
    const std::string configPath = (dir / "config.json").string();
    const std::string quantizeConfigPath = (dir / "quantize_config.json").string();
    const std::string reportPath = (dir / "gptq_export.json").string();
    const std::vector<std::string> targets{weightsPath, configPath, quantizeConfigPath, reportPath};
    HfExportFiles files(dir.string(), targets, options.overwrite, /*refuseShardIndex=*/true);

    GptqExportReport report;
    report.bits = grid.bits;
    report.groupSize = grid.groupSize;
    report.format = grid.format;
    {
        SafetensorsWriter writer;
        writer.setMetadata({{"format", "pt"}, {"salience", "GPTQ-packed (" + gptqFormatName(grid.format) + ")"}});
        bool anySymmetric = false, allSymmetric = true;
        int64_t gptqLayers = 0;

        // One linear layer: packed tensors, a dequantized float weight in the stored orientation, or
        // (not quantized) the source's own tensor.
        const auto emitLayer = [&](const LinearLayer& layer, const HfTensor& t) {
            const std::string& tensorName = t.name;
            GptqLayerExport entry;
            entry.layer = layer.name;
            entry.tensorPrefix = tensorName.ends_with(".weight") ? tensorName.substr(0, tensorName.size() - 7) : tensorName;
            auto it = resultOf.find(layer.name);
            if (it == resultOf.end()) {
                entry.status = GptqLayerStatus::NotQuantized;
                addSourceTensor(writer, model, t);
                report.layers.push_back(std::move(entry));
                return;
            }
            Matrix canonical;
            {
                std::string whyNot;
                if (layer.role == LayerRole::Embedding || layer.role == LayerRole::Classifier)
                    whyNot = "GPTQ loaders keep the embedding and lm_head in float";
                else if (t.transposed)
                    whyNot = "a transposed (GPT-2 Conv1D) tensor is not packed";
                else if (!tensorName.ends_with(".weight"))
                    whyNot = "the tensor name does not end in .weight";
                else if (layer.inFeatures % 32 != 0 || layer.outFeatures % 32 != 0)
                    whyNot = "[" + std::to_string(layer.outFeatures) + ", " + std::to_string(layer.inFeatures) +
                             "] is not a multiple of 32 in both dimensions, as GPTQ kernels require";
                const QuantizedLinear& q = *it->second->quantized;
                auto packed = packLayer(model, layer, q, t.rotaryHeads, whyNot.empty(), whyNot, grid, entry, canonical);
                if (packed) {
                    addPacked(writer, entry.tensorPrefix, *packed);
                    // Act-order shows as a g_idx that is not the plain column / group size.
                    for (int64_t j = 0; j < packed->inFeatures; ++j)
                        if (packed->gIdx[size_t(j)] != (packed->groupSize > 0 ? j / packed->groupSize : 0))
                            report.descAct = true;
                    if (std::find(report.methods.begin(), report.methods.end(), q.method) == report.methods.end())
                        report.methods.push_back(q.method);
                    if (q.method == "gptq") {
                        const auto damp = q.parameters.find("damp");
                        const auto fixed = q.parameters.find("static_groups");
                        const bool isStatic = fixed != q.parameters.end() && fixed->second != 0.0;
                        report.staticGroups = (gptqLayers == 0 || report.staticGroups) && isStatic;
                        if (damp != q.parameters.end() && (gptqLayers == 0 || report.damp == damp->second))
                            report.damp = damp->second;
                        else
                            report.damp.reset();
                        ++gptqLayers;
                    }
                    const bool sym = q.grid.symmetric; // requantizing keeps the recipe's symmetry
                    anySymmetric = anySymmetric || sym;
                    allSymmetric = allSymmetric && sym;
                    report.layers.push_back(std::move(entry));
                    return;
                }
            }
            const Matrix stored = toHfLayout(canonical, t);
            // A dequantized weight is kept exact (float32).
            writer.addFloat(tensorName, {stored.rows(), stored.cols()}, stored.data(), size_t(stored.size()), "F32");
            report.layers.push_back(std::move(entry));
        };

        forEachHfTensor(
            model,
            [&](const HfTensor& t) {
                if (t.layer)
                    emitLayer(*t.layer, t);
                else
                    addSourceTensor(writer, model, t);
            },
            progress, 0.6, "packing");
        report.symmetric = anySymmetric && allSymmetric;

        Progress writeProgress = progress.child(0.6, 0.95);
        writer.write(weightsPath, options.overwrite, writeProgress);
        files.wrote(weightsPath);

        nlohmann::json config;
        const fs::path sourceConfig = fs::path(model.path()).parent_path() / "config.json";
        if (model.format() == "safetensors" && fs::exists(sourceConfig)) {
            config = readJsonFile(sourceConfig.string());
        } else {
            config = model.config().toHfConfig();
        }
        const nlohmann::json quantization = gptqQuantizationConfig(report);
        config["quantization_config"] = quantization;
        progress.throwIfCancelled();
        writeTextFile(configPath, config.dump(2) + "\n", options.overwrite);
        files.wrote(configPath);
        writeTextFile(quantizeConfigPath, quantization.dump(2) + "\n", options.overwrite);
        files.wrote(quantizeConfigPath);
        writeTextFile(reportPath, gptqExportReportJson(report).dump(2) + "\n", options.overwrite);
        files.wrote(reportPath);
        progress.report(1.0, "exported " + out);
        files.commit();
    }
    report.written = files.written();
    return report;
}

} // namespace salience
