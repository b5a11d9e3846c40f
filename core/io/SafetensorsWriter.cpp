#include "io/SafetensorsWriter.h"

#include "base/Error.h"
#include "base/PageAdvice.h"
#include "base/ParallelFor.h"
#include "io/AtomicFile.h"
#include "io/DTypes.h"
#include "tensor/Half.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

namespace salience {

namespace {

std::string tensorSource(const std::string& name) { return "tensor '" + name + "'"; }

// Elements of a shape, or throws when a dimension is negative or the product overflows.
uint64_t checkedNumel(const std::string& name, const std::vector<int64_t>& shape)
{
    uint64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0)
            throw InputError(tensorSource(name), "negative dimension in the shape");
        if (__builtin_mul_overflow(n, uint64_t(d), &n) ||
            n > uint64_t(std::numeric_limits<int64_t>::max()))
            throw InputError(tensorSource(name), "shape overflows");
    }
    return n;
}

} // namespace

void SafetensorsWriter::setMetadata(std::map<std::string, std::string> metadata)
{
    m_metadata = std::move(metadata);
}

void SafetensorsWriter::add(Pending tensor)
{
    if (tensor.name.empty() || tensor.name == "__metadata__")
        throw InputError(tensorSource(tensor.name), "is not a valid tensor name");
    for (const auto& t : m_tensors)
        if (t.name == tensor.name)
            throw InputError(tensorSource(tensor.name), "added twice");
    m_tensors.push_back(std::move(tensor));
    Pending& t = m_tensors.back();
    if (t.encoded)
        t.data = t.encoded.get();
    else if (!t.owned.empty())
        t.data = t.owned.data(); // the vector's buffer does not move with the Pending
}

namespace {

// `count` floats at `data` as F32, F16 or BF16 bytes at `bytes`, on every core.
void encodeInto(const float* data, size_t count, const std::string& dtype, uint8_t* bytes)
{
    const size_t elementSize = dtype == "F32" ? 4 : 2;
    adviseHugePages(bytes, count * elementSize);
    const bool half = dtype == "F16";
    parallelRanges(int64_t(count), int64_t(1) << 18, [&](int64_t begin, int64_t end) {
        if (elementSize == 4) {
            std::memcpy(bytes + 4 * begin, data + begin, size_t(end - begin) * 4);
            return;
        }
        uint16_t* out = reinterpret_cast<uint16_t*>(bytes) + begin;
        if (half)
            for (int64_t i = begin; i < end; ++i)
                *out++ = floatToHalf(data[i]);
        else
            for (int64_t i = begin; i < end; ++i)
                *out++ = floatToBf16(data[i]);
    });
}

} // namespace

std::vector<uint8_t> SafetensorsWriter::encodeFloats(const float* data, size_t count, const std::string& dtype)
{
    if (dtype != "F32" && dtype != "F16" && dtype != "BF16")
        throw InputError("safetensors", "float data can be stored as F32, F16 or BF16, not " + dtype);
    std::vector<uint8_t> bytes;
    const size_t size = count * (dtype == "F32" ? 4 : 2);
    bytes.reserve(size);
    bytes.resize(size); // value-initialized; encodeInto overwrites every byte
    encodeInto(data, count, dtype, bytes.data());
    return bytes;
}

void SafetensorsWriter::addProduced(const std::string& name, const std::string& dtype, std::vector<int64_t> shape,
                                    Producer produce)
{
    const DTypeSpec* spec = findDType(dtype);
    if (!spec)
        throw InputError(tensorSource(name), "unknown safetensors dtype " + dtype);
    const uint64_t n = checkedNumel(name, shape);
    uint64_t size = 0;
    if (__builtin_mul_overflow(n, uint64_t(spec->elementSize), &size))
        throw InputError(tensorSource(name), "is too large");
    Pending t = rawEntry(name, dtype, std::move(shape), size_t(size));
    t.produce = std::move(produce);
    add(std::move(t));
}

void SafetensorsWriter::addFloat(const std::string& name, std::vector<int64_t> shape,
                                 const std::vector<float>& data, const std::string& dtype)
{
    addFloat(name, std::move(shape), data.data(), data.size(), dtype);
}

void SafetensorsWriter::addFloat(const std::string& name, std::vector<int64_t> shape, const float* data,
                                 size_t count, const std::string& dtype)
{
    const uint64_t n = checkedNumel(name, shape);
    if (n != count)
        throw InputError(tensorSource(name), "shape holds " + std::to_string(n) +
                                                 " values but " + std::to_string(count) +
                                                 " were given");
    if (dtype != "F32" && dtype != "F16" && dtype != "BF16")
        throw InputError(tensorSource(name), "float data can be stored as F32, F16 or BF16, not " +
                                                 dtype);
    Pending t;
    t.name = name;
    t.dtype = dtype;
    t.shape = std::move(shape);
    const size_t elementSize = dtype == "F32" ? 4 : 2;
    t.size = n * elementSize;
    t.encoded.reset(new uint8_t[std::max<size_t>(1, t.size)]);
    encodeInto(data, n, dtype, t.encoded.get());
    add(std::move(t));
}

SafetensorsWriter::Pending SafetensorsWriter::rawEntry(const std::string& name,
                                                       const std::string& dtype,
                                                       std::vector<int64_t> shape, size_t size)
{
    const DTypeSpec* spec = findDType(dtype);
    if (!spec)
        throw InputError(tensorSource(name), "unknown safetensors dtype " + dtype);
    const uint64_t n = checkedNumel(name, shape);
    uint64_t expected = 0;
    if (__builtin_mul_overflow(n, uint64_t(spec->elementSize), &expected) || expected != size)
        throw InputError(tensorSource(name), std::to_string(n) + " elements of " + dtype +
                                                 " do not fill " + std::to_string(size) + " bytes");
    Pending t;
    t.name = name;
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.size = size;
    return t;
}

void SafetensorsWriter::addRaw(const std::string& name, const std::string& dtype,
                               std::vector<int64_t> shape, std::vector<uint8_t> bytes)
{
    Pending t = rawEntry(name, dtype, std::move(shape), bytes.size());
    t.owned = std::move(bytes);
    add(std::move(t));
}

void SafetensorsWriter::addRawView(const std::string& name, const std::string& dtype,
                                   std::vector<int64_t> shape, const uint8_t* data, size_t size)
{
    Pending t = rawEntry(name, dtype, std::move(shape), size);
    t.data = data;
    add(std::move(t));
}

std::string SafetensorsWriter::header() const
{
    nlohmann::ordered_json h = nlohmann::ordered_json::object();
    if (!m_metadata.empty()) {
        nlohmann::ordered_json meta = nlohmann::ordered_json::object();
        for (const auto& [k, v] : m_metadata)
            meta[k] = v;
        h["__metadata__"] = std::move(meta);
    }
    uint64_t offset = 0;
    for (const auto& t : m_tensors) {
        nlohmann::ordered_json e = nlohmann::ordered_json::object();
        e["dtype"] = t.dtype;
        e["shape"] = t.shape;
        e["data_offsets"] = {offset, offset + t.size};
        h[t.name] = std::move(e);
        offset += t.size;
    }
    // Invalid UTF-8 in a name or metadata value is replaced rather than thrown on.
    std::string text = h.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    text.append((8 - text.size() % 8) % 8, ' ');
    return text;
}

void SafetensorsWriter::write(const std::string& path, bool overwrite, const Progress& progress) const
{
    progress.throwIfCancelled();
    const std::string text = header();
    AtomicFile file(path, overwrite);
    std::ostream& out = file.stream();
    uint8_t length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = uint8_t(uint64_t(text.size()) >> (8 * i));
    out.write(reinterpret_cast<const char*>(length), 8);
    out.write(text.data(), std::streamsize(text.size()));
    uint64_t total = 0, done = 0;
    for (const auto& t : m_tensors)
        total += t.size;
    for (size_t i = 0; i < m_tensors.size(); ++i) {
        progress.throwIfCancelled();
        const Pending& t = m_tensors[i];
        if (t.produce) {
            const std::vector<uint8_t> bytes = t.produce();
            if (bytes.size() != t.size)
                throw InputError(path, "tensor '" + t.name + "': its producer gave " + std::to_string(bytes.size()) +
                                           " bytes, not " + std::to_string(t.size));
            out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        } else if (t.size)
            out.write(reinterpret_cast<const char*>(t.data), std::streamsize(t.size));
        if (!out)
            throw InputError(path, "writing tensor '" + t.name + "' failed");
        done += t.size;
        progress.report(total ? double(done) / double(total) : double(i + 1) / double(m_tensors.size()),
                        "writing " + t.name);
    }
    progress.throwIfCancelled();
    file.commit();
}

} // namespace salience
