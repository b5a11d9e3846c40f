#include "run/EqualBudget.h"

#include "base/Error.h"
#include "plan/QuantPlan.h"
#include "quant/MethodRegistry.h"
#include "quant/RecipeStorage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace salience {

namespace {

constexpr int kMinBits = 2;
constexpr int kMaxBits = 8;

// "4.125", "4.36", "3": up to three decimals, trailing zeros dropped.
std::string number(double v, int decimals = 3)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        s.erase(s.find_last_not_of('0') + 1);
        if (s.back() == '.')
            s.pop_back();
    }
    return s;
}

// The quantized layers' shapes, each with how many weights layers of that shape hold in all.
struct Shapes {
    std::map<std::pair<int64_t, int64_t>, double> weights; // (out, in) → weights
    double total = 0;

    double bitsPerWeight(const Recipe& recipe) const
    {
        double bits = 0;
        for (const auto& [shape, n] : weights) {
            const auto layout = recipeStorage(recipe, shape.first, shape.second);
            if (!layout)
                return 0.0;
            bits += countBits(*layout).total() * (n / double(shape.first * shape.second));
        }
        return total > 0 ? bits / total : 0.0;
    }
};

Shapes quantizedShapes(const Model& model, const Recipe& recipe)
{
    Shapes s;
    const QuantPlan plan = QuantPlan::uniform(recipe);
    for (const auto& layer : model.layers()) {
        const MethodInfo* info = findMethod(plan.recipeFor(layer).method);
        if (!info || !info->quantizes)
            continue;
        s.weights[{layer.outFeatures, layer.inFeatures}] += double(layer.numel());
        s.total += double(layer.numel());
    }
    return s;
}

struct Trial {
    Recipe recipe;
    double bits = 0;
};

// Is a closer to the target than b? Equally close: the one not above it, then the smaller
// group (per-channel counts as the largest).
bool closer(const Trial& a, const Trial& b, double target)
{
    const double da = std::abs(a.bits - target), db = std::abs(b.bits - target);
    if (da != db)
        return da < db;
    if (a.bits != b.bits)
        return a.bits < b.bits;
    const auto size = [](int g) { return g <= 0 ? std::numeric_limits<int64_t>::max() : int64_t(g); };
    return size(a.recipe.groupSize) < size(b.recipe.groupSize);
}

// The method's own budget parameter: a value in [lo, hi] that the cost rises with (or falls
// with, when !increasing).
struct SideParameter {
    std::string name; // as BudgetFit::set names it
    double lo = 0, hi = 0;
    bool integer = false;
    bool increasing = true;
    std::function<void(Recipe&, double)> apply;
    std::function<double(const Recipe&)> read;
};

// The value of `side` whose cost lies closest to the target, on a cost monotone in it.
Trial closestSide(const Recipe& base, const SideParameter& side, const Shapes& shapes, double target)
{
    // Walk in the direction the cost rises: u in [lo, hi] maps to lo + hi − u when it falls.
    const auto valueOf = [&](double u) { return side.increasing ? u : side.lo + side.hi - u; };
    const auto trialAt = [&](double u) {
        Trial t{base, 0};
        side.apply(t.recipe, valueOf(u));
        t.bits = shapes.bitsPerWeight(t.recipe);
        return t;
    };
    Trial a = trialAt(side.lo);
    if (a.bits >= target)
        return a;
    Trial b = trialAt(side.hi);
    if (b.bits <= target)
        return b;
    double ua = side.lo, ub = side.hi; // cost(ua) <= target < cost(ub)
    if (side.integer) {
        while (ub - ua > 1) {
            const double mid = std::floor((ua + ub) / 2);
            Trial t = trialAt(mid);
            (t.bits <= target ? ua : ub) = mid;
            (t.bits <= target ? a : b) = std::move(t);
        }
    } else {
        for (int i = 0; i < 64 && ub - ua > 0; ++i) {
            const double mid = (ua + ub) / 2;
            if (mid == ua || mid == ub)
                break;
            Trial t = trialAt(mid);
            (t.bits <= target ? ua : ub) = mid;
            (t.bits <= target ? a : b) = std::move(t);
        }
    }
    return closer(b, a, target) ? b : a;
}

// The roundest value of a continuous side parameter that stores exactly what `t` stores:
// 2.7339...% → 2.734%.
Trial roundedSide(const Trial& t, const SideParameter& side, const Shapes& shapes)
{
    if (side.integer)
        return t;
    const double v = side.read(t.recipe);
    for (int decimals = 0; decimals <= 12; ++decimals) {
        const double scale = std::pow(10.0, decimals);
        for (const double r : {std::floor(v * scale) / scale, std::ceil(v * scale) / scale}) {
            if (r < side.lo || r > side.hi)
                continue;
            Trial rounded{t.recipe, 0};
            side.apply(rounded.recipe, r);
            rounded.bits = shapes.bitsPerWeight(rounded.recipe);
            if (rounded.bits == t.bits)
                return rounded;
        }
    }
    return t;
}

// Every group size at which some layer's group count changes, below the widest row (0, one
// group per row, stands for the rest).
std::vector<int> groupCandidates(const Shapes& shapes)
{
    std::set<int64_t> ins;
    for (const auto& [shape, n] : shapes.weights)
        ins.insert(shape.second);
    const int64_t widest = ins.empty() ? 1 : *ins.rbegin();
    std::set<int> groups{0};
    for (const int64_t in : ins)
        for (int64_t k = 1; k <= in; ++k) {
            const int64_t g = (in + k - 1) / k;
            if (g < widest && g <= std::numeric_limits<int>::max())
                groups.insert(int(g));
        }
    return {groups.begin(), groups.end()};
}

std::vector<int> bitsCandidates(const Recipe& recipe, const BudgetFreedom& freedom)
{
    if (!freedom.bits)
        return {recipe.bits};
    std::vector<int> bits;
    for (int b = kMaxBits; b >= kMinBits; --b)
        bits.push_back(b);
    return bits;
}

std::optional<SideParameter> sideParameterOf(const MethodInfo& info, const Recipe& recipe, const StorageLayout& layout,
                                            const Shapes& shapes)
{
    if (info.param("sparsity")) {
        if (recipe.param("n") > 0) // an N:M pattern stores what its N and M say
            return std::nullopt;
        return SideParameter{"sparsity", 0.0, info.param("sparsity")->maxValue, false, false,
                             [](Recipe& r, double v) { r.params["sparsity"] = v; },
                             [](const Recipe& r) { return r.param("sparsity"); }};
    }
    if (info.usesRank) {
        int64_t highest = 1; // ranks above min(out, in) are clamped to it
        for (const auto& [shape, n] : shapes.weights)
            highest = std::max(highest, std::min(shape.first, shape.second));
        const double lo = layout.base == QuantBase::Zero ? 1 : 0; // low rank alone needs a rank
        return SideParameter{"rank", lo, double(highest), true, true, [](Recipe& r, double v) { r.rank = int(v); },
                             [](const Recipe& r) { return double(r.rank); }};
    }
    if (info.usesProtection)
        return SideParameter{"protect", 0.0, 100.0, false, true,
                             [](Recipe& r, double v) { r.protectPercent = v; },
                             [](const Recipe& r) { return r.protectPercent; }};
    return std::nullopt; // the grid (or, for a codebook, its bits) is all there is to set
}

} // namespace

bool BudgetTarget::contains(double bits) const
{
    return std::abs(bits - bitsPerWeight) <= tolerance * (1 + 1e-12);
}

std::string BudgetFit::describeSet() const
{
    if (set.empty())
        return "nothing";
    std::string s;
    for (const auto& [name, value] : set) {
        if (!s.empty())
            s += ", ";
        if (name == "group_size")
            s += value > 0 ? "group " + number(value) : value == 0 ? "per-channel" : "per-tensor";
        else if (name == "protect")
            s += "protect " + number(value, 4) + "%";
        else if (name == "symmetric")
            s += value != 0 ? "symmetric" : "asymmetric";
        else if (name == "sparsity")
            s += "sparsity " + number(100 * value, 4) + "%";
        else
            s += name + " " + number(value);
    }
    return s;
}

nlohmann::json BudgetFit::toJson() const
{
    nlohmann::json setJson = nlohmann::json::object();
    for (const auto& [name, value] : set) {
        if (name == "symmetric")
            setJson[name] = value != 0;
        else if (name == "bits" || name == "group_size" || name == "rank")
            setJson[name] = int(value);
        else
            setJson[name] = value;
    }
    nlohmann::json j{{"set", std::move(setJson)},
                     {"predicted_bits_per_weight", bitsPerWeight},
                     {"smallest_bits_per_weight", smallest},
                     {"largest_bits_per_weight", largest},
                     {"reached", reached}};
    if (!reached)
        j["reason"] = reason;
    return j;
}

double predictedModelBitsPerWeight(const Model& model, const Recipe& recipe)
{
    return quantizedShapes(model, recipe).bitsPerWeight(recipe);
}

BudgetFit fitToBudget(const Model& model, const Recipe& recipe, const BudgetTarget& target,
                      const BudgetFreedom& freedom)
{
    if (!(std::isfinite(target.bitsPerWeight) && target.bitsPerWeight > 0))
        throw InputError("--target-bits", "expects a positive number of bits per weight, got " +
                                              number(target.bitsPerWeight));
    if (!(std::isfinite(target.tolerance) && target.tolerance > 0))
        throw InputError("--tolerance", "expects a positive number of bits, got " + number(target.tolerance));
    if (!recipe.gridType.empty())
        throw InputError("--target-bits", "the grid type " + recipe.gridType +
                                              " fixes the bits per weight; leave out --grid-type to set a budget");
    recipe.validate("recipe");
    const MethodInfo& info = *findMethod(recipe.method);
    BudgetFit fit;
    fit.recipe = recipe;
    if (!info.quantizes) {
        fit.reason = "keeps full precision: there is no budget to set";
        return fit;
    }
    const Shapes shapes = quantizedShapes(model, recipe);
    if (shapes.total == 0) {
        fit.reason = "quantizes no layer of this model";
        return fit;
    }
    const double B = target.bitsPerWeight;
    const auto someShape = shapes.weights.begin()->first;
    const StorageLayout layout = *recipeStorage(recipe, someShape.first, someShape.second);
    const bool codebook = layout.codebookEntries > 0;
    const std::optional<SideParameter> side = sideParameterOf(info, recipe, layout, shapes);
    // The grid matters where codes are stored on it: not for a dense or zero base, not for a codebook
    // (whose bits alone count).
    const bool gridStored = layout.base == QuantBase::Codes;
    const bool bitsFree = freedom.bits && gridStored;
    const bool groupFree = freedom.groupSize && gridStored && !codebook;
    const bool symmetryFree = freedom.symmetric && gridStored && !codebook;

    const std::vector<int> bits = bitsFree ? bitsCandidates(recipe, freedom) : std::vector<int>{recipe.bits};
    const std::vector<int> groups = groupFree ? groupCandidates(shapes) : std::vector<int>{recipe.groupSize};
    std::vector<bool> symmetries{recipe.symmetric};
    if (symmetryFree)
        symmetries.push_back(!recipe.symmetric);

    // One base grid: the side parameter that lands nearest, or the grid alone.
    const auto trialFor = [&](const Recipe& base) {
        return side ? closestSide(base, *side, shapes, B) : Trial{base, shapes.bitsPerWeight(base)};
    };
    // Other groups serve a side budget only where they let it spend something: at its low end
    // (rank 0, nothing protected or pruned) the method would be plain rounding.
    const auto overGroups = [&](Recipe base) {
        std::optional<Trial> best;
        for (const int g : groups) {
            base.groupSize = g;
            Trial t = trialFor(base);
            if (side && g != recipe.groupSize && side->read(t.recipe) == side->lo)
                continue;
            if (!best || closer(t, *best, B))
                best = std::move(t);
        }
        return best;
    };
    std::optional<Trial> nearest;
    std::optional<Trial> chosen;
    const auto consider = [&](Trial t) {
        if (!nearest || closer(t, *nearest, B))
            nearest = t;
        if (target.contains(t.bits))
            chosen = std::move(t);
        return chosen.has_value();
    };
    for (const int b : bits) {
        for (const bool symmetric : symmetries) {
            Recipe base = recipe;
            base.bits = b;
            base.symmetric = symmetric;
            // A side budget first tries the recipe's group, and other groups only where its own
            // steps are too coarse to land; a grid method has only the group to spend on.
            if (side && consider(trialFor(base)))
                break;
            if (groupFree || !side)
                if (const auto t = overGroups(base); t && consider(*t))
                    break;
        }
        if (chosen)
            break;
    }
    const Trial result = side ? roundedSide(chosen ? *chosen : *nearest, *side, shapes) : chosen ? *chosen : *nearest;
    fit.recipe = result.recipe;
    fit.bitsPerWeight = result.bits;
    fit.reached = chosen.has_value();
    if (bitsFree)
        fit.set.emplace_back("bits", result.recipe.bits);
    if (groupFree && (!side || result.recipe.groupSize != recipe.groupSize))
        fit.set.emplace_back("group_size", result.recipe.groupSize);
    if (result.recipe.symmetric != recipe.symmetric)
        fit.set.emplace_back("symmetric", result.recipe.symmetric ? 1.0 : 0.0);
    if (side)
        fit.set.emplace_back(side->name, side->read(result.recipe));

    // The range the free parameters span: cheapest and dearest ends of each.
    const auto extreme = [&](bool dearest) {
        Recipe r = recipe;
        if (bitsFree)
            r.bits = dearest ? kMaxBits : kMinBits;
        if (groupFree)
            r.groupSize = dearest ? 1 : 0;
        if (symmetryFree)
            r.symmetric = !dearest;
        if (side)
            side->apply(r, dearest == side->increasing ? side->hi : side->lo);
        return shapes.bitsPerWeight(r);
    };
    fit.smallest = extreme(false);
    fit.largest = extreme(true);
    if (fit.reached)
        return fit;
    if (fit.set.empty())
        fit.reason = "nothing to set (the given options fix it): it stores " + number(fit.bitsPerWeight);
    else if (B < fit.smallest)
        fit.reason = "cannot reach " + number(B) + " bits: the smallest it stores is " + number(fit.smallest);
    else if (B > fit.largest)
        fit.reason = "cannot reach " + number(B) + " bits: the most it stores is " + number(fit.largest);
    else
        fit.reason = "no setting within ±" + number(target.tolerance) + " of " + number(B) +
                     " bits on these layers: the nearest is " + number(fit.bitsPerWeight) + " (" + fit.describeSet() +
                     ")";
    return fit;
}

} // namespace salience
