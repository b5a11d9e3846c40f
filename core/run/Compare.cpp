#include "run/Compare.h"

#include "base/Error.h"
#include "eval/Transformer.h"
#include "plan/QuantPlan.h"
#include "quant/MethodRegistry.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace salience {

std::vector<const CompareLayer*> CompareResult::layersOf(const std::string& method) const
{
    std::vector<const CompareLayer*> out;
    for (const auto& l : layers)
        if (l.method == method)
            out.push_back(&l);
    return out;
}

namespace {

enum class RankKey { Perplexity, OutputError, WeightError };

// The measure every method of `ranked` has, in order of preference.
RankKey rankKey(const std::vector<CompareSummary>& methods, const std::vector<size_t>& ranked)
{
    bool perplexity = true, output = true;
    for (const size_t i : ranked) {
        perplexity = perplexity && methods[i].perplexity.has_value();
        output = output && methods[i].meanRelativeOutputError.has_value();
    }
    return perplexity ? RankKey::Perplexity : output ? RankKey::OutputError : RankKey::WeightError;
}

std::string formatBits(double bits)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", bits);
    return buf;
}

} // namespace

std::vector<size_t> CompareResult::ranking() const
{
    std::vector<size_t> ranked;
    if (!target)
        return ranked;
    for (size_t i = 0; i < methods.size(); ++i)
        if (methods[i].budget && methods[i].budget->reached)
            ranked.push_back(i);
    const RankKey key = rankKey(methods, ranked);
    const auto score = [&](size_t i) {
        const CompareSummary& s = methods[i];
        return key == RankKey::Perplexity    ? s.perplexity->perplexity
               : key == RankKey::OutputError ? *s.meanRelativeOutputError
                                             : s.meanRelativeWeightError;
    };
    std::stable_sort(ranked.begin(), ranked.end(), [&](size_t a, size_t b) { return score(a) < score(b); });
    return ranked;
}

std::string CompareResult::rankedBy() const
{
    switch (rankKey(methods, ranking())) {
    case RankKey::Perplexity: return "perplexity";
    case RankKey::OutputError: return "mean_rel_output_error";
    case RankKey::WeightError: break;
    }
    return "mean_rel_weight_error";
}

CompareResult compareMethods(const Model& model, const ActivationStore* activations, const std::vector<Recipe>& recipes,
                             const CompareOptions& options, Progress& progress)
{
    if (recipes.empty())
        throw InputError("compare", "no methods to compare");
    std::set<std::string> seen;
    for (const auto& r : recipes) {
        r.validate("compare");
        if (!seen.insert(r.method).second)
            throw InputError("compare", "method '" + r.method + "' is given twice");
        const MethodInfo* info = findMethod(r.method);
        if (info->needsActivations && !activations)
            throw InputError(r.method, "needs activations (inputs or statistics of each layer); give --acts");
    }

    CompareResult result;
    result.target = options.target;
    std::vector<Recipe> toRun;
    std::vector<std::optional<BudgetFit>> fits;
    for (const auto& r : recipes) {
        if (!options.target) {
            toRun.push_back(r);
            fits.emplace_back();
            continue;
        }
        BudgetFit fit = fitToBudget(model, r, *options.target, options.freedom);
        if (fit.reached) {
            toRun.push_back(fit.recipe);
            fits.emplace_back(std::move(fit));
        } else {
            result.unreached.push_back({r.method, std::move(fit)});
        }
    }

    const bool withText = !options.textTokens.empty();
    // Fractions of the bar: loading and the float perplexity, then one slice per method.
    const double head = withText ? 0.1 : 0.0;
    const double slice = (1.0 - head) / double(std::max<size_t>(toRun.size(), 1));

    std::optional<Transformer> transformer;
    PerplexityOptions pplOptions;
    pplOptions.window = options.window;
    pplOptions.threads = options.threads;
    if (withText) {
        Progress loading = progress.child(0.0, 0.02);
        transformer = Transformer::load(model, loading);
        Progress floatProgress = progress.child(0.02, head);
        result.floatPerplexity = evaluatePerplexity(*transformer, options.textTokens, options.bos, pplOptions,
                                                    floatProgress);
    }

    RunOptions runOptions;
    runOptions.threads = options.threads;
    for (size_t m = 0; m < toRun.size(); ++m) {
        const Recipe& recipe = toRun[m];
        const double from = head + slice * double(m);
        Progress runProgress = progress.child(from, from + slice * (withText ? 0.6 : 1.0));
        const RunResult run = runPlan(model, QuantPlan::uniform(recipe), activations, runOptions, runProgress);

        CompareSummary summary;
        summary.method = recipe.method;
        summary.recipe = recipe;
        summary.layersQuantized = run.summary.layersQuantized;
        summary.averageBitsPerWeight = run.summary.averageBitsPerWeight;
        summary.budget = fits[m];
        if (summary.budget && !options.target->contains(summary.averageBitsPerWeight)) {
            summary.budget->reached = false;
            summary.budget->reason = "stores " + formatBits(summary.averageBitsPerWeight) +
                                     " bits per weight, outside the tolerance (predicted " +
                                     formatBits(summary.budget->bitsPerWeight) + ")";
        }
        double sumWeight = 0, sumOutput = 0;
        int64_t withOutput = 0;
        for (const auto& r : run.layers) {
            const LinearLayer& layer = model.layer(r.layer);
            CompareLayer entry;
            entry.method = recipe.method;
            entry.name = r.layer;
            entry.block = layer.block;
            entry.role = layer.role;
            entry.relativeWeightError = r.metrics.relativeWeightError;
            entry.relativeOutputError = r.metrics.relativeOutputError;
            entry.bitsPerWeight = r.metrics.bitsPerWeight;
            result.layers.push_back(std::move(entry));
            if (!r.quantized)
                continue;
            sumWeight += r.metrics.relativeWeightError;
            if (r.metrics.relativeOutputError) {
                sumOutput += *r.metrics.relativeOutputError;
                ++withOutput;
            }
        }
        if (summary.layersQuantized > 0)
            summary.meanRelativeWeightError = sumWeight / double(summary.layersQuantized);
        if (withOutput > 0)
            summary.meanRelativeOutputError = sumOutput / double(withOutput);

        if (withText) {
            Progress applyProgress = progress.child(from + slice * 0.6, from + slice * 0.65);
            const Transformer quantized = quantizedTransformer(*transformer, run, applyProgress);
            Progress pplProgress = progress.child(from + slice * 0.65, from + slice);
            summary.perplexity = evaluatePerplexity(quantized, options.textTokens, options.bos, pplOptions, pplProgress);
        }
        result.methods.push_back(std::move(summary));
        progress.report(from + slice, "compared " + recipe.method);
    }
    return result;
}

nlohmann::json compareJson(const CompareResult& result)
{
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : result.layers) {
        nlohmann::json j{{"method", l.method},
                         {"name", l.name},
                         {"block", l.block},
                         {"role", std::string(roleName(l.role))},
                         {"rel_weight_error", l.relativeWeightError},
                         {"rel_output_error", l.relativeOutputError ? nlohmann::json(*l.relativeOutputError)
                                                                     : nlohmann::json(nullptr)},
                         {"bits_per_weight", l.bitsPerWeight}};
        layers.push_back(std::move(j));
    }
    std::vector<int> rankOf(result.methods.size(), 0);
    const std::vector<size_t> ranked = result.ranking();
    for (size_t k = 0; k < ranked.size(); ++k)
        rankOf[ranked[k]] = int(k) + 1;
    nlohmann::json methods = nlohmann::json::array();
    for (size_t i = 0; i < result.methods.size(); ++i) {
        const CompareSummary& s = result.methods[i];
        nlohmann::json j{{"method", s.method},
                         {"recipe", s.recipe.toJson()},
                         {"recipe_summary", s.recipe.summary()},
                         {"layers_quantized", s.layersQuantized},
                         {"mean_rel_weight_error", s.meanRelativeWeightError},
                         {"average_bits_per_weight", s.averageBitsPerWeight}};
        if (s.meanRelativeOutputError)
            j["mean_rel_output_error"] = *s.meanRelativeOutputError;
        if (s.perplexity) {
            j["nll"] = s.perplexity->nll;
            j["perplexity"] = s.perplexity->perplexity;
        }
        if (rankOf[i] > 0)
            j["rank"] = rankOf[i];
        if (s.budget)
            j["budget"] = s.budget->toJson();
        methods.push_back(std::move(j));
    }
    nlohmann::json out{{"layers", std::move(layers)}, {"summaries", std::move(methods)}};
    if (result.target) {
        out["ranked_by"] = result.rankedBy();
        out["target"] = {{"bits_per_weight", result.target->bitsPerWeight}, {"tolerance", result.target->tolerance}};
        nlohmann::json unreached = nlohmann::json::array();
        for (const auto& u : result.unreached)
            unreached.push_back({{"method", u.method},
                                 {"recipe", u.fit.recipe.toJson()},
                                 {"recipe_summary", u.fit.recipe.summary()},
                                 {"budget", u.fit.toJson()}});
        out["unreached"] = std::move(unreached);
    }
    if (result.floatPerplexity)
        out["float"] = {{"nll", result.floatPerplexity->nll},
                        {"perplexity", result.floatPerplexity->perplexity},
                        {"tokens", result.floatPerplexity->tokens},
                        {"windows", result.floatPerplexity->windows}};
    return out;
}

} // namespace salience
