#pragma once
// What the GUI shows for one layer, computed in one call on a worker thread: the inspection
// (weights, spectra, outliers, the layer's inputs) and the before/after of a recipe.
#include "acts/ActivationStore.h"
#include "analysis/Histogram.h"
#include "analysis/LayerAnalysis.h"
#include "model/Model.h"
#include "run/Runner.h"

#include <optional>

namespace salience {

struct LayerInspection {
    LayerAnalysis analysis;
    Matrix weight;                   // canonical [out, in]
    Histogram weightHistogram;
    std::optional<Matrix> inputs;    // [tokens, in] when the activation file keeps them
    // The block's residual-stream sites with their outlier reports (block of the layer).
    std::vector<SiteAnalysis> sites;
    std::vector<Matrix> siteValues;  // same order as sites
};

struct QuantPreview {
    LayerResult result;
    Matrix weight;
    Matrix dequantized;   // Ŵ; equal to weight when the recipe keeps full precision
    Matrix error;         // W − Ŵ
    Histogram errorHistogram;
};

// spectrumTopK > 0: the spectra hold only the largest values (see analyzeLayer).
LayerInspection inspectLayer(const Model& model, const LinearLayer& layer, const ActivationStore* activations,
                             const OutlierThresholds& thresholds, Progress& progress, int64_t spectrumTopK = 0);

QuantPreview previewLayer(const Model& model, const LinearLayer& layer, const Recipe& recipe,
                          const ActivationStore* activations, Progress& progress);

} // namespace salience
