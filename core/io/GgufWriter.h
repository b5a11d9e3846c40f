#pragma once
// Writes GGUF version 3 files (llama.cpp's model format): key/value metadata of every GGUF type,
// tensor infos, and tensor data aligned to `general.alignment` (32 unless set otherwise).
// Tensor data is produced lazily, one tensor at a time while writing, so a whole model never
// has to sit in memory. The file is written through AtomicFile: a failure or a cancel leaves
// neither the target nor a temporary file.
//
//     GgufWriter w;
//     w.setString("general.architecture", "llama");
//     w.addTensor("token_embd.weight", GgmlType::F32, {512, 64}, bytes);
//     w.write(path, /*overwrite=*/false, progress);
#include "io/GgmlTypes.h"
#include "io/GgufReader.h" // GgufValue, GgufArray, GgufValueType
#include "base/Progress.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace salience {

class GgufWriter {
public:
    // Returns the tensor's bytes, exactly GgufWriter::tensorBytes of them.
    using Producer = std::function<std::vector<uint8_t>()>;
    // Hands the tensor's bytes to `write` a piece at a time, in order: a tensor larger than
    // memory allows twice (a model's embedding) never has to be whole.
    using ByteWriter = std::function<void(const uint8_t* data, size_t size)>;
    using PieceProducer = std::function<void(const ByteWriter& write)>;

    // `alignment` of the data section and of every tensor in it: a power of two. Throws
    // InputError (source "GGUF writer") otherwise. When it is not 32, write() records it as
    // general.alignment (uint32), as readers assume 32 without that key.
    explicit GgufWriter(uint64_t alignment = 32);

    uint64_t alignment() const { return m_alignment; }

    // Sets a key, replacing an existing value in place (keys keep their first position).
    // Throws InputError for an empty key, for "general.alignment" (set through the
    // constructor), or an array whose items are not all of its declared element type.
    void set(const std::string& key, GgufValue value);
    void setUInt8(const std::string& key, uint8_t v);
    void setInt8(const std::string& key, int8_t v);
    void setUInt16(const std::string& key, uint16_t v);
    void setInt16(const std::string& key, int16_t v);
    void setUInt32(const std::string& key, uint32_t v);
    void setInt32(const std::string& key, int32_t v);
    void setUInt64(const std::string& key, uint64_t v);
    void setInt64(const std::string& key, int64_t v);
    void setFloat32(const std::string& key, float v);
    void setFloat64(const std::string& key, double v);
    void setBool(const std::string& key, bool v);
    void setString(const std::string& key, std::string v);
    void setStringArray(const std::string& key, const std::vector<std::string>& items);
    void setFloat32Array(const std::string& key, const std::vector<float>& items);
    void setInt32Array(const std::string& key, const std::vector<int32_t>& items);
    bool has(const std::string& key) const;
    bool remove(const std::string& key);
    const std::vector<std::string>& keys() const { return m_keys; }

    // Adds a tensor. `shape` is outermost first (as TensorInfo has it: [out, in] for a weight);
    // the file stores ggml's innermost-first order. Throws InputError naming the tensor for a
    // duplicate or empty name, 0 or more than 4 dimensions, a dimension below 1, an innermost
    // dimension that is not a whole number of the type's blocks, a type ggml never assigned,
    // or a size that overflows. The producer runs during write(), in order of addition.
    void addTensor(const std::string& name, GgmlType type, std::vector<int64_t> shape, Producer produce);
    // The same with a producer that writes its bytes in pieces.
    void addTensorInPieces(const std::string& name, GgmlType type, std::vector<int64_t> shape, PieceProducer produce);
    // The same with the bytes at hand (checked against the size here).
    void addTensor(const std::string& name, GgmlType type, std::vector<int64_t> shape, std::vector<uint8_t> bytes);
    size_t tensorCount() const { return m_tensors.size(); }

    // Bytes a tensor of this type and shape (outermost first) takes, with the checks of addTensor.
    static uint64_t tensorBytes(GgmlType type, const std::vector<int64_t>& shape, const std::string& name = {});

    // Writes the file atomically. Reports progress per tensor and checks cancellation between
    // tensors (CancelledError, nothing left behind). Throws InputError naming `path` when it
    // exists and `overwrite` is false, it cannot be written, or a producer returns the wrong
    // number of bytes; exceptions from producers pass through (the file is discarded).
    void write(const std::string& path, bool overwrite, Progress& progress) const;

private:
    struct Entry {
        std::string name;
        GgmlType type;
        std::vector<int64_t> shape; // outermost first
        uint64_t bytes = 0;
        Producer produce;        // one of the two is set
        PieceProducer inPieces;
    };

    uint64_t m_alignment;
    std::vector<std::string> m_keys;
    std::vector<GgufValue> m_values; // parallel to m_keys
    std::vector<Entry> m_tensors;
};

} // namespace salience
