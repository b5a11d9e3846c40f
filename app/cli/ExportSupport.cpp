#include "ExportSupport.h"

#include <cstdio>

namespace salience::cli {

void addExportOptions(CLI::App& cmd, ExportSettings& s)
{
    cmd.add_option("--format", s.format,
                   "Output format: fakequant, gguf, gptq, llama2c or record (default: from the extension of -o: "
                   ".gguf, .bin llama2.c, .h5 run record, else fake-quantized safetensors)")
        ->check(CLI::IsMember({"fakequant", "gguf", "gptq", "llama2c", "record"}));
    cmd.add_option("--gguf-type", s.ggufType,
                   "GGUF: one ggml type for every linear tensor (Q8_0, Q4_0, Q4_K, ...); default: the type that "
                   "holds each layer's grid (a --grid-type format; 8 bits Q8_0, 5 Q5_0/Q5_1, 4 Q4_0/Q4_1 by symmetry; "
                   "other grids are refused); layers whose recipe is none keep their source type");
    cmd.add_option("--preset", s.preset,
                   "GGUF: one of llama-quantize's mixes (Q4_K_M, Q4_K_S, Q5_K_M, Q5_K_S, Q3_K_S, Q3_K_M, Q3_K_L, "
                   "Q2_K, Q6_K, Q8_0, Q4_0, ...): with --method, the method rounds each linear layer onto the "
                   "type llama-quantize gives it (rtn, gptq, awq, ...); every tensor no run quantizes (all of them without "
                   "a method or plan) gets the type llama-quantize gives it; general.file_type is the preset's");
    cmd.add_option("--output-tensor-type", s.outputTensorType,
                   "GGUF: output.weight's type, as llama-quantize's flag (also token_embd's with tied embeddings)");
    cmd.add_option("--token-embedding-type", s.tokenEmbeddingType,
                   "GGUF: token_embd.weight's type, as llama-quantize's flag (default: F32, or the preset's)");
    cmd.add_option("--tokenizer", s.tokenizer, "GGUF: a tokenizer.json (or its folder) or a llama2.c tokenizer.bin to embed (default: the model's own)")
        ->check(CLI::ExistingPath);
    cmd.add_flag("--codes", s.recordCodes, "Run record: also store each layer's codes, scales and zero points");
}

ExportRequest exportRequest(const std::string& out, const ExportSettings& settings)
{
    ExportRequest request;
    request.out = out;
    request.format = exportFormatFor(out, settings.format);
    request.ggufType = settings.ggufType;
    request.preset = settings.preset;
    request.outputTensorType = settings.outputTensorType;
    request.tokenEmbeddingType = settings.tokenEmbeddingType;
    request.tokenizer = settings.tokenizer;
    request.recordCodes = settings.recordCodes;
    request.overwrite = settings.force;
    return request;
}

LlamaQuantizeOptions mixOptions(const ExportSettings& settings, bool withActivations)
{
    LlamaQuantizeOptions options;
    options.outputTensorType = settings.outputTensorType;
    options.tokenEmbeddingType = settings.tokenEmbeddingType;
    options.importanceMatrix = withActivations;
    return options;
}

std::optional<QuantPlan> commandPlan(const CLI::App& cmd, const OpenedModel& opened, const std::string& planPath,
                                     const RecipeOptions& recipe, const ExportSettings& settings)
{
    if (!planPath.empty())
        return QuantPlan::load(planPath);
    if (!recipeOptionsGiven(cmd))
        return std::nullopt;
    if (settings.preset.empty())
        return QuantPlan::uniform(recipeFromOptions(recipe));
    return presetPlan(cmd, opened.model, recipe, settings.preset, mixOptions(settings, opened.activations.has_value()));
}

void printExportReport(const nlohmann::json& report)
{
    const auto& layers = report["layers"];
    if (!layers.empty()) {
        const bool withType = layers.front().contains("type");
        const bool withWhy = report.contains("preset"); // why each tensor has its type: the preset's rules
        if (withWhy)
            std::printf("llama-quantize mix %s\n", report["preset"].get<std::string>().c_str());
        std::printf("\n%-34s %-6s %-12s %12s %12s %10s\n", "layer", withType ? "type" : "", "export", "rel.W.err",
                    "in the file", "change");
        for (const auto& l : layers) {
            const double before = l["error_before"].get<double>();
            const double after = l["error_after"].get<double>();
            std::printf("%-34s %-6s %-12s %12.6f %12.6f %+10.6f\n", l["name"].get<std::string>().c_str(),
                        withType ? l["type"].get<std::string>().c_str() : "", l["status"].get<std::string>().c_str(),
                        before, after, after - before);
            bool fallbackSaid = false; // a preset's "why" already names the fallback
            if (withWhy && l.contains("why")) {
                const std::string why = l["why"].get<std::string>();
                std::printf("    %s\n", why.c_str());
                fallbackSaid = why.find("are not whole") != std::string::npos;
            }
            if (l.contains("reason") && !fallbackSaid)
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
