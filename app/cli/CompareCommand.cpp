// salience-cli compare [MODEL] --methods rtn,gptq,awq,... --bits B [--group G] [--rank R]
//                       [--protect P] [--acts ACTS] [--text FILE] [--tokens N] [--json]:
// several methods at the same budget in one table: each layer's error per method, the mean
// errors and bits per weight of each, and with --text the perplexity of each quantized model
// beside the float model's.
#include "CliSupport.h"
#include "Commands.h"
#include "RecipeOptions.h"

#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "quant/MethodRegistry.h"
#include "run/Compare.h"

#include <cstdio>
#include <memory>
#include <set>
#include <sstream>

namespace salience::cli {

namespace {

struct CompareCommandOptions {
    std::string model;
    std::string acts;
    std::string methods;
    std::string text;
    std::string tokenizer;
    RecipeOptions recipe;
    int64_t tokens = 4096;
    int64_t window = 256;
    int threads = 0;
    bool json = false;
};

std::vector<std::string> splitList(const std::string& list)
{
    std::vector<std::string> items;
    std::stringstream in(list);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto first = item.find_first_not_of(" \t");
        if (first == std::string::npos)
            continue;
        items.push_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
    }
    return items;
}

// One recipe per method: the shared options, each method keeping the parameters and budgets it
// has. A parameter none of the methods has is an error, as with --method.
std::vector<Recipe> recipesFor(const std::vector<std::string>& methods, const RecipeOptions& shared)
{
    if (methods.empty())
        throw InputError("--methods", "expects a comma-separated list of methods (known: " + methodNames() + ")");
    std::set<std::string> used;
    std::vector<Recipe> recipes;
    for (const auto& name : methods) {
        const MethodInfo* info = findMethod(name);
        if (!info)
            throw InputError("--methods", "unknown method '" + name + "' (known: " + methodNames() + ")");
        RecipeOptions own = shared;
        own.recipe.method = name;
        if (!info->usesRank)
            own.recipe.rank = 0;
        if (!info->usesProtection)
            own.recipe.protectPercent = 0;
        own.paramValues.clear();
        own.params.clear();
        for (const auto& [param, value] : shared.paramValues)
            if (info->param(param)) {
                own.paramValues[param] = value;
                used.insert(param);
            }
        for (const auto& kv : shared.params) {
            const auto eq = kv.find('=');
            if (eq == std::string::npos || eq == 0)
                throw InputError("--param", "expects NAME=VALUE, got '" + kv + "'");
            if (info->param(kv.substr(0, eq))) {
                own.params.push_back(kv);
                used.insert(kv.substr(0, eq));
            }
        }
        recipes.push_back(recipeFromOptions(own));
    }
    for (const auto& [param, value] : shared.paramValues)
        if (!used.count(param))
            throw InputError("--" + param, "none of the methods compared has a parameter '" + param + "'");
    for (const auto& kv : shared.params) {
        const std::string param = kv.substr(0, kv.find('='));
        if (!used.count(param))
            throw InputError("--param", "none of the methods compared has a parameter '" + param + "'");
    }
    return recipes;
}

std::string formatError(const CompareLayer& l, bool output)
{
    char buf[32];
    if (output && l.relativeOutputError)
        std::snprintf(buf, sizeof buf, "%.5f", *l.relativeOutputError);
    else if (output)
        std::snprintf(buf, sizeof buf, "-");
    else
        std::snprintf(buf, sizeof buf, "%.5f", l.relativeWeightError);
    return buf;
}

void printTable(const CompareResult& result)
{
    bool output = true; // output errors when every quantized layer has them
    for (const auto& l : result.layers)
        output = output && (l.relativeOutputError.has_value() || l.relativeWeightError == 0);
    std::printf("relative %s error per layer\n", output ? "output" : "weight");
    std::printf("%-34s", "layer");
    for (const auto& s : result.methods)
        std::printf(" %12s", s.method.c_str());
    std::printf("\n");
    std::vector<std::vector<const CompareLayer*>> columns;
    for (const auto& s : result.methods)
        columns.push_back(result.layersOf(s.method));
    const size_t rows = columns.empty() ? 0 : columns.front().size();
    for (size_t i = 0; i < rows; ++i) {
        std::printf("%-34s", columns.front()[i]->name.c_str());
        for (const auto& c : columns)
            std::printf(" %12s", formatError(*c[i], output).c_str());
        std::printf("\n");
    }
    const bool withText = result.floatPerplexity.has_value();
    std::printf("\n%-12s %-26s %8s %12s %12s %8s", "method", "recipe", "layers", "mean rel.W", "mean rel.out", "bits/w");
    if (withText)
        std::printf(" %11s", "perplexity");
    std::printf("\n");
    if (withText)
        std::printf("%-12s %-26s %8s %12s %12s %8s %11.4f\n", "float", "-", "-", "-", "-", "-",
                    result.floatPerplexity->perplexity);
    for (const auto& s : result.methods) {
        char out[32] = "-";
        if (s.meanRelativeOutputError)
            std::snprintf(out, sizeof out, "%.5f", *s.meanRelativeOutputError);
        std::printf("%-12s %-26s %8lld %12.5f %12s %8.3f", s.method.c_str(), s.recipe.summary().c_str(),
                    (long long)s.layersQuantized, s.meanRelativeWeightError, out, s.averageBitsPerWeight);
        if (s.perplexity)
            std::printf(" %11.4f", s.perplexity->perplexity);
        std::printf("\n");
    }
    if (result.floatPerplexity)
        std::printf("\nperplexity over %lld tokens in %lld windows\n", (long long)result.floatPerplexity->tokens,
                    (long long)result.floatPerplexity->windows);
}

void runCompare(CLI::App& cmd, const CompareCommandOptions& o)
{
    if (cmd.count("--method"))
        throw InputError("--method", "compare takes a list: --methods rtn,gptq,...");
    const std::vector<Recipe> recipes = recipesFor(splitList(o.methods), o.recipe);
    OpenedModel opened = openModel(o.model, o.acts);
    CompareOptions options;
    options.threads = o.threads;
    options.window = o.window;
    if (!o.text.empty()) {
        const Tokenizer tokenizer = tokenizerFor(opened.model, o.tokenizer);
        options.textTokens = tokenizeText(tokenizer, readTextFile(o.text), o.tokens);
        options.bos = tokenizer.bosId();
    }
    Progress progress = terminalProgress("compare");
    const CompareResult result =
        compareMethods(opened.model, opened.activations ? &*opened.activations : nullptr, recipes, options, progress);
    finishProgress();
    if (o.json) {
        nlohmann::json j = compareJson(result);
        j["model"] = opened.isDemo ? std::string("demo") : opened.model.path();
        printJson(j);
        return;
    }
    printTable(result);
}

} // namespace

void addCompareCommand(CLI::App& app)
{
    auto o = std::make_shared<CompareCommandOptions>();
    CLI::App* cmd = app.add_subcommand("compare", "Several methods at the same budget in one table: per-layer errors, "
                                                  "bits per weight and (with --text) perplexity");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--methods", o->methods, "Comma-separated methods to compare: " + methodNames())->required();
    cmd->add_option("--acts", o->acts, "Activation file, for output errors and activation-aware methods")
        ->check(CLI::ExistingFile);
    cmd->add_option("--text", o->text, "Also measure perplexity on this text")->check(CLI::ExistingFile);
    cmd->add_option("--tokens", o->tokens, "Tokens of the text to use (0: all)")->capture_default_str();
    cmd->add_option("--window", o->window, "Tokens per window, BOS included")->capture_default_str();
    cmd->add_option("--tokenizer", o->tokenizer,
                    "Tokenizer: a tokenizer.json or its folder, a llama2.c tokenizer.bin, or a GGUF (default: "
                    "found beside or inside the model)")
        ->check(CLI::ExistingPath);
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)");
    cmd->add_flag("--json", o->json, "Print {layers: [...], summaries: [...], float} as JSON");
    addRecipeOptions(*cmd, o->recipe); // its --method is refused: compare takes --methods
    cmd->final_callback([cmd, o] { runCompare(*cmd, *o); });
}

} // namespace salience::cli
