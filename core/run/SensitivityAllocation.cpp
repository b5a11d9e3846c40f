#include "run/SensitivityAllocation.h"

#include "base/Error.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace salience {

namespace {

const char* kSource = "budget";

double cellCost(const SensitivityCell& c, SensitivityMeasure measure)
{
    return measure == SensitivityMeasure::Kl ? c.kl : std::max(0.0, c.nllDelta);
}

// Budget a cell spends: bits (n·bpw) or rank.
double cellSpend(const SensitivityUnit& u, const SensitivityCell& c, BudgetKind kind)
{
    return kind == BudgetKind::Bits ? c.bitsPerWeight * double(u.parameters) : double(c.rank);
}

struct HullPoint {
    size_t candidate;
    double spend;
    double cost;
};

// The lower convex hull of a unit's (spend, cost) points from its cheapest point on, keeping
// only points that lower the cost: along it the cost falls ever more slowly per unit spent.
std::vector<HullPoint> lowerHull(const SensitivityUnit& u, BudgetKind kind, SensitivityMeasure measure)
{
    std::vector<HullPoint> points;
    for (size_t c = 0; c < u.cells.size(); ++c)
        points.push_back({c, cellSpend(u, u.cells[c], kind), cellCost(u.cells[c], measure)});
    std::stable_sort(points.begin(), points.end(), [](const HullPoint& a, const HullPoint& b) {
        return a.spend < b.spend || (a.spend == b.spend && a.cost < b.cost);
    });
    std::vector<HullPoint> hull;
    for (const HullPoint& p : points) {
        if (!hull.empty() && p.cost >= hull.back().cost)
            continue; // spends at least as much for no less damage
        // Drop points above the segment from their predecessor to p.
        while (hull.size() >= 2) {
            const HullPoint& a = hull[hull.size() - 2];
            const HullPoint& b = hull.back();
            // b lies strictly above the line a→p when (b−a)×(p−a) < 0 in (spend, cost).
            const double cross = (b.spend - a.spend) * (p.cost - a.cost) - (b.cost - a.cost) * (p.spend - a.spend);
            if (cross >= 0)
                break; // b is on or below it: convex so far
            hull.pop_back();
        }
        hull.push_back(p);
    }
    return hull;
}

double totalParameters(const SensitivityTable& table)
{
    double n = 0;
    for (const auto& u : table.units)
        n += double(u.parameters);
    return n;
}

PlanMeasurement measurePlan(const Model& model, const Transformer& floatModel, const ActivationStore* activations,
                            const CalibrationReference& reference, const QuantPlan& plan, const std::string& label,
                            int threads, Progress& progress)
{
    RunOptions options;
    options.threads = threads;
    Progress running = progress.child(0.0, 0.4);
    const RunResult run = runPlan(model, plan, activations, options, running);
    Progress applying = progress.child(0.4, 0.45);
    const Transformer quantized = quantizedTransformer(floatModel, run, applying);
    Progress comparing = progress.child(0.45, 1.0);
    const PairedPerplexity p = reference.compare(quantized, threads, comparing);
    PlanMeasurement m;
    m.label = label;
    m.bitsPerWeight = run.summary.averageBitsPerWeight;
    for (const auto& l : run.layers)
        if (l.quantized)
            m.totalRank += l.recipe.rank;
    m.kl = p.shift.klMean;
    m.klStdError = p.shift.klStdError;
    m.nllDelta = p.candidate.nll - p.reference.nll;
    return m;
}

} // namespace

const char* measureName(SensitivityMeasure measure)
{
    return measure == SensitivityMeasure::Kl ? "kl" : "nll";
}

SensitivityMeasure parseSensitivityMeasure(const std::string& name, const std::string& source)
{
    if (name == "kl")
        return SensitivityMeasure::Kl;
    if (name == "nll")
        return SensitivityMeasure::NllDelta;
    throw InputError(source, "'" + name + "' is no measure: kl or nll");
}

SensitivityAllocation allocateFromSensitivity(const SensitivityTable& table, BudgetKind kind, double target,
                                              SensitivityMeasure measure)
{
    if (table.units.empty() || table.candidates().empty())
        throw InputError(kSource, "the sensitivity table is empty");
    if (kind == BudgetKind::Bits && (!std::isfinite(target) || target <= 0))
        throw InputError(kSource, "the target bits per weight must be a positive number");
    if (kind == BudgetKind::Rank && (!std::isfinite(target) || target < 0))
        throw InputError(kSource, "the total rank must not be negative");

    SensitivityAllocation a;
    a.kind = kind;
    a.measure = measure;
    a.target = target;
    a.base = table.key.base;
    a.candidates = table.candidates();

    std::vector<std::vector<HullPoint>> hulls;
    std::vector<size_t> at(table.units.size(), 0);
    double spent = 0;
    for (const auto& u : table.units) {
        hulls.push_back(lowerHull(u, kind, measure));
        spent += hulls.back().front().spend;
    }
    const double params = totalParameters(table);
    const double budget = kind == BudgetKind::Bits ? target * params : target;
    const double slack = 1e-9 * std::max(1.0, budget); // a target equal to an achievable spend is met
    if (spent > budget + slack) {
        if (kind == BudgetKind::Bits)
            throw InputError(kSource, "a target of " + std::to_string(target) + " bits per weight is below " +
                                          std::to_string(spent / params) +
                                          ", the average with every unit at its cheapest candidate");
        throw InputError(kSource, "a total rank of " + std::to_string(int64_t(target)) + " is below " +
                                      std::to_string(int64_t(spent)) + ", every unit at its smallest candidate rank");
    }

    // Best ratio first; ties go to the earlier unit.
    struct Step {
        double ratio;
        size_t unit;
        bool operator<(const Step& o) const { return ratio < o.ratio || (ratio == o.ratio && unit > o.unit); }
    };
    auto nextStep = [&](size_t u) -> std::optional<Step> {
        const auto& h = hulls[u];
        if (at[u] + 1 >= h.size())
            return std::nullopt;
        const HullPoint& cur = h[at[u]];
        const HullPoint& next = h[at[u] + 1];
        const double extra = next.spend - cur.spend;
        const double ratio = extra > 0 ? (cur.cost - next.cost) / extra : std::numeric_limits<double>::infinity();
        return Step{ratio, u};
    };
    std::priority_queue<Step> queue;
    for (size_t u = 0; u < hulls.size(); ++u)
        if (auto s = nextStep(u))
            queue.push(*s);
    while (!queue.empty()) {
        const Step s = queue.top();
        queue.pop();
        const auto& h = hulls[s.unit];
        const double extra = h[at[s.unit] + 1].spend - h[at[s.unit]].spend;
        if (spent + extra > budget + slack)
            continue; // this unit stays; smaller steps of other units may still fit
        spent += extra;
        ++at[s.unit];
        ++a.steps;
        if (auto n = nextStep(s.unit))
            queue.push(*n);
    }

    std::vector<size_t> choice(table.units.size());
    for (size_t i = 0; i < choice.size(); ++i)
        choice[i] = hulls[i][at[i]].candidate;
    auto cost = [&](size_t unit, size_t c) { return cellCost(table.units[unit].cells[c], measure); };
    auto spend = [&](size_t unit, size_t c) { return cellSpend(table.units[unit], table.units[unit].cells[c], kind); };

    // The uniform comparison: the candidate that spends the most within the budget on every unit.
    double bestSpend = -1;
    for (size_t c = 0; c < a.candidates.size(); ++c) {
        UniformChoice uniform;
        uniform.candidate = c;
        uniform.label = a.candidates[c].label();
        double uniformSpend = 0, uniformBits = 0;
        for (size_t i = 0; i < table.units.size(); ++i) {
            const SensitivityUnit& u = table.units[i];
            uniformSpend += spend(i, c);
            uniformBits += u.cells[c].bitsPerWeight * double(u.parameters);
            uniform.totalRank += u.cells[c].rank;
            uniform.predicted += cost(i, c);
        }
        uniform.bitsPerWeight = params > 0 ? uniformBits / params : 0;
        if (uniformSpend > budget + slack)
            continue;
        if (uniformSpend > bestSpend || (uniformSpend == bestSpend && uniform.predicted < a.uniform->predicted)) {
            a.uniform = uniform;
            bestSpend = uniformSpend;
        }
    }

    // With few, coarse units a skipped step can leave the greedy behind the uniform choice in its
    // own prediction: start from the uniform choice then.
    double predicted = 0;
    for (size_t i = 0; i < choice.size(); ++i)
        predicted += cost(i, choice[i]);
    if (a.uniform && a.uniform->predicted < predicted) {
        std::fill(choice.begin(), choice.end(), a.uniform->candidate);
        spent = bestSpend;
    }
    // Spend what is left: the single change of one unit to any candidate that fits and lowers the
    // predicted cost most (ties: the cheaper change, then the earlier unit), until none does.
    for (;;) {
        std::optional<std::pair<size_t, size_t>> best;
        double bestGain = 0, bestExtra = 0;
        for (size_t i = 0; i < choice.size(); ++i) {
            for (size_t c = 0; c < a.candidates.size(); ++c) {
                const double extra = spend(i, c) - spend(i, choice[i]);
                const double gain = cost(i, choice[i]) - cost(i, c);
                if (gain <= 0 || spent + extra > budget + slack)
                    continue;
                if (!best || gain > bestGain || (gain == bestGain && extra < bestExtra)) {
                    best = {i, c};
                    bestGain = gain;
                    bestExtra = extra;
                }
            }
        }
        if (!best)
            break;
        spent += bestExtra;
        choice[best->first] = best->second;
        ++a.steps;
    }

    double bits = 0;
    for (size_t i = 0; i < table.units.size(); ++i) {
        const SensitivityUnit& u = table.units[i];
        const size_t c = choice[i];
        UnitChoice unit;
        unit.unit = u.name;
        unit.layers = u.layers;
        unit.parameters = u.parameters;
        unit.candidate = c;
        unit.label = a.candidates[c].label();
        unit.bitsPerWeight = u.cells[c].bitsPerWeight;
        unit.rank = u.cells[c].rank;
        unit.predicted = cost(i, c);
        bits += unit.bitsPerWeight * double(u.parameters);
        a.totalRank += unit.rank;
        a.predicted += unit.predicted;
        a.units.push_back(std::move(unit));
    }
    a.achievedBitsPerWeight = params > 0 ? bits / params : 0;
    return a;
}

QuantPlan toPlan(const SensitivityAllocation& allocation)
{
    QuantPlan plan = QuantPlan::uniform(allocation.base);
    for (const auto& u : allocation.units) {
        const Recipe r = allocation.candidates[u.candidate].applyTo(allocation.base);
        for (const auto& layer : u.layers)
            plan.setLayerRecipe(layer, r);
    }
    return plan;
}

QuantPlan uniformPlan(const SensitivityAllocation& allocation)
{
    if (!allocation.uniform)
        throw Error("uniformPlan: the allocation has no uniform choice");
    return QuantPlan::uniform(allocation.candidates[allocation.uniform->candidate].applyTo(allocation.base));
}

AllocationCheck checkAllocation(const Model& model, const Transformer& floatModel, const ActivationStore* activations,
                                const CalibrationReference& reference, const SensitivityAllocation& allocation,
                                int threads, Progress& progress)
{
    AllocationCheck check;
    Progress first = progress.child(0.0, allocation.uniform ? 0.5 : 1.0);
    check.allocated = measurePlan(model, floatModel, activations, reference, toPlan(allocation), "allocated", threads,
                                  first);
    if (allocation.uniform) {
        Progress second = progress.child(0.5, 1.0);
        check.uniform = measurePlan(model, floatModel, activations, reference, uniformPlan(allocation),
                                    "uniform " + allocation.uniform->label, threads, second);
        check.uniformIsBetter = check.allocated.cost(allocation.measure) >= check.uniform->cost(allocation.measure);
    }
    return check;
}

namespace {

nlohmann::json measurementJson(const PlanMeasurement& m)
{
    return {{"label", m.label},       {"bits_per_weight", m.bitsPerWeight}, {"total_rank", m.totalRank},
            {"kl", m.kl},             {"kl_stderr", m.klStdError},           {"nll_delta", m.nllDelta}};
}

} // namespace

nlohmann::json sensitivityAllocationJson(const SensitivityAllocation& a, const std::optional<AllocationCheck>& check)
{
    nlohmann::json units = nlohmann::json::array();
    for (const auto& u : a.units)
        units.push_back({{"unit", u.unit},
                         {"layers", u.layers},
                         {"parameters", u.parameters},
                         {"candidate", u.label},
                         {"bits_per_weight", u.bitsPerWeight},
                         {"rank", u.rank},
                         {"predicted", u.predicted}});
    nlohmann::json j{{"kind", a.kind == BudgetKind::Bits ? "bits" : "rank"},
                     {"allocation", "sensitivity"},
                     {"measure", measureName(a.measure)},
                     {"target", a.target},
                     {"base", a.base.toJson()},
                     {"achieved_bits_per_weight", a.achievedBitsPerWeight},
                     {"total_rank", a.totalRank},
                     {"predicted", a.predicted},
                     {"steps", a.steps},
                     {"units", std::move(units)}};
    if (a.uniform)
        j["uniform"] = {{"candidate", a.uniform->label},
                        {"bits_per_weight", a.uniform->bitsPerWeight},
                        {"total_rank", a.uniform->totalRank},
                        {"predicted", a.uniform->predicted}};
    if (check) {
        nlohmann::json c{{"allocated", measurementJson(check->allocated)},
                         {"uniform_is_better", check->uniformIsBetter}};
        if (check->uniform)
            c["uniform"] = measurementJson(*check->uniform);
        j["check"] = std::move(c);
    }
    return j;
}

} // namespace salience
