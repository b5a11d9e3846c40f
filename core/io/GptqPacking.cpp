#include "io/GptqPacking.h"

#include "base/Error.h"
#include "tensor/Half.h"

#include <limits>

namespace salience {

namespace {

const char* kSource = "GPTQ packing";

void requireBits(int bits)
{
    if (!isGptqBits(bits))
        throw InputError(kSource, std::to_string(bits) + "-bit codes cannot be packed: GPTQ knows 2, 3, 4 and 8 bits");
}

// rows·cols without overflow, as a size_t.
size_t checkedCount(int64_t rows, int64_t cols, const char* what)
{
    if (rows < 0 || cols < 0 || (rows > 0 && cols > std::numeric_limits<int64_t>::max() / rows))
        throw InputError(kSource, std::string(what) + " size [" + std::to_string(rows) + ", " + std::to_string(cols) +
                                      "] is invalid or overflows");
    return size_t(rows * cols);
}

} // namespace

int64_t gptqPackedRows(int64_t count, int bits, const char* what)
{
    if (count < 0 || count > std::numeric_limits<int64_t>::max() / bits || (count * bits) % 32 != 0)
        throw InputError(kSource, std::string(what) + ": " + std::to_string(count) + " values of " +
                                      std::to_string(bits) + " bits do not fill whole int32 words");
    return count * bits / 32;
}

std::string gptqFormatName(GptqFormat format) { return format == GptqFormat::V1 ? "gptq" : "gptq_v2"; }

bool isGptqBits(int bits) { return bits == 2 || bits == 3 || bits == 4 || bits == 8; }

std::vector<int32_t> packBits(std::span<const uint8_t> values, int bits)
{
    requireBits(bits);
    const auto words = size_t(gptqPackedRows(int64_t(values.size()), bits, "bit stream"));
    std::vector<uint32_t> out(words, 0u);
    const unsigned limit = 1u << bits;
    for (size_t k = 0; k < values.size(); ++k) {
        if (values[k] >= limit)
            throw InputError(kSource, "value " + std::to_string(int(values[k])) + " at index " + std::to_string(k) +
                                          " does not fit in " + std::to_string(bits) + " bits");
        const uint64_t bit = uint64_t(k) * uint64_t(bits);
        const size_t w = size_t(bit / 32);
        const unsigned shift = unsigned(bit % 32);
        out[w] |= uint32_t(values[k]) << shift;
        if (shift + unsigned(bits) > 32) // 3 bits: the high part goes to the next word
            out[w + 1] |= uint32_t(values[k]) >> (32 - shift);
    }
    std::vector<int32_t> signedWords(words);
    for (size_t w = 0; w < words; ++w)
        signedWords[w] = int32_t(out[w]);
    return signedWords;
}

std::vector<uint8_t> unpackBits(std::span<const int32_t> words, int bits, size_t count)
{
    requireBits(bits);
    if (count > uint64_t(std::numeric_limits<int64_t>::max()) / 32 ||
        uint64_t(gptqPackedRows(int64_t(count), bits, "bit stream")) != words.size())
        throw InputError(kSource, std::to_string(count) + " values of " + std::to_string(bits) + " bits need " +
                                      std::to_string(count * size_t(bits) / 32) + " words, got " +
                                      std::to_string(words.size()));
    const uint32_t mask = (1u << bits) - 1u;
    std::vector<uint8_t> out(count);
    for (size_t k = 0; k < count; ++k) {
        const uint64_t bit = uint64_t(k) * uint64_t(bits);
        const size_t w = size_t(bit / 32);
        const unsigned shift = unsigned(bit % 32);
        uint32_t v = uint32_t(words[w]) >> shift;
        if (shift + unsigned(bits) > 32)
            v |= uint32_t(words[w + 1]) << (32 - shift);
        out[k] = uint8_t(v & mask);
    }
    return out;
}

std::vector<int32_t> packQweight(std::span<const uint8_t> codes, int64_t out, int64_t in, int bits)
{
    requireBits(bits);
    if (codes.size() != checkedCount(out, in, "qweight"))
        throw InputError(kSource, "qweight: " + std::to_string(codes.size()) + " codes for a [" + std::to_string(out) +
                                      ", " + std::to_string(in) + "] layer");
    const int64_t rows = gptqPackedRows(in, bits, "qweight input dimension");
    std::vector<int32_t> qweight(checkedCount(rows, out, "qweight"));
    for (int64_t o = 0; o < out; ++o) {
        const auto column = packBits(codes.subspan(size_t(o * in), size_t(in)), bits);
        for (int64_t r = 0; r < rows; ++r)
            qweight[size_t(r * out + o)] = column[size_t(r)];
    }
    return qweight;
}

std::vector<uint8_t> unpackQweight(std::span<const int32_t> qweight, int64_t out, int64_t in, int bits)
{
    requireBits(bits);
    const int64_t rows = gptqPackedRows(in, bits, "qweight input dimension");
    if (qweight.size() != checkedCount(rows, out, "qweight"))
        throw InputError(kSource, "qweight has " + std::to_string(qweight.size()) + " words, expected [" +
                                      std::to_string(rows) + ", " + std::to_string(out) + "]");
    std::vector<uint8_t> codes(checkedCount(out, in, "codes"));
    std::vector<int32_t> column(static_cast<size_t>(rows));
    for (int64_t o = 0; o < out; ++o) {
        for (int64_t r = 0; r < rows; ++r)
            column[size_t(r)] = qweight[size_t(r * out + o)];
        const auto values = unpackBits(column, bits, size_t(in));
        std::copy(values.begin(), values.end(), codes.begin() + o * in);
    }
    return codes;
}

std::vector<int32_t> packQzeros(std::span<const uint8_t> zeros, int64_t groups, int64_t out, int bits)
{
    requireBits(bits);
    if (zeros.size() != checkedCount(groups, out, "qzeros"))
        throw InputError(kSource, "qzeros: " + std::to_string(zeros.size()) + " zero points for " +
                                      std::to_string(groups) + " groups of " + std::to_string(out) + " outputs");
    const int64_t cols = gptqPackedRows(out, bits, "qzeros output dimension");
    std::vector<int32_t> qzeros;
    qzeros.reserve(checkedCount(groups, cols, "qzeros"));
    for (int64_t g = 0; g < groups; ++g) {
        const auto row = packBits(zeros.subspan(size_t(g * out), size_t(out)), bits);
        qzeros.insert(qzeros.end(), row.begin(), row.end());
    }
    return qzeros;
}

std::vector<uint8_t> unpackQzeros(std::span<const int32_t> qzeros, int64_t groups, int64_t out, int bits)
{
    requireBits(bits);
    const int64_t cols = gptqPackedRows(out, bits, "qzeros output dimension");
    if (qzeros.size() != checkedCount(groups, cols, "qzeros"))
        throw InputError(kSource, "qzeros has " + std::to_string(qzeros.size()) + " words, expected [" +
                                      std::to_string(groups) + ", " + std::to_string(cols) + "]");
    std::vector<uint8_t> zeros;
    zeros.reserve(checkedCount(groups, out, "zeros"));
    for (int64_t g = 0; g < groups; ++g) {
        const auto row = unpackBits(qzeros.subspan(size_t(g * cols), size_t(cols)), bits, size_t(out));
        zeros.insert(zeros.end(), row.begin(), row.end());
    }
    return zeros;
}

int64_t GptqLayer::groups() const
{
    if (groupSize == -1)
        return 1;
    if (groupSize <= 0)
        return 0;
    return (inFeatures + groupSize - 1) / groupSize;
}

Matrix dequantizeGptqLayer(const GptqLayer& layer, GptqFormat format)
{
    const char* source = "GPTQ layer";
    if (!isGptqBits(layer.bits))
        throw InputError(source, std::to_string(layer.bits) + " bits is not a GPTQ bit width");
    if (layer.outFeatures < 1 || layer.inFeatures < 1 || (layer.groupSize != -1 && layer.groupSize < 1))
        throw InputError(source, "invalid size or group size");
    const int64_t out = layer.outFeatures, in = layer.inFeatures, groups = layer.groups();
    const std::vector<uint8_t> codes = unpackQweight(layer.qweight, out, in, layer.bits);
    const std::vector<uint8_t> zeros = unpackQzeros(layer.qzeros, groups, out, layer.bits);
    if (layer.scales.size() != checkedCount(groups, out, "scales"))
        throw InputError(source, "scales has " + std::to_string(layer.scales.size()) + " entries, expected [" +
                                     std::to_string(groups) + ", " + std::to_string(out) + "]");
    if (int64_t(layer.gIdx.size()) != in)
        throw InputError(source, "g_idx has " + std::to_string(layer.gIdx.size()) + " entries for " +
                                     std::to_string(in) + " input columns");
    for (size_t j = 0; j < layer.gIdx.size(); ++j)
        if (layer.gIdx[j] < 0 || layer.gIdx[j] >= groups)
            throw InputError(source, "g_idx[" + std::to_string(j) + "] = " + std::to_string(layer.gIdx[j]) +
                                         " is outside the " + std::to_string(groups) + " groups");
    const int offset = format == GptqFormat::V1 ? 1 : 0;
    Matrix w(out, in);
    for (int64_t o = 0; o < out; ++o)
        for (int64_t j = 0; j < in; ++j) {
            const auto g = size_t(layer.gIdx[size_t(j)]);
            const int zero = int(zeros[g * size_t(out) + size_t(o)]) + offset;
            const float scale = halfToFloat(layer.scales[g * size_t(out) + size_t(o)]);
            w(o, j) = float(int(codes[size_t(o * in + j)]) - zero) * scale;
        }
    return w;
}

} // namespace salience
