#include "run/Compare.h"

#include "base/Error.h"
#include "eval/Transformer.h"
#include "plan/QuantPlan.h"
#include "quant/MethodRegistry.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"

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

    const bool withText = !options.textTokens.empty();
    // Fractions of the bar: loading and the float perplexity, then one slice per method.
    const double head = withText ? 0.1 : 0.0;
    const double slice = (1.0 - head) / double(recipes.size());

    CompareResult result;
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
    for (size_t m = 0; m < recipes.size(); ++m) {
        const Recipe& recipe = recipes[m];
        const double from = head + slice * double(m);
        Progress runProgress = progress.child(from, from + slice * (withText ? 0.6 : 1.0));
        const RunResult run = runPlan(model, QuantPlan::uniform(recipe), activations, runOptions, runProgress);

        CompareSummary summary;
        summary.method = recipe.method;
        summary.recipe = recipe;
        summary.layersQuantized = run.summary.layersQuantized;
        summary.averageBitsPerWeight = run.summary.averageBitsPerWeight;
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
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& s : result.methods) {
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
        methods.push_back(std::move(j));
    }
    nlohmann::json out{{"layers", std::move(layers)}, {"summaries", std::move(methods)}};
    if (result.floatPerplexity)
        out["float"] = {{"nll", result.floatPerplexity->nll},
                        {"perplexity", result.floatPerplexity->perplexity},
                        {"tokens", result.floatPerplexity->tokens},
                        {"windows", result.floatPerplexity->windows}};
    return out;
}

} // namespace salience
