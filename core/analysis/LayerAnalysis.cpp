#include "analysis/LayerAnalysis.h"

#include "acts/LayerActivations.h"

namespace salience {

LayerAnalysis analyzeLayer(const Model& model, const LinearLayer& layer, const ActivationStore* activations,
                           const OutlierThresholds& t, Progress& progress)
{
    return analyzeLayer(model.weight(layer), layer, activations, t, progress);
}

LayerSpectra layerSpectra(const Matrix& w, const std::optional<ChannelStats>& inputStats, Progress& progress,
                          int64_t topK)
{
    LayerSpectra out;
    const bool scaled = inputStats && int64_t(inputStats->channels()) == w.cols();
    Progress first = progress.child(0.0, scaled ? 0.5 : 1.0);
    out.spectrum = topK > 0 ? topSpectrum(w, topK, first) : spectrum(w, first);
    if (scaled) {
        Progress second = progress.child(0.5, 1.0);
        out.scaledSpectrum = topK > 0 ? topSpectrum(w, inputStats->rms(), topK, second)
                                      : spectrum(w, inputStats->rms(), second);
    }
    return out;
}

LayerAnalysis analyzeLayer(const Matrix& w, const LinearLayer& layer, const ActivationStore* activations,
                           const OutlierThresholds& t, Progress& progress, int64_t spectrumTopK)
{
    LayerAnalysis a;
    a.layer = layer.name;
    a.weights = weightStats(w);
    progress.report(0.2);
    if (activations) {
        if (const auto name = activationNameFor(*activations, layer)) {
            a.activationName = *name;
            if (activations->hasInputs(*name)) {
                const Matrix& x = activations->inputs(*name);
                a.inputOutliers = channelOutliers(x, t.channelEta, t.channelBeta);
            }
            if (activations->hasStats(*name) || activations->hasInputs(*name)) {
                a.inputStats = activations->stats(*name);
                if (!a.inputOutliers)
                    a.inputStatsOutliers = channelOutliersFromStats(*a.inputStats, t.statsEta);
            }
        }
    }
    Progress spectra = progress.child(0.3, 1.0);
    LayerSpectra s = layerSpectra(w, a.inputStats, spectra, spectrumTopK);
    a.spectrum = std::move(s.spectrum);
    a.scaledSpectrum = std::move(s.scaledSpectrum);
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
