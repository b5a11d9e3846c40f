// salience-cli eval [MODEL] --text FILE [--part held-out] [--tokens N] [--window W] [--llama-perplexity]
//                    [--plan PLAN | --method ... [--preset Q4_K_M]]:
// perplexity of the model as it is and, with a plan or method, of the quantized model in the
// same run, with the KL divergence of its next-token distributions from the float model's and
// the share of unchanged top tokens, as llama-perplexity --kl-divergence reports them.
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
    std::string part = "whole";
    std::string tokenizer;
    std::string plan;
    std::string preset;
    RecipeOptions recipe;
    int64_t tokens = 4096;
    int64_t window = 256;
    int threads = 0;
    bool json = false;
    bool llamaPerplexity = false;
};

nlohmann::json resultJson(const PerplexityResult& r)
{
    return {{"nll", r.nll},
            {"nll_stderr", r.nllStdError},
            {"perplexity", r.perplexity},
            {"perplexity_error", r.perplexityError()}};
}

void runEval(CLI::App& cmd, const EvalOptions& o)
{
    const bool quantize = !o.plan.empty() || recipeOptionsGiven(cmd) || !o.preset.empty();
    if (!o.plan.empty() && recipeOptionsGiven(cmd))
        throw InputError("--plan", "give either --plan or --method and its options, not both");
    if (!o.plan.empty() && !o.preset.empty())
        throw InputError("--preset", "give either --plan or --preset, not both");
    OpenedModel opened = openModel(o.model, o.acts);
    const Tokenizer tokenizer = tokenizerFor(opened.model, o.tokenizer);
    const auto tokens = textPartTokens(tokenizer, o.text, o.part, o.tokens);
    std::optional<QuantPlan> plan;
    if (!o.plan.empty())
        plan = QuantPlan::load(o.plan);
    else if (!o.preset.empty()) {
        LlamaQuantizeOptions mixOptions;
        mixOptions.importanceMatrix = opened.activations.has_value();
        plan = presetPlan(cmd, opened.model, o.recipe, o.preset, mixOptions);
    } else if (quantize)
        plan = QuantPlan::uniform(recipeFromOptions(o.recipe));

    Progress progress = terminalProgress("eval");
    Progress loading = progress.child(0.0, 0.05);
    const Transformer transformer = Transformer::load(opened.model, loading);
    PerplexityOptions options;
    options.window = o.window;
    options.threads = o.threads;
    options.scheme = o.llamaPerplexity ? WindowScheme::LlamaPerplexity : WindowScheme::BosLed;
    PerplexityResult base;
    std::optional<PairedPerplexity> paired;
    nlohmann::json quantizedJson;
    if (plan) {
        RunOptions runOptions;
        runOptions.threads = o.threads;
        Progress runProgress = progress.child(0.05, 0.35);
        const RunResult run = runPlan(opened.model, *plan, opened.activations ? &*opened.activations : nullptr,
                                      runOptions, runProgress);
        Progress applyProgress = progress.child(0.35, 0.4);
        const Transformer q = quantizedTransformer(transformer, run, applyProgress);
        Progress pairProgress = progress.child(0.4, 1.0);
        paired = evaluatePaired(transformer, q, tokens, tokenizer.bosId(), options, pairProgress);
        base = paired->reference;
        const DistributionShift& d = paired->shift;
        quantizedJson = resultJson(paired->candidate);
        quantizedJson["bits_per_weight"] = run.summary.averageBitsPerWeight;
        quantizedJson["layers_quantized"] = run.summary.layersQuantized;
        quantizedJson["kl_divergence"] = {{"mean", d.klMean}, {"stderr", d.klStdError}, {"median", d.klMedian},
                                          {"p99", d.klP99},   {"max", d.klMax}};
        quantizedJson["same_top_share"] = d.sameTopShare;
    } else {
        Progress floatProgress = progress.child(0.05, 1.0);
        base = evaluatePerplexity(transformer, tokens, tokenizer.bosId(), options, floatProgress);
    }

    nlohmann::json j{{"tokens", base.tokens},
                     {"windows", base.windows},
                     {"window", o.window},
                     {"scheme", o.llamaPerplexity ? "llama-perplexity" : "bos-windows"}};
    j.update(resultJson(base));
    if (paired)
        j["quantized"] = quantizedJson;
    finishProgress();
    if (o.json) {
        printJson(j);
        return;
    }
    if (o.llamaPerplexity)
        std::printf("%lld tokens of %s scored in %lld windows of %lld (second halves, as llama-perplexity)\n",
                    (long long)base.tokens, o.text.c_str(), (long long)base.windows, (long long)o.window);
    else
        std::printf("%lld tokens of %s in %lld windows of at most %lld\n", (long long)base.tokens, o.text.c_str(),
                    (long long)base.windows, (long long)o.window);
    std::printf("%-10s nll %.4f  perplexity %.4f ± %.4f\n", "float", base.nll, base.perplexity, base.perplexityError());
    if (paired) {
        const PerplexityResult& q = paired->candidate;
        const DistributionShift& d = paired->shift;
        std::printf("%-10s nll %.4f  perplexity %.4f ± %.4f  (%+.2f%%, %.3f bits per weight)\n", "quantized", q.nll,
                    q.perplexity, q.perplexityError(), 100.0 * (q.perplexity / base.perplexity - 1.0),
                    quantizedJson["bits_per_weight"].get<double>());
        std::printf("%-10s KL divergence mean %.6f ± %.6f, median %.6f, 99%% %.6f, max %.6f; same top token %.2f%%\n",
                    "", d.klMean, d.klStdError, d.klMedian, d.klP99, d.klMax, 100.0 * d.sameTopShare);
    }
}

} // namespace

void addEvalCommand(CLI::App& app)
{
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = app.add_subcommand("eval", "Perplexity on a text, of the model and (with --plan or --method) of "
                                               "the quantized model, in one run");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--text", o->text, "Text file to evaluate on")->required()->check(CLI::ExistingFile);
    addTextPartOption(*cmd, o->part);
    cmd->add_option("--tokens", o->tokens, "Tokens of the text (part) to use (0: all)")->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--window,-c", o->window, "Tokens per window, BOS included (llama-perplexity's -c)")
        ->capture_default_str()
        ->check(CLI::Range(int64_t(2), int64_t(1) << 20));
    cmd->add_flag("--llama-perplexity", o->llamaPerplexity,
                  "Cut and score as llama-perplexity does: whole windows of BOS + text only, the second half of "
                  "each scored");
    cmd->add_option("--tokenizer", o->tokenizer,
                    "Tokenizer: a tokenizer.json or its folder, a llama2.c tokenizer.bin, or a GGUF (default: "
                    "found beside or inside the model)")
        ->check(CLI::ExistingPath);
    cmd->add_option("--plan", o->plan, "Quantize with this plan (JSON)")->check(CLI::ExistingFile);
    cmd->add_option("--preset", o->preset,
                    "Quantize each linear layer onto the type llama-quantize's mix (Q4_K_M, Q3_K_M, Q2_K, ...) gives "
                    "it, by --method (rtn by default, llama-quantize's own rounding); the embedding stays float "
                    "in memory (a GGUF export gives it the mix's type)");
    cmd->add_option("--acts", o->acts, "Activation file, for activation-aware methods")->check(CLI::ExistingFile);
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", o->json,
                  "Print {tokens, windows, window, scheme, nll, nll_stderr, perplexity, perplexity_error, quantized: "
                  "{..., bits_per_weight, kl_divergence: {mean, stderr, median, p99, max}, same_top_share}} as JSON");
    addRecipeOptions(*cmd, o->recipe);
    cmd->final_callback([cmd, o] { runEval(*cmd, *o); });
}

} // namespace salience::cli
