#include "quant/Recipe.h"

#include "base/Error.h"
#include "quant/GgmlQuantize.h"
#include "quant/MethodRegistry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace salience {

std::optional<GgmlType> Recipe::ggmlGrid() const
{
    if (gridType.empty())
        return std::nullopt;
    return ggmlTypeFromName(gridType);
}

QuantGrid Recipe::grid() const
{
    if (const auto type = ggmlGrid()) {
        // The format's codes and the sub-block its scale covers (informational: the blocks are
        // ggml's own).
        QuantGrid g;
        g.bits = std::clamp(ggmlNominalBits(*type), 2, 8);
        g.symmetric = *type == GgmlType::Q4_0 || *type == GgmlType::Q5_0 || *type == GgmlType::Q8_0 ||
                      *type == GgmlType::Q3_K || *type == GgmlType::Q6_K || *type == GgmlType::IQ4_NL;
        g.granularity = Granularity::PerGroup;
        g.groupSize = *type == GgmlType::Q2_K || *type == GgmlType::Q3_K || *type == GgmlType::Q6_K ? 16 : 32;
        return g;
    }
    QuantGrid g;
    g.bits = bits;
    g.symmetric = symmetric;
    if (groupSize > 0) {
        g.granularity = Granularity::PerGroup;
        g.groupSize = groupSize;
    } else {
        g.granularity = groupSize == 0 ? Granularity::PerChannel : Granularity::PerTensor;
    }
    return g;
}

double Recipe::param(const std::string& name) const
{
    if (auto it = params.find(name); it != params.end())
        return it->second;
    if (const auto* m = findMethod(method))
        if (const auto* p = m->param(name))
            return p->defaultValue;
    return 0.0;
}

void Recipe::validate(const std::string& source) const
{
    const MethodInfo* m = findMethod(method);
    if (!m)
        throw InputError(source, "unknown method '" + method + "' (known: " + methodNames() + ")");
    if (bits < 2 || bits > 8)
        throw InputError(source, "bits must be between 2 and 8, got " + std::to_string(bits));
    if (groupSize < -1)
        throw InputError(source, "group_size must be a positive group size, 0 (per channel) or -1 (per tensor), got " +
                                     std::to_string(groupSize));
    if (rank < 0)
        throw InputError(source, "rank must not be negative, got " + std::to_string(rank));
    if (!gridType.empty()) {
        const auto type = ggmlTypeFromName(gridType);
        if (!type || !isGgmlGridType(*type))
            throw InputError(source, "grid_type '" + gridType + "' is no ggml block format (known: " + ggmlGridTypeList() + ")");
        if (m->quantizes && !m->ggmlGrids) // "none" keeps the layer whatever the format
            throw InputError(source, "method '" + method + "' does not quantize onto ggml block formats (grid_type " +
                                         gridType + "); " + ggmlGridMethodNames() + " do");
    }
    if (!(protectPercent >= 0.0 && protectPercent <= 100.0))
        throw InputError(source, "protect must be a percentage between 0 and 100");
    for (const auto& [name, value] : params) {
        const ParamSpec* p = m->param(name);
        if (!p)
            throw InputError(source, "method '" + method + "' has no parameter '" + name + "'");
        if (p->isChoice() && !(value >= 0 && value < double(p->choices.size()) && value == std::floor(value)))
            throw InputError(source, "parameter '" + name + "' of '" + method + "' must be one of " + p->choiceNames());
        if (!std::isfinite(value) || value < p->minValue || value > p->maxValue)
            throw InputError(source, "parameter '" + name + "' of '" + method + "' must lie in [" +
                                         std::to_string(p->minValue) + ", " + std::to_string(p->maxValue) + "]");
        if (p->integer && value != std::floor(value))
            throw InputError(source, "parameter '" + name + "' of '" + method + "' must be a whole number");
    }
}

nlohmann::json Recipe::toJson() const
{
    nlohmann::json j{{"method", method}, {"bits", bits}, {"group_size", groupSize}, {"symmetric", symmetric}};
    if (rank)
        j["rank"] = rank;
    if (protectPercent)
        j["protect"] = protectPercent;
    if (seed)
        j["seed"] = seed;
    if (!gridType.empty())
        j["grid_type"] = gridType;
    if (!params.empty()) {
        // Choice parameters are written by name, so a plan reads as what it means.
        nlohmann::json pj = nlohmann::json::object();
        const MethodInfo* m = findMethod(method);
        for (const auto& [name, value] : params) {
            const ParamSpec* p = m ? m->param(name) : nullptr;
            if (p && p->isChoice() && value >= 0 && size_t(value) < p->choices.size())
                pj[name] = p->choices[size_t(value)];
            else
                pj[name] = value;
        }
        j["params"] = pj;
    }
    return j;
}

namespace {

// A whole number from a plan, checked as what it is before any narrowing: an integer (or a
// float with an integral value, 4.0) in [lo, hi], else InputError naming the field and value.
int64_t wholeField(const nlohmann::json& value, const std::string& key, int64_t lo, int64_t hi,
                   const std::string& source)
{
    const auto refuse = [&](const std::string& what) {
        std::string problem = "recipe field '";
        problem.append(key).append("' must be ").append(what).append(", got ").append(value.dump());
        throw InputError(source, problem);
    };
    const std::string range = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (value.is_number_unsigned()) {
        const uint64_t v = value.get<uint64_t>();
        if (v > uint64_t(hi))
            refuse(range);
        return int64_t(v);
    }
    if (value.is_number_integer()) {
        const int64_t v = value.get<int64_t>();
        if (v < lo || v > hi)
            refuse(range);
        return v;
    }
    if (value.is_number_float()) {
        const double v = value.get<double>();
        if (!std::isfinite(v) || v != std::floor(v) || v < double(lo) || v > double(hi))
            refuse(range);
        return int64_t(v);
    }
    refuse(range);
    return 0;
}

double finiteField(const nlohmann::json& value, const std::string& key, const std::string& source)
{
    if (!value.is_number() || !std::isfinite(value.get<double>())) {
        std::string problem = "recipe field '";
        problem.append(key).append("' must be a finite number, got ").append(value.dump());
        throw InputError(source, problem);
    }
    return value.get<double>();
}

} // namespace

Recipe Recipe::fromJson(const nlohmann::json& j, const std::string& source)
{
    if (!j.is_object())
        throw InputError(source, "a recipe must be a JSON object");
    Recipe r;
    nlohmann::json rawParams;
    try {
        for (const auto& [key, value] : j.items()) {
            if (key == "method")
                r.method = value.get<std::string>();
            else if (key == "bits")
                r.bits = int(wholeField(value, key, 0, 64, source)); // validate() holds it to the method's range
            else if (key == "group_size")
                r.groupSize = int(wholeField(value, key, -1, std::numeric_limits<int>::max(), source));
            else if (key == "symmetric")
                r.symmetric = value.get<bool>();
            else if (key == "rank")
                r.rank = int(wholeField(value, key, 0, std::numeric_limits<int>::max(), source));
            else if (key == "protect")
                r.protectPercent = finiteField(value, key, source);
            else if (key == "seed")
                r.seed = value.is_number_unsigned()
                             ? value.get<uint64_t>()
                             : uint64_t(wholeField(value, key, 0, std::numeric_limits<int64_t>::max(), source));
            else if (key == "params")
                rawParams = value;
            else if (key == "grid_type")
                r.gridType = value.get<std::string>();
            else
                throw InputError(source, "unknown recipe field '" + key + "'");
        }
        if (!rawParams.is_null()) {
            if (!rawParams.is_object())
                throw InputError(source, "recipe field 'params' must be an object");
            const MethodInfo* m = findMethod(r.method);
            for (const auto& [name, value] : rawParams.items()) {
                const ParamSpec* p = m ? m->param(name) : nullptr;
                if (value.is_string()) {
                    if (!p || !p->isChoice())
                        throw InputError(source, "parameter '" + name + "' of '" + r.method + "' takes a number");
                    const int index = p->choiceIndex(value.get<std::string>());
                    if (index < 0)
                        throw InputError(source, "parameter '" + name + "' of '" + r.method + "' must be one of " +
                                                     p->choiceNames() + ", got '" + value.get<std::string>() + "'");
                    r.params[name] = index;
                } else {
                    r.params[name] = finiteField(value, "params." + name, source);
                }
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(source, std::string("recipe field of the wrong type: ") + e.what());
    }
    r.validate(source);
    return r;
}

namespace {

// "50%", "81.25%", "0.927%": a percentage with up to three decimals.
std::string percentText(double percent)
{
    std::string s = std::to_string(std::round(percent * 1000.0) / 1000.0);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.')
        s.pop_back();
    return s + "%";
}

} // namespace

std::string Recipe::gridSummary() const
{
    std::string s = std::to_string(bits);
    s += "-bit ";
    if (groupSize > 0)
        s.append("g").append(std::to_string(groupSize));
    else
        s += groupSize == 0 ? "per-channel" : "per-tensor";
    s += symmetric ? " sym" : " asym";
    return s;
}

std::string Recipe::summary() const
{
    const MethodInfo* m = findMethod(method);
    if (m && !m->quantizes)
        return method;
    if (const auto type = ggmlGrid())
        return method + " " + ggmlTypeName(*type);
    // Name only what the method stores: a pruned layer kept in float16 has no grid, a codebook
    // no groups, a low-rank-alone layer nothing but its rank.
    if (method == "kmeans")
        return method + " " + std::to_string(bits) + "-bit LUT";
    if (method == "asvd")
        return method + " r" + std::to_string(rank);
    if (m && m->param("sparsity")) {
        const double n = param("n");
        std::string s = method + " ";
        s += n > 0 ? std::to_string(int(n)) + ":" + std::to_string(int(param("m"))) : percentText(100.0 * param("sparsity"));
        s += param("quantize") != 0.0 ? " " + gridSummary() : " f16";
        return s;
    }
    std::string s = method + " " + gridSummary();
    if (rank)
        s += " r" + std::to_string(rank);
    if (protectPercent)
        s += " p" + percentText(protectPercent);
    return s;
}

} // namespace salience
