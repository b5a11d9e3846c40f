#include "acts/LayerActivations.h"

#include "base/Error.h"

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

void checkActivationsFit(const ActivationStore& store, const std::vector<LinearLayer>& layers, int64_t hiddenSize,
                         const std::string& source)
{
    const auto mismatch = [&](const std::string& what, int64_t model, int64_t file) {
        throw InputError(source, what + " has " + std::to_string(model) + " input channels in the model but " +
                                     std::to_string(file) + " in the activations: are they of another model?");
    };
    int matched = 0;
    for (const LinearLayer& l : layers) {
        const auto name = activationNameFor(store, l);
        if (!name)
            continue;
        ++matched;
        int64_t channels = -1;
        if (store.hasInputs(*name))
            channels = store.inputsShape(*name).cols;
        else if (store.hasStats(*name))
            channels = int64_t(store.stats(*name).channels());
        if (channels >= 0 && channels != l.inFeatures)
            mismatch("layer '" + l.name + "'", l.inFeatures, channels);
    }
    if (matched == 0 && !store.layerNames().empty())
        throw InputError(source, "none of the activations' " + std::to_string(store.layerNames().size()) +
                                     " layers (such as '" + store.layerNames().front() +
                                     "') is a layer of the model: are they of another model?");
    if (hiddenSize > 0)
        for (const auto& key : store.sites()) {
            if (key.site == "mlp_act") // the MLP's intermediate width, checked through its down projection
                continue;
            const int64_t cols = store.siteShape(key.block, key.site).cols;
            if (cols != hiddenSize)
                mismatch("block " + std::to_string(key.block) + " site '" + key.site + "'", hiddenSize, cols);
        }
}

} // namespace salience
