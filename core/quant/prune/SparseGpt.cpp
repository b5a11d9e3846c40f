#include "quant/prune/SparseGpt.h"

#include "base/Error.h"
#include "quant/Hessian.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace salience {

namespace {

const char* kMethod = "sparsegpt";
constexpr int64_t kMaxBlock = 4096;

GroupParams paramsOf(const std::vector<float>& values, const QuantGrid& grid)
{
    return rtnGroupParams(std::span<const float>(values.data(), values.size()), grid);
}

} // namespace

QuantizedLinear pruneSparseGpt(const Matrix& weight, const QuantGrid& grid, const SparseGptOptions& options,
                               const LayerData& data, Progress& progress)
{
    grid.validate();
    const PrunePattern& pattern = options.prune.pattern;
    pattern.validate(kMethod);
    if (!(options.damp >= 0.0 && options.damp <= 1.0))
        throw InputError(kMethod, "damp must lie in [0, 1], got " + std::to_string(options.damp));
    if (options.blockSize < 1 || options.blockSize > kMaxBlock)
        throw InputError(kMethod, "block must lie in [1, " + std::to_string(kMaxBlock) + "], got "
                             + std::to_string(options.blockSize));
    if (options.maskBlockSize < 1 || options.maskBlockSize > kMaxBlock)
        throw InputError(kMethod, "mask_block must lie in [1, " + std::to_string(kMaxBlock) + "], got "
                             + std::to_string(options.maskBlockSize));
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(kMethod, "weight matrix is empty");
    if (!weight.allFinite())
        throw InputError(kMethod, "a weight is not finite");
    if (!data.inputs && !data.gram)
        throw InputError(kMethod, "needs the layer's inputs or their Gram matrix, and this layer has neither");
    const int64_t out = weight.rows(), in = weight.cols();

    MatrixD hessian;
    std::vector<bool> dead;
    try {
        hessian = layerHessian(data, in, options.damp);
        dead = deadInputColumns(data, in);
    } catch (const InputError& e) {
        throw InputError(kMethod, e.what());
    }
    progress.throwIfCancelled();
    const MatrixD U = upperCholeskyOfInverse(hessian);
    progress.throwIfCancelled();

    MatrixD W = weight.cast<double>();
    for (int64_t j = 0; j < in; ++j)
        if (dead[size_t(j)])
            W.col(j).setZero();

    const bool quantize = options.prune.quantize;
    const int maxq = grid.maxCode();
    QuantizedLinear q(out, in, grid, kMethod);
    // The grid parameters each row currently rounds with.
    std::vector<GroupParams> rowParams(static_cast<size_t>(out));
    if (quantize && grid.granularity == Granularity::PerTensor) {
        std::vector<float> all(size_t(out * in));
        for (int64_t k = 0; k < out * in; ++k)
            all[size_t(k)] = float(W.data()[k]);
        const GroupParams p = paramsOf(all, grid);
        std::fill(rowParams.begin(), rowParams.end(), p);
        q.scales[0] = p.scale;
        q.zeroPoints[0] = p.zero;
    } else if (quantize && grid.granularity == Granularity::PerChannel) {
        std::vector<float> row(static_cast<size_t>(in));
        for (int64_t r = 0; r < out; ++r) {
            for (int64_t j = 0; j < in; ++j)
                row[size_t(j)] = float(W(r, j));
            rowParams[size_t(r)] = paramsOf(row, grid);
            q.scales[size_t(r)] = rowParams[size_t(r)].scale;
            q.zeroPoints[size_t(r)] = rowParams[size_t(r)].zero;
        }
    }

    int64_t block = options.blockSize;
    if (pattern.nOfM()) // runs of M must not straddle blocks
        block = (block + pattern.m - 1) / pattern.m * pattern.m;

    std::vector<uint8_t> mask(size_t(out * in), 1);
    Matrix result = Matrix::Zero(out, in);
    std::vector<double> scores;
    for (int64_t i1 = 0; i1 < in; i1 += block) {
        progress.throwIfCancelled();
        const int64_t i2 = std::min(in, i1 + block);
        const int64_t count = i2 - i1;
        MatrixD W1 = W.middleCols(i1, count);
        MatrixD err1 = MatrixD::Zero(out, count);

        // Prunes `prune` of the block's columns [b, e) (block-relative) in each row, by OBS saliency.
        auto selectMask = [&](int64_t b, int64_t e, int64_t prune) {
            if (prune <= 0)
                return;
            scores.resize(size_t(e - b));
            for (int64_t r = 0; r < out; ++r) {
                for (int64_t j = b; j < e; ++j) {
                    const double u = U(i1 + j, i1 + j);
                    scores[size_t(j - b)] = W1(r, j) * W1(r, j) / (u * u);
                }
                pruneLowestScores(scores, prune,
                                  std::span<uint8_t>(mask.data() + r * in + i1 + b, size_t(e - b)));
            }
        };
        for (int64_t i = 0; i < count; ++i) {
            const int64_t col = i1 + i;
            if (!pattern.nOfM() && (i == 0 || col % options.maskBlockSize == 0)) {
                const int64_t end = std::min(i2, (col / options.maskBlockSize + 1) * options.maskBlockSize);
                selectMask(i, end - i1, pattern.prunedPerRow(end) - pattern.prunedPerRow(col));
            }
            if (pattern.nOfM() && i % pattern.m == 0) {
                const int64_t runEnd = std::min(count, i + pattern.m);
                selectMask(i, runEnd, runEnd - i - std::min<int64_t>(pattern.n, runEnd - i));
            }
            if (quantize && grid.granularity == Granularity::PerGroup
                && grid.groupBegin(grid.groupOfColumn(col)) == col) {
                // The group's current weights: inside the block from W1, beyond it from W plus
                // the errors this block has produced so far.
                const int64_t g = grid.groupOfColumn(col);
                const int64_t gEnd = grid.groupEnd(g, in);
                const int64_t inBlockEnd = std::min(gEnd, i2);
                MatrixD beyond;
                if (gEnd > i2)
                    beyond = W.middleCols(i2, gEnd - i2) - err1.leftCols(i) * U.block(i1, i2, i, gEnd - i2);
                std::vector<float> values(size_t(gEnd - col));
                for (int64_t r = 0; r < out; ++r) {
                    for (int64_t c = col; c < inBlockEnd; ++c)
                        values[size_t(c - col)] = float(W1(r, c - i1));
                    for (int64_t c = i2; c < gEnd; ++c)
                        values[size_t(c - col)] = float(beyond(r, c - i2));
                    const GroupParams p = paramsOf(values, grid);
                    rowParams[size_t(r)] = p;
                    const auto index = size_t(q.groupIndex(r, col));
                    q.scales[index] = p.scale;
                    q.zeroPoints[index] = p.zero;
                }
            }

            const double d = U(col, col);
            for (int64_t r = 0; r < out; ++r) {
                const double w = W1(r, i);
                double value = 0.0;
                const auto at = size_t(r * in + col);
                if (mask[at] == 0) {
                    if (quantize)
                        q.codes[at] = uint8_t(rowParams[size_t(r)].zero);
                } else if (quantize) {
                    const uint8_t code = rtnCode(float(w), rowParams[size_t(r)], maxq);
                    q.codes[at] = code;
                    value = rtnDequant(code, rowParams[size_t(r)]);
                } else {
                    value = roundToHalf(float(w));
                    if (!std::isfinite(value))
                        throw InputError(kMethod, "a kept weight is beyond the float16 range");
                }
                result(r, col) = float(value);
                err1(r, i) = (w - value) / d;
            }
            if (i + 1 < count)
                W1.rightCols(count - i - 1).noalias() -= err1.col(i) * U.row(col).segment(col + 1, count - i - 1);
        }
        if (i2 < in)
            W.rightCols(in - i2).noalias() -= err1 * U.block(i1, i2, count, in - i2);
        progress.report(double(i2) / double(in), "SparseGPT column " + std::to_string(i2));
    }

    if (!quantize) {
        q.base = QuantBase::Dense;
        q.dense = std::move(result);
    }
    q.keepMask = std::move(mask);
    recordPruneParameters(q, options.prune);
    q.parameters["damp"] = options.damp;
    q.parameters["block"] = double(options.blockSize);
    if (!pattern.nOfM())
        q.parameters["mask_block"] = double(options.maskBlockSize);
    q.validate();
    return q;
}

MethodInfo sparseGptMethodInfo()
{
    MethodInfo info;
    info.name = kMethod;
    info.title = "SparseGPT";
    info.description =
        "Prunes a layer in one pass while keeping its output close: columns are visited left to right "
        "and, as GPTQ does for rounding, each pruned weight's loss is compensated by adjusting the "
        "weights not yet visited, through the Hessian H = 2XᵀX/n of the layer's inputs. Which weights "
        "to drop is decided block by block from the already-adjusted weights, by how much output error "
        "dropping each alone would cause. Unstructured (a share of every row) or N:M (2:4); with "
        "quantize = 1 the kept weights are rounded to the grid in the same pass. Needs the layer's "
        "inputs (or their Gram matrix).";
    info.quantizes = true;
    info.usesGrid = true;
    info.needsActivations = true;
    info.params = pruneParams();
    info.params.push_back(numberParam("damp", "Damping λ added to H as λ·mean(diag H) on the diagonal", 0.01, 0.0, 1.0, false));
    info.params.push_back(numberParam("block", "Columns per lazy-update block", 128, 1, double(kMaxBlock), true));
    info.params.push_back(numberParam("mask_block", "Columns whose unstructured mask is chosen at once, from the weights "
                                               "as updated so far",
                                 32, 1, double(kMaxBlock), true));
    return info;
}

QuantizedLinear quantizeSparseGptRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                        Progress& progress)
{
    SparseGptOptions options;
    options.prune = pruneOptionsFromRecipe(recipe, kMethod);
    options.damp = recipe.param("damp");
    const double block = recipe.param("block");
    if (!(block >= 1 && block <= double(kMaxBlock)) || block != std::floor(block))
        throw InputError(kMethod, "block must be a whole number in [1, " + std::to_string(kMaxBlock) + "]");
    options.blockSize = int64_t(block);
    const double maskBlock = recipe.param("mask_block");
    if (!(maskBlock >= 1 && maskBlock <= double(kMaxBlock)) || maskBlock != std::floor(maskBlock))
        throw InputError(kMethod, "mask_block must be a whole number in [1, " + std::to_string(kMaxBlock) + "]");
    options.maskBlockSize = int64_t(maskBlock);
    return pruneSparseGpt(weight, recipe.grid(), options, data, progress);
}

} // namespace salience
