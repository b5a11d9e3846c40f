#include "run/Runner.h"

#include "acts/LayerActivations.h"
#include "base/Error.h"
#include "quant/MethodRegistry.h"
#include "quant/QuantizeLayer.h"
#include "base/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <map>

namespace salience {

const LayerResult* RunResult::find(const std::string& layer) const
{
    for (const auto& r : layers)
        if (r.layer == layer)
            return &r;
    return nullptr;
}

double storedBitsPerElement(const std::string& dtype)
{
    static const std::map<std::string, double> bits{
        {"F64", 64},   {"F32", 32},    {"I64", 64},    {"I32", 32},    {"F16", 16},   {"BF16", 16},
        {"I16", 16},   {"I8", 8},      {"U8", 8},      {"BOOL", 8},    {"Q8_0", 8.5}, {"Q4_0", 4.5},
        {"Q4_1", 5.0}, {"Q5_0", 5.5},  {"Q5_1", 6.0},  {"Q8_1", 9.0},  {"Q2_K", 2.625}, {"Q3_K", 3.4375},
        {"Q4_K", 4.5}, {"Q5_K", 5.5},  {"Q6_K", 6.5625}, {"Q8_K", 9.125}};
    auto it = bits.find(dtype);
    return it == bits.end() ? 32.0 : it->second;
}

LayerResult runLayer(const Model& model, const LinearLayer& layer, const Recipe& recipe,
                     const ActivationStore* activations, Progress& progress)
{
    const MethodInfo* info = findMethod(recipe.method);
    if (!info || !info->quantizes) // full precision: no need to read the weight
        return runLayer(Matrix(), layer, recipe, activations, progress);
    return runLayer(model.weight(layer), layer, recipe, activations, progress);
}

LayerResult runLayer(const Matrix& weight, const LinearLayer& layer, const Recipe& recipe,
                     const ActivationStore* activations, Progress& progress)
{
    LayerResult result;
    result.layer = layer.name;
    result.recipe = recipe;
    const MethodInfo* info = findMethod(recipe.method);
    if (!info || !info->quantizes) {
        result.metrics.bitsPerWeight = storedBitsPerElement(layer.dtype);
        return result;
    }
    progress.throwIfCancelled();

    ChannelStats stats;
    std::shared_ptr<const Matrix> inputs;
    LayerData data;
    if (activations) {
        if (auto name = activationNameFor(*activations, layer)) {
            if (activations->hasInputs(*name)) {
                // Held for this layer only, so memory stays bounded by a layer per thread.
                inputs = activations->inputsUncached(*name);
                if (inputs->cols() != layer.inFeatures)
                    throw InputError(activations->path(), "inputs of '" + *name + "' have " +
                                                              std::to_string(inputs->cols()) + " channels, the layer has " +
                                                              std::to_string(layer.inFeatures) + " inputs");
                data.inputs = inputs.get();
            }
            if (activations->hasStats(*name) || data.inputs) {
                stats = activations->stats(*name);
                if (int64_t(stats.channels()) != layer.inFeatures)
                    throw InputError(activations->path(), "statistics of '" + *name + "' have " +
                                                              std::to_string(stats.channels()) + " channels, the layer has " +
                                                              std::to_string(layer.inFeatures) + " inputs");
                data.stats = &stats;
            }
        }
    }
    QuantizedLinear q = quantizeLayer(weight, recipe, data, progress);
    result.metrics = measureLayer(weight, q, data.inputs);
    result.quantized = std::move(q);
    return result;
}

std::vector<const LinearLayer*> planLayers(const Model& model, const QuantPlan& plan, const RunOptions& options)
{
    plan.validateAgainst(model, "plan");
    // Names may be given in any scheme; they select layers by identity.
    std::vector<const LinearLayer*> only;
    for (const auto& name : options.onlyLayers)
        only.push_back(&model.layer(name)); // throws for a name that does not exist
    std::vector<const LinearLayer*> todo;
    for (const auto& l : model.layers())
        if (only.empty() || std::find(only.begin(), only.end(), &l) != only.end())
            todo.push_back(&l);
    return todo;
}

RunSummary summarizeRun(const Model& model, const std::vector<const LinearLayer*>& todo,
                        const std::vector<LayerResult>& layers)
{
    // Totals over the whole model: untouched tensors count at their stored precision.
    RunSummary summary;
    double quantizedWeights = 0;
    double quantizedLayerBits = 0;
    std::map<std::string, const LayerResult*> byTensor;
    for (size_t i = 0; i < todo.size(); ++i)
        byTensor[todo[i]->tensorName] = &layers[i];
    for (const auto& t : model.reader().tensors()) {
        const double stored = storedBitsPerElement(t.dtype) * double(t.numel());
        summary.originalBits += stored;
        auto it = byTensor.find(t.name);
        if (it != byTensor.end() && it->second->isQuantized()) {
            const double bits = it->second->metrics.bitsPerWeight * double(t.numel());
            summary.quantizedBits += bits;
            quantizedLayerBits += bits;
            quantizedWeights += double(t.numel());
            ++summary.layersQuantized;
        } else {
            summary.quantizedBits += stored;
        }
    }
    summary.averageBitsPerWeight = quantizedWeights > 0 ? quantizedLayerBits / quantizedWeights : 0;
    return summary;
}

RunResult runPlan(const Model& model, const QuantPlan& plan, const ActivationStore* activations,
                  const RunOptions& options, Progress& progress)
{
    const std::vector<const LinearLayer*> todo = planLayers(model, plan, options);
    RunResult run;
    run.layers.resize(todo.size());
    std::atomic<size_t> done{0};
    parallelFor(int64_t(todo.size()), options.threads, [&](int64_t i) {
        progress.throwIfCancelled();
        const LinearLayer& layer = *todo[size_t(i)];
        // Layers report nothing of their own: the bar would jump between threads.
        Progress quiet = progress.silent();
        run.layers[size_t(i)] = runLayer(model, layer, plan.recipeFor(layer), activations, quiet);
        const size_t n = done.fetch_add(1) + 1;
        progress.report(double(n) / double(todo.size()), "quantized " + layer.name);
    });
    progress.throwIfCancelled();
    run.summary = summarizeRun(model, todo, run.layers);
    return run;
}

} // namespace salience
