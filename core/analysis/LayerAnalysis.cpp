#include "analysis/LayerAnalysis.h"

#include "acts/LayerActivations.h"

namespace salience {

LayerAnalysis analyzeLayer(const Model& model, const LinearLayer& layer, const ActivationStore* activations,
                           const OutlierThresholds& t, Progress& progress)
{
    return analyzeLayer(model.weight(layer), layer, activations, t, progress);
}

LayerAnalysis analyzeLayer(const Matrix& w, const LinearLayer& layer, const ActivationStore* activations,
                           const OutlierThresholds& t, Progress& progress)
{
    LayerAnalysis a;
    a.layer = layer.name;
    a.weights = weightStats(w);
    progress.report(0.2);
    Progress spectrumProgress = progress.child(0.2, 0.6);
    a.spectrum = spectrum(w, spectrumProgress);
    if (!activations)
        return a;
    const auto name = activationNameFor(*activations, layer);
    if (!name)
        return a;
    a.activationName = *name;
    if (activations->hasInputs(*name)) {
        const Matrix& x = activations->inputs(*name);
        a.inputOutliers = channelOutliers(x, t.channelEta, t.channelBeta);
    }
    if (activations->hasStats(*name) || activations->hasInputs(*name)) {
        a.inputStats = activations->stats(*name);
        if (!a.inputOutliers)
            a.inputStatsOutliers = channelOutliersFromStats(*a.inputStats, t.statsEta);
        if (int64_t(a.inputStats->channels()) == layer.inFeatures) {
            Progress scaledProgress = progress.child(0.6, 1.0);
            a.scaledSpectrum = spectrum(w, a.inputStats->rms(), scaledProgress);
        }
    }
    progress.report(1.0);
    return a;
}

std::vector<SiteAnalysis> analyzeSites(const ActivationStore& activations, const OutlierThresholds& t,
                                       Progress& progress)
{
    std::vector<SiteAnalysis> out;
    const auto keys = activations.sites();
    for (size_t i = 0; i < keys.size(); ++i) {
        progress.throwIfCancelled();
        const Matrix& a = activations.site(keys[i].block, keys[i].site);
        out.push_back({keys[i].block, keys[i].site, massiveActivations(a, t.massiveEta, t.massiveGamma),
                       channelOutliers(a, t.channelEta, t.channelBeta)});
        progress.report(double(i + 1) / double(keys.size()));
    }
    return out;
}

} // namespace salience
