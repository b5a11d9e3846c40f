#include "quant/Gptq.h"

#include "acts/Gram.h"
#include "base/Error.h"
#include "quant/GgmlBlockLevels.h"
#include "quant/GgmlQuantize.h"
#include "quant/Hessian.h"
#include "quant/Rtn.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace salience {

namespace {

const char* kSource = "gptq";
constexpr int64_t kMaxBlock = 4096;

void checkOptions(const GptqOptions& options)
{
    if (!std::isfinite(options.damp) || options.damp < 0.0 || options.damp > 1.0)
        throw InputError(kSource, "damp must lie in [0, 1], got " + std::to_string(options.damp));
    if (options.blockSize < 1 || options.blockSize > kMaxBlock)
        throw InputError(kSource, "block size must lie in [1, " + std::to_string(kMaxBlock) + "], got " +
                                      std::to_string(options.blockSize));
}

void checkWeight(const Matrix& weight)
{
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(kSource, "weight matrix is empty");
    if (weight.cols() > int64_t(std::numeric_limits<int32_t>::max()))
        throw InputError(kSource, "too many input features for a 32-bit permutation");
    for (Eigen::Index r = 0; r < weight.rows(); ++r)
        for (Eigen::Index c = 0; c < weight.cols(); ++c)
            if (!std::isfinite(weight(r, c)))
                throw InputError(kSource, "weight at row " + std::to_string(r) + ", column " + std::to_string(c) +
                                              " is not finite");
}

// Order in which columns are quantized: as they are, or by descending diag(H) (act-order),
// ties broken by the lower column so the result is deterministic.
std::vector<int32_t> processingOrder(const MatrixD& H, bool actOrder)
{
    std::vector<int32_t> order(size_t(H.rows()));
    std::iota(order.begin(), order.end(), 0);
    if (actOrder)
        std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return H(a, a) > H(b, b); });
    return order;
}

void storeParams(QuantizedLinear& q, int64_t index, const GroupParams& p)
{
    q.scales[size_t(index)] = p.scale;
    q.zeroPoints[size_t(index)] = p.zero;
}

GroupParams paramsAt(const QuantizedLinear& q, int64_t index)
{
    return GroupParams{q.scales[size_t(index)], q.zeroPoints[size_t(index)]};
}

// Parameters fixed before any error feedback: per tensor, per channel, static groups.
void setUpFrontParams(QuantizedLinear& q, const Matrix& weight, const QuantGrid& grid)
{
    const int64_t out = weight.rows(), in = weight.cols();
    if (grid.granularity == Granularity::PerTensor) {
        storeParams(q, 0, rtnGroupParams(std::span<const float>(weight.data(), size_t(weight.size())), grid));
        return;
    }
    const int64_t perRow = grid.groupsPerRow(in);
    for (int64_t r = 0; r < out; ++r) {
        const float* row = weight.data() + r * in;
        for (int64_t g = 0; g < perRow; ++g) {
            const int64_t begin = grid.groupBegin(g), end = grid.groupEnd(g, in);
            storeParams(q, r * perRow + g,
                        rtnGroupParams(std::span<const float>(row + begin, size_t(end - begin)), grid));
        }
    }
}

// What every grid's column loop starts from: the processing order, the weight in that order
// (W[:, p] = weight[:, order[p]]) and the upper Cholesky factor U of Hp⁻¹, Hp = H[order][:, order].
struct ColumnProblem {
    std::vector<int32_t> order;
    Eigen::MatrixXd W;
    MatrixD U;
};

ColumnProblem columnProblem(const Matrix& weight, const MatrixD& H, bool actOrder, Progress& progress)
{
    const int64_t out = weight.rows(), in = weight.cols();
    ColumnProblem s;
    s.order = processingOrder(H, actOrder);
    s.W.resize(out, in);
    for (int64_t p = 0; p < in; ++p)
        s.W.col(p) = weight.col(s.order[size_t(p)]).cast<double>();
    MatrixD Hp(in, in);
    for (int64_t a = 0; a < in; ++a)
        for (int64_t b = 0; b < in; ++b)
            Hp(a, b) = H(s.order[size_t(a)], s.order[size_t(b)]);
    progress.throwIfCancelled();
    s.U = upperCholeskyOfInverse(Hp);
    progress.throwIfCancelled();
    return s;
}

// GPTQ's column loop with lazy blocks, the same for every grid. Before column p (position i of
// the block [i1, i2)) is rounded, startColumn(p, i, i1, i2, W1, Err1) may fix grid parameters from
// the current weights; roundWeight(r, p, w) rounds row r's weight w at position p, records its
// code and returns the value it rounds to.
template <typename StartColumn, typename RoundWeight>
void columnLoop(ColumnProblem& s, int64_t blockSize, Progress& progress, StartColumn startColumn,
                RoundWeight roundWeight)
{
    Eigen::MatrixXd& W = s.W;
    const MatrixD& U = s.U;
    const int64_t out = W.rows(), in = W.cols();
    for (int64_t i1 = 0; i1 < in; i1 += blockSize) {
        progress.throwIfCancelled();
        const int64_t i2 = std::min(i1 + blockSize, in), count = i2 - i1;
        Eigen::MatrixXd W1 = W.middleCols(i1, count);
        Eigen::MatrixXd Err1(out, count);
        for (int64_t i = 0; i < count; ++i) {
            const int64_t p = i1 + i;
            startColumn(p, i, i1, i2, W1, Err1);
            const double d = U(p, p);
            for (int64_t r = 0; r < out; ++r) {
                const double w = W1(r, i);
                Err1(r, i) = (w - roundWeight(r, p, w)) / d;
            }
            if (i + 1 < count)
                W1.rightCols(count - i - 1).noalias() -= Err1.col(i) * U.row(p).segment(p + 1, count - i - 1);
        }
        if (i2 < in)
            W.rightCols(in - i2).noalias() -= Err1 * U.block(i1, i2, count, in - i2);
        progress.report(double(i2) / double(in), "GPTQ");
    }
}

std::map<std::string, double> gptqParameters(const GptqOptions& options, bool staticGroups)
{
    return {{"damp", options.damp},
            {"block", double(options.blockSize)},
            {"act_order", options.actOrder ? 1.0 : 0.0},
            {"static_groups", staticGroups ? 1.0 : 0.0},
            {"rtn_guard", options.rtnGuard ? 1.0 : 0.0},
            {"rtn_rows", 0.0}};
}

// Positions [p, end) as the column-by-column algorithm sees them when it reaches p (the lazy
// block being [i1, i2), p = i1 + i): inside the block they are up to date in W1; beyond it they
// still lack this block's feedback from the columns before p, added here.
Eigen::MatrixXd currentColumns(const ColumnProblem& s, int64_t p, int64_t end, int64_t i, int64_t i1, int64_t i2,
                               const Eigen::MatrixXd& W1, const Eigen::MatrixXd& Err1)
{
    const int64_t inBlock = std::min(end, i2) - p;
    Eigen::MatrixXd current(s.W.rows(), end - p);
    current.leftCols(inBlock) = W1.middleCols(i, inBlock);
    if (end > i2) {
        current.rightCols(end - i2) = s.W.middleCols(i2, end - i2);
        if (i > 0)
            current.rightCols(end - i2).noalias() -= Err1.leftCols(i) * s.U.block(i1, i2, i, end - i2);
    }
    return current;
}

QuantizedLinear runGptq(const Matrix& weight, const QuantGrid& grid, const GptqOptions& options, const MatrixD& H,
                        Progress& progress)
{
    const int64_t out = weight.rows(), in = weight.cols();
    const bool dynamicGroups = grid.granularity == Granularity::PerGroup && !options.staticGroups;
    ColumnProblem s = columnProblem(weight, H, options.actOrder, progress);
    // Only per-position groups make the storage depend on the order (see Gptq.h).
    const bool storePermutation = options.actOrder && dynamicGroups;

    QuantizedLinear q(out, in, grid, "gptq");
    q.parameters = gptqParameters(options, options.staticGroups);
    if (storePermutation)
        q.permutation = s.order;
    if (!dynamicGroups)
        setUpFrontParams(q, weight, grid);

    const int maxq = grid.maxCode();
    const int64_t perRow = grid.groupsPerRow(in);
    std::vector<float> groupValues;
    const auto startColumn = [&](int64_t p, int64_t i, int64_t i1, int64_t i2, const Eigen::MatrixXd& W1,
                                 const Eigen::MatrixXd& Err1) {
        if (!dynamicGroups || p % grid.groupSize != 0)
            return;
        const int64_t end = std::min(p + int64_t(grid.groupSize), in);
        const Eigen::MatrixXd current = currentColumns(s, p, end, i, i1, i2, W1, Err1);
        groupValues.resize(size_t(end - p));
        for (int64_t r = 0; r < out; ++r) {
            for (int64_t c = 0; c < end - p; ++c)
                groupValues[size_t(c)] = float(current(r, c));
            storeParams(q, r * perRow + p / grid.groupSize, rtnGroupParams(groupValues, grid));
        }
    };
    const auto roundWeight = [&](int64_t r, int64_t p, double w) {
        const int64_t column = storePermutation ? p : s.order[size_t(p)];
        const GroupParams params = paramsAt(q, q.groupIndex(r, column));
        const uint8_t code = rtnCode(float(w), params, maxq);
        q.codes[size_t(r * in + column)] = code;
        return double(rtnDequant(code, params));
    };
    columnLoop(s, options.blockSize, progress, startColumn, roundWeight);
    return q;
}

// GPTQ onto a ggml block format. Static (act-order, or static_groups): every (sub-)block's grid
// is fixed up front by ggml's own quantizer (`start`, the plain llama-quantize bytes), so the
// column loop only chooses levels, each weight the nearest level of its own block's grid, and
// nothing depends on the order. Dynamic (the default, in natural order): when the loop reaches
// the first column of a ggml block, ggml's quantizer sets that block's scales, mins and
// super-scale anew from the block's CURRENT weights (the error feedback received so far, as
// GPTQ's per-group grids do), under `importance`'s slice of the block. The levels are then
// chosen on those grids. Either way the levels are stored in original coordinates without a
// permutation, in the blocks' bytes.
QuantizedLinear runGptqGgml(const Matrix& weight, GgmlType type, const std::vector<uint8_t>& start,
                            const float* importance, const GptqOptions& options, const MatrixD& H,
                            Progress& progress)
{
    const int64_t out = weight.rows(), in = weight.cols();
    const GgmlLevelFormat format = ggmlLevelFormat(type);
    const size_t rowBytes = size_t(ggmlByteSize(type, in));
    const int64_t gridsPerRow = in / format.subBlock;
    const int64_t block = ggmlTypeTraits(type)->blockSize;
    const size_t blockBytes = size_t(ggmlByteSize(type, block));
    std::vector<uint8_t> bytes = start;
    std::vector<int16_t> levels(size_t(out * in));
    std::vector<GgmlLevelGrid> grids(size_t(out * gridsPerRow));
    for (int64_t r = 0; r < out; ++r)
        readGgmlLevels(type, bytes.data() + size_t(r) * rowBytes, in, levels.data() + r * in,
                       grids.data() + r * gridsPerRow);

    const bool dynamicBlocks = !options.actOrder && !options.staticGroups;
    ColumnProblem s = columnProblem(weight, H, options.actOrder, progress);
    Matrix current;
    std::vector<int16_t> blockLevels(static_cast<size_t>(block));
    const auto startColumn = [&](int64_t p, int64_t i, int64_t i1, int64_t i2, const Eigen::MatrixXd& W1,
                                 const Eigen::MatrixXd& Err1) {
        if (!dynamicBlocks || p % block != 0)
            return;
        current = currentColumns(s, p, p + block, i, i1, i2, W1, Err1).cast<float>();
        const std::vector<uint8_t> fresh =
            quantizeRows(type, current.data(), out, block, importance ? importance + p : nullptr);
        for (int64_t r = 0; r < out; ++r) {
            uint8_t* target = bytes.data() + size_t(r) * rowBytes + size_t(p / block) * blockBytes;
            std::copy_n(fresh.data() + size_t(r) * blockBytes, blockBytes, target);
            readGgmlLevels(type, target, block, blockLevels.data(), grids.data() + r * gridsPerRow + p / format.subBlock);
        }
    };
    const auto roundWeight = [&](int64_t r, int64_t p, double w) {
        const int64_t column = s.order[size_t(p)];
        const GgmlLevelGrid& grid = grids[size_t(r * gridsPerRow + column / format.subBlock)];
        const int level = grid.nearest(w, format.minLevel, format.maxLevel);
        levels[size_t(r * in + column)] = int16_t(level);
        return double(grid.value(level));
    };
    columnLoop(s, options.blockSize, progress, startColumn, roundWeight);

    QuantizedLinear q = ggmlResult(out, in, type, bytes, "gptq");
    q.parameters = gptqParameters(options, !dynamicBlocks);
    for (int64_t r = 0; r < out; ++r)
        writeGgmlLevels(type, q.ggmlBlocks.data() + size_t(r) * rowBytes, in, levels.data() + r * in);
    return q;
}

// Σ over columns of (E·L)∘E per row: each row's contribution to tr(E·L·Eᵀ), the layer's loss.
Eigen::VectorXd rowLosses(const Matrix& weight, const Matrix& approx, const MatrixD& loss)
{
    const Eigen::MatrixXd E = (weight - approx).cast<double>();
    return ((E * loss).array() * E.array()).rowwise().sum();
}

// GPTQ's greedy column order is not guaranteed to beat rounding: with few tokens (H nearly
// singular) the feedback can push a row's weights far outside its grid, where they clip. The
// loss is a sum over rows and every row has its own codes (and, except per tensor, its own
// scales), so each row keeps whichever of GPTQ and RTN has the lower loss under `loss`. RTN
// is done in the same coordinates (same permutation), so the result stays representable;
// per tensor both use the same up-front parameters. A last check against plain RTN of the
// original weight covers act-order groups (RTN over permuted groups is a different RTN).
void guardAgainstRtn(QuantizedLinear& q, const Matrix& live, const Matrix& original, const QuantGrid& grid,
                     const MatrixD& loss)
{
    const int64_t out = live.rows(), in = live.cols();
    Matrix stored = live;
    if (!q.permutation.empty())
        for (int64_t i = 0; i < in; ++i)
            stored.col(i) = live.col(q.permutation[size_t(i)]);
    QuantizedLinear alternative = quantizeRtn(stored, grid);
    alternative.permutation = q.permutation;
    const Eigen::VectorXd gptqLoss = rowLosses(live, q.dequantize(), loss);
    const Eigen::VectorXd rtnLoss = rowLosses(live, alternative.dequantize(), loss);
    const int64_t perRow = grid.groupsPerRow(in);
    int64_t rtnRows = 0;
    for (int64_t r = 0; r < out; ++r) {
        if (!(rtnLoss(r) < gptqLoss(r)))
            continue;
        ++rtnRows;
        std::copy_n(alternative.codes.begin() + r * in, in, q.codes.begin() + r * in);
        if (grid.granularity != Granularity::PerTensor)
            for (int64_t k = r * perRow; k < (r + 1) * perRow; ++k) {
                q.scales[size_t(k)] = alternative.scales[size_t(k)];
                q.zeroPoints[size_t(k)] = alternative.zeroPoints[size_t(k)];
            }
    }
    q.parameters["rtn_rows"] = double(rtnRows);

    QuantizedLinear plain = quantizeRtn(original, grid);
    if (rowLosses(original, plain.dequantize(), loss).sum() < rowLosses(original, q.dequantize(), loss).sum()) {
        plain.method = q.method;
        plain.parameters = q.parameters;
        plain.parameters["rtn_rows"] = double(out);
        q = std::move(plain);
    }
}

// Everything after the checks: GPTQ on `live` (the weight with dead columns zeroed), then the
// guard judged by `loss` against RTN of `original`.
QuantizedLinear quantizeChecked(const Matrix& live, const Matrix& original, const QuantGrid& grid,
                                const GptqOptions& options, const MatrixD& H, const MatrixD& loss, Progress& progress)
{
    Progress main = progress.child(0.0, options.rtnGuard ? 0.9 : 1.0);
    QuantizedLinear q = runGptq(live, grid, options, H, main);
    if (options.rtnGuard) {
        progress.throwIfCancelled();
        guardAgainstRtn(q, live, original, grid, loss);
    }
    progress.report(1.0, "GPTQ");
    return q;
}

// The ggml counterpart of guardAgainstRtn: every row has its own blocks, and GPTQ's row keeps
// the plain quantizer's scales, so a row whose loss the plain bytes beat keeps those bytes.
void guardAgainstPlainGgml(QuantizedLinear& q, const Matrix& live, const std::vector<uint8_t>& plain,
                           const MatrixD& loss)
{
    const int64_t out = live.rows(), in = live.cols();
    const QuantizedLinear alternative = ggmlResult(out, in, q.ggmlType, plain, "rtn");
    const Eigen::VectorXd gptqLoss = rowLosses(live, q.dequantize(), loss);
    const Eigen::VectorXd plainLoss = rowLosses(live, alternative.dequantize(), loss);
    const size_t rowBytes = size_t(ggmlByteSize(q.ggmlType, in));
    int64_t plainRows = 0;
    for (int64_t r = 0; r < out; ++r) {
        if (!(plainLoss(r) < gptqLoss(r)))
            continue;
        ++plainRows;
        std::copy_n(plain.begin() + ptrdiff_t(size_t(r) * rowBytes), rowBytes,
                    q.ggmlBlocks.begin() + ptrdiff_t(size_t(r) * rowBytes));
    }
    q.parameters["rtn_rows"] = double(plainRows);
}

void checkHessian(const MatrixD& hessian, int64_t in)
{
    if (hessian.rows() != in || hessian.cols() != in)
        throw InputError(kSource, "the Hessian is " + std::to_string(hessian.rows()) + "×" +
                                      std::to_string(hessian.cols()) + " but the layer has " + std::to_string(in) +
                                      " input features");
    if (!hessian.allFinite())
        throw InputError(kSource, "the Hessian is not finite");
}

// The layer as GPTQ sees it, from its inputs or Gram: the damped Hessian H, the weight with dead
// input columns zeroed (`live`), the undamped loss 2·XᵀX/n the guard judges by, and each column's
// mean squared input (diag(XᵀX)/n: llama.cpp's imatrix entries).
struct LayerProblem {
    MatrixD H;
    Matrix live;
    MatrixD loss;
    std::vector<float> meanSquares;
};

LayerProblem layerProblem(const Matrix& weight, const LayerData& data, double damp)
{
    const int64_t in = weight.cols();
    // Form the Gram once (from the inputs when no Gram was given) for both H and dead columns.
    MatrixD computedGram;
    const LayerData withGram = salience::withGram(data, in, computedGram);
    LayerProblem lp;
    lp.H = layerHessian(withGram, in, damp);
    // layerHessian accepted the data, so withGram.gram is set and holds withGram.gramTokens rows.
    const double tokens = double(withGram.gramTokens);
    lp.live = weight;
    lp.meanSquares = inputMeanSquares(withGram, in);
    const std::vector<bool> dead = deadInputColumns(withGram, in);
    for (int64_t j = 0; j < in; ++j)
        if (dead[size_t(j)])
            lp.live.col(j).setZero();
    // The guard judges by the layer's true loss 2·XᵀX/n, without damping (reusing our own
    // Gram's memory when we formed it: at in = 14336 each copy is 1.6 GB).
    if (computedGram.size() > 0)
        lp.loss = std::move(computedGram); // withGram.gram pointed here: not used from now on
    else
        lp.loss = *withGram.gram;
    lp.loss *= 2.0 / tokens;
    return lp;
}

} // namespace

QuantizedLinear quantizeGptqWithHessian(const Matrix& weight, const QuantGrid& grid, const GptqOptions& options,
                                        const MatrixD& hessian, Progress& progress)
{
    checkOptions(options);
    grid.validate();
    checkWeight(weight);
    checkHessian(hessian, weight.cols());
    progress.throwIfCancelled();
    return quantizeChecked(weight, weight, grid, options, hessian, hessian, progress);
}

QuantizedLinear quantizeGptq(const Matrix& weight, const QuantGrid& grid, const GptqOptions& options,
                             const LayerData& data, Progress& progress)
{
    checkOptions(options);
    grid.validate();
    checkWeight(weight);
    progress.throwIfCancelled();
    const LayerProblem lp = layerProblem(weight, data, options.damp);
    progress.report(0.1, "GPTQ: Hessian");
    Progress rest = progress.child(0.1, 1.0);
    QuantizedLinear q = quantizeChecked(lp.live, weight, grid, options, lp.H, lp.loss, rest);
    progress.report(1.0, "GPTQ");
    return q;
}

namespace {

void checkGgmlLayer(const Matrix& weight, GgmlType type, const GptqOptions& options)
{
    const std::string source = "gptq onto " + ggmlTypeName(type);
    if (!isGgmlGridType(type))
        throw InputError(source, "is no ggml block format (known: " + ggmlGridTypeList() + ")");
    checkOptions(options);
    checkWeight(weight);
    const int64_t block = ggmlTypeTraits(type)->blockSize;
    if (weight.cols() % block != 0)
        throw InputError(source, "rows of " + std::to_string(weight.cols()) + " values are not whole blocks of " +
                                     std::to_string(block));
}

// The block scales and mins are ggml's own (from the original weight and the imatrix), then GPTQ's
// column loop over `live` under H, and the guard by `loss`.
QuantizedLinear gptqOntoGgml(const Matrix& original, const Matrix& live, GgmlType type, const GptqOptions& options,
                             const MatrixD& H, const MatrixD& loss, const float* importance, Progress& progress)
{
    const std::vector<uint8_t> plain =
        quantizeRows(type, original.data(), original.rows(), original.cols(), importance);
    Progress main = progress.child(0.0, options.rtnGuard ? 0.9 : 1.0);
    QuantizedLinear q = runGptqGgml(live, type, plain, importance, options, H, main);
    if (options.rtnGuard) {
        progress.throwIfCancelled();
        guardAgainstPlainGgml(q, live, plain, loss);
    }
    q.parameters["imatrix"] = importance ? 1.0 : 0.0;
    return q;
}

} // namespace

QuantizedLinear quantizeGptqGgml(const Matrix& weight, GgmlType type, const GptqOptions& options,
                                 const LayerData& data, Progress& progress)
{
    checkGgmlLayer(weight, type, options);
    progress.throwIfCancelled();
    const LayerProblem lp = layerProblem(weight, data, options.damp);
    progress.report(0.1, "GPTQ: Hessian");
    Progress rest = progress.child(0.1, 1.0);
    QuantizedLinear q = gptqOntoGgml(weight, lp.live, type, options, lp.H, lp.loss, lp.meanSquares.data(), rest);
    progress.report(1.0, "GPTQ");
    return q;
}

QuantizedLinear quantizeGptqGgmlWithHessian(const Matrix& weight, GgmlType type, const GptqOptions& options,
                                            const MatrixD& hessian, const std::vector<float>* importance,
                                            Progress& progress)
{
    checkGgmlLayer(weight, type, options);
    const int64_t in = weight.cols();
    checkHessian(hessian, in);
    if (importance && int64_t(importance->size()) != in)
        throw InputError(kSource, "importance has " + std::to_string(importance->size()) + " values for " +
                                      std::to_string(in) + " columns");
    progress.throwIfCancelled();
    QuantizedLinear q =
        gptqOntoGgml(weight, weight, type, options, hessian, hessian, importance ? importance->data() : nullptr, progress);
    progress.report(1.0, "GPTQ");
    return q;
}

MethodInfo gptqMethodInfo()
{
    MethodInfo info;
    info.name = "gptq";
    info.ggmlGrids = true;
    info.title = "GPTQ";
    info.description =
        "Quantizes the input columns one at a time and, after each, nudges the columns not yet "
        "quantized to cancel its rounding error on the layer's output, using the Hessian "
        "H = 2XᵀX/n of the layer's inputs X (damped by a small multiple of its mean diagonal). "
        "Updates are applied lazily in blocks of columns, so the cost is mostly matrix products. "
        "Act-order quantizes the columns with the largest input energy first; static groups fix "
        "every group's scale from the original weights so act-order needs no reordering at load "
        "time. Rows where plain rounding does better keep it (RTN guard). Needs the layer's inputs "
        "(or their Gram matrix).";
    info.quantizes = true;
    info.usesGrid = true;
    info.needsActivations = true;
    info.params = {
        numberParam("damp", "Damping λ added to H as λ·mean(diag H) on the diagonal", 0.01, 0.0, 1.0, false),
        numberParam("block", "Columns per lazy-update block", 128, 1, double(kMaxBlock), true),
        numberParam("act_order", "1: quantize columns by descending diag(H) (act-order)", 0, 0, 1, true),
        numberParam("static_groups", "1: compute group scales up front from the original weights", 0, 0, 1, true),
        numberParam("rtn_guard", "1: rows where plain rounding has the lower output loss keep it", 1, 0, 1, true),
    };
    return info;
}

QuantizedLinear quantizeGptqRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                   Progress& progress)
{
    GptqOptions options;
    options.damp = recipe.param("damp");
    const double block = recipe.param("block");
    if (!std::isfinite(block) || block < 1 || block > double(kMaxBlock) || block != std::floor(block))
        throw InputError(kSource, "parameter 'block' must be a whole number in [1, " + std::to_string(kMaxBlock) + "]");
    options.blockSize = int64_t(block);
    options.actOrder = recipe.param("act_order") != 0.0;
    options.staticGroups = recipe.param("static_groups") != 0.0;
    options.rtnGuard = recipe.param("rtn_guard") != 0.0;
    const auto requested = recipe.ggmlGrid();
    if (!requested)
        return quantizeGptq(weight, recipe.grid(), options, data, progress);
    // Onto a ggml block format, falling back as llama-quantize does (and as rtn does).
    const GgmlType type = ggmlFallbackType(*requested, weight.cols());
    if (type == GgmlType::F16)
        return halfFallbackResult(weight, recipe.grid(), "gptq");
    QuantizedLinear q = quantizeGptqGgml(weight, type, options, data, progress);
    if (type != *requested)
        q.parameters["fallback"] = 1.0;
    return q;
}

} // namespace salience
