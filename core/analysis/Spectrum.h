#pragma once
// The singular spectrum of a weight matrix, or of the activation-scaled weight W·diag(s),
// and the numbers that summarise it: how fast energy accumulates, effective and stable rank.
// Rank budgets (QER, SRR, ASVD) are read off these.
#include "linalg/Svd.h"
#include "tensor/Tensor.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace salience {

class Progress;

struct Spectrum {
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<double> singularValues; // descending, min(rows, cols) of them
    // cumulativeEnergy[k] = Σ_{i≤k} σ_i² / Σ σ_i²: the share kept by the first k + 1 values.
    // The last entry is exactly 1. All 1 for a zero matrix (there is nothing to lose).
    std::vector<double> cumulativeEnergy;
    double frobeniusNormSquared = 0.0; // Σ σ_i²
    // Roy & Vetterli (2007): exp(−Σ p_i log p_i) with p_i = σ_i / Σ σ_j. 0 for a zero matrix.
    double effectiveRank = 0.0;
    // ‖W‖_F² / σ_1². 0 for a zero matrix.
    double stableRank = 0.0;

    // A partial spectrum (topSpectrum) holds only the largest values, estimated: their
    // cumulative energy is relative to the exact ‖W‖_F² and ends below 1, effectiveRank is 0
    // (it needs every value), and missedEnergy bounds what lies beyond them.
    bool partial = false;
    int64_t totalValues = 0;   // min(rows, cols)
    double missedEnergy = 0.0; // partial: ‖W − QQᵀW‖_F² of the randomized subspace Q

    // Share of the energy the first k singular values keep: 0 for k = 0 (1 for a zero
    // matrix), 1 for k >= the number of values (partial: the share of the values held).
    double energyKept(size_t k) const;
    // The smallest k with energyKept(k) >= fraction (partial: the number of values held when
    // they keep less). Throws InputError unless 0 <= fraction <= 1.
    size_t rankForEnergy(double fraction) const;
};

// Spectrum of W, every singular value, from LAPACK's values-only gesdd. Float (the default)
// works in float32: about 3× faster than double on an 8192 × 2048 layer, and each value is within
// about max(m, n)·2^-24·σ_1 of the exact one (an absolute error: values far below σ_1 lose their
// relative accuracy, which a plot on a log scale or a rank budget read off energy never sees).
// Double keeps every digit, for a caller that needs the small values themselves. The Progress
// overloads check for cancellation before the SVD and report when it is done. Throws as
// singularValues() does.
Spectrum spectrum(const Matrix& W, SvdPrecision precision = SvdPrecision::Float);
Spectrum spectrum(const Matrix& W, Progress& progress, SvdPrecision precision = SvdPrecision::Float);

// Spectrum of the activation-scaled weight W·diag(s): column j of W [out, in] times s[j],
// s being per-input-channel scales such as ChannelStats::rms(). The product is formed in double;
// Float then decomposes it in float32 unless a scaled value leaves float's range (then double).
// Throws InputError when s has the wrong length or holds a value that is not finite.
Spectrum spectrum(const Matrix& W, const std::vector<double>& s, SvdPrecision precision = SvdPrecision::Float);
Spectrum spectrum(const Matrix& W, const std::vector<double>& s, Progress& progress,
                  SvdPrecision precision = SvdPrecision::Float);

// The largest k singular values only, by a randomized SVD (linalg/RandomizedSvd.h, two power
// iterations) in about the time of a few matrix products: for large layers shown while the
// full spectrum is computed. A k at or above min(rows, cols) gives the full spectrum.
Spectrum topSpectrum(const Matrix& W, int64_t k, Progress& progress);
Spectrum topSpectrum(const Matrix& W, const std::vector<double>& s, int64_t k, Progress& progress);

// The summary numbers from given singular values (any order; they are sorted). Throws
// InputError for a negative or non-finite value.
Spectrum spectrumFromSingularValues(std::vector<double> singularValues, int64_t rows = 0,
                                    int64_t cols = 0);

} // namespace salience
