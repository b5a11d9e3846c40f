#pragma once
// Several methods on the same model at the same budget, in one run: the experiment of a
// quantization paper's main table. Each recipe is run over every layer exactly as runPlan
// runs a uniform plan (so a method's numbers here equal its numbers alone), and with a text
// the quantized model's perplexity is measured beside the float model's, which is measured
// once.
//
// Methods run one after the other, each on runPlan's pool of threads; only one method's
// quantized layers are held at a time (they are dropped once measured).
#include "acts/ActivationStore.h"
#include "model/LayerRole.h"
#include "model/Model.h"
#include "quant/Recipe.h"
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
};

struct CompareResult {
    std::vector<CompareLayer> layers;       // method by method, each in model order
    std::vector<CompareSummary> methods;    // in recipe order
    std::optional<PerplexityResult> floatPerplexity; // with a text

    // The entries of one method, in model order.
    std::vector<const CompareLayer*> layersOf(const std::string& method) const;
};

// Throws InputError("compare", ...) for no recipes or a method given twice, InputError naming
// the method when it needs activations and `activations` is null, what runPlan and the
// forward pass throw for bad input, and CancelledError on cancel.
CompareResult compareMethods(const Model& model, const ActivationStore* activations, const std::vector<Recipe>& recipes,
                             const CompareOptions& options, Progress& progress);

// {"layers": [{method, name, block, role, rel_weight_error, rel_output_error, bits_per_weight}],
//  "summaries": [{method, recipe, recipe_summary, layers_quantized, mean_rel_weight_error,
//                 mean_rel_output_error, average_bits_per_weight, nll, perplexity}],
//  "float": {nll, perplexity, tokens, windows}}
// rel_output_error is null for a layer without inputs (and for layers kept in full precision);
// the summaries' mean_rel_output_error, nll and perplexity are left out when not measured.
nlohmann::json compareJson(const CompareResult& result);

} // namespace salience
