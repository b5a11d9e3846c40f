#include "export/LlamaQuantizePlan.h"

#include "base/Error.h"
#include "io/GgmlTypes.h"
#include "quant/GgmlQuantize.h"

namespace salience {

namespace {

// True when the method can round onto `type`: a block format (not a float type).
bool isBlockFormat(const std::string& type)
{
    const auto t = ggmlTypeFromName(type);
    return t && isGgmlGridType(*t);
}

} // namespace

QuantPlan llamaQuantizeMixPlan(const Model& model, const LlamaQuantizeMix& mix, const Recipe& base)
{
    const std::string source = "--preset " + mix.preset;
    QuantPlan plan;
    plan.defaultRecipe = base;
    if (isBlockFormat(mix.baseType)) {
        plan.defaultRecipe.gridType = mix.baseType;
    } else {
        // A float preset: nothing is rounded, every tensor keeps a float type.
        plan.defaultRecipe = Recipe{};
        plan.defaultRecipe.method = "none";
    }
    plan.defaultRecipe.validate(source);

    for (const LinearLayer& layer : model.layers()) {
        if (layer.role == LayerRole::Embedding || layer.role == LayerRole::Other)
            continue;
        const auto it = mix.layers.find(layer.name);
        if (it == mix.layers.end())
            continue; // the exporter writes no such tensor, so the mix says nothing of it
        const std::string& type = it->second.requested;
        const bool classifier = layer.role == LayerRole::Classifier;
        if (type == mix.baseType && !classifier)
            continue;
        PlanOverride o;
        o.layer = layer.name;
        if (!isBlockFormat(type))
            o.set = {{"method", "none"}};
        else if (plan.defaultRecipe.method == "none")
            continue; // nothing to quantize, whatever the type
        else
            o.set = {{"grid_type", type}};
        plan.overrides.push_back(std::move(o));
    }
    plan.validateAgainst(model, source);
    return plan;
}

} // namespace salience
