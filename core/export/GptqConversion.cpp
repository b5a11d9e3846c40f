#include "export/GptqConversion.h"

#include "base/Error.h"
#include "tensor/Half.h"

#include <vector>

namespace salience {

namespace {
const char* kSource = "GPTQ packing";
} // namespace

std::string gptqIncompatibility(const QuantizedLinear& q)
{
    if (!isGptqBits(q.grid.bits))
        return std::to_string(q.grid.bits) + "-bit codes (GPTQ has 2, 3, 4 and 8 bits)";
    if (!q.inputScale.empty())
        return "an input scaling (SmoothQuant/AWQ scales are not part of the GPTQ layout)";
    if (q.rotation)
        return "a Hadamard rotation";
    if (!q.sparse.empty())
        return "sparse full-precision weights";
    if (q.rank() > 0)
        return "a low-rank correction";
    return {};
}

GptqConversion toGptqLayer(const QuantizedLinear& q, GptqFormat format, std::span<const int64_t> rowOrder)
{
    q.validate();
    if (const std::string why = gptqIncompatibility(q); !why.empty())
        throw InputError(kSource, "the layer (" + q.method + ") has " + why);
    const int64_t out = q.outFeatures, in = q.inFeatures;
    const int bits = q.grid.bits;
    const int maxq = q.grid.maxCode();
    gptqPackedRows(in, bits, "input features");
    gptqPackedRows(out, bits, "output features");

    std::vector<int64_t> order(static_cast<size_t>(out));
    if (rowOrder.empty()) {
        for (int64_t r = 0; r < out; ++r)
            order[size_t(r)] = r;
    } else {
        if (int64_t(rowOrder.size()) != out)
            throw InputError(kSource, "row order has " + std::to_string(rowOrder.size()) + " entries for " +
                                          std::to_string(out) + " rows");
        std::vector<bool> seen(size_t(out), false);
        for (size_t r = 0; r < rowOrder.size(); ++r) {
            const int64_t src = rowOrder[r];
            if (src < 0 || src >= out || seen[size_t(src)])
                throw InputError(kSource, "row order is not a permutation of the rows");
            seen[size_t(src)] = true;
            order[r] = src;
        }
    }

    GptqConversion result;
    GptqLayer& layer = result.layer;
    layer.bits = bits;
    layer.outFeatures = out;
    layer.inFeatures = in;
    layer.groupSize = q.grid.granularity == Granularity::PerGroup ? q.grid.groupSize : -1;
    const int64_t groups = layer.groups();

    // Position i of the quantized coordinates holds original column perm[i].
    std::vector<int64_t> positionOfColumn(static_cast<size_t>(in));
    for (int64_t i = 0; i < in; ++i)
        positionOfColumn[size_t(q.permutation.empty() ? i : q.permutation[size_t(i)])] = i;
    layer.gIdx.resize(size_t(in));
    for (int64_t j = 0; j < in; ++j)
        layer.gIdx[size_t(j)] = int32_t(q.grid.groupOfColumn(positionOfColumn[size_t(j)]));

    // Unpacked tables in the stored row order: codes [out, in] by original column, zero points
    // (as stored) and scales [groups, out].
    std::vector<uint8_t> codes(size_t(out * in));
    std::vector<uint8_t> zeros(size_t(groups * out));
    layer.scales.resize(size_t(groups * out));
    for (int64_t r = 0; r < out; ++r) {
        const int64_t src = order[size_t(r)];
        for (int64_t g = 0; g < groups; ++g) {
            // The scale-table entry of group g in source row `src`: any position of the group.
            const int64_t position = q.grid.granularity == Granularity::PerGroup ? q.grid.groupBegin(g) : 0;
            const auto index = size_t(q.groupIndex(src, position));
            int zero = q.zeroPoints[index];
            // v1 cannot store a zero point of 0: the group moves up by one (see the header).
            if (format == GptqFormat::V1 && zero == 0) {
                zero = 1;
                ++result.zeroShiftedGroups;
            }
            zeros[size_t(g * out + r)] = uint8_t(format == GptqFormat::V1 ? zero - 1 : zero);
            layer.scales[size_t(g * out + r)] = floatToHalf(q.scales[index]);
        }
        for (int64_t i = 0; i < in; ++i) {
            const int64_t col = q.permutation.empty() ? i : q.permutation[size_t(i)];
            int code = q.code(src, i);
            const auto index = size_t(q.groupIndex(src, i));
            if (format == GptqFormat::V1 && q.zeroPoints[index] == 0) {
                if (code == maxq)
                    ++result.clippedCodes;
                else
                    ++code;
            }
            codes[size_t(r * in + col)] = uint8_t(code);
        }
    }
    layer.qweight = packQweight(codes, out, in, bits);
    layer.qzeros = packQzeros(zeros, groups, out, bits);
    return result;
}

} // namespace salience
