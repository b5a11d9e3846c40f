#pragma once
// The Gram matrix XᵀX of a layer's inputs, in double precision: GPTQ's Hessian and the
// whitening of activation-aware low-rank methods start from it. The accumulator takes the
// inputs a batch of rows at a time, so the tokens never need to be in memory at once.
#include "tensor/Tensor.h"

#include <cstdint>

namespace salience {

// XᵀX [in_features, in_features] of X [tokens, in_features].
MatrixD gram(const Matrix& X);

class GramAccumulator {
public:
    // The width is taken from the first batch.
    GramAccumulator() = default;
    explicit GramAccumulator(int64_t features);

    // Adds XᵀX of a batch of rows. Throws std::invalid_argument when the width differs.
    void add(const Matrix& rows);
    // Adds another accumulator's sum (e.g. one per thread).
    void add(const GramAccumulator& other);

    // The symmetric sum of XᵀX over every row added so far.
    MatrixD gram() const;
    int64_t count() const { return m_count; }
    int64_t features() const { return m_features < 0 ? 0 : m_features; } // 0 before the first batch

private:
    void ensureWidth(int64_t features);

    Eigen::MatrixXd m_lower; // lower triangle holds the sum; column-major suits rankUpdate
    int64_t m_features = -1;
    int64_t m_count = 0;
};

} // namespace salience
