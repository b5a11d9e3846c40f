// salience-cli eval [MODEL] --text FILE [--tokens N] [--window W] [--plan PLAN | --method ...]:
// perplexity of the model as it is and, with a plan or method, of the quantized model in the
// same run.
#include "CliSupport.h"
#include "Commands.h"
#include "RecipeOptions.h"

#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "run/Perplexity.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"

#include <cstdio>
#include <memory>

namespace salience::cli {

namespace {

struct EvalOptions {
    std::string model;
    std::string acts;
    std::string text;
    std::string tokenizer;
    std::string plan;
    RecipeOptions recipe;
    int64_t tokens = 4096;
    int64_t window = 256;
    int threads = 0;
    bool json = false;
};

nlohmann::json resultJson(const PerplexityResult& r)
{
    return {{"nll", r.nll}, {"perplexity", r.perplexity}};
}

void runEval(CLI::App& cmd, const EvalOptions& o)
{
    const bool quantize = !o.plan.empty() || recipeOptionsGiven(cmd);
    if (!o.plan.empty() && recipeOptionsGiven(cmd))
        throw InputError("--plan", "give either --plan or --method and its options, not both");
    OpenedModel opened = openModel(o.model, o.acts);
    const Tokenizer tokenizer = tokenizerFor(opened.model, o.tokenizer);
    const auto tokens = tokenizeText(tokenizer, readTextFile(o.text), o.tokens);
    std::optional<QuantPlan> plan;
    if (quantize)
        plan = o.plan.empty() ? QuantPlan::uniform(recipeFromOptions(o.recipe)) : QuantPlan::load(o.plan);

    Progress progress = terminalProgress("eval");
    Progress loading = progress.child(0.0, 0.05);
    const Transformer transformer = Transformer::load(opened.model, loading);
    PerplexityOptions options;
    options.window = o.window;
    options.threads = o.threads;
    Progress floatProgress = progress.child(0.05, quantize ? 0.35 : 1.0);
    const PerplexityResult base = evaluatePerplexity(transformer, tokens, tokenizer.bosId(), options, floatProgress);

    nlohmann::json j{{"tokens", base.tokens}, {"windows", base.windows}, {"window", o.window}};
    j.update(resultJson(base));
    std::optional<PerplexityResult> quantized;
    if (plan) {
        RunOptions runOptions;
        runOptions.threads = o.threads;
        Progress runProgress = progress.child(0.35, 0.65);
        const RunResult run = runPlan(opened.model, *plan, opened.activations ? &*opened.activations : nullptr,
                                      runOptions, runProgress);
        Progress applyProgress = progress.child(0.65, 0.7);
        const Transformer q = quantizedTransformer(transformer, run, applyProgress);
        Progress qProgress = progress.child(0.7, 1.0);
        quantized = evaluatePerplexity(q, tokens, tokenizer.bosId(), options, qProgress);
        j["quantized"] = resultJson(*quantized);
        j["quantized"]["bits_per_weight"] = run.summary.averageBitsPerWeight;
        j["quantized"]["layers_quantized"] = run.summary.layersQuantized;
    }
    finishProgress();
    if (o.json) {
        printJson(j);
        return;
    }
    std::printf("%lld tokens of %s in %lld windows of at most %lld\n", (long long)base.tokens, o.text.c_str(),
                (long long)base.windows, (long long)o.window);
    std::printf("%-10s nll %.4f  perplexity %.4f\n", "float", base.nll, base.perplexity);
    if (quantized)
        std::printf("%-10s nll %.4f  perplexity %.4f  (%+.2f%%, %.3f bits per weight)\n", "quantized", quantized->nll,
                    quantized->perplexity, 100.0 * (quantized->perplexity / base.perplexity - 1.0),
                    j["quantized"]["bits_per_weight"].get<double>());
}

} // namespace

void addEvalCommand(CLI::App& app)
{
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = app.add_subcommand("eval", "Perplexity on a text, of the model and (with --plan or --method) of "
                                               "the quantized model, in one run");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--text", o->text, "Text file to evaluate on")->required()->check(CLI::ExistingFile);
    cmd->add_option("--tokens", o->tokens, "Tokens of the text to use (0: all)")->capture_default_str();
    cmd->add_option("--window", o->window, "Tokens per window, BOS included")->capture_default_str();
    cmd->add_option("--tokenizer", o->tokenizer, "Tokenizer file (default: found beside or inside the model)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--plan", o->plan, "Quantize with this plan (JSON)")->check(CLI::ExistingFile);
    cmd->add_option("--acts", o->acts, "Activation file, for activation-aware methods")->check(CLI::ExistingFile);
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)");
    cmd->add_flag("--json", o->json, "Print {tokens, windows, nll, perplexity, quantized} as JSON");
    addRecipeOptions(*cmd, o->recipe);
    cmd->final_callback([cmd, o] { runEval(*cmd, *o); });
}

} // namespace salience::cli
