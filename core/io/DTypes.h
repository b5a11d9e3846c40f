#pragma once
// The safetensors element types: name, bytes per element, and whether core can decode the
// type to float. Readers use it to check sizes, writers to encode, exporters to copy.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace salience {

struct DTypeSpec {
    std::string_view name; // safetensors spelling: "F32", "BF16", "F8_E4M3", ...
    size_t elementSize;    // bytes per element
    bool decodable;        // decodeToFloat supports it
};

// nullptr when the name is not a safetensors dtype this table knows.
const DTypeSpec* findDType(std::string_view name);
// "F64, F32, ...": every name the table knows, for messages.
std::string dtypeNameList();

// Decodes `count` little-endian elements of a decodable dtype from `src` (any alignment)
// into `dst`. Integers and booleans become their float values. `spec` must be decodable.
void decodeToFloat(const DTypeSpec& spec, const uint8_t* src, size_t count, float* dst);

} // namespace salience
