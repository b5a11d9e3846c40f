#pragma once
// Several methods on the same model at the same budget, in one run: the experiment of a
// quantization paper's main table. Each recipe is run over every layer exactly as runPlan
// runs a uniform plan (so a method's numbers here equal its numbers alone), and with a text
// the quantized model's perplexity is measured beside the float model's, which is measured
// once.
//
// Methods run one after the other, each on runPlan's pool of threads; only one method's
// quantized layers are held at a time (they are dropped once measured).
//
// With a target (options.target), each recipe's budget parameter is set first (fitToBudget,
// EqualBudget.h) so that every method stores the same bits per weight within the tolerance;
// a method that cannot is not run but listed in `unreached` with the reason, so no row at
// another budget is mixed into the table. The ranking holds only the methods at the budget.
#include "acts/ActivationStore.h"
#include "model/LayerRole.h"
#include "model/Model.h"
#include "quant/Recipe.h"
#include "run/EqualBudget.h"
#include "run/Perplexity.h"
#include "base/Progress.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salience {

struct CompareOptions {
    int threads = 0; // 0: one per hardware thread
    // Perplexity on these tokens (without BOS) when not empty; the model needs a forward pass.
    std::vector<int32_t> textTokens;
    int32_t bos = 1;
    int64_t window = 256;
    // Set: every method at this budget (see above), changing only the grid fields `freedom` frees.
    std::optional<BudgetTarget> target;
    BudgetFreedom freedom;
};

struct CompareLayer {
    std::string method; // the recipe's method
    std::string name;   // canonical layer name
    int block = -1;
    LayerRole role = LayerRole::Other;
    double relativeWeightError = 0;
    std::optional<double> relativeOutputError; // when the layer has inputs
    double bitsPerWeight = 0;
};

struct CompareSummary {
    std::string method;
    Recipe recipe;
    int64_t layersQuantized = 0;
    double meanRelativeWeightError = 0;                // over the quantized layers
    std::optional<double> meanRelativeOutputError;     // over the quantized layers that have it
    double averageBitsPerWeight = 0;                   // RunSummary's: weighted by parameters
    std::optional<PerplexityResult> perplexity;        // of the quantized model, with a text
    // With a target: what was set, and whether the run stores the target within the tolerance
    // (its `reached` is false if the stored average strays from the prediction).
    std::optional<BudgetFit> budget;
};

// A method the target could not be spent with: not run.
struct CompareUnreached {
    std::string method;
    BudgetFit fit; // the nearest setting and the reason
};

struct CompareResult {
    std::vector<CompareLayer> layers;       // method by method, each in model order
    std::vector<CompareSummary> methods;    // in recipe order
    std::optional<PerplexityResult> floatPerplexity; // with a text
    std::optional<BudgetTarget> target;
    std::vector<CompareUnreached> unreached;          // with a target, in recipe order

    // The entries of one method, in model order.
    std::vector<const CompareLayer*> layersOf(const std::string& method) const;
    // Indices into `methods`, best first, of the methods at the budget: by perplexity when each
    // of them has one, else by mean relative output error when each has one, else by mean
    // relative weight error; ties keep recipe order. Empty without a target: methods at
    // different budgets do not rank.
    std::vector<size_t> ranking() const;
    // "perplexity", "mean_rel_output_error" or "mean_rel_weight_error": what ranking() sorts by.
    std::string rankedBy() const;
};

// Throws InputError("compare", ...) for no recipes or a method given twice, what fitToBudget
// throws for a bad target, InputError naming
// the method when it needs activations and `activations` is null, what runPlan and the
// forward pass throw for bad input, and CancelledError on cancel.
CompareResult compareMethods(const Model& model, const ActivationStore* activations, const std::vector<Recipe>& recipes,
                             const CompareOptions& options, Progress& progress);

// {"layers": [{method, name, block, role, rel_weight_error, rel_output_error, bits_per_weight}],
//  "summaries": [{method, recipe, recipe_summary, layers_quantized, mean_rel_weight_error,
//                 mean_rel_output_error, average_bits_per_weight, nll, perplexity, rank, budget}],
//  "float": {nll, perplexity, tokens, windows},
//  "target": {bits_per_weight, tolerance}, "unreached": [{method, recipe, recipe_summary, budget}],
//  "ranked_by": "perplexity" | "mean_rel_output_error" | "mean_rel_weight_error"}
// rel_output_error is null for a layer without inputs (and for layers kept in full precision);
// the summaries' mean_rel_output_error, nll and perplexity are left out when not measured, rank
// for a method off the budget; rank, budget (BudgetFit::toJson), target, unreached and
// ranked_by come with a target only.
nlohmann::json compareJson(const CompareResult& result);

} // namespace salience
