#include "run/BudgetAllocation.h"

#include "base/Error.h"
#include "linalg/Svd.h"
#include "quant/MethodRegistry.h"
#include "base/ParallelFor.h"
#include "run/Runner.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <optional>

namespace salience {

namespace {

const char* kSource = "budget";

// The layers the base recipe quantizes, in model order.
std::vector<const LinearLayer*> allocatedLayers(const Model& model, const Recipe& base)
{
    const MethodInfo* info = findMethod(base.method);
    if (!info || !info->quantizes)
        throw InputError(kSource, "the base method '" + base.method + "' keeps full precision: nothing to allocate");
    const QuantPlan plan = QuantPlan::uniform(base);
    std::vector<const LinearLayer*> layers;
    for (const auto& l : model.layers()) {
        const MethodInfo* m = findMethod(plan.recipeFor(l).method);
        if (m && m->quantizes)
            layers.push_back(&l);
    }
    if (layers.empty())
        throw InputError(kSource, "the model has no layer to quantize");
    return layers;
}

void checkActivations(const Recipe& base, const ActivationStore* activations)
{
    if (findMethod(base.method)->needsActivations && !activations)
        throw InputError(base.method, "needs activations (inputs or statistics of each layer); give --acts");
}

LayerAllocation describe(const LinearLayer& layer, const Recipe& base)
{
    LayerAllocation a;
    a.layer = layer.name;
    a.block = layer.block;
    a.role = layer.role;
    a.parameters = layer.numel();
    a.bits = base.bits;
    a.rank = base.rank;
    return a;
}

void finishTotals(BudgetAllocation& result)
{
    double params = 0, bits = 0, squared = 0;
    result.totalRank = 0;
    for (const auto& l : result.layers) {
        const double n = double(l.parameters);
        params += n;
        bits += n * l.bitsPerWeight;
        squared += n * l.predictedError * l.predictedError;
        result.totalRank += l.rank;
    }
    result.achievedBitsPerWeight = params > 0 ? bits / params : 0;
    result.predictedError = params > 0 ? std::sqrt(squared / params) : 0;
}

} // namespace

BudgetAllocation allocateBits(const Model& model, const ActivationStore* activations, const Recipe& base,
                              double targetBitsPerWeight, const BitsAllocationOptions& options, Progress& progress)
{
    base.validate(kSource);
    std::vector<int> candidates = options.candidateBits;
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    if (candidates.empty())
        throw InputError(kSource, "no candidate bit widths");
    if (candidates.front() < 2 || candidates.back() > 8)
        throw InputError(kSource, "candidate bit widths must lie in 2..8");
    if (!std::isfinite(targetBitsPerWeight) || targetBitsPerWeight <= 0)
        throw InputError(kSource, "the target bits per weight must be a positive number");
    const std::vector<const LinearLayer*> layers = allocatedLayers(model, base);
    checkActivations(base, activations);

    BudgetAllocation result;
    result.kind = BudgetKind::Bits;
    result.base = base;
    result.target = targetBitsPerWeight;
    result.layers.resize(layers.size());
    std::vector<std::vector<std::optional<double>>> outputErrors(layers.size());

    // Measure every candidate of every layer: the costly part, one layer per task.
    Progress measuring = progress.child(0.0, 0.99);
    std::atomic<size_t> done{0};
    parallelFor(int64_t(layers.size()), options.threads, [&](int64_t i) {
        measuring.throwIfCancelled();
        const LinearLayer& layer = *layers[size_t(i)];
        LayerAllocation a = describe(layer, base);
        const Matrix weight = model.weight(layer);
        Progress quiet = measuring.silent();
        for (int bits : candidates) {
            Recipe r = base;
            r.bits = bits;
            const LayerResult lr = runLayer(weight, layer, r, activations, quiet);
            a.candidates.push_back({bits, lr.metrics.relativeWeightError, lr.metrics.bitsPerWeight});
            outputErrors[size_t(i)].push_back(lr.metrics.relativeOutputError);
        }
        result.layers[size_t(i)] = std::move(a);
        const size_t n = done.fetch_add(1) + 1;
        measuring.report(double(n) / double(layers.size()), "measured " + layer.name);
    });
    progress.throwIfCancelled();

    // Output errors only when every layer has them, so all layers are judged alike.
    result.outputError = true;
    for (const auto& perLayer : outputErrors)
        for (const auto& e : perLayer)
            result.outputError = result.outputError && e.has_value();
    if (result.outputError)
        for (size_t i = 0; i < layers.size(); ++i)
            for (size_t c = 0; c < candidates.size(); ++c)
                result.layers[i].candidates[c].error = *outputErrors[i][c];

    // Greedy marginal analysis from the smallest candidate everywhere.
    std::vector<size_t> level(layers.size(), 0);
    double totalParams = 0, totalBits = 0;
    for (const auto& l : result.layers) {
        totalParams += double(l.parameters);
        totalBits += double(l.parameters) * l.candidates.front().bitsPerWeight;
    }
    const double budget = targetBitsPerWeight * totalParams;
    const double slack = 1e-9 * std::max(1.0, budget); // a target equal to an achievable average is met
    if (totalBits > budget + slack)
        throw InputError(kSource, "a target of " + std::to_string(targetBitsPerWeight) +
                                      " bits per weight is below " + std::to_string(totalBits / totalParams) +
                                      ", the average with every layer at " + std::to_string(candidates.front()) +
                                      " bits");
    for (;;) {
        size_t best = layers.size();
        double bestRatio = -std::numeric_limits<double>::infinity();
        double bestCost = 0;
        for (size_t i = 0; i < layers.size(); ++i) {
            if (level[i] + 1 >= candidates.size())
                continue;
            const auto& cur = result.layers[i].candidates[level[i]];
            const auto& next = result.layers[i].candidates[level[i] + 1];
            const double n = double(result.layers[i].parameters);
            const double gain = n * (cur.error * cur.error - next.error * next.error);
            const double cost = n * (next.bitsPerWeight - cur.bitsPerWeight);
            // A step that costs nothing comes first (when it helps at all).
            const double ratio = cost > 0 ? gain / cost
                                          : (gain >= 0 ? std::numeric_limits<double>::infinity() : -1e300);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = i;
                bestCost = cost;
            }
        }
        if (best == layers.size())
            break; // every layer at the largest candidate
        if (totalBits + bestCost > budget + slack) {
            result.nextStepBitsPerWeight = (totalBits + bestCost) / totalParams;
            break;
        }
        totalBits += bestCost;
        ++level[best];
        ++result.steps;
    }
    for (size_t i = 0; i < layers.size(); ++i) {
        LayerAllocation& a = result.layers[i];
        const auto& c = a.candidates[level[i]];
        a.bits = c.bits;
        a.bitsPerWeight = c.bitsPerWeight;
        a.predictedError = c.error;
    }
    finishTotals(result);
    progress.report(1.0, "allocated");
    return result;
}

BudgetAllocation allocateRank(const Model& model, const ActivationStore* activations, const Recipe& base,
                              int64_t totalRank, const RankAllocationOptions& options, Progress& progress)
{
    base.validate(kSource);
    if (totalRank < 0)
        throw InputError(kSource, "the total rank must not be negative");
    const MethodInfo* info = findMethod(base.method);
    if (!info->usesRank)
        throw InputError(kSource, "method '" + base.method + "' has no rank budget (low-rank methods: qer, srr, asvd)");
    const std::vector<const LinearLayer*> layers = allocatedLayers(model, base);
    checkActivations(base, activations);

    BudgetAllocation result;
    result.kind = BudgetKind::Rank;
    result.base = base;
    result.target = double(totalRank);
    result.outputError = false;
    result.layers.resize(layers.size());
    std::vector<double> baseBits(layers.size());
    // ASVD has no quantized base (rank 0 would be the zero matrix, which it refuses).
    const bool pureLowRank = base.method == "asvd";

    Progress measuring = progress.child(0.0, 0.99);
    std::atomic<size_t> done{0};
    parallelFor(int64_t(layers.size()), options.threads, [&](int64_t i) {
        measuring.throwIfCancelled();
        const LinearLayer& layer = *layers[size_t(i)];
        LayerAllocation a = describe(layer, base);
        const Matrix weight = model.weight(layer);
        a.weightNorm = weight.cast<double>().norm();
        Matrix error;
        if (pureLowRank) {
            // Nothing but the factors: the error at rank 0 is W itself, and costs no bits.
            error = weight;
            a.predictedError = a.weightNorm > 0 ? 1.0 : 0.0;
            baseBits[size_t(i)] = 0;
        } else {
            Recipe r = base;
            r.rank = 0;
            Progress quiet = measuring.silent();
            const LayerResult lr = runLayer(weight, layer, r, activations, quiet);
            error = weight - lr.quantized->dequantize();
            a.predictedError = lr.metrics.relativeWeightError;
            baseBits[size_t(i)] = lr.metrics.bitsPerWeight;
        }
        const Eigen::VectorXd s = singularValues(error);
        a.errorSpectrum.assign(s.data(), s.data() + s.size());
        result.layers[size_t(i)] = std::move(a);
        const size_t n = done.fetch_add(1) + 1;
        measuring.report(double(n) / double(layers.size()), "measured " + layer.name);
    });
    progress.throwIfCancelled();

    // Gains per layer never increase (singular values descend), so one unit at a time to the
    // best current gain is optimal for the Eckart–Young objective.
    std::vector<int64_t> ranks(layers.size(), 0);
    auto gain = [&](size_t i) {
        const LayerAllocation& a = result.layers[i];
        if (ranks[i] >= int64_t(a.errorSpectrum.size()) || a.weightNorm <= 0)
            return -1.0;
        const double sigma = a.errorSpectrum[size_t(ranks[i])];
        return double(a.parameters) * sigma * sigma / (a.weightNorm * a.weightNorm);
    };
    for (int64_t step = 0; step < totalRank; ++step) {
        size_t best = layers.size();
        double bestGain = 0; // a unit that corrects nothing is not spent
        for (size_t i = 0; i < layers.size(); ++i) {
            const double g = gain(i);
            if (g > bestGain) {
                bestGain = g;
                best = i;
            }
        }
        if (best == layers.size())
            break; // every layer at full rank, or nothing left to correct
        ++ranks[best];
        ++result.steps;
    }
    for (size_t i = 0; i < layers.size(); ++i) {
        LayerAllocation& a = result.layers[i];
        a.rank = int(ranks[i]);
        const auto& layer = *layers[i];
        double remaining = 0; // ‖E‖² minus the captured σ²
        for (size_t k = size_t(ranks[i]); k < a.errorSpectrum.size(); ++k)
            remaining += a.errorSpectrum[k] * a.errorSpectrum[k];
        if (a.weightNorm > 0)
            a.predictedError = std::sqrt(remaining) / a.weightNorm;
        a.bitsPerWeight = baseBits[i] + 16.0 * double(ranks[i]) * double(layer.outFeatures + layer.inFeatures) /
                                            double(layer.numel());
    }
    finishTotals(result);
    progress.report(1.0, "allocated");
    return result;
}

QuantPlan toPlan(const BudgetAllocation& allocation, const Recipe& base)
{
    QuantPlan plan = QuantPlan::uniform(base);
    for (const auto& l : allocation.layers) {
        Recipe r = base;
        if (allocation.kind == BudgetKind::Bits)
            r.bits = l.bits;
        else
            r.rank = l.rank;
        plan.setLayerRecipe(l.layer, r);
    }
    return plan;
}

nlohmann::json allocationJson(const BudgetAllocation& a)
{
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : a.layers) {
        nlohmann::json j{{"name", l.layer},
                         {"block", l.block},
                         {"role", std::string(roleName(l.role))},
                         {"parameters", l.parameters},
                         {"bits", l.bits},
                         {"rank", l.rank},
                         {"bits_per_weight", l.bitsPerWeight},
                         {"predicted_error", l.predictedError}};
        if (!l.candidates.empty()) {
            nlohmann::json c = nlohmann::json::array();
            for (const auto& k : l.candidates)
                c.push_back({{"bits", k.bits}, {"error", k.error}, {"bits_per_weight", k.bitsPerWeight}});
            j["candidates"] = std::move(c);
        }
        layers.push_back(std::move(j));
    }
    nlohmann::json j{{"kind", a.kind == BudgetKind::Bits ? "bits" : "rank"},
                     {"base", a.base.toJson()},
                     {"target", a.target},
                     {"error", a.outputError ? "output" : "weight"},
                     {"achieved_bits_per_weight", a.achievedBitsPerWeight},
                     {"total_rank", a.totalRank},
                     {"predicted_error", a.predictedError},
                     {"steps", a.steps},
                     {"layers", std::move(layers)}};
    if (a.kind == BudgetKind::Bits && a.nextStepBitsPerWeight > 0)
        j["next_step_bits_per_weight"] = a.nextStepBitsPerWeight;
    return j;
}

} // namespace salience
