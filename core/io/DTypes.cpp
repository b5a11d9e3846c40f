#include "io/DTypes.h"

#include "tensor/Half.h"

#include <array>
#include <cstring>
#include <stdexcept>

namespace salience {

namespace {

constexpr std::array<DTypeSpec, 16> kDTypes{{
    {"F64", 8, true},
    {"F32", 4, true},
    {"F16", 2, true},
    {"BF16", 2, true},
    {"I64", 8, true},
    {"I32", 4, true},
    {"I16", 2, true},
    {"I8", 1, true},
    {"U64", 8, true},
    {"U32", 4, true},
    {"U16", 2, true},
    {"U8", 1, true},
    {"BOOL", 1, true},
    // Known sizes, so files holding them validate and copy byte for byte, but core does not
    // decode 8-bit floats: reading one is a clear error rather than a guess at its variant.
    {"F8_E4M3", 1, false},
    {"F8_E5M2", 1, false},
    {"F8_E8M0", 1, false},
}};

// Loads a little-endian value of type T from unaligned memory (the host is little-endian,
// as every platform Salience builds on).
template <typename T>
T load(const uint8_t* p)
{
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

template <typename T>
void decodeAs(const uint8_t* src, size_t count, float* dst)
{
    for (size_t i = 0; i < count; ++i)
        dst[i] = float(load<T>(src + i * sizeof(T)));
}

} // namespace

std::string dtypeNameList()
{
    std::string list;
    for (const DTypeSpec& d : kDTypes)
        list += (list.empty() ? "" : ", ") + std::string(d.name);
    return list;
}

const DTypeSpec* findDType(std::string_view name)
{
    for (const auto& d : kDTypes)
        if (d.name == name)
            return &d;
    return nullptr;
}

void decodeToFloat(const DTypeSpec& spec, const uint8_t* src, size_t count, float* dst)
{
    const std::string_view n = spec.name;
    if (n == "F32") {
        if (count)
            std::memcpy(dst, src, count * 4);
    } else if (n == "F16") {
        for (size_t i = 0; i < count; ++i)
            dst[i] = halfToFloat(load<uint16_t>(src + 2 * i));
    } else if (n == "BF16") {
        for (size_t i = 0; i < count; ++i)
            dst[i] = bf16ToFloat(load<uint16_t>(src + 2 * i));
    } else if (n == "F64") {
        decodeAs<double>(src, count, dst);
    } else if (n == "I64") {
        decodeAs<int64_t>(src, count, dst);
    } else if (n == "I32") {
        decodeAs<int32_t>(src, count, dst);
    } else if (n == "I16") {
        decodeAs<int16_t>(src, count, dst);
    } else if (n == "I8") {
        decodeAs<int8_t>(src, count, dst);
    } else if (n == "U64") {
        decodeAs<uint64_t>(src, count, dst);
    } else if (n == "U32") {
        decodeAs<uint32_t>(src, count, dst);
    } else if (n == "U16") {
        decodeAs<uint16_t>(src, count, dst);
    } else if (n == "U8") {
        decodeAs<uint8_t>(src, count, dst);
    } else if (n == "BOOL") {
        for (size_t i = 0; i < count; ++i)
            dst[i] = src[i] ? 1.0f : 0.0f;
    } else {
        throw std::logic_error("decodeToFloat: dtype " + std::string(n) + " is not decodable");
    }
}

} // namespace salience
