#include "acts/LayerActivations.h"

#include "model/LayerDiscovery.h"

namespace salience {

std::optional<std::string> activationNameFor(const ActivationStore& store, const LinearLayer& layer)
{
    std::string tensorStem = layer.tensorName;
    if (tensorStem.ends_with(".weight"))
        tensorStem.resize(tensorStem.size() - 7);
    const auto names = store.layerNames();
    for (const std::string& candidate : {layer.name, tensorStem, layer.tensorName})
        for (const auto& n : names)
            if (n == candidate)
                return n;
    if (layer.role == LayerRole::Other)
        return std::nullopt;
    for (const auto& n : names)
        if (auto br = parseLayerName(n); br && br->block == layer.block && br->role == layer.role)
            return n;
    return std::nullopt;
}

} // namespace salience
