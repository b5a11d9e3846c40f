#include "quant/QuantizedLinear.h"

#include "base/Error.h"
#include "base/PageAdvice.h"
#include "base/ParallelFor.h"
#include "io/GgmlDequant.h"
#include "quant/GgmlQuantize.h"
#include "quant/GroupKernels.h"
#include "quant/StorageLayout.h"
#include "tensor/Half.h"

#include <cmath>
#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <utility>

namespace salience {

namespace {

bool isHalfValue(float v) { return std::isfinite(v) && roundToHalf(v) == v; }

bool allHalf(const Matrix& m)
{
    for (Eigen::Index i = 0; i < m.size(); ++i)
        if (!isHalfValue(m.data()[i]))
            return false;
    return true;
}

void roundMatrixToHalf(Matrix& m)
{
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = roundToHalf(m.data()[i]);
}

// The mask is authoritative (a codebook row need not hold 0).
void applyMask(const std::vector<uint8_t>& keepMask, Matrix& q)
{
    for (size_t k = 0; k < keepMask.size(); ++k)
        if (keepMask[k] == 0)
            q.data()[k] = 0.0f;
}

constexpr int kMaxPatternRun = 32; // C(32, 16) < 2^31: exact in 64-bit arithmetic

struct NofM {
    int n = 0;
    int m = 0;
};

// The N:M pattern recorded in the parameters, if any; throws via `fail` when malformed.
template <typename Fail>
std::optional<NofM> recordedPattern(const std::map<std::string, double>& parameters, Fail fail)
{
    const auto n = parameters.find("prune_n");
    const auto m = parameters.find("prune_m");
    if (n == parameters.end() && m == parameters.end())
        return std::nullopt;
    if (n == parameters.end() || m == parameters.end())
        fail("records only one of prune_n and prune_m; an N:M pattern needs both");
    const double nv = n->second, mv = m->second;
    if (!(nv >= 1 && mv >= nv && mv <= kMaxPatternRun) || nv != std::floor(nv) || mv != std::floor(mv))
        fail("N:M pattern " + std::to_string(nv) + ":" + std::to_string(mv)
             + " needs integers 1 <= N <= M <= " + std::to_string(kMaxPatternRun));
    return NofM{int(nv), int(mv)};
}

} // namespace

double BitsBreakdown::total() const
{
    return codes + scales + zeroPoints + codebook + dense + mask + permutation + inputScale + rotation
        + sparse + lowRank;
}

double BitsBreakdown::perWeight() const
{
    return weights > 0 ? total() / double(weights) : 0.0;
}

QuantizedLinear::QuantizedLinear(int64_t out, int64_t in, const QuantGrid& grid_, std::string method_)
    : outFeatures(out), inFeatures(in), grid(grid_), method(std::move(method_))
{
    grid.validate();
    const std::string source = "QuantizedLinear (" + method + ")";
    if (out < 1 || in < 1)
        throw InputError(source, "a layer needs at least one row and one column, got ["
                             + std::to_string(out) + ", " + std::to_string(in) + "]");
    if (in > std::numeric_limits<int64_t>::max() / out
        || uint64_t(out) * uint64_t(in) > uint64_t(std::numeric_limits<size_t>::max()))
        throw InputError(source, "layer size [" + std::to_string(out) + ", " + std::to_string(in)
                             + "] is too large");
    // Codes equal to the zero point, so a fresh layer dequantizes to zeros.
    const int zero = grid.symmetric ? grid.symmetricZero() : 0;
    codes.reserve(size_t(out * in));
    adviseHugePages(codes.data(), size_t(out * in));
    codes.assign(size_t(out * in), uint8_t(zero));
    const auto groups = size_t(grid.groupCount(out, in));
    scales.assign(groups, 1.0f);
    zeroPoints.assign(groups, zero);
}

void QuantizedLinear::validate() const
{
    const std::string source = "QuantizedLinear (" + (method.empty() ? std::string("unnamed") : method) + ")";
    auto fail = [&](const std::string& problem) { throw InputError(source, problem); };

    grid.validate();
    if (outFeatures < 1 || inFeatures < 1)
        fail("size [" + std::to_string(outFeatures) + ", " + std::to_string(inFeatures)
             + "] has no weights");
    if (inFeatures > std::numeric_limits<int64_t>::max() / outFeatures)
        fail("size overflows");
    const int64_t weights = outFeatures * inFeatures;
    const int maxq = grid.maxCode();
    if (base != QuantBase::Codes && base != QuantBase::Dense && base != QuantBase::Zero && base != QuantBase::Ggml)
        fail("has an unknown base");
    if (base == QuantBase::Ggml) {
        if (!isGgmlGridType(ggmlType))
            fail("ggml base of type " + ggmlTypeName(ggmlType) + ", which is no block format Salience writes");
        const int64_t block = ggmlTypeTraits(ggmlType)->blockSize;
        if (inFeatures % block != 0)
            fail("rows of " + std::to_string(inFeatures) + " values are not whole " + ggmlTypeName(ggmlType) +
                 " blocks of " + std::to_string(block));
        const uint64_t expected = uint64_t(outFeatures) * ggmlByteSize(ggmlType, inFeatures);
        if (ggmlBlocks.size() != expected)
            fail("has " + std::to_string(ggmlBlocks.size()) + " bytes of " + ggmlTypeName(ggmlType) + " blocks, expected " +
                 std::to_string(expected));
        if (!keepMask.empty())
            fail("a ggml base cannot carry a keep mask");
    } else if (!ggmlBlocks.empty()) {
        fail("has ggml blocks but its base is not ggml");
    }
    // Arrays the base does not read may be empty; present, they must still be well formed.
    const bool usesCodes = base == QuantBase::Codes;
    const bool usesGridScales = usesCodes && codebook.empty();

    if (usesCodes || !codes.empty()) {
        if (int64_t(codes.size()) != weights)
            fail("has " + std::to_string(codes.size()) + " codes for " + std::to_string(weights)
                 + " weights");
        for (size_t i = 0; i < codes.size(); ++i)
            if (codes[i] > maxq)
                fail("code " + std::to_string(int(codes[i])) + " at index " + std::to_string(i)
                     + " is above " + std::to_string(maxq) + " for " + std::to_string(grid.bits) + " bits");
    }

    const int64_t groups = grid.groupCount(outFeatures, inFeatures);
    if (usesGridScales || !scales.empty() || !zeroPoints.empty()) {
        if (int64_t(scales.size()) != groups)
            fail("has " + std::to_string(scales.size()) + " scales for " + std::to_string(groups) + " groups");
        if (int64_t(zeroPoints.size()) != groups)
            fail("has " + std::to_string(zeroPoints.size()) + " zero points for "
                 + std::to_string(groups) + " groups");
    }
    for (size_t g = 0; g < scales.size(); ++g)
        if (!isHalfValue(scales[g]) || scales[g] <= 0.0f)
            fail("scale of group " + std::to_string(g) + " (" + std::to_string(scales[g])
                 + ") is not a positive float16 value");
    for (size_t g = 0; g < zeroPoints.size(); ++g) {
        const int z = zeroPoints[g];
        if (z < 0 || z > maxq)
            fail("zero point of group " + std::to_string(g) + " (" + std::to_string(z)
                 + ") is outside [0, " + std::to_string(maxq) + "]");
        if (grid.symmetric && z != grid.symmetricZero())
            fail("symmetric grid needs zero point " + std::to_string(grid.symmetricZero())
                 + ", group " + std::to_string(g) + " has " + std::to_string(z));
    }

    if (!codebook.empty()) {
        if (!usesCodes)
            fail("has a codebook but its base is not codes");
        const int64_t entries = int64_t(1) << grid.bits;
        if (outFeatures > std::numeric_limits<int64_t>::max() / entries
            || int64_t(codebook.size()) != outFeatures * entries)
            fail("codebook has " + std::to_string(codebook.size()) + " entries, expected "
                 + std::to_string(outFeatures) + " rows of " + std::to_string(entries));
        for (size_t e = 0; e < codebook.size(); ++e)
            if (!isHalfValue(codebook[e]))
                fail("codebook entry " + std::to_string(e) + " (" + std::to_string(codebook[e])
                     + ") is not a float16 value");
    }

    if (base == QuantBase::Dense) {
        if (dense.rows() != outFeatures || dense.cols() != inFeatures)
            fail("dense base is [" + std::to_string(dense.rows()) + ", " + std::to_string(dense.cols())
                 + "], expected [" + std::to_string(outFeatures) + ", " + std::to_string(inFeatures) + "]");
        if (!allHalf(dense))
            fail("dense base holds values that are not float16");
    } else if (dense.size() > 0) {
        fail("has a dense matrix but its base is not dense");
    }

    const auto pattern = recordedPattern(parameters, fail);
    if (!keepMask.empty()) {
        if (base == QuantBase::Zero)
            fail("has a keep mask but its base is zero: there is nothing to prune");
        if (int64_t(keepMask.size()) != weights)
            fail("keep mask has " + std::to_string(keepMask.size()) + " entries for "
                 + std::to_string(weights) + " weights");
        for (int64_t r = 0; r < outFeatures; ++r)
            for (int64_t i = 0; i < inFeatures; ++i) {
                const uint8_t k = keepMask[size_t(r * inFeatures + i)];
                const std::string where = " at (" + std::to_string(r) + ", " + std::to_string(i) + ")";
                if (k > 1)
                    fail("keep mask value " + std::to_string(int(k)) + where + " is not 0 or 1");
                if (k == 1)
                    continue;
                if (usesGridScales) {
                    const auto g = size_t(groupIndex(r, i));
                    if (int(code(r, i)) != zeroPoints[g])
                        fail("pruned position" + where + " has code " + std::to_string(int(code(r, i)))
                             + ", not its zero point " + std::to_string(zeroPoints[g]));
                }
                if (base == QuantBase::Dense && dense(r, i) != 0.0f)
                    fail("pruned position" + where + " has dense value " + std::to_string(dense(r, i)));
            }
        if (pattern) {
            for (int64_t r = 0; r < outFeatures; ++r)
                for (int64_t begin = 0; begin < inFeatures; begin += pattern->m) {
                    const int64_t end = std::min<int64_t>(inFeatures, begin + pattern->m);
                    const int64_t want = std::min<int64_t>(pattern->n, end - begin);
                    int64_t have = 0;
                    for (int64_t i = begin; i < end; ++i)
                        have += keepMask[size_t(r * inFeatures + i)];
                    if (have != want)
                        fail("row " + std::to_string(r) + ", positions " + std::to_string(begin) + ".."
                             + std::to_string(end - 1) + " keep " + std::to_string(have) + ", the "
                             + std::to_string(pattern->n) + ":" + std::to_string(pattern->m)
                             + " pattern needs " + std::to_string(want));
                }
        }
    } else if (pattern) {
        fail("records an N:M pattern but has no keep mask");
    }

    if (!permutation.empty()) {
        if (int64_t(permutation.size()) != inFeatures)
            fail("permutation has " + std::to_string(permutation.size()) + " entries for "
                 + std::to_string(inFeatures) + " input columns");
        std::vector<bool> seen(size_t(inFeatures), false);
        for (int32_t p : permutation) {
            if (p < 0 || p >= inFeatures || seen[size_t(p)])
                fail("permutation is not a permutation of 0.." + std::to_string(inFeatures - 1)
                     + " (entry " + std::to_string(p) + ")");
            seen[size_t(p)] = true;
        }
    }

    if (!inputScale.empty()) {
        if (int64_t(inputScale.size()) != inFeatures)
            fail("input scaling has " + std::to_string(inputScale.size()) + " entries for "
                 + std::to_string(inFeatures) + " input columns");
        for (size_t j = 0; j < inputScale.size(); ++j)
            if (!isHalfValue(inputScale[j]) || inputScale[j] <= 0.0f)
                fail("input scale of column " + std::to_string(j) + " ("
                     + std::to_string(inputScale[j]) + ") is not a positive float16 value");
    }

    if (rotation) {
        rotation->validate();
        if (rotation->size() != inFeatures)
            fail("rotation is for " + std::to_string(rotation->size()) + " columns, the layer has "
                 + std::to_string(inFeatures));
    }

    std::set<std::pair<int64_t, int64_t>> positions;
    for (const auto& e : sparse) {
        if (e.row < 0 || e.row >= outFeatures || e.col < 0 || e.col >= inFeatures)
            fail("sparse entry (" + std::to_string(e.row) + ", " + std::to_string(e.col)
                 + ") is outside the layer");
        if (!isHalfValue(e.value))
            fail("sparse entry (" + std::to_string(e.row) + ", " + std::to_string(e.col)
                 + ") is not a float16 value");
        if (!positions.insert({e.row, e.col}).second)
            fail("sparse entry (" + std::to_string(e.row) + ", " + std::to_string(e.col)
                 + ") appears twice");
    }

    if (lowRankL.cols() != lowRankR.rows())
        fail("low-rank factors disagree on the rank: L has " + std::to_string(lowRankL.cols())
             + " columns, R has " + std::to_string(lowRankR.rows()) + " rows");
    if (lowRankL.cols() > 0) {
        if (lowRankL.rows() != outFeatures || lowRankR.cols() != inFeatures)
            fail("low-rank factors are [" + std::to_string(lowRankL.rows()) + ", "
                 + std::to_string(lowRankL.cols()) + "] and [" + std::to_string(lowRankR.rows())
                 + ", " + std::to_string(lowRankR.cols()) + "], expected [out, r] and [r, in]");
        if (!allHalf(lowRankL) || !allHalf(lowRankR))
            fail("low-rank factors hold values that are not float16");
    }
}

Matrix QuantizedLinear::dequantizeCodes() const
{
    validate();
    if (base == QuantBase::Zero)
        return Matrix::Zero(outFeatures, inFeatures);
    if (base == QuantBase::Dense) {
        Matrix q = dense;
        applyMask(keepMask, q);
        return q;
    }
    Matrix q(outFeatures, inFeatures); // every entry is written below
    adviseHugePages(q.data(), size_t(q.size()) * sizeof(float));
    const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 16) / inFeatures);
    if (base == QuantBase::Codes && !codebook.empty()) {
        const int64_t entries = int64_t(1) << grid.bits;
        parallelRanges(outFeatures, grain, [&](int64_t rowBegin, int64_t rowEnd) {
            for (int64_t r = rowBegin; r < rowEnd; ++r) {
                const float* table = codebook.data() + r * entries;
                const uint8_t* c = codes.data() + r * inFeatures;
                float* row = q.data() + r * inFeatures;
                for (int64_t i = 0; i < inFeatures; ++i)
                    row[i] = table[c[i]];
            }
        });
    } else if (base == QuantBase::Codes) {
        const int64_t perRow = grid.groupsPerRow(inFeatures);
        const bool perTensor = grid.granularity == Granularity::PerTensor;
        parallelRanges(outFeatures, grain, [&](int64_t rowBegin, int64_t rowEnd) {
            for (int64_t r = rowBegin; r < rowEnd; ++r)
                for (int64_t g = 0; g < perRow; ++g) {
                    const auto index = size_t(perTensor ? 0 : r * perRow + g);
                    const int64_t begin = grid.groupBegin(g), end = grid.groupEnd(g, inFeatures);
                    groupValues(codes.data() + r * inFeatures + begin, end - begin, scales[index], zeroPoints[index],
                                q.data() + r * inFeatures + begin);
                }
        });
    } else if (base == QuantBase::Ggml) {
        const size_t rowBytes = size_t(ggmlByteSize(ggmlType, inFeatures));
        parallelRanges(outFeatures, grain, [&](int64_t rowBegin, int64_t rowEnd) {
            for (int64_t r = rowBegin; r < rowEnd; ++r)
                dequantizeRow(ggmlType, ggmlBlocks.data() + size_t(r) * rowBytes, &q(r, 0), inFeatures);
        });
    }
    applyMask(keepMask, q);
    return q;
}

int64_t QuantizedLinear::keptCount() const
{
    if (keepMask.empty())
        return outFeatures * inFeatures;
    int64_t n = 0;
    for (uint8_t k : keepMask)
        n += k != 0;
    return n;
}

Matrix QuantizedLinear::dequantize() const
{
    Matrix w = dequantizeCodes();
    if (!permutation.empty()) {
        Matrix unpermuted(outFeatures, inFeatures);
        for (int64_t i = 0; i < inFeatures; ++i)
            unpermuted.col(permutation[size_t(i)]) = w.col(i);
        w = std::move(unpermuted);
    }
    if (rotation)
        w = unrotateRows(w, *rotation);
    if (!inputScale.empty())
        for (int64_t j = 0; j < inFeatures; ++j)
            w.col(j) /= inputScale[size_t(j)];
    if (lowRankL.cols() > 0)
        w.noalias() += lowRankL * lowRankR;
    for (const auto& e : sparse)
        w(e.row, e.col) = e.value;
    return w;
}

BitsBreakdown QuantizedLinear::bits() const
{
    StorageLayout s;
    s.outFeatures = outFeatures;
    s.inFeatures = inFeatures;
    s.grid = grid;
    s.base = base;
    s.ggmlType = ggmlType;
    s.kept = keptCount();
    s.codebookEntries = int64_t(codebook.size());
    s.mask = !keepMask.empty();
    if (s.mask) {
        const auto pattern = recordedPattern(parameters, [&](const std::string& problem) {
            throw InputError("QuantizedLinear (" + method + ")", problem);
        });
        if (pattern) {
            s.maskN = pattern->n;
            s.maskM = pattern->m;
        }
    }
    s.permutation = !permutation.empty();
    s.inputScale = !inputScale.empty();
    s.rotation = rotation.has_value();
    s.sparseEntries = int64_t(sparse.size());
    s.lowRankElements = int64_t(lowRankL.size() + lowRankR.size());
    return countBits(s);
}

void QuantizedLinear::roundSideArraysToHalf()
{
    for (auto& e : sparse)
        e.value = roundToHalf(e.value);
    roundMatrixToHalf(lowRankL);
    roundMatrixToHalf(lowRankR);
    roundMatrixToHalf(dense);
}

} // namespace salience
