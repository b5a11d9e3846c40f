#pragma once
// Everything Salience says about one layer, or about the residual-stream sites of the
// activation file, in one call: what `salience-cli analyze` prints and the GUI's tabs show.
#include "acts/ActivationStore.h"
#include "analysis/Outliers.h"
#include "analysis/Spectrum.h"
#include "analysis/WeightStats.h"
#include "model/Model.h"
#include "base/Progress.h"

#include <optional>
#include <string>
#include <vector>

namespace salience {

// The thresholds of DESIGN.md's definitions, adjustable (the GUI's sliders).
struct OutlierThresholds {
    double massiveEta = 300.0;   // |A| > eta·mean|A|
    double massiveGamma = 50.0;  // and |A| > gamma
    double channelEta = 3.0;     // |mean(A·j)| > eta·std(A) + mean|A|
    double channelBeta = 0.6;    // and std(A·j)/|mean(A·j)| < beta
    double statsEta = 10.0;      // stats-only criterion: magnitude > eta × median
};

struct LayerAnalysis {
    std::string layer;
    WeightStats weights;
    Spectrum spectrum;
    std::optional<Spectrum> scaledSpectrum;       // of W·diag(rms of the inputs)
    std::optional<ChannelStats> inputStats;
    std::optional<ChannelOutlierReport> inputOutliers;      // when raw inputs are kept
    std::optional<StatsOutlierReport> inputStatsOutliers;   // when only statistics are
    std::string activationName; // the name the activation file uses for this layer
};

struct SiteAnalysis {
    int block = 0;
    std::string site;
    MassiveActivationReport massive;
    ChannelOutlierReport channels;
};

LayerAnalysis analyzeLayer(const Model& model, const LinearLayer& layer, const ActivationStore* activations,
                           const OutlierThresholds& thresholds, Progress& progress);
// The same for a weight already read (model.weight(layer)), so callers that keep it read it once.
// spectrumTopK > 0: only the largest spectrumTopK singular values (topSpectrum), for a first look
// at a large layer; layerSpectra gives the full ones afterwards.
LayerAnalysis analyzeLayer(const Matrix& weight, const LinearLayer& layer, const ActivationStore* activations,
                           const OutlierThresholds& thresholds, Progress& progress, int64_t spectrumTopK = 0);

// The spectra of W and, when the input statistics fit its columns, of W·diag(rms).
struct LayerSpectra {
    Spectrum spectrum;
    std::optional<Spectrum> scaledSpectrum;
};
LayerSpectra layerSpectra(const Matrix& weight, const std::optional<ChannelStats>& inputStats, Progress& progress,
                          int64_t topK = 0);

// Every block site of the file, in block order.
std::vector<SiteAnalysis> analyzeSites(const ActivationStore& activations, const OutlierThresholds& thresholds,
                                       Progress& progress);

} // namespace salience
