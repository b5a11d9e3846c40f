#include "quant/Gptq.h"

#include "acts/Gram.h"
#include "base/Error.h"
#include "base/PageAdvice.h"
#include "quant/GgmlBlockLevels.h"
#include "quant/GgmlQuantize.h"
#include "quant/GptqColumns.h"
#include "quant/GroupKernels.h"
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

void storeParams(QuantizedLinear& q, int64_t index, const GroupParams& p)
{
    q.scales[size_t(index)] = p.scale;
    q.zeroPoints[size_t(index)] = p.zero;
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

// What the loss judges a GPTQ result by, besides H: the columns it ignores (dead: zero in every
// token; original coordinates, empty: none) and the damping in H (L = H − shift·I elsewhere).
struct LossTerms {
    std::vector<bool> dead; // empty when no column is dead
    double shift = 0;
};

std::map<std::string, double> gptqParameters(const GptqOptions& options, bool staticGroups)
{
    return {{"damp", options.damp},
            {"block", double(options.blockSize)},
            {"act_order", options.actOrder ? 1.0 : 0.0},
            {"static_groups", staticGroups ? 1.0 : 0.0},
            {"rtn_guard", options.rtnGuard ? 1.0 : 0.0},
            {"rtn_rows", 0.0}};
}

// A GPTQ result with what the guard needs: the column problem (its factor prices any other
// result's loss) and each row's loss, from the loop's own sums.
struct GptqRun {
    QuantizedLinear q;
    ColumnProblem s;
    std::vector<double> losses;
};

std::vector<double> loopLosses(const ColumnProblem& s)
{
    std::vector<double> losses(size_t(s.out));
    for (int64_t r = 0; r < s.out; ++r)
        losses[size_t(r)] = s.energy[size_t(r)] - s.lossShift * s.squares[size_t(r)];
    return losses;
}

GptqRun runGptq(const Matrix& weight, const QuantGrid& grid, const GptqOptions& options, const MatrixD& H,
                const LossTerms& terms, Progress& progress)
{
    const int64_t out = weight.rows(), in = weight.cols();
    const bool dynamicGroups = grid.granularity == Granularity::PerGroup && !options.staticGroups;
    GptqRun run{QuantizedLinear(out, in, grid, "gptq"),
                columnProblem(weight, H, options.actOrder, terms.dead, terms.shift, options.threads, progress), {}};
    QuantizedLinear& q = run.q;
    const ColumnProblem& s = run.s;
    // Only per-position groups make the storage depend on the order (see Gptq.h).
    const bool storePermutation = options.actOrder && dynamicGroups;
    q.parameters = gptqParameters(options, options.staticGroups);
    if (storePermutation)
        q.permutation = s.order;
    if (!dynamicGroups)
        setUpFrontParams(q, weight, grid);

    const int maxq = grid.maxCode();
    const int64_t perRow = grid.groupsPerRow(in);
    // Scale-table index of (r, column): r·rowStride, plus column / groupSize per group.
    const bool perGroup = grid.granularity == Granularity::PerGroup;
    const int64_t rowStride = perGroup ? perRow : grid.granularity == Granularity::PerChannel ? 1 : 0;
    const auto startColumn = [&](RowSlab rows, int64_t p, int64_t i, int64_t i1, int64_t i2,
                                 const std::vector<float>& errors) {
        if (!dynamicGroups || p % grid.groupSize != 0)
            return;
        const int64_t end = std::min(p + int64_t(grid.groupSize), in);
        const Matrix current = currentColumns(s, errors, rows, p, end, i, i1, i2);
        for (int64_t r = rows.begin; r < rows.end; ++r)
            storeParams(q, r * perRow + p / grid.groupSize,
                        rtnGroupParams(std::span<const float>(current.data() + (r - rows.begin) * (end - p),
                                                              size_t(end - p)),
                                       grid));
    };
    const auto roundWeight = [&](int64_t r, int64_t p, float w) {
        const int64_t column = storePermutation ? p : s.order[size_t(p)];
        const int64_t index = r * rowStride + (perGroup ? column / grid.groupSize : 0);
        const float scale = q.scales[size_t(index)];
        const int zero = q.zeroPoints[size_t(index)];
        const int32_t code = codeOf(w, double(scale), double(zero), double(maxq));
        q.codes[size_t(r * in + column)] = uint8_t(code);
        return float(code - zero) * scale;
    };
    columnLoop(run.s, options.blockSize, options.threads, progress, startColumn, roundWeight);
    run.losses = loopLosses(s);
    return run;
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
GptqRun runGptqGgml(const Matrix& weight, GgmlType type, const std::vector<uint8_t>& start, const float* importance,
                    const GptqOptions& options, const MatrixD& H, const LossTerms& terms, Progress& progress)
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
    GptqRun run{QuantizedLinear{}, columnProblem(weight, H, options.actOrder, terms.dead, terms.shift, options.threads, progress), {}};
    const ColumnProblem& s = run.s;
    const auto startColumn = [&](RowSlab rows, int64_t p, int64_t i, int64_t i1, int64_t i2,
                                 const std::vector<float>& errors) {
        if (!dynamicBlocks || p % block != 0)
            return;
        const Matrix current = currentColumns(s, errors, rows, p, p + block, i, i1, i2);
        const std::vector<uint8_t> fresh =
            quantizeRows(type, current.data(), rows.count(), block, importance ? importance + p : nullptr);
        std::vector<int16_t> blockLevels(static_cast<size_t>(block));
        for (int64_t r = rows.begin; r < rows.end; ++r) {
            uint8_t* target = bytes.data() + size_t(r) * rowBytes + size_t(p / block) * blockBytes;
            std::copy_n(fresh.data() + size_t(r - rows.begin) * blockBytes, blockBytes, target);
            readGgmlLevels(type, target, block, blockLevels.data(), grids.data() + r * gridsPerRow + p / format.subBlock);
        }
    };
    const auto roundWeight = [&](int64_t r, int64_t p, float w) {
        const int64_t column = s.order[size_t(p)];
        const GgmlLevelGrid& grid = grids[size_t(r * gridsPerRow + column / format.subBlock)];
        const int level = grid.nearest(w, format.minLevel, format.maxLevel);
        levels[size_t(r * in + column)] = int16_t(level);
        return grid.value(level);
    };
    columnLoop(run.s, options.blockSize, options.threads, progress, startColumn, roundWeight);

    run.q = ggmlResult(out, in, type, bytes, "gptq");
    run.q.parameters = gptqParameters(options, !dynamicBlocks);
    for (int64_t r = 0; r < out; ++r)
        writeGgmlLevels(type, run.q.ggmlBlocks.data() + size_t(r) * rowBytes, in, levels.data() + r * in);
    run.losses = loopLosses(s);
    return run;
}

// GPTQ's greedy column order is not guaranteed to beat rounding: with few tokens (H nearly
// singular) the feedback can push a row's weights far outside its grid, where they clip. The
// loss is a sum over rows and every row has its own codes (and, except per tensor, its own
// scales), so each row keeps whichever of GPTQ and RTN has the lower loss. RTN is done in the
// same coordinates (same permutation), so the result stays representable; per tensor both use
// the same up-front parameters. A last check against plain RTN of the original weight covers
// act-order groups (RTN over permuted groups is a different RTN) and dead columns (zeroed in
// `live`, not in `original`); the loss ignores dead columns, so the chosen rows' losses on
// `live` are their losses on `original`.
void guardAgainstRtn(GptqRun& run, const Matrix& live, const Matrix& original, bool anyDead, const QuantGrid& grid,
                     int threads)
{
    QuantizedLinear& q = run.q;
    const int64_t out = live.rows(), in = live.cols();
    QuantizedLinear alternative;
    if (q.permutation.empty()) {
        alternative = quantizeRtn(live, grid);
    } else {
        Matrix stored = live;
        for (int64_t i = 0; i < in; ++i)
            stored.col(i) = live.col(q.permutation[size_t(i)]);
        alternative = quantizeRtn(stored, grid);
        alternative.permutation = q.permutation;
    }
    const std::vector<double> rtnLoss = rowLosses(run.s, live, alternative.dequantize(), threads);
    const int64_t perRow = grid.groupsPerRow(in);
    int64_t rtnRows = 0;
    double chosen = 0;
    for (int64_t r = 0; r < out; ++r) {
        if (!(rtnLoss[size_t(r)] < run.losses[size_t(r)])) {
            chosen += run.losses[size_t(r)];
            continue;
        }
        chosen += rtnLoss[size_t(r)];
        ++rtnRows;
        std::copy_n(alternative.codes.begin() + r * in, in, q.codes.begin() + r * in);
        if (grid.granularity != Granularity::PerTensor)
            for (int64_t k = r * perRow; k < (r + 1) * perRow; ++k) {
                q.scales[size_t(k)] = alternative.scales[size_t(k)];
                q.zeroPoints[size_t(k)] = alternative.zeroPoints[size_t(k)];
            }
    }
    q.parameters["rtn_rows"] = double(rtnRows);

    // Without a permutation or dead columns, plain RTN is the alternative already weighed.
    if (q.permutation.empty() && !anyDead)
        return;
    QuantizedLinear plain = quantizeRtn(original, grid);
    const std::vector<double> plainLoss = rowLosses(run.s, original, plain.dequantize(), threads);
    if (std::accumulate(plainLoss.begin(), plainLoss.end(), 0.0) < chosen) {
        plain.method = q.method;
        plain.parameters = q.parameters;
        plain.parameters["rtn_rows"] = double(out);
        q = std::move(plain);
    }
}

// Everything after the checks: GPTQ on `live` (the weight with dead columns zeroed), then the
// guard against RTN of `original`.
QuantizedLinear quantizeChecked(const Matrix& live, const Matrix& original, const QuantGrid& grid,
                                const GptqOptions& options, const MatrixD& H, const LossTerms& terms, Progress& progress)
{
    Progress main = progress.child(0.0, options.rtnGuard ? 0.9 : 1.0);
    GptqRun run = runGptq(live, grid, options, H, terms, main);
    if (options.rtnGuard) {
        progress.throwIfCancelled();
        guardAgainstRtn(run, live, original, !terms.dead.empty(), grid, options.threads);
    }
    progress.report(1.0, "GPTQ");
    return std::move(run.q);
}

// The ggml counterpart of guardAgainstRtn: every row has its own blocks, and GPTQ's row keeps
// the plain quantizer's scales, so a row whose loss the plain bytes beat keeps those bytes.
void guardAgainstPlainGgml(GptqRun& run, const Matrix& live, const std::vector<uint8_t>& plain, int threads)
{
    QuantizedLinear& q = run.q;
    const int64_t out = live.rows(), in = live.cols();
    const QuantizedLinear alternative = ggmlResult(out, in, q.ggmlType, plain, "rtn");
    const std::vector<double> plainLoss = rowLosses(run.s, live, alternative.dequantize(), threads);
    const size_t rowBytes = size_t(ggmlByteSize(q.ggmlType, in));
    int64_t plainRows = 0;
    for (int64_t r = 0; r < out; ++r) {
        if (!(plainLoss[size_t(r)] < run.losses[size_t(r)]))
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
// input columns zeroed (`live`), what the guard's loss 2·XᵀX/n is in terms of H (dead columns
// and the damping), and each column's mean squared input (diag(XᵀX)/n: llama.cpp's imatrix
// entries).
struct LayerProblem {
    MatrixD H;
    Matrix live;
    LossTerms terms;
    std::vector<float> meanSquares;
};

LayerProblem layerProblem(const Matrix& weight, const LayerData& data, double damp)
{
    const int64_t in = weight.cols();
    // Form the Gram once (from the inputs when no Gram was given) for both H and dead columns.
    MatrixD computedGram;
    const LayerData withGram = salience::withGram(data, in, computedGram);
    LayerProblem lp;
    HessianColumns columns;
    lp.H = layerHessian(withGram, in, damp, &columns);
    lp.terms.shift = columns.damp;
    lp.meanSquares = std::move(columns.meanSquares);
    lp.live.resize(weight.rows(), in);
    adviseHugePages(lp.live.data(), size_t(lp.live.size()) * sizeof(float));
    lp.live = weight;
    if (std::find(columns.dead.begin(), columns.dead.end(), true) != columns.dead.end()) {
        for (int64_t j = 0; j < in; ++j)
            if (columns.dead[size_t(j)])
                lp.live.col(j).setZero();
        lp.terms.dead = std::move(columns.dead);
    }
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
    return quantizeChecked(weight, weight, grid, options, hessian, LossTerms{}, progress);
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
    QuantizedLinear q = quantizeChecked(lp.live, weight, grid, options, lp.H, lp.terms, rest);
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
// column loop over `live` under H, and the guard.
QuantizedLinear gptqOntoGgml(const Matrix& original, const Matrix& live, GgmlType type, const GptqOptions& options,
                             const MatrixD& H, const LossTerms& terms, const float* importance, Progress& progress)
{
    const std::vector<uint8_t> plain =
        quantizeRows(type, original.data(), original.rows(), original.cols(), importance);
    Progress main = progress.child(0.0, options.rtnGuard ? 0.9 : 1.0);
    GptqRun run = runGptqGgml(live, type, plain, importance, options, H, terms, main);
    if (options.rtnGuard) {
        progress.throwIfCancelled();
        guardAgainstPlainGgml(run, live, plain, options.threads);
    }
    run.q.parameters["imatrix"] = importance ? 1.0 : 0.0;
    return std::move(run.q);
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
    QuantizedLinear q = gptqOntoGgml(weight, lp.live, type, options, lp.H, lp.terms, lp.meanSquares.data(), rest);
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
        gptqOntoGgml(weight, weight, type, options, hessian, LossTerms{}, importance ? importance->data() : nullptr,
                     progress);
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
