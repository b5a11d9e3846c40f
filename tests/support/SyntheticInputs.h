#pragma once
// Synthetic matrices for the tests of activation-aware methods: Gaussian weights, and inputs
// correlated across channels with a few strong ones, as a real layer's are.
#include "tensor/Tensor.h"

#include <cmath>
#include <cstdint>
#include <random>

namespace testsupport {

inline salience::Matrix gaussian(int64_t rows, int64_t cols, uint32_t seed, float sigma = 1.0f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.0f, sigma);
    salience::Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = n(rng);
    return m;
}

// Z·A plus noise, every `strongEvery`-th channel scaled by `strength`.
inline salience::Matrix correlatedInputs(int64_t tokens, int64_t in, uint32_t seed, int64_t strongEvery = 17,
                                         float strength = 8.0f)
{
    salience::Matrix X = gaussian(tokens, in, seed) * gaussian(in, in, seed + 1, 1.0f / std::sqrt(float(in)));
    X += 0.3f * gaussian(tokens, in, seed + 2);
    for (int64_t c = 0; c < in; c += strongEvery)
        X.col(c) *= strength;
    return X;
}

} // namespace testsupport
