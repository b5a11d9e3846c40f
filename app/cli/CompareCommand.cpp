// salience-cli compare [MODEL] --methods rtn,gptq,awq,... [--target-bits B [--tolerance T]]
//                       [--bits B] [--group G] [--rank R] [--protect P] [--acts ACTS]
//                       [--text FILE] [--tokens N] [--json]:
// several methods in one table: each layer's error per method, the mean errors and bits per
// weight of each, and with --text the perplexity of each quantized model beside the float
// model's. With --target-bits each method's budget parameter is set so that every method
// stores the same bits per weight (EqualBudget.h), and the methods at that budget are ranked.
#include "CliSupport.h"
#include "Commands.h"
#include "RecipeOptions.h"

#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "quant/MethodRegistry.h"
#include "run/Compare.h"

#include <algorithm>
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
    double targetBits = 0;
    double tolerance = 0.05;
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

std::string formatBits(double bits)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", bits);
    return buf;
}

void printTable(const CompareResult& result)
{
    if (result.target)
        std::printf("target %s bits per weight, each method within ±%s: its budget parameter (\"set\") is chosen "
                    "to spend it\n\n",
                    formatBits(result.target->bitsPerWeight).c_str(), formatBits(result.target->tolerance).c_str());
    bool output = true; // output errors when every quantized layer has them
    for (const auto& l : result.layers)
        output = output && (l.relativeOutputError.has_value() || l.relativeWeightError == 0);
    if (!result.methods.empty()) {
        std::printf("relative %s error per layer\n", output ? "output" : "weight");
        std::printf("%-34s", "layer");
        for (const auto& s : result.methods)
            std::printf(" %15s", s.method.c_str());
        std::printf("\n");
    }
    std::vector<std::vector<const CompareLayer*>> columns;
    for (const auto& s : result.methods)
        columns.push_back(result.layersOf(s.method));
    const size_t rows = columns.empty() ? 0 : columns.front().size();
    for (size_t i = 0; i < rows; ++i) {
        std::printf("%-34s", columns.front()[i]->name.c_str());
        for (const auto& c : columns)
            std::printf(" %15s", formatError(*c[i], output).c_str());
        std::printf("\n");
    }

    const bool withText = result.floatPerplexity.has_value();
    const bool withTarget = result.target.has_value();
    std::vector<int> rankOf(result.methods.size(), 0);
    const std::vector<size_t> ranked = result.ranking();
    for (size_t k = 0; k < ranked.size(); ++k)
        rankOf[ranked[k]] = int(k) + 1;
    // Columns as wide as their longest entry: labels say what each method stores.
    int methodWidth = 6, recipeWidth = 6, setWidth = 3;
    for (const auto& s : result.methods) {
        methodWidth = std::max(methodWidth, int(s.method.size()));
        recipeWidth = std::max(recipeWidth, int(s.recipe.summary().size()));
        if (s.budget)
            setWidth = std::max(setWidth, int(s.budget->describeSet().size()));
    }
    std::printf("\n%-*s", methodWidth, "method");
    if (withTarget)
        std::printf(" %-*s", setWidth, "set");
    std::printf(" %-*s %6s %12s %12s %8s", recipeWidth, "stores", "layers", "mean rel.W", "mean rel.out", "bits/w");
    if (withText)
        std::printf(" %11s", "perplexity");
    if (withTarget)
        std::printf(" %5s", "rank");
    std::printf("\n");
    if (withText) {
        std::printf("%-*s", methodWidth, "float");
        if (withTarget)
            std::printf(" %-*s", setWidth, "-");
        std::printf(" %-*s %6s %12s %12s %8s %11.4f", recipeWidth, "-", "-", "-", "-", "-",
                    result.floatPerplexity->perplexity);
        if (withTarget)
            std::printf(" %5s", "-");
        std::printf("\n");
    }
    for (size_t i = 0; i < result.methods.size(); ++i) {
        const CompareSummary& s = result.methods[i];
        char out[32] = "-";
        if (s.meanRelativeOutputError)
            std::snprintf(out, sizeof out, "%.5f", *s.meanRelativeOutputError);
        std::printf("%-*s", methodWidth, s.method.c_str());
        if (withTarget)
            std::printf(" %-*s", setWidth, s.budget ? s.budget->describeSet().c_str() : "-");
        std::printf(" %-*s %6lld %12.5f %12s %8.3f", recipeWidth, s.recipe.summary().c_str(),
                    (long long)s.layersQuantized, s.meanRelativeWeightError, out, s.averageBitsPerWeight);
        if (withText)
            std::printf(" %11.4f", s.perplexity ? s.perplexity->perplexity : 0.0);
        if (withTarget) {
            if (rankOf[i] > 0)
                std::printf(" %5d", rankOf[i]);
            else
                std::printf(" %5s", "-");
        }
        std::printf("\n");
    }
    if (withTarget) {
        for (const auto& s : result.methods)
            if (s.budget && !s.budget->reached)
                std::printf("%s: off the budget, not ranked: %s\n", s.method.c_str(), s.budget->reason.c_str());
        if (!ranked.empty())
            std::printf("\nranked by %s (1 = best)\n", result.rankedBy().c_str());
        if (!result.unreached.empty()) {
            std::printf("\nnot run, since they cannot store the target:\n");
            for (const auto& u : result.unreached)
                std::printf("%-*s %s\n", methodWidth, u.method.c_str(), u.fit.reason.c_str());
        }
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
    CompareOptions options;
    if (cmd.count("--target-bits")) {
        // What the target sets must not be given as well.
        for (const char* fixed : {"--rank", "--protect", "--sparsity", "--grid-type"})
            if (cmd.count(fixed))
                throw InputError(fixed, "--target-bits sets each method's budget itself; leave out " +
                                            std::string(fixed));
        for (const auto& kv : o.recipe.params)
            if (kv.rfind("sparsity=", 0) == 0)
                throw InputError("--param", "--target-bits sets the sparsity itself; leave out sparsity=");
        options.target = BudgetTarget{o.targetBits, o.tolerance};
        options.freedom.bits = !cmd.count("--bits");
        options.freedom.groupSize = !cmd.count("--group");
    } else if (cmd.count("--tolerance")) {
        throw InputError("--tolerance", "applies to --target-bits only");
    }
    OpenedModel opened = openModel(o.model, o.acts);
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
    CLI::App* cmd = app.add_subcommand("compare", "Several methods in one table, at one budget with --target-bits: "
                                                  "per-layer errors, bits per weight and (with --text) perplexity");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--methods", o->methods, "Comma-separated methods to compare: " + methodNames())->required();
    cmd->add_option("--acts", o->acts, "Activation file, for output errors and activation-aware methods")
        ->check(CLI::ExistingFile);
    cmd->add_option("--text", o->text, "Also measure perplexity on this text")->check(CLI::ExistingFile);
    cmd->add_option("--tokens", o->tokens, "Tokens of the text to use (0: all)")->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--window", o->window, "Tokens per window, BOS included")->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--tokenizer", o->tokenizer,
                    "Tokenizer: a tokenizer.json or its folder, a llama2.c tokenizer.bin, or a GGUF (default: "
                    "found beside or inside the model)")
        ->check(CLI::ExistingPath);
    cmd->add_option("--target-bits", o->targetBits,
                    "Compare at this many bits per weight: each method's budget (bits and group size, protected "
                    "percentage, rank, sparsity, codebook bits) is set so it stores this average; --bits and "
                    "--group, when given, stay fixed");
    cmd->add_option("--tolerance", o->tolerance, "How far from --target-bits a method may land, in bits per weight")
        ->capture_default_str();
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", o->json,
                  "Print {layers: [...], summaries: [...], float, target, unreached: [...], ranked_by} as JSON");
    addRecipeOptions(*cmd, o->recipe); // its --method is refused: compare takes --methods
    cmd->final_callback([cmd, o] { runCompare(*cmd, *o); });
}

} // namespace salience::cli
