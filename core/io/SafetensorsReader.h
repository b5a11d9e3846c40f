#pragma once
// A safetensors file, memory-mapped and lazy: the header is parsed and checked on open
// (offsets inside the data area, no overlaps, sizes that match shape × dtype), and tensor
// bytes are only touched when a tensor is read.
#include "io/DTypes.h"
#include "io/MappedFile.h"
#include "io/TensorReader.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace salience {

// A tensor's bytes exactly as stored, for exporters that copy what they do not change.
// `data` points into the reader's map and stays valid while the reader lives.
struct RawTensorView {
    std::string dtype;
    std::vector<int64_t> shape;
    const uint8_t* data = nullptr;
    size_t size = 0;
};

class SafetensorsReader : public TensorReader {
public:
    // Header lengths above this are refused as absurd (the reference implementation's limit).
    static constexpr uint64_t kMaxHeaderSize = 100'000'000;

    // Throws InputError naming `path` when the file cannot be read or its header is invalid.
    explicit SafetensorsReader(const std::string& path);

    std::string format() const override { return "safetensors"; }
    const std::string& path() const override { return m_file->path(); }
    const std::vector<TensorInfo>& tensors() const override { return m_tensors; }
    // Tensors are listed in the order of their data in the file.
    FloatTensor readFloat(const std::string& name) const override;
    void readFloatInto(const std::string& name, float* dst) const override;

    // The header's "__metadata__" string map (empty when absent).
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

    // Raw bytes and dtype of a tensor; throws InputError when the tensor is missing.
    RawTensorView raw(const std::string& name) const;

    // Where the data area starts in the file (8 + header length).
    uint64_t dataStart() const { return m_dataStart; }

private:
    const DTypeSpec& decodableSpec(size_t i) const; // throws for a dtype core cannot decode
    void decode(size_t i, const DTypeSpec& spec, float* dst) const;

    struct Entry {
        uint64_t begin = 0; // relative to the data area
        uint64_t end = 0;
    };
    size_t indexOf(const std::string& name) const;
    void parseHeader();

    std::unique_ptr<MappedFile> m_file;
    uint64_t m_dataStart = 0;
    std::vector<TensorInfo> m_tensors;
    std::vector<Entry> m_entries; // parallel to m_tensors
    std::unordered_map<std::string, size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

} // namespace salience
