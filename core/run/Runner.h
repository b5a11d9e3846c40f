#pragma once
// Executes a plan over a model's layers on a pool of threads, one layer per task, with one
// Progress for the whole run and cancellation between layers (and inside long layers through
// the methods). Memory stays bounded by one layer per thread: each task reads its weight,
// quantizes it and keeps only the result. Results do not depend on the thread count: every
// layer is computed independently and stored in plan order.
#include "acts/ActivationStore.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Metrics.h"
#include "quant/QuantizedLinear.h"
#include "base/Progress.h"

#include <optional>
#include <string>
#include <vector>

namespace salience {

struct LayerResult {
    std::string layer;                       // canonical layer name
    Recipe recipe;
    std::optional<QuantizedLinear> quantized; // absent when the recipe keeps full precision
    LayerMetrics metrics;                     // zero errors and the stored bits when kept
    // A streamed run wrote the result and let go of it (run/StreamedRun.h): the metrics stay.
    bool resultDropped = false;

    bool isQuantized() const { return quantized.has_value() || resultDropped; }
};

struct RunSummary {
    int64_t layersQuantized = 0;
    double originalBits = 0;  // every tensor of the model at its stored precision
    double quantizedBits = 0; // the same, with quantized layers at their bits per weight
    double averageBitsPerWeight = 0; // over the quantized layers
};

struct RunResult {
    std::vector<LayerResult> layers;
    RunSummary summary;

    const LayerResult* find(const std::string& layer) const;
};

struct RunOptions {
    int threads = 0;                     // 0: one per hardware thread
    std::vector<std::string> onlyLayers; // empty: every layer of the model
};

// Bits one element of a stored tensor takes ("F32" 32, "F16" 16, "Q4_0" 4.5, ...).
double storedBitsPerElement(const std::string& dtype);

// Throws InputError for a plan that does not fit the model, and CancelledError on cancel
// (no partial result is returned).
RunResult runPlan(const Model& model, const QuantPlan& plan, const ActivationStore* activations,
                  const RunOptions& options, Progress& progress);

// The layers runPlan quantizes, in model order: options.onlyLayers or every layer. Checks the
// plan against the model first (InputError for a plan or a name that does not fit).
std::vector<const LinearLayer*> planLayers(const Model& model, const QuantPlan& plan, const RunOptions& options);

// runPlan's totals over the whole model for `layers` (one per entry of `todo`).
RunSummary summarizeRun(const Model& model, const std::vector<const LinearLayer*>& todo,
                        const std::vector<LayerResult>& layers);

// One layer, as the runner does it: the GUI's live preview calls this.
LayerResult runLayer(const Model& model, const LinearLayer& layer, const Recipe& recipe,
                     const ActivationStore* activations, Progress& progress);
// The same for a weight already read (model.weight(layer)).
LayerResult runLayer(const Matrix& weight, const LinearLayer& layer, const Recipe& recipe,
                     const ActivationStore* activations, Progress& progress);

} // namespace salience
