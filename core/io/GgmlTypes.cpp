#include "io/GgmlTypes.h"

#include <array>
#include <cctype>

namespace salience {

namespace {

constexpr int64_t kQK = 256; // values per K-quant / i-quant super-block

// Sizes follow ggml's block structs (ggml-common.h). Q8_1 is 36 bytes there (two halves and
// 32 int8); gguf-py's table says 40 from an older float layout, but ggml never writes Q8_1 to files.
constexpr std::array<GgmlTypeTraits, kGgmlTypeMaxId + 1> kTraits{{
    {GgmlType::F32, "F32", 1, 4, false},
    {GgmlType::F16, "F16", 1, 2, false},
    {GgmlType::Q4_0, "Q4_0", 32, 2 + 16, false},
    {GgmlType::Q4_1, "Q4_1", 32, 2 + 2 + 16, false},
    {GgmlType::Q4_2, "Q4_2", 16, 2 + 8, true},
    {GgmlType::Q4_3, "Q4_3", 16, 2 + 2 + 8, true},
    {GgmlType::Q5_0, "Q5_0", 32, 2 + 4 + 16, false},
    {GgmlType::Q5_1, "Q5_1", 32, 2 + 2 + 4 + 16, false},
    {GgmlType::Q8_0, "Q8_0", 32, 2 + 32, false},
    {GgmlType::Q8_1, "Q8_1", 32, 2 + 2 + 32, false},
    {GgmlType::Q2_K, "Q2_K", kQK, kQK / 16 + kQK / 4 + 2 + 2, false},
    {GgmlType::Q3_K, "Q3_K", kQK, kQK / 8 + kQK / 4 + 12 + 2, false},
    {GgmlType::Q4_K, "Q4_K", kQK, 2 + 2 + 12 + kQK / 2, false},
    {GgmlType::Q5_K, "Q5_K", kQK, 2 + 2 + 12 + kQK / 8 + kQK / 2, false},
    {GgmlType::Q6_K, "Q6_K", kQK, kQK / 2 + kQK / 4 + kQK / 16 + 2, false},
    {GgmlType::Q8_K, "Q8_K", kQK, 4 + kQK + kQK / 16 * 2, false},
    {GgmlType::IQ2_XXS, "IQ2_XXS", kQK, 2 + kQK / 4, false},
    {GgmlType::IQ2_XS, "IQ2_XS", kQK, 2 + kQK / 4 + kQK / 32, false},
    {GgmlType::IQ3_XXS, "IQ3_XXS", kQK, 2 + kQK / 4 + kQK / 8, false},
    {GgmlType::IQ1_S, "IQ1_S", kQK, 2 + kQK / 8 + kQK / 16, false},
    {GgmlType::IQ4_NL, "IQ4_NL", 32, 2 + 16, false},
    {GgmlType::IQ3_S, "IQ3_S", kQK, 2 + kQK / 4 + kQK / 8 + kQK / 32 + 4, false},
    {GgmlType::IQ2_S, "IQ2_S", kQK, 2 + kQK / 4 + kQK / 16, false},
    {GgmlType::IQ4_XS, "IQ4_XS", kQK, 2 + 2 + kQK / 64 + kQK / 2, false},
    {GgmlType::I8, "I8", 1, 1, false},
    {GgmlType::I16, "I16", 1, 2, false},
    {GgmlType::I32, "I32", 1, 4, false},
    {GgmlType::I64, "I64", 1, 8, false},
    {GgmlType::F64, "F64", 1, 8, false},
    {GgmlType::IQ1_M, "IQ1_M", kQK, kQK / 8 + kQK / 16 + kQK / 32, false},
    {GgmlType::BF16, "BF16", 1, 2, false},
    {GgmlType::Q4_0_4_4, "Q4_0_4_4", 32, 2 + 16, true},
    {GgmlType::Q4_0_4_8, "Q4_0_4_8", 32, 2 + 16, true},
    {GgmlType::Q4_0_8_8, "Q4_0_8_8", 32, 2 + 16, true},
    {GgmlType::TQ1_0, "TQ1_0", kQK, 2 + 4 * 13, false},
    {GgmlType::TQ2_0, "TQ2_0", kQK, 2 + kQK / 4, false},
    {GgmlType::IQ4_NL_4_4, "IQ4_NL_4_4", 32, 2 + 16, true},
    {GgmlType::IQ4_NL_4_8, "IQ4_NL_4_8", 32, 2 + 16, true},
    {GgmlType::IQ4_NL_8_8, "IQ4_NL_8_8", 32, 2 + 16, true},
    {GgmlType::MXFP4, "MXFP4", 32, 1 + 16, false},
    {GgmlType::NVFP4, "NVFP4", 64, 4 + 32, false},
    {GgmlType::Q1_0, "Q1_0", 128, 2 + 16, false},
}};

// The table is indexed by id; make sure no row slipped.
constexpr bool tableIsIndexedById()
{
    for (size_t i = 0; i < kTraits.size(); ++i)
        if (uint32_t(kTraits[i].type) != i)
            return false;
    return true;
}
static_assert(tableIsIndexedById(), "kTraits rows must sit at their type id");
static_assert(kTraits[uint32_t(GgmlType::Q4_K)].bytesPerBlock == 144);
static_assert(kTraits[uint32_t(GgmlType::Q5_K)].bytesPerBlock == 176);
static_assert(kTraits[uint32_t(GgmlType::Q6_K)].bytesPerBlock == 210);
static_assert(kTraits[uint32_t(GgmlType::Q2_K)].bytesPerBlock == 84);
static_assert(kTraits[uint32_t(GgmlType::Q3_K)].bytesPerBlock == 110);
static_assert(kTraits[uint32_t(GgmlType::Q8_K)].bytesPerBlock == 292);

} // namespace

const GgmlTypeTraits* ggmlTypeTraits(uint32_t id)
{
    return id < kTraits.size() ? &kTraits[id] : nullptr;
}

double ggmlBitsPerWeight(GgmlType type)
{
    const GgmlTypeTraits* t = ggmlTypeTraits(type);
    return t ? double(t->bytesPerBlock) * 8.0 / double(t->blockSize) : 0.0;
}

std::string ggmlTypeName(uint32_t id)
{
    if (const auto* t = ggmlTypeTraits(id))
        return std::string(t->name);
    return "GGML_TYPE_" + std::to_string(id);
}

std::optional<GgmlType> ggmlTypeFromName(std::string_view name)
{
    for (const auto& t : kTraits) {
        if (t.name.size() != name.size())
            continue;
        bool same = true;
        for (size_t i = 0; i < name.size() && same; ++i)
            same = std::toupper(static_cast<unsigned char>(name[i])) == t.name[i];
        if (same)
            return t.type;
    }
    return std::nullopt;
}

} // namespace salience
