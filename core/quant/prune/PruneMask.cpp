#include "quant/prune/PruneMask.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace salience {

namespace {

constexpr int kMaxRun = 32; // QuantizedLinear counts N:M patterns up to M = 32

} // namespace

void PrunePattern::validate(const std::string& source) const
{
    if (n < 0 || n > kMaxRun || m < 1 || m > kMaxRun || n > m)
        throw InputError(source, "N:M pattern needs 0 <= N <= M and 1 <= M <= " + std::to_string(kMaxRun)
                             + ", got N = " + std::to_string(n) + ", M = " + std::to_string(m));
    if (!nOfM() && !(sparsity >= 0.0 && sparsity <= 0.99))
        throw InputError(source, "sparsity must lie in [0, 0.99], got " + std::to_string(sparsity));
}

void pruneLowestScores(std::span<const double> scores, int64_t count, std::span<uint8_t> mask)
{
    if (mask.size() != scores.size() || count < 0 || count > int64_t(scores.size()))
        throw Error("pruneLowestScores: " + std::to_string(count) + " of " + std::to_string(scores.size())
                    + " scores with a mask of " + std::to_string(mask.size()));
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), size_t(0));
    // Stable: equal scores keep index order, so the lower index is pruned first.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    for (int64_t k = 0; k < count; ++k)
        mask[order[size_t(k)]] = 0;
}

int64_t PrunePattern::prunedPerRow(int64_t in) const
{
    const double exact = sparsity * double(in);
    return std::min<int64_t>(in, int64_t(std::floor(exact + 1e-9 * std::max(1.0, exact))));
}

std::vector<uint8_t> maskFromScores(const MatrixD& scores, const PrunePattern& pattern, const std::string& source)
{
    pattern.validate(source);
    if (scores.rows() < 1 || scores.cols() < 1)
        throw InputError(source, "the weight matrix is empty");
    if (!scores.allFinite())
        throw InputError(source, "a pruning score is not finite");
    const int64_t out = scores.rows(), in = scores.cols();
    std::vector<uint8_t> mask(size_t(out * in), 1);
    for (int64_t r = 0; r < out; ++r) {
        const std::span<const double> rowScores(scores.data() + r * in, size_t(in));
        const std::span<uint8_t> rowMask(mask.data() + r * in, size_t(in));
        if (!pattern.nOfM()) {
            pruneLowestScores(rowScores, pattern.prunedPerRow(in), rowMask);
            continue;
        }
        for (int64_t begin = 0; begin < in; begin += pattern.m) {
            const int64_t end = std::min<int64_t>(in, begin + pattern.m);
            const int64_t keep = std::min<int64_t>(pattern.n, end - begin);
            pruneLowestScores(rowScores.subspan(size_t(begin), size_t(end - begin)), end - begin - keep,
                              rowMask.subspan(size_t(begin), size_t(end - begin)));
        }
    }
    return mask;
}

std::vector<uint8_t> magnitudeMask(const Matrix& weight, const PrunePattern& pattern)
{
    return maskFromScores(weight.cast<double>().cwiseAbs(), pattern, "prune-magnitude");
}

std::vector<uint8_t> wandaMask(const Matrix& weight, std::span<const double> inputNorms, const PrunePattern& pattern)
{
    if (int64_t(inputNorms.size()) != weight.cols())
        throw InputError("prune-wanda", "has " + std::to_string(inputNorms.size()) + " input norms for "
                             + std::to_string(weight.cols()) + " input columns");
    MatrixD scores = weight.cast<double>().cwiseAbs();
    for (Eigen::Index j = 0; j < scores.cols(); ++j) {
        const double norm = inputNorms[size_t(j)];
        if (!std::isfinite(norm) || norm < 0)
            throw InputError("prune-wanda", "input norm of column " + std::to_string(j) + " is not finite and >= 0");
        scores.col(j) *= norm;
    }
    return maskFromScores(scores, pattern, "prune-wanda");
}

std::vector<double> inputColumnNorms(const LayerData& data, int64_t inFeatures, const std::string& source)
{
    std::vector<double> norms(size_t(inFeatures), 0.0);
    auto requireWidth = [&](int64_t width, const char* what) {
        if (width != inFeatures)
            throw InputError(source, std::string(what) + " have " + std::to_string(width) + " columns, the layer has "
                                 + std::to_string(inFeatures));
    };
    if (data.stats && data.stats->count > 0) {
        requireWidth(int64_t(data.stats->channels()), "channel statistics");
        for (size_t j = 0; j < norms.size(); ++j)
            norms[j] = std::sqrt(data.stats->sumSq[j]);
    } else if (data.inputs && data.inputs->rows() > 0) {
        requireWidth(data.inputs->cols(), "inputs");
        for (Eigen::Index j = 0; j < data.inputs->cols(); ++j)
            norms[size_t(j)] = data.inputs->col(j).cast<double>().norm();
    } else if (data.gram && data.gramTokens > 0) {
        requireWidth(data.gram->cols(), "Gram matrix");
        requireWidth(data.gram->rows(), "Gram matrix rows");
        for (size_t j = 0; j < norms.size(); ++j)
            norms[j] = std::sqrt((*data.gram)(Eigen::Index(j), Eigen::Index(j)));
    } else {
        throw InputError(source, "needs the layer's input activations (inputs, channel statistics or a Gram "
                                 "matrix), and this layer has none");
    }
    for (size_t j = 0; j < norms.size(); ++j)
        if (!std::isfinite(norms[j]) || norms[j] < 0)
            throw InputError(source, "input norm of column " + std::to_string(j) + " is not a finite value >= 0");
    return norms;
}

} // namespace salience
