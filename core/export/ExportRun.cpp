#include "export/ExportRun.h"

#include "acts/LayerActivations.h"

#include "base/Error.h"
#include "export/FakeQuantExport.h"
#include "export/GgufExport.h"
#include "export/GptqExport.h"
#include "export/LlamaQuantizeMix.h"
#include "export/Llama2cExport.h"
#include "export/RunRecord.h"
#include "run/StreamedRun.h"
#include "io/GgmlTypes.h"
#include "quant/GgmlQuantize.h"

#include <algorithm>
#include <filesystem>

namespace salience {

namespace fs = std::filesystem;

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

ExportFormat exportFormatFor(const std::string& out, const std::string& name)
{
    for (ExportFormat f : {ExportFormat::FakeQuant, ExportFormat::Gguf, ExportFormat::Gptq, ExportFormat::Llama2c,
                           ExportFormat::Record})
        if (name == exportFormatName(f))
            return f;
    if (!name.empty())
        throw InputError("--format", "unknown format '" + name + "' (fakequant, gguf, gptq, llama2c, record)");
    std::string ext = fs::path(out).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".gguf")
        return ExportFormat::Gguf;
    if (ext == ".bin")
        return ExportFormat::Llama2c;
    if (ext == ".h5" || ext == ".hdf5")
        return ExportFormat::Record;
    // A name with any other extension is a typo more often than a folder name: refuse it
    // rather than create a directory called "out.xyz".
    if (!ext.empty() && ext != ".safetensors")
        throw InputError("-o", "'" + out + "' has the extension '" + ext +
                                   "', which names no format (.safetensors, .gguf, .bin for llama2.c, .h5 for a "
                                   "run record, a name without extension for a Hugging Face folder; or give "
                                   "--format)");
    return ExportFormat::FakeQuant;
}

void checkOutputFree(const std::string& out, ExportFormat format, bool overwrite)
{
    if (overwrite)
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

void checkExportable(const Model& model, const ExportRequest& request)
{
    checkExportable(model, request.format);
    const std::pair<const char*, const std::string*> ggufOnly[] = {
        {"--preset", &request.preset},
        {"--output-tensor-type", &request.outputTensorType},
        {"--token-embedding-type", &request.tokenEmbeddingType}};
    for (const auto& [option, value] : ggufOnly)
        if (!value->empty() && request.format != ExportFormat::Gguf)
            throw InputError(option, "applies to GGUF only, not to " + exportFormatName(request.format) + " output");
    if (request.format != ExportFormat::Gguf)
        return;
    if (!request.preset.empty())
        llamaQuantizeFileType(request.preset); // names the presets when it is not one
    for (const auto& [option, value] : ggufOnly) {
        if (value == &request.preset || value->empty())
            continue;
        const auto type = ggmlTypeFromName(*value);
        if (!type || !canQuantize(*type))
            throw InputError(option, "'" + *value + "' is not a type Salience writes (" + quantizableTypeList() + ")");
    }
}

std::optional<std::string> ggufTypeForRecipe(const Recipe& recipe)
{
    if (const auto type = recipe.ggmlGrid())
        return ggmlTypeName(*type); // the blocks the method wrote
    switch (recipe.bits) {
    case 8: return "Q8_0";
    case 5: return recipe.symmetric ? "Q5_0" : "Q5_1";
    case 4: return recipe.symmetric ? "Q4_0" : "Q4_1";
    default: return std::nullopt;
    }
}

namespace {

LlamaQuantizeOptions mixOptions(const ExportRequest& request)
{
    LlamaQuantizeOptions options;
    options.outputTensorType = request.outputTensorType;
    options.tokenEmbeddingType = request.tokenEmbeddingType;
    options.importanceMatrix = request.importance != nullptr;
    return options;
}

// llama-quantize's importance of each column: the mean squared input (imatrix entries).
std::map<std::string, std::vector<float>> importanceOf(const Model& model, const ActivationStore& store)
{
    std::map<std::string, std::vector<float>> out;
    for (const auto& layer : model.layers()) {
        const auto name = activationNameFor(store, layer);
        if (!name || !store.hasStats(*name))
            continue;
        const ChannelStats stats = store.stats(*name);
        if (stats.count <= 0 || int64_t(stats.channels()) != layer.inFeatures)
            continue;
        out[layer.name] = stats.meanSquares();
    }
    return out;
}

// The GGUF type that keeps a layer as its source stored it.
std::string sourceGgufType(const LinearLayer& layer)
{
    if (layer.dtype == "F16" || layer.dtype == "BF16")
        return "F16";
    if (const auto type = ggmlTypeFromName(layer.dtype); type && canQuantize(*type))
        return layer.dtype;
    return "F32";
}

// `hasRun` false: no plan at all (an empty RunResult), so --gguf-type decides every layer.
nlohmann::json exportGgufRun(const Model& model, LayerResultSource& results, bool hasRun, const ExportRequest& request,
                             Progress& progress)
{
    GgufExportOptions options;
    options.overwrite = request.overwrite;
    options.tokenizerPath = request.tokenizer;
    const GgufTypeChoice choice = ggufTypeChoice(model, results.quantizedRecipes(), hasRun, request);
    options.layerTypes = choice.types;
    options.fileType = choice.fileType;
    if (request.importance)
        options.importance = importanceOf(model, *request.importance);
    const GgufExportReport report = exportGguf(model, results, request.out, options, progress);
    const RunResult& run = results.completed();
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : report.layers) {
        const LayerResult* r = run.find(l.layer);
        const double before = l.fromResult && r ? r->metrics.relativeWeightError : 0.0;
        nlohmann::json j{{"name", l.layer},
                         {"tensor", l.tensorName},
                         {"type", l.type},
                         {"status", l.lossless ? "lossless" : "requantized"},
                         {"from_result", l.fromResult},
                         {"error_before", before},
                         {"error_after", l.errorVsOriginal}};
        if (const auto why = choice.reasons.find(l.layer); why != choice.reasons.end())
            j["why"] = why->second;
        std::vector<std::string> reasons;
        if (l.fallback)
            reasons.push_back("rows are not whole " + l.requestedType + " blocks: written as " + l.type);
        if (!l.lossless && !l.unheldParts.empty())
            reasons.push_back("llama.cpp's format has no place for " + l.method + "'s " + l.unheldParts +
                              ": its Ŵ was rounded again onto " + l.type);
        if (!reasons.empty()) {
            std::string reason = reasons.front();
            for (size_t i = 1; i < reasons.size(); ++i)
                reason += "; " + reasons[i];
            j["reason"] = reason;
        }
        layers.push_back(std::move(j));
    }
    nlohmann::json out{{"written", {report.path}}, {"layers", std::move(layers)}, {"warnings", report.warnings}};
    if (!request.preset.empty())
        out["preset"] = llamaQuantizeMix(model, request.preset, mixOptions(request)).preset;
    return out;
}

nlohmann::json exportGptqRun(const Model& model, const RunResult& run, const ExportRequest& request,
                             Progress& progress)
{
    GptqExportOptions options;
    options.overwrite = request.overwrite;
    const GptqExportReport report = exportGptq(model, run, request.out, options, progress);
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

std::map<std::string, std::string> ggufLayerTypes(const Model& model, const RunResult& run, const std::string& ggufType)
{
    return ggufLayerTypes(model, HeldResults(run).quantizedRecipes(), !run.layers.empty(), ggufType);
}

std::map<std::string, std::string> ggufLayerTypes(const Model& model, const std::map<std::string, Recipe>& quantized,
                                                  bool hasRun, const std::string& ggufType)
{
    std::map<std::string, std::string> types;
    for (const auto& layer : model.layers()) {
        if (layer.role == LayerRole::Embedding)
            continue; // the exporter keeps the lookup table in F32
        const auto recipe = quantized.find(layer.name);
        if (recipe != quantized.end()) {
            if (!ggufType.empty()) {
                types[layer.name] = ggufType;
                continue;
            }
            // No silent upgrade: Q8_0 would spend 8.5 bits on a 3-bit result and still say 3.
            const auto type = ggufTypeForRecipe(recipe->second);
            if (!type)
                throw InputError(layer.name, "its recipe (" + recipe->second.summary() +
                                                 ") has no GGUF type that holds it; quantize onto a ggml block "
                                                 "format (--grid-type, e.g. Q3_K or Q2_K), or name the type to "
                                                 "requantize it into (--gguf-type)");
            types[layer.name] = *type;
        }
        else if (!hasRun && !ggufType.empty())
            types[layer.name] = ggufType; // no plan: the whole model to one type, as llama-quantize
        else
            types[layer.name] = sourceGgufType(layer);
    }
    return types;
}

GgufTypeChoice ggufTypeChoice(const Model& model, const RunResult& run, const ExportRequest& request)
{
    return ggufTypeChoice(model, HeldResults(run).quantizedRecipes(), !run.layers.empty(), request);
}

GgufTypeChoice ggufTypeChoice(const Model& model, const std::map<std::string, Recipe>& quantized, bool hasRun,
                              const ExportRequest& request)
{
    checkExportable(model, request);
    const bool anyQuantized = !quantized.empty();
    if (!request.preset.empty() && !request.ggufType.empty() && !anyQuantized)
        throw InputError("--gguf-type", "without a plan or method, --gguf-type and --preset " + request.preset +
                                            " would both decide every layer's type: give one of them");
    GgufTypeChoice choice;
    choice.types = ggufLayerTypes(model, quantized, hasRun, request.ggufType);
    for (const auto& layer : model.layers()) {
        if (layer.role == LayerRole::Embedding)
            choice.reasons[layer.name] = "F32: the embedding stays exact";
        else if (quantized.count(layer.name))
            choice.reasons[layer.name] = choice.types[layer.name] + (request.ggufType.empty()
                                                                         ? ": the type that holds the plan's grid"
                                                                         : ": --gguf-type");
        else if (!hasRun && !request.ggufType.empty())
            choice.reasons[layer.name] = choice.types[layer.name] + ": --gguf-type";
        else
            choice.reasons[layer.name] = choice.types[layer.name] + ": not quantized by the plan, the source's type";
    }
    // The preset decides every tensor the run did not quantize.
    if (!request.preset.empty()) {
        const LlamaQuantizeMix mix = llamaQuantizeMix(model, request.preset, mixOptions(request));
        choice.fileType = mix.fileType;
        for (const auto& [name, t] : mix.layers) {
            if (quantized.count(name))
                continue;
            choice.types[name] = t.requested;
            choice.reasons[name] = t.reason;
        }
    }
    // The two overrides, as llama-quantize's flags: whatever else decided these tensors. With tied
    // embeddings (no output.weight) llama.cpp gives token_embd the output type too, unless
    // --token-embedding-type names its own.
    bool tied = true;
    for (const auto& layer : model.layers())
        tied &= layer.role != LayerRole::Classifier;
    for (const auto& layer : model.layers()) {
        const bool embedding = layer.role == LayerRole::Embedding, classifier = layer.role == LayerRole::Classifier;
        std::string type, why;
        if (embedding && !request.tokenEmbeddingType.empty())
            type = request.tokenEmbeddingType, why = "--token-embedding-type";
        else if (embedding && tied && !request.outputTensorType.empty())
            type = request.outputTensorType, why = "tied embeddings: token_embd takes --output-tensor-type";
        else if (classifier && !request.outputTensorType.empty())
            type = request.outputTensorType, why = "--output-tensor-type";
        if (type.empty())
            continue;
        const std::string name = ggmlTypeName(uint32_t(*ggmlTypeFromName(type)));
        choice.types[layer.name] = name;
        choice.reasons[layer.name] = name + ": " + why;
    }
    return choice;
}

namespace {

// The formats written a layer at a time from a LayerResultSource.
bool streams(ExportFormat format)
{
    return format == ExportFormat::Gguf || format == ExportFormat::FakeQuant;
}

nlohmann::json exportFromSource(const Model& model, LayerResultSource& results, bool hasRun,
                                const ExportRequest& request, Progress& progress)
{
    if (request.format == ExportFormat::Gguf)
        return exportGgufRun(model, results, hasRun, request, progress);
    ExportOptions options;
    options.overwrite = request.overwrite;
    const auto written = exportFakeQuantSafetensors(model, results, request.out, options, progress);
    return {{"written", written},
            {"layers", nlohmann::json::array()},
            {"warnings", nlohmann::json::array()},
            {"note", "every quantized layer is written as its dequantized weight in the source's dtype"}};
}

} // namespace

nlohmann::json exportRun(const Model& model, const RunResult& run, const nlohmann::json& plan,
                         const ExportRequest& request, Progress& progress)
{
    checkExportable(model, request);
    nlohmann::json report;
    switch (request.format) {
    case ExportFormat::Gguf:
    case ExportFormat::FakeQuant: {
        HeldResults held(run);
        report = exportFromSource(model, held, !run.layers.empty(), request, progress);
        break;
    }
    case ExportFormat::Gptq:
        report = exportGptqRun(model, run, request, progress);
        break;
    case ExportFormat::Llama2c: {
        Llama2cExportOptions options;
        options.overwrite = request.overwrite;
        exportLlama2c(model, run, request.out, options, progress);
        report = {{"written", {request.out}},
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
        options.overwrite = request.overwrite;
        options.includeCodes = request.recordCodes;
        writeRunRecord(request.out, input, options, progress);
        report = {{"written", {request.out}}, {"layers", nlohmann::json::array()}, {"warnings", nlohmann::json::array()}};
        break;
    }
    }
    report["format"] = exportFormatName(request.format);
    report["output"] = request.out;
    return report;
}

PlanExport exportPlan(const Model& model, const QuantPlan& plan, const ActivationStore* activations,
                      const RunOptions& runOptions, const ExportRequest& request, Progress& progress)
{
    checkExportable(model, request);
    PlanExport out;
    if (!streams(request.format)) {
        Progress running = progress.child(0.0, 0.7);
        out.run = runPlan(model, plan, activations, runOptions, running);
        Progress writing = progress.child(0.7, 1.0);
        out.report = exportRun(model, out.run, plan.toJson(), request, writing);
        return out;
    }
    // The writer reports; the layers it waits for share its cancel flag.
    Progress quiet = progress.silent();
    StreamedRun stream(model, plan, activations, runOptions, quiet);
    out.report = exportFromSource(model, stream, true, request, progress);
    out.report["format"] = exportFormatName(request.format);
    out.report["output"] = request.out;
    out.run = stream.completed();
    return out;
}

} // namespace salience
