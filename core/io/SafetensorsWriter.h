#pragma once
// Builds a safetensors file from a list of tensors: float data stored as F32, F16 or BF16
// (rounded to nearest, ties to even), or raw bytes copied as they are. The header is compact
// JSON with "__metadata__" first, tensors in the order added with contiguous data offsets,
// padded with spaces to a multiple of 8 bytes. The file is written through AtomicFile, so a
// failure or a cancel leaves nothing behind.
#include "base/Progress.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace salience {

class SafetensorsWriter {
public:
    void setMetadata(std::map<std::string, std::string> metadata);

    // Stores `data` (row-major, shape outermost first) as dtype "F32", "F16" or "BF16".
    // Throws InputError naming the tensor on a bad dtype, a size that does not match the
    // shape, or a duplicate name.
    void addFloat(const std::string& name, std::vector<int64_t> shape, const std::vector<float>& data,
                  const std::string& dtype = "F32");
    // The same for `count` values at `data` (a Matrix's data(), say), encoded on every core.
    void addFloat(const std::string& name, std::vector<int64_t> shape, const float* data, size_t count,
                  const std::string& dtype = "F32");

    // Stores bytes as they are, under any dtype the safetensors table knows (see DTypes.h);
    // their size must be shape × element size.
    void addRaw(const std::string& name, const std::string& dtype, std::vector<int64_t> shape,
                std::vector<uint8_t> bytes);

    // Like addRaw, but borrows the bytes: they must stay valid until write() returns. For
    // copying tensors out of a memory-mapped reader without holding a second copy.
    void addRawView(const std::string& name, const std::string& dtype, std::vector<int64_t> shape,
                    const uint8_t* data, size_t size);

    // Bytes made when the file is written, in the order added, and dropped once written: a file
    // far larger than memory can be written one tensor at a time. The producer must return
    // exactly shape × element size bytes (InputError naming the file otherwise).
    using Producer = std::function<std::vector<uint8_t>()>;
    void addProduced(const std::string& name, const std::string& dtype, std::vector<int64_t> shape,
                     Producer produce);

    // `count` floats as dtype "F32", "F16" or "BF16" bytes (round to nearest even), on every core.
    static std::vector<uint8_t> encodeFloats(const float* data, size_t count, const std::string& dtype);

    size_t tensorCount() const { return m_tensors.size(); }

    // The header as it will be written, padding included (without the 8-byte length).
    std::string header() const;

    // Writes the file. Throws InputError naming `path` when it exists and `overwrite` is false
    // or writing fails; CancelledError when `progress` is cancelled (checked between tensors).
    void write(const std::string& path, bool overwrite, const Progress& progress = Progress()) const;

private:
    struct Pending {
        std::string name;
        std::string dtype;
        std::vector<int64_t> shape;
        std::vector<uint8_t> owned;
        std::unique_ptr<uint8_t[]> encoded; // addFloat's bytes, never zero-filled first
        const uint8_t* data = nullptr;      // owned.data(), encoded.get() or borrowed
        size_t size = 0;
        Producer produce;                   // set: the bytes are made at write time
    };
    static Pending rawEntry(const std::string& name, const std::string& dtype,
                            std::vector<int64_t> shape, size_t size);
    void add(Pending tensor);

    std::map<std::string, std::string> m_metadata;
    std::vector<Pending> m_tensors;
};

} // namespace salience
