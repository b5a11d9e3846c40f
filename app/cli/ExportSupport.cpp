#include "ExportSupport.h"

#include "base/Error.h"
#include "export/FakeQuantExport.h"
#include "export/GgufExport.h"
#include "export/GptqExport.h"
#include "export/Llama2cExport.h"
#include "export/RunRecord.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace salience::cli {

namespace fs = std::filesystem;

void addExportOptions(CLI::App& cmd, ExportSettings& s)
{
    cmd.add_option("--format", s.format,
                   "Output format: fakequant, gguf, gptq, llama2c or record (default: from the extension of -o: "
                   ".gguf, .bin llama2.c, .h5 run record, else fake-quantized safetensors)")
        ->check(CLI::IsMember({"fakequant", "gguf", "gptq", "llama2c", "record"}));
    cmd.add_option("--gguf-type", s.ggufType,
                   "GGUF: one ggml type for every linear tensor (Q8_0, Q4_0, Q4_K, ...); default: the type that "
                   "holds each layer's grid (8 bits Q8_0, 5 Q5_0/Q5_1, 4 Q4_0/Q4_1 by symmetry, else Q8_0)");
    cmd.add_option("--tokenizer", s.tokenizer, "GGUF: a llama2.c tokenizer.bin to embed (default: the model's own)")
        ->check(CLI::ExistingFile);
    cmd.add_flag("--codes", s.recordCodes, "Run record: also store each layer's codes, scales and zero points");
}

ExportFormat exportFormatFor(const std::string& out, const std::string& format)
{
    if (format == "fakequant")
        return ExportFormat::FakeQuant;
    if (format == "gguf")
        return ExportFormat::Gguf;
    if (format == "gptq")
        return ExportFormat::Gptq;
    if (format == "llama2c")
        return ExportFormat::Llama2c;
    if (format == "record")
        return ExportFormat::Record;
    if (!format.empty())
        throw InputError("--format", "unknown format '" + format + "' (fakequant, gguf, gptq, llama2c, record)");
    std::string ext = fs::path(out).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".gguf")
        return ExportFormat::Gguf;
    if (ext == ".bin")
        return ExportFormat::Llama2c;
    if (ext == ".h5" || ext == ".hdf5")
        return ExportFormat::Record;
    return ExportFormat::FakeQuant;
}

std::string exportFormatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::FakeQuant: return "fakequant";
    case ExportFormat::Gguf: return "gguf";
    case ExportFormat::Gptq: return "gptq";
    case ExportFormat::Llama2c: return "llama2c";
    case ExportFormat::Record: return "record";
    }
    return "fakequant";
}

void checkOutputFree(const std::string& out, ExportFormat format, bool force)
{
    if (force)
        return;
    const bool directory = format == ExportFormat::Gptq ||
                           (format == ExportFormat::FakeQuant && fs::path(out).extension() != ".safetensors");
    if (directory) {
        if (fs::exists(out) && !fs::is_directory(out))
            throw InputError(out, "exists and is not a directory (use --force to replace it)");
        if (fs::exists(fs::path(out) / "model.safetensors"))
            throw InputError(out, "already holds a model.safetensors (use --force to replace it)");
        return;
    }
    if (fs::exists(out))
        throw InputError(out, "already exists (use --force to replace it)");
}

void checkExportable(const Model& model, ExportFormat format)
{
    if (format != ExportFormat::Llama2c)
        return;
    const std::string reason = llama2cIncompatibility(model);
    if (!reason.empty())
        throw InputError("llama2.c export", reason);
}

std::optional<std::string> ggufTypeForRecipe(const Recipe& recipe)
{
    switch (recipe.bits) {
    case 8: return "Q8_0";
    case 5: return recipe.symmetric ? "Q5_0" : "Q5_1";
    case 4: return recipe.symmetric ? "Q4_0" : "Q4_1";
    default: return std::nullopt;
    }
}

namespace {

nlohmann::json exportGgufRun(const Model& model, const RunResult& run, const std::string& out,
                             const ExportSettings& settings, Progress& progress)
{
    GgufExportOptions options;
    options.overwrite = settings.force;
    options.tokenizerPath = settings.tokenizer;
    std::map<std::string, QuantizedLinear> results;
    for (const auto& r : run.layers)
        if (r.quantized)
            results.emplace(r.layer, *r.quantized);
    for (const auto& layer : model.layers()) {
        if (layer.role == LayerRole::Embedding)
            continue; // the exporter keeps the lookup table in F32
        if (!settings.ggufType.empty()) {
            options.layerTypes[layer.name] = settings.ggufType;
            continue;
        }
        const LayerResult* r = run.find(layer.name);
        if (r && r->quantized)
            options.layerTypes[layer.name] = ggufTypeForRecipe(r->recipe).value_or("Q8_0");
        else
            options.layerTypes[layer.name] = (layer.dtype == "F16" || layer.dtype == "BF16") ? "F16" : "F32";
    }
    const GgufExportReport report = exportGguf(model, results, out, options, progress);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : report.layers) {
        const LayerResult* r = run.find(l.layer);
        const double before = r && r->quantized ? r->metrics.relativeWeightError : 0.0;
        std::string status = l.lossless ? "lossless" : "requantized";
        nlohmann::json j{{"name", l.layer},
                         {"tensor", l.tensorName},
                         {"type", l.type},
                         {"status", status},
                         {"from_result", l.fromResult},
                         {"error_before", before},
                         {"error_after", l.errorVsOriginal}};
        if (l.fallback)
            j["reason"] = "rows are not whole " + l.requestedType + " blocks: written as " + l.type;
        layers.push_back(std::move(j));
    }
    return {{"written", {report.path}}, {"layers", std::move(layers)}, {"warnings", report.warnings}};
}

nlohmann::json exportGptqRun(const Model& model, const RunResult& run, const std::string& out,
                             const ExportSettings& settings, Progress& progress)
{
    GptqExportOptions options;
    options.overwrite = settings.force;
    const GptqExportReport report = exportGptq(model, run, out, options, progress);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : report.layers) {
        nlohmann::json j{{"name", l.layer},
                         {"status", gptqLayerStatusName(l.status)},
                         {"error_before", l.relativeWeightErrorBefore},
                         {"error_after", l.relativeWeightErrorAfter}};
        if (!l.reason.empty())
            j["reason"] = l.reason;
        layers.push_back(std::move(j));
    }
    return {{"written", report.written},
            {"layers", std::move(layers)},
            {"warnings", nlohmann::json::array()},
            {"bits", report.bits},
            {"group_size", report.groupSize}};
}

} // namespace

nlohmann::json exportRun(const Model& model, const RunResult& run, const nlohmann::json& plan, const std::string& out,
                         ExportFormat format, const ExportSettings& settings, Progress& progress)
{
    nlohmann::json report;
    switch (format) {
    case ExportFormat::Gguf:
        report = exportGgufRun(model, run, out, settings, progress);
        break;
    case ExportFormat::Gptq:
        report = exportGptqRun(model, run, out, settings, progress);
        break;
    case ExportFormat::Llama2c: {
        Llama2cExportOptions options;
        options.overwrite = settings.force;
        exportLlama2c(model, run, out, options, progress);
        report = {{"written", {out}},
                  {"layers", nlohmann::json::array()},
                  {"warnings", nlohmann::json::array()},
                  {"note", "every quantized layer is written as its dequantized weight in float32 (lossless)"}};
        break;
    }
    case ExportFormat::Record: {
        RunRecordInput input;
        input.model = model.path();
        input.plan = plan;
        input.run = &run;
        RunRecordOptions options;
        options.overwrite = settings.force;
        options.includeCodes = settings.recordCodes;
        writeRunRecord(out, input, options, progress);
        report = {{"written", {out}}, {"layers", nlohmann::json::array()}, {"warnings", nlohmann::json::array()}};
        break;
    }
    case ExportFormat::FakeQuant: {
        ExportOptions options;
        options.overwrite = settings.force;
        const auto written = exportFakeQuantSafetensors(model, run, out, options, progress);
        report = {{"written", written},
                  {"layers", nlohmann::json::array()},
                  {"warnings", nlohmann::json::array()},
                  {"note", "every quantized layer is written as its dequantized weight in the source's dtype"}};
        break;
    }
    }
    report["format"] = exportFormatName(format);
    report["output"] = out;
    return report;
}

void printExportReport(const nlohmann::json& report)
{
    const auto& layers = report["layers"];
    if (!layers.empty()) {
        const bool withType = layers.front().contains("type");
        std::printf("\n%-34s %-6s %-12s %12s %12s %10s\n", "layer", withType ? "type" : "", "export", "rel.W.err",
                    "in the file", "change");
        for (const auto& l : layers) {
            const double before = l["error_before"].get<double>();
            const double after = l["error_after"].get<double>();
            std::printf("%-34s %-6s %-12s %12.6f %12.6f %+10.6f\n", l["name"].get<std::string>().c_str(),
                        withType ? l["type"].get<std::string>().c_str() : "", l["status"].get<std::string>().c_str(),
                        before, after, after - before);
            if (l.contains("reason"))
                std::printf("    %s\n", l["reason"].get<std::string>().c_str());
        }
    }
    if (report.contains("note"))
        std::printf("%s\n", report["note"].get<std::string>().c_str());
    for (const auto& w : report["warnings"])
        std::printf("warning: %s\n", w.get<std::string>().c_str());
    for (const auto& w : report["written"])
        std::printf("wrote %s (%s)\n", w.get<std::string>().c_str(), report["format"].get<std::string>().c_str());
}

} // namespace salience::cli
