#include "run/LayerPreview.h"

#include "acts/LayerActivations.h"

namespace salience {

namespace {
constexpr int kHistogramBins = 101;
}

LayerInspection inspectLayer(const Model& model, const LinearLayer& layer, const ActivationStore* activations,
                             const OutlierThresholds& thresholds, Progress& progress, int64_t spectrumTopK)
{
    LayerInspection out;
    out.weight = model.weight(layer);
    Progress analysis = progress.child(0.0, 0.8);
    out.analysis = analyzeLayer(out.weight, layer, activations, thresholds, analysis, spectrumTopK);
    out.weightHistogram = histogram(out.weight, kHistogramBins);
    if (activations) {
        if (auto name = activationNameFor(*activations, layer); name && activations->hasInputs(*name))
            out.inputs = activations->inputs(*name);
        for (const auto& key : activations->sites()) {
            progress.throwIfCancelled();
            if (key.block != layer.block)
                continue;
            const Matrix& a = activations->site(key.block, key.site);
            out.sites.push_back({key.block, key.site, massiveActivations(a, thresholds.massiveEta, thresholds.massiveGamma),
                                 channelOutliers(a, thresholds.channelEta, thresholds.channelBeta)});
            out.siteValues.push_back(a);
        }
    }
    progress.report(1.0);
    return out;
}

QuantPreview previewLayer(const Model& model, const LinearLayer& layer, const Recipe& recipe,
                          const ActivationStore* activations, Progress& progress)
{
    QuantPreview out;
    out.weight = model.weight(layer);
    out.result = runLayer(out.weight, layer, recipe, activations, progress);
    out.dequantized = out.result.quantized ? out.result.quantized->dequantize() : out.weight;
    out.error = out.weight - out.dequantized;
    out.errorHistogram = histogram(out.error, kHistogramBins);
    progress.report(1.0);
    return out;
}

} // namespace salience
