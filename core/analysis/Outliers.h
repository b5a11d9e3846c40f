#pragma once
// The two kinds of activation outliers the outlier study shows at each residual-stream site
// (DESIGN.md, "Definitions the engine uses"): massive activations, a handful of single
// entries hundreds of times the typical magnitude, and channel-wise outliers, whole channels
// that carry a large, consistent value on every token.
#include "tensor/ChannelStats.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

// ---- Massive activations ---------------------------------------------------------------

struct MassiveActivation {
    int64_t token = 0;
    int64_t dim = 0;
    float value = 0.0f;
    double ratioToMedian = 0.0; // |value| / median |A|; +inf when that median is 0
    double ratioToMean = 0.0;   // |value| / mean |A|;   +inf when that mean is 0
};

struct MassiveActivationReport {
    double eta = 300.0;
    double gamma = 50.0;
    double meanAbs = 0.0;   // over the finite entries of A
    double medianAbs = 0.0; // over the finite entries of A
    int64_t nonFiniteCount = 0; // NaN/Inf entries: left out of every statistic and every list

    // Entries with |A_ij| > eta·mean|A| and |A_ij| > gamma, by |value| descending
    // (ties: by token, then dim).
    std::vector<MassiveActivation> massive;
    // The largest |A_ij| whatever the thresholds, for display, in the same order.
    std::vector<MassiveActivation> top;
    // The distinct dims that carry at least one massive activation, increasing.
    std::vector<int64_t> massiveDims;
};

// A is [tokens, d] at one site. Throws InputError for eta or gamma not finite and >= 0.
MassiveActivationReport massiveActivations(const Matrix& A, double eta = 300.0,
                                           double gamma = 50.0, size_t topK = 10);

// ---- Channel-wise outliers from the raw activations --------------------------------------
//
// DESIGN.md: channel j is an outlier when mean(A·j) > eta·std(A) + mean(|A|) and
// std(A·j) < beta. Read literally that is sign-dependent and scale-dependent, so Salience
// reads it as follows:
//  - magnitude: |mean(A·j)|, the absolute value of the channel's signed mean over tokens, so
//    that channels stuck at a large negative value count as much as positive ones, while a
//    channel that merely swings widely around zero (large spread, small mean) does not;
//  - consistency: the relative spread std(A·j) / |mean(A·j)| < beta. An absolute bound on
//    std would depend on the scale of the site (0.6 is tiny at a residual stream of
//    magnitude 100, huge at one of magnitude 0.01); relative, the whole criterion is
//    scale-invariant, like the left-hand side, and it says what the literature means by an
//    outlier channel: a large value that is there on every token.
// std(A) and mean(|A|) are over all finite entries of A. All standard deviations are
// population ones (divide by the count).

struct ChannelSummary {
    double mean = 0.0;    // signed mean over tokens
    double std = 0.0;     // population std over tokens
    double meanAbs = 0.0; // mean |A·j|: the channel's typical magnitude
    double absMax = 0.0;
};

struct FlaggedChannel {
    int64_t channel = 0;
    double magnitude = 0.0;     // the value the criterion compared (|mean|, RMS or abs-max)
    double ratioToMedian = 0.0; // magnitude / the report's median; +inf when that median is 0
};

struct ChannelOutlierReport {
    double eta = 3.0;
    double beta = 0.6;
    double meanAbs = 0.0;  // mean |A| over all finite entries
    double std = 0.0;      // std(A) over all finite entries
    double threshold = 0.0; // eta·std(A) + mean|A|, what |mean(A·j)| must exceed
    int64_t nonFiniteCount = 0;
    std::vector<ChannelSummary> channels; // one per column of A
    // Median over channels of meanAbs: what ratioToMedian divides by.
    double medianChannelMagnitude = 0.0;
    std::vector<FlaggedChannel> outliers; // by channel index
};

// Throws InputError for eta or beta not finite and >= 0. A with no rows gives zero
// summaries and no outlier.
ChannelOutlierReport channelOutliers(const Matrix& A, double eta = 3.0, double beta = 0.6);

// ---- Outlier channels from channel statistics only -----------------------------------------
//
// A different, weaker criterion for when only ChannelStats are kept (activation files without
// inputs, llama.cpp imatrix): channel j is flagged when its magnitude exceeds eta × the median
// channel magnitude, where the magnitude is the RMS over tokens or, when the statistics carry
// it, the abs-max. It cannot see consistency across tokens.

enum class ChannelMagnitude {
    Auto,   // abs-max when present, else RMS
    Rms,
    AbsMax, // throws InputError when the statistics have none
};

struct StatsOutlierReport {
    ChannelMagnitude measure = ChannelMagnitude::Rms; // the one used: Rms or AbsMax, never Auto
    double eta = 10.0;
    std::vector<double> magnitude; // per channel
    double median = 0.0;
    std::vector<FlaggedChannel> outliers; // by channel index
};

// Throws InputError for eta not finite and > 0 or inconsistent statistics.
StatsOutlierReport channelOutliersFromStats(const ChannelStats& stats, double eta = 10.0,
                                            ChannelMagnitude measure = ChannelMagnitude::Auto);

} // namespace salience
