#pragma once
// GGUF (llama.cpp's model file, versions 2 and 3): the key/value metadata and a lazy catalog of
// tensors over a memory map. Nothing is copied until readFloat. Every count, length, dimension
// and offset is checked against the file before it is used, so a damaged or hostile file gives
// an InputError naming the file, never a crash or a huge allocation.
#include "io/GgmlTypes.h"
#include "io/MappedFile.h"
#include "io/TensorReader.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace salience {

// GGUF metadata value types, numbered as in the file.
enum class GgufValueType : uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
};

const char* ggufValueTypeName(GgufValueType type); // "uint32", "string", "array", ...

class GgufValue;

// An array keeps its declared element type, so an empty array still says what it holds.
struct GgufArray {
    GgufValueType elementType = GgufValueType::UInt8;
    std::vector<GgufValue> items;
};

// One metadata value. The variant's alternative index equals the GgufValueType number.
class GgufValue {
public:
    using Storage = std::variant<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, float, bool,
                                 std::string, GgufArray, uint64_t, int64_t, double>;

    GgufValue() = default;
    explicit GgufValue(Storage value) : m_value(std::move(value)) {}

    GgufValueType type() const { return GgufValueType(m_value.index()); }
    const Storage& storage() const { return m_value; }

    bool isInteger() const; // any of the eight integer types
    bool isFloat() const;   // float32 or float64
    bool isArray() const { return type() == GgufValueType::Array; }

    // The value as int64 when it is an integer that fits (a uint64 above INT64_MAX does not).
    std::optional<int64_t> toInt() const;
    // The value as double when it is a number (integers included).
    std::optional<double> toDouble() const;
    std::optional<bool> toBool() const;
    const std::string* string() const; // nullptr unless a string
    const GgufArray* array() const;    // nullptr unless an array

    // Short human-readable form for display: strings quoted, long arrays elided.
    std::string toDisplayString(size_t maxItems = 8) const;

private:
    Storage m_value;
};

// A tensor as the GGUF file records it, beside the TensorInfo every reader lists.
struct GgufTensorInfo {
    TensorInfo info;           // shape outermost first; dtype the ggml type name
    uint32_t typeId = 0;       // ggml type id as stored
    std::vector<int64_t> ne;   // ggml dimensions, innermost first, as stored
    uint64_t relativeOffset = 0; // from the start of the data section
    uint64_t fileOffset = 0;     // from the start of the file
    bool sizeKnown = true;       // false for type ids ggml never assigned (byteSize is then 0)
};

class GgufReader : public TensorReader {
public:
    // Parses and validates the header, metadata and tensor infos. Throws InputError.
    explicit GgufReader(const std::string& path);

    std::string format() const override { return "gguf"; }
    const std::string& path() const override;
    const std::vector<TensorInfo>& tensors() const override { return m_infos; }
    FloatTensor readFloat(const std::string& name) const override;

    uint32_t version() const { return m_version; }
    uint64_t alignment() const { return m_alignment; }
    // Where the tensor data section starts in the file (end of tensor infos, aligned).
    uint64_t dataOffset() const { return m_dataOffset; }
    uint64_t fileSize() const;

    // Metadata keys in file order.
    const std::vector<std::string>& keys() const { return m_keys; }
    const GgufValue* metadata(const std::string& key) const; // nullptr when absent
    std::optional<int64_t> getInt(const std::string& key) const;
    std::optional<double> getFloat(const std::string& key) const; // integers convert too
    std::optional<bool> getBool(const std::string& key) const;
    std::optional<std::string> getString(const std::string& key) const;
    // Arrays: empty when the key is absent, not an array, or has elements of another kind.
    std::vector<std::string> getStringArray(const std::string& key) const;
    std::vector<int64_t> getIntArray(const std::string& key) const;
    std::vector<double> getFloatArray(const std::string& key) const; // integers convert too
    std::vector<float> getFloat32Array(const std::string& key) const;

    // The GGUF-specific record of a tensor; nullptr when absent.
    const GgufTensorInfo* tensorInfo(const std::string& name) const;
    const std::vector<GgufTensorInfo>& ggufTensors() const { return m_tensors; }

    // The tensor's bytes exactly as stored (inside the memory map, valid while the reader lives).
    // Throws InputError when the tensor is missing or its type's size is unknown.
    struct RawBytes {
        const uint8_t* data = nullptr;
        uint64_t size = 0;
    };
    RawBytes rawBytes(const std::string& name) const;

private:
    const GgufTensorInfo& require(const std::string& name) const;

    std::unique_ptr<MappedFile> m_file;
    uint32_t m_version = 0;
    uint64_t m_alignment = 32;
    uint64_t m_dataOffset = 0;
    std::vector<std::string> m_keys;
    std::vector<GgufValue> m_values; // parallel to m_keys
    std::unordered_map<std::string, size_t> m_keyIndex;
    std::vector<GgufTensorInfo> m_tensors;
    std::vector<TensorInfo> m_infos; // parallel to m_tensors
    std::unordered_map<std::string, size_t> m_tensorIndex;
};

} // namespace salience
