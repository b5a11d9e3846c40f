#include "quant/Rtn.h"

#include "quant/GgmlQuantize.h"
#include "quant/Recipe.h"

#include "base/Error.h"
#include "base/PageAdvice.h"
#include "base/ParallelFor.h"
#include "quant/GroupKernels.h"
#include "tensor/Half.h"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace salience {

namespace {

const char* kSource = "round-to-nearest";

constexpr float kSmallestHalf = 5.9604644775390625e-8f; // 2^-24
constexpr float kLargestHalf = 65504.0f;

float halfScale(float raw)
{
    if (raw >= kLargestHalf)
        return kLargestHalf;
    const float s = roundToHalf(raw);
    return s > 0.0f ? s : kSmallestHalf;
}

void requireFinite(const Matrix& weight)
{
    std::atomic<bool> finite{true};
    parallelRanges(weight.size(), int64_t(1) << 18, [&](int64_t begin, int64_t end) {
        if (!allFiniteValues(weight.data() + begin, end - begin))
            finite = false;
    });
    if (finite)
        return;
    for (Eigen::Index r = 0; r < weight.rows(); ++r)
        for (Eigen::Index c = 0; c < weight.cols(); ++c)
            if (!std::isfinite(weight(r, c)))
                throw InputError(kSource, "weight at row " + std::to_string(r) + ", column "
                                     + std::to_string(c) + " is not finite");
}

// Scale and zero point from the group's extremes (lo <= 0 <= hi, both finite).
GroupParams paramsFromRange(float lo, float hi, const QuantGrid& grid)
{
    const int maxq = grid.maxCode();
    GroupParams p;
    if (grid.symmetric) {
        p.zero = grid.symmetricZero();
        const double maxAbs = std::max(-double(lo), double(hi));
        p.scale = maxAbs == 0.0 ? 1.0f : halfScale(float(2.0 * maxAbs / maxq));
        return p;
    }
    if (hi == lo) // all zeros (lo <= 0 <= hi)
        return GroupParams{1.0f, 0};
    p.scale = halfScale(float((double(hi) - double(lo)) / maxq));
    p.zero = int(std::clamp(roundHalfEven(-double(lo) / double(p.scale)), 0.0, double(maxq)));
    return p;
}

// Parameters of a group already known to be finite. min and max are exact in any order, and the
// sign of a zero extreme changes neither the scale nor the zero point.
GroupParams finiteGroupParams(const float* values, int64_t n, const QuantGrid& grid)
{
    const Eigen::Map<const Eigen::ArrayXf> v(values, Eigen::Index(n));
    return paramsFromRange(std::min(0.0f, v.minCoeff()), std::max(0.0f, v.maxCoeff()), grid);
}

// Rows [begin, end) of a row-major [out, in] matrix, group by group: fn(groupIndex, row,
// columnBegin, columnEnd). Per tensor there is one group spanning all rows, handled by the caller.
template <typename Fn>
void forEachRowGroup(int64_t begin, int64_t end, int64_t in, const QuantGrid& grid, Fn fn)
{
    const int64_t perRow = grid.groupsPerRow(in);
    for (int64_t r = begin; r < end; ++r)
        for (int64_t g = 0; g < perRow; ++g)
            fn(r * perRow + g, r, grid.groupBegin(g), grid.groupEnd(g, in));
}

// Rows per parallel range: enough weights that a thread start is noise.
int64_t rowGrain(int64_t in) { return std::max<int64_t>(1, (int64_t(1) << 16) / std::max<int64_t>(1, in)); }

} // namespace

double roundHalfEven(double x)
{
    if (std::abs(x) < 0x1p51)
        return roundHalfEvenSmall(x);
    // From 2^51 on, doubles are integers or halves (and from 2^52 integers only).
    const double f = std::floor(x);
    const double diff = x - f;
    if (diff > 0.5)
        return f + 1.0;
    if (diff < 0.5)
        return f;
    return std::fmod(f, 2.0) == 0.0 ? f : f + 1.0;
}

GroupParams rtnGroupParams(std::span<const float> values, const QuantGrid& grid)
{
    if (values.empty())
        return paramsFromRange(0.0f, 0.0f, grid);
    if (!allFiniteValues(values.data(), int64_t(values.size())))
        throw InputError(kSource, "a weight is not finite");
    return finiteGroupParams(values.data(), int64_t(values.size()), grid);
}

uint8_t rtnCode(float w, const GroupParams& params, int maxCode)
{
    uint8_t code;
    groupCodes(&w, 1, params.scale, params.zero, maxCode, &code);
    return code;
}

QuantizedLinear quantizeRtn(const Matrix& weight, const QuantGrid& grid)
{
    grid.validate();
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(kSource, "weight matrix is empty");
    requireFinite(weight);
    const int64_t out = weight.rows(), in = weight.cols();
    QuantizedLinear q(out, in, grid, "rtn");
    const int maxq = grid.maxCode();

    if (grid.granularity == Granularity::PerTensor) {
        const GroupParams p = finiteGroupParams(weight.data(), weight.size(), grid);
        q.scales[0] = p.scale;
        q.zeroPoints[0] = p.zero;
        parallelRanges(weight.size(), int64_t(1) << 16, [&](int64_t begin, int64_t end) {
            groupCodes(weight.data() + begin, end - begin, p.scale, p.zero, maxq, q.codes.data() + begin);
        });
        return q;
    }
    parallelRanges(out, rowGrain(in), [&](int64_t rowBegin, int64_t rowEnd) {
        forEachRowGroup(rowBegin, rowEnd, in, grid, [&](int64_t g, int64_t r, int64_t begin, int64_t end) {
            const float* w = weight.data() + r * in + begin;
            const GroupParams p = finiteGroupParams(w, end - begin, grid);
            q.scales[size_t(g)] = p.scale;
            q.zeroPoints[size_t(g)] = p.zero;
            groupCodes(w, end - begin, p.scale, p.zero, maxq, q.codes.data() + r * in + begin);
        });
    });
    return q;
}

Matrix fakeQuantizeRtn(const Matrix& weight, const QuantGrid& grid)
{
    grid.validate();
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(kSource, "weight matrix is empty");
    requireFinite(weight);
    const int64_t out = weight.rows(), in = weight.cols();
    const int maxq = grid.maxCode();
    Matrix result(out, in);
    adviseHugePages(result.data(), size_t(result.size()) * sizeof(float));

    if (grid.granularity == Granularity::PerTensor) {
        const GroupParams p = finiteGroupParams(weight.data(), weight.size(), grid);
        parallelRanges(weight.size(), int64_t(1) << 16, [&](int64_t begin, int64_t end) {
            groupFakeQuant(weight.data() + begin, end - begin, p.scale, p.zero, maxq, result.data() + begin);
        });
        return result;
    }
    parallelRanges(out, rowGrain(in), [&](int64_t rowBegin, int64_t rowEnd) {
        forEachRowGroup(rowBegin, rowEnd, in, grid, [&](int64_t, int64_t r, int64_t begin, int64_t end) {
            const float* w = weight.data() + r * in + begin;
            const GroupParams p = finiteGroupParams(w, end - begin, grid);
            groupFakeQuant(w, end - begin, p.scale, p.zero, maxq, result.data() + r * in + begin);
        });
    });
    return result;
}

QuantizedLinear ggmlResult(int64_t out, int64_t in, GgmlType type, std::vector<uint8_t> blocks, std::string method)
{
    Recipe recipe;
    recipe.gridType = ggmlTypeName(type);
    QuantizedLinear q(out, in, recipe.grid(), std::move(method));
    q.base = QuantBase::Ggml;
    q.codes.clear();
    q.scales.clear();
    q.zeroPoints.clear();
    q.ggmlType = type;
    q.ggmlBlocks = std::move(blocks);
    return q;
}

QuantizedLinear halfFallbackResult(const Matrix& weight, const QuantGrid& grid, std::string method)
{
    QuantizedLinear q(weight.rows(), weight.cols(), grid, std::move(method));
    q.base = QuantBase::Dense;
    q.codes.clear();
    q.scales.clear();
    q.zeroPoints.clear();
    q.dense = weight.unaryExpr([](float v) { return roundToHalf(v); });
    q.parameters["fallback"] = 1.0;
    return q;
}

QuantizedLinear quantizeRtnGgml(const Matrix& weight, GgmlType type, const std::vector<float>* importance)
{
    const std::string source = "rtn onto " + ggmlTypeName(type);
    if (!isGgmlGridType(type))
        throw InputError(source, "is no ggml block format (known: " + ggmlGridTypeList() + ")");
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(source, "the weight is empty");
    const int64_t block = ggmlTypeTraits(type)->blockSize;
    if (weight.cols() % block != 0)
        throw InputError(source, "rows of " + std::to_string(weight.cols()) + " values are not whole blocks of " +
                                     std::to_string(block));
    if (importance && int64_t(importance->size()) != weight.cols())
        throw InputError(source, "importance has " + std::to_string(importance->size()) + " values for " +
                                     std::to_string(weight.cols()) + " columns");
    if (!weight.allFinite())
        throw InputError(source, "the weight holds a value that is not finite");
    QuantizedLinear q = ggmlResult(weight.rows(), weight.cols(), type,
                                   quantizeRows(type, weight.data(), weight.rows(), weight.cols(),
                                                importance ? importance->data() : nullptr),
                                   "rtn");
    q.parameters["imatrix"] = importance ? 1.0 : 0.0;
    return q;
}

} // namespace salience
