#pragma once
// The ggml tensor types as GGUF files number them: id, upper-case name, block size (values per
// block) and bytes per block. Every id ggml has ever assigned is here, so a tensor of a type we
// cannot decode is still listed under its real name and its byte size is still checked.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salience {

enum class GgmlType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q4_2 = 4, // removed from ggml before GGUF existed
    Q4_3 = 5, // removed from ggml before GGUF existed
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    Q4_0_4_4 = 31, // interleaved Q4_0 repacks, written by some 2024 builds, since removed
    Q4_0_4_8 = 32,
    Q4_0_8_8 = 33,
    TQ1_0 = 34,
    TQ2_0 = 35,
    IQ4_NL_4_4 = 36, // interleaved IQ4_NL repacks, since removed
    IQ4_NL_4_8 = 37,
    IQ4_NL_8_8 = 38,
    MXFP4 = 39,
    NVFP4 = 40,
    Q1_0 = 41,
};

struct GgmlTypeTraits {
    GgmlType type;
    std::string_view name; // upper case, as TensorInfo::dtype carries it: "Q4_K", "IQ2_XXS"
    int64_t blockSize;     // values per block (1 for plain types)
    int64_t bytesPerBlock;
    bool removed;          // ggml no longer accepts this type in new files
};

// Traits of a type id as stored in a file; nullptr when ggml never assigned that id.
const GgmlTypeTraits* ggmlTypeTraits(uint32_t id);
inline const GgmlTypeTraits* ggmlTypeTraits(GgmlType type) { return ggmlTypeTraits(uint32_t(type)); }

// "Q4_K" for a known id, "GGML_TYPE_<id>" for an id ggml never assigned.
std::string ggmlTypeName(uint32_t id);
inline std::string ggmlTypeName(GgmlType type) { return ggmlTypeName(uint32_t(type)); }

// The type named `name` (case-insensitive, "q4_k" or "Q4_K"); nullopt when no type has it.
std::optional<GgmlType> ggmlTypeFromName(std::string_view name);

// Bits a value takes as ggml stores `type`, block scales included (bytesPerBlock·8 / blockSize):
// Q4_0 4.5, Q8_0 8.5, Q2_K 2.625, Q3_K 3.4375, Q4_K 4.5, Q5_K 5.5, Q6_K 6.5625, IQ4_NL 4.5.
// 0 for an id ggml never assigned.
double ggmlBitsPerWeight(GgmlType type);

// IQ4_NL's 16 non-uniform levels (ggml's kvalues_iq4nl); a value is d·level.
inline constexpr int8_t kIq4NlValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                            1,    13,   25,  38,  53,  69,  89,  113};

// Largest id in the table; ids above it are unknown.
constexpr uint32_t kGgmlTypeMaxId = 41;

} // namespace salience
