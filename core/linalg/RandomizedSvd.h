#pragma once
// The largest singular values of a large matrix in a second instead of minutes: a randomized
// range finder with power iterations (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.1).
// For interactive use on LLM-sized layers (a 14336 × 4096 MLP matrix); the full spectrum
// (singularValues in Svd.h) follows when there is time.
#include "tensor/Tensor.h"

#include <cstdint>
#include <vector>

namespace salience {

// The error, stated: with B = QᵀW, WᵀW = BᵀB + Wᵀ(I − QQᵀ)W, and by Weyl's inequality each
// estimate brackets the true value: values[i] ≤ σ_i ≤ sqrt(values[i]² + missedEnergy) (up to
// float32 rounding, a relative 1e-4 or so). Power iterations shrink missedEnergy on a decaying
// spectrum; a flat spectrum keeps it large, and says so.
struct TopSingularValues {
    std::vector<double> values; // the k largest estimates, descending; each is <= the true σ_i
    // ‖W‖_F² exactly, and the part of it the captured subspace Q misses: ‖W − QQᵀW‖_F². Every
    // singular value beyond those found is at most sqrt(missedEnergy), and the values found
    // account for totalEnergy − missedEnergy.
    double totalEnergy = 0.0;
    double missedEnergy = 0.0;
    int powerIterations = 0;
};

// The k largest singular values of W [m, n] (k is capped at min(m, n)), from a subspace of
// k + oversampling random directions refined by `powerIterations` passes, in float32 with
// re-orthonormalisation between passes. Deterministic for a given seed. Throws InputError for
// k < 1, a negative iteration count, or a W holding NaN or Inf.
TopSingularValues topSingularValues(const Matrix& W, int64_t k, int powerIterations = 2, int64_t oversampling = 10,
                                    uint64_t seed = 0x5eed);

} // namespace salience
