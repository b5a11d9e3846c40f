#include "quant/QuantizedLinear.h"

#include "base/Error.h"
#include "tensor/Half.h"

#include <cmath>
#include <limits>
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

} // namespace

double BitsBreakdown::total() const
{
    return codes + scales + zeroPoints + permutation + inputScale + rotation + sparse + lowRank;
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

    if (int64_t(codes.size()) != weights)
        fail("has " + std::to_string(codes.size()) + " codes for " + std::to_string(weights)
             + " weights");
    for (size_t i = 0; i < codes.size(); ++i)
        if (codes[i] > maxq)
            fail("code " + std::to_string(int(codes[i])) + " at index " + std::to_string(i)
                 + " is above " + std::to_string(maxq) + " for " + std::to_string(grid.bits) + " bits");

    const int64_t groups = grid.groupCount(outFeatures, inFeatures);
    if (int64_t(scales.size()) != groups)
        fail("has " + std::to_string(scales.size()) + " scales for " + std::to_string(groups) + " groups");
    if (int64_t(zeroPoints.size()) != groups)
        fail("has " + std::to_string(zeroPoints.size()) + " zero points for "
             + std::to_string(groups) + " groups");
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
    Matrix q(outFeatures, inFeatures);
    for (int64_t r = 0; r < outFeatures; ++r)
        for (int64_t i = 0; i < inFeatures; ++i) {
            const auto g = size_t(groupIndex(r, i));
            q(r, i) = float(int(code(r, i)) - zeroPoints[g]) * scales[g];
        }
    return q;
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
    BitsBreakdown b;
    const double out = double(outFeatures);
    const double in = double(inFeatures);
    const double groups = double(grid.groupCount(outFeatures, inFeatures));
    b.weights = outFeatures * inFeatures;
    b.codes = out * in * grid.bits;
    b.scales = groups * 16.0;
    b.zeroPoints = grid.symmetric ? 0.0 : groups * grid.bits;
    b.permutation = permutation.empty() ? 0.0 : 32.0 * in;
    b.inputScale = inputScale.empty() ? 0.0 : 16.0 * in;
    b.rotation = rotation ? in : 0.0;
    if (!sparse.empty()) {
        const double columnBits = inFeatures > 65535 ? 32.0 : 16.0;
        b.sparse = double(sparse.size()) * (16.0 + columnBits) + 32.0 * (out + 1.0);
    }
    b.lowRank = 16.0 * double(lowRankL.size() + lowRankR.size());
    return b;
}

void QuantizedLinear::roundSideArraysToHalf()
{
    for (auto& e : sparse)
        e.value = roundToHalf(e.value);
    roundMatrixToHalf(lowRankL);
    roundMatrixToHalf(lowRankR);
}

} // namespace salience
