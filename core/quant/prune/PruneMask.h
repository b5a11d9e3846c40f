#pragma once
// Which weights pruning keeps: a 0/1 mask [out, in] (row-major, 1 = kept), chosen from a score
// per weight, always compared WITHIN each output row (as Wanda does; the model's rows then all
// keep the same share of their weights).
//   magnitude  score_ij = |W_ij|
//   Wanda      score_ij = |W_ij|·‖X_j‖₂   (Sun et al., 2023; ‖X_j‖₂ the L2 norm of input
//              column j over the calibration tokens: a large input channel protects its weights)
//
// Patterns:
//   unstructured  sparsity p in [0, 1): each row prunes exactly floor(p·in) weights (computed
//                 with a 1e-9 tolerance, so 0.29·100 prunes 29, not 28), those of lowest score
//   N:M           every run of M consecutive positions of a row keeps the N of highest score
//                 (a shorter last run of k positions keeps min(N, k)); p is ignored
// Ties: among equal scores the LOWER column index is pruned first. So an all-equal row prunes
// its first columns, and the rule is the same for both patterns.
#include "quant/LayerData.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace salience {

struct PrunePattern {
    double sparsity = 0.5; // unstructured only, in [0, 0.99]
    int n = 0;             // 0: unstructured; else keep N of every M
    int m = 4;             // run length of N:M, in [1, 32], n <= m

    bool nOfM() const { return n > 0; }
    // Throws InputError(source, ...) when a field is out of range.
    void validate(const std::string& source) const;
    // Weights pruned from a row of `in` under the unstructured pattern.
    int64_t prunedPerRow(int64_t in) const;
};

// Prunes (sets to 0 in `mask`) the `count` lowest of `scores`, lower index first among equals.
// scores and mask have the same length; count <= length. The building block of every mask.
void pruneLowestScores(std::span<const double> scores, int64_t count, std::span<uint8_t> mask);

// The mask keeping the highest scores of each row under `pattern` (ties as above).
// Throws InputError(source, ...) for an empty or non-finite score matrix or a bad pattern.
std::vector<uint8_t> maskFromScores(const MatrixD& scores, const PrunePattern& pattern,
                                    const std::string& source = "prune");

// |W| as the score.
std::vector<uint8_t> magnitudeMask(const Matrix& weight, const PrunePattern& pattern);

// |W_ij|·inputNorms_j as the score; inputNorms has in entries, each finite and >= 0.
std::vector<uint8_t> wandaMask(const Matrix& weight, std::span<const double> inputNorms,
                               const PrunePattern& pattern);

// ‖X_j‖₂ per input column: sqrt(sumSq_j) from data.stats, else the column norms of
// data.inputs, else sqrt(diag(gram)). Throws InputError(source, ...) when none is present, the
// width is not inFeatures or a value is not finite.
std::vector<double> inputColumnNorms(const LayerData& data, int64_t inFeatures, const std::string& source);

} // namespace salience
