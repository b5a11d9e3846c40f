#include "plan/QuantPlan.h"

#include "base/Error.h"
#include "eval/Regex.h"
#include "io/AtomicFile.h"
#include "io/JsonFile.h"
#include "model/LayerDiscovery.h"
#include "model/Model.h"

#include <limits>


namespace salience {

namespace {

// True when `name` names `layer` in any scheme: its canonical name, its tensor name (with or
// without ".weight"), or another format's name for the same (block, role).
bool namesLayer(const std::string& name, const LinearLayer& layer)
{
    if (layer.name == name || layer.tensorName == name || layer.tensorName == name + ".weight")
        return true;
    const auto br = parseLayerName(name);
    return br && layer.role != LayerRole::Other && br->block == layer.block && br->role == layer.role;
}

// The default recipe with an override's fields on top. A change of method drops parameters
// the override did not set: they belonged to the other method.
nlohmann::json mergeRecipe(nlohmann::json base, const nlohmann::json& changes)
{
    const auto method = base.value("method", std::string());
    base.update(changes);
    if (base.value("method", std::string()) != method && !changes.contains("params"))
        base.erase("params");
    return base;
}

} // namespace

bool PlanOverride::selects(const LinearLayer& l) const
{
    if (layer)
        return namesLayer(*layer, l);
    if (role)
        return l.role == *role;
    if (blocks)
        return l.block >= blocks->first && l.block <= blocks->second;
    if (match)
        return Regex::fromUserPattern(*match, "plan").search(l.name);
    return false;
}

nlohmann::json PlanOverride::toJson() const
{
    nlohmann::json j;
    if (layer)
        j["layer"] = *layer;
    if (role)
        j["role"] = std::string(roleName(*role));
    if (blocks)
        j["blocks"] = {blocks->first, blocks->second};
    if (match)
        j["match"] = *match;
    j["set"] = set;
    return j;
}

Recipe QuantPlan::recipeFor(const LinearLayer& layer) const
{
    nlohmann::json merged = defaultRecipe.toJson();
    bool selected = false;
    for (const auto& o : overrides)
        if (o.selects(layer)) {
            merged = mergeRecipe(std::move(merged), o.set);
            selected = true;
        }
    if (layer.role == LayerRole::Embedding || (layer.role == LayerRole::Classifier && !quantizeClassifier && !selected))
        merged = mergeRecipe(std::move(merged), {{"method", "none"}});
    return Recipe::fromJson(merged, "plan recipe for " + layer.name);
}

void QuantPlan::setLayerRecipe(const std::string& layerName, const Recipe& recipe)
{
    resetLayer(layerName);
    PlanOverride o;
    o.layer = layerName;
    o.set = recipe.toJson();
    // A full recipe: fields at their defaults must be written too, so earlier rules cannot leak in.
    o.set["rank"] = recipe.rank;
    o.set["protect"] = recipe.protectPercent;
    o.set["seed"] = recipe.seed;
    o.set["params"] = recipe.params;
    // The uniform grid too, where the default or a rule names a block format that would leak in
    // (written only then, so plans without block formats read as before).
    bool gridTypeElsewhere = !defaultRecipe.gridType.empty();
    for (const auto& other : overrides)
        gridTypeElsewhere = gridTypeElsewhere || other.set.contains("grid_type");
    if (gridTypeElsewhere)
        o.set["grid_type"] = recipe.gridType;
    overrides.push_back(std::move(o));
}

void QuantPlan::resetLayer(const std::string& layerName)
{
    // Exact-layer overrides may name the layer in another scheme (a plan written for a GGUF).
    const auto target = parseLayerName(layerName);
    std::erase_if(overrides, [&](const PlanOverride& o) {
        if (!o.layer)
            return false;
        if (*o.layer == layerName)
            return true;
        const auto br = parseLayerName(*o.layer);
        return br && target && br->block == target->block && br->role == target->role && br->role != LayerRole::Other;
    });
}

void QuantPlan::validateAgainst(const Model& model, const std::string& source) const
{
    defaultRecipe.validate(source + ": default");
    for (size_t i = 0; i < overrides.size(); ++i) {
        const auto& o = overrides[i];
        const std::string where = source + ": override " + std::to_string(i + 1);
        if (o.layer && !model.findLayer(*o.layer))
            throw InputError(where, "no layer named '" + *o.layer + "' in " + model.path());
        if (o.blocks && (o.blocks->first < 0 || o.blocks->second >= model.config().nLayers ||
                         o.blocks->first > o.blocks->second))
            throw InputError(where, "block range [" + std::to_string(o.blocks->first) + ", " +
                                        std::to_string(o.blocks->second) + "] is outside the model's " +
                                        std::to_string(model.config().nLayers) + " blocks");
        if (o.match) {
            const Regex re = Regex::fromUserPattern(*o.match, where);
            bool any = false;
            for (const auto& l : model.layers())
                any = any || re.search(l.name);
            if (!any)
                throw InputError(where, "the pattern '" + *o.match + "' matches no layer");
        }
    }
    for (const auto& l : model.layers())
        recipeFor(l).validate(source + ": layer " + l.name);
}

nlohmann::json QuantPlan::toJson() const
{
    nlohmann::json j{{"format", "salience-plan"}, {"version", kVersion}, {"default", defaultRecipe.toJson()}};
    j["overrides"] = nlohmann::json::array();
    for (const auto& o : overrides)
        j["overrides"].push_back(o.toJson());
    if (quantizeClassifier)
        j["quantize_classifier"] = true;
    return j;
}

namespace {
QuantPlan planFromJson(const nlohmann::json& j, const std::string& source);
}

QuantPlan QuantPlan::fromJson(const nlohmann::json& j, const std::string& source)
{
    // A field of an unexpected JSON type anywhere below ("format": {...}) is the file's fault.
    try {
        return planFromJson(j, source);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(source, std::string("a field has the wrong JSON type: ") + e.what());
    }
}

namespace {

QuantPlan planFromJson(const nlohmann::json& j, const std::string& source)
{
    if (!j.is_object() || !j.contains("format") || !j["format"].is_string() || j["format"] != "salience-plan")
        throw InputError(source, "not a Salience plan (expected \"format\": \"salience-plan\")");
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int64_t>() > QuantPlan::kVersion)
        throw InputError(source, "unsupported plan version (this Salience reads version " + std::to_string(QuantPlan::kVersion) + ")");
    QuantPlan plan;
    if (j.contains("default"))
        plan.defaultRecipe = Recipe::fromJson(j["default"], source + ": default");
    plan.quantizeClassifier = j.value("quantize_classifier", false);
    if (j.contains("overrides")) {
        if (!j["overrides"].is_array())
            throw InputError(source, "\"overrides\" must be an array");
        int index = 0;
        for (const auto& oj : j["overrides"]) {
            const std::string where = source + ": override " + std::to_string(++index);
            if (!oj.is_object())
                throw InputError(where, "must be an object");
            PlanOverride o;
            int selectors = 0;
            try {
                if (oj.contains("layer"))
                    o.layer = oj["layer"].get<std::string>(), ++selectors;
                if (oj.contains("role")) {
                    const auto name = oj["role"].get<std::string>();
                    o.role = roleFromName(name);
                    if (!o.role)
                        throw InputError(where, "unknown role '" + name + "' (q, k, v, o, gate, up, down, classifier)");
                    ++selectors;
                }
                if (oj.contains("blocks")) {
                    const nlohmann::json& bj = oj["blocks"];
                    const auto isBlock = [](const nlohmann::json& v) {
                        return v.is_number_integer() && v.get<int64_t>() >= 0 &&
                               v.get<int64_t>() <= std::numeric_limits<int>::max();
                    };
                    if (!bj.is_array() || bj.size() != 2 || !isBlock(bj[0]) || !isBlock(bj[1]))
                        throw InputError(where, "\"blocks\" must be [first, last], two block numbers, got " + bj.dump());
                    const std::vector<int> b{bj[0].get<int>(), bj[1].get<int>()};
                    o.blocks = std::pair(b[0], b[1]);
                    ++selectors;
                }
                if (oj.contains("match")) {
                    o.match = oj["match"].get<std::string>();
                    Regex::fromUserPattern(*o.match, where); // refused now, not when first used
                    ++selectors;
                }
            } catch (const nlohmann::json::exception& e) {
                throw InputError(where, std::string("selector of the wrong type: ") + e.what());
            }
            if (selectors != 1)
                throw InputError(where, "needs exactly one of \"layer\", \"role\", \"blocks\", \"match\"");
            for (const auto& [key, _] : oj.items())
                if (key != "layer" && key != "role" && key != "blocks" && key != "match" && key != "set")
                    throw InputError(where, "unknown field '" + key + "'");
            o.set = oj.value("set", nlohmann::json::object());
            if (!o.set.is_object())
                throw InputError(where, "\"set\" must be an object of recipe fields, got " + o.set.dump());
            Recipe::fromJson(mergeRecipe(plan.defaultRecipe.toJson(), o.set), where); // rejects bad fields now, not at run time
            plan.overrides.push_back(std::move(o));
        }
    }
    return plan;
}

} // namespace

QuantPlan QuantPlan::load(const std::string& path)
{
    return fromJson(readJsonFile(path, "plan file"), path);
}

void QuantPlan::save(const std::string& path) const
{
    AtomicFile file(path, true);
    file.stream() << toJson().dump(2) << "\n";
    file.commit();
}

QuantPlan QuantPlan::uniform(const Recipe& recipe)
{
    QuantPlan p;
    p.defaultRecipe = recipe;
    return p;
}

} // namespace salience
