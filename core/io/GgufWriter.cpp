#include "io/GgufWriter.h"

#include "base/Error.h"
#include "io/AtomicFile.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <memory>
#include <ostream>

namespace salience {

static_assert(std::endian::native == std::endian::little, "GGUF files are little-endian");

namespace {

const char* const kSource = "GGUF writer";
constexpr uint32_t kGgufVersion = 3;
constexpr uint64_t kDefaultAlignment = 32; // what readers assume without general.alignment

using S = GgufValue::Storage;

void checkArray(const std::string& key, const GgufArray& a, int depth = 0)
{
    if (depth > 64)
        throw InputError(kSource, "metadata '" + key + "': arrays nested too deeply");
    for (const auto& item : a.items) {
        if (item.type() != a.elementType)
            throw InputError(kSource, "metadata '" + key + "': an array of " + ggufValueTypeName(a.elementType) +
                                          " holds a " + ggufValueTypeName(item.type()));
        if (const GgufArray* inner = item.array())
            checkArray(key, *inner, depth + 1);
    }
}

class ByteSink {
public:
    explicit ByteSink(std::ostream& out) : m_out(out) {}

    template <typename T>
    void put(T v)
    {
        m_out.write(reinterpret_cast<const char*>(&v), sizeof(T));
        m_count += sizeof(T);
    }
    void bytes(const void* p, uint64_t n)
    {
        m_out.write(static_cast<const char*>(p), std::streamsize(n));
        m_count += n;
    }
    void string(const std::string& s)
    {
        put<uint64_t>(s.size());
        bytes(s.data(), s.size());
    }
    void pad(uint64_t alignment)
    {
        static const char zeros[256] = {};
        uint64_t n = (alignment - m_count % alignment) % alignment;
        while (n > 0) {
            const uint64_t k = std::min<uint64_t>(n, sizeof zeros);
            bytes(zeros, k);
            n -= k;
        }
    }
    void value(const GgufValue& v)
    {
        std::visit(
            [this](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, std::string>) {
                    string(x);
                } else if constexpr (std::is_same_v<T, GgufArray>) {
                    put<uint32_t>(uint32_t(x.elementType));
                    put<uint64_t>(x.items.size());
                    for (const auto& item : x.items)
                        value(item);
                } else if constexpr (std::is_same_v<T, bool>) {
                    put<uint8_t>(x ? 1 : 0);
                } else {
                    put<T>(x);
                }
            },
            v.storage());
    }
    uint64_t count() const { return m_count; }

private:
    std::ostream& m_out;
    uint64_t m_count = 0;
};

} // namespace

GgufWriter::GgufWriter(uint64_t alignment) : m_alignment(alignment)
{
    if (alignment == 0 || !std::has_single_bit(alignment) || alignment > (uint64_t(1) << 30))
        throw InputError(kSource, "alignment " + std::to_string(alignment) + " is not a power of two up to 2^30");
}

void GgufWriter::set(const std::string& key, GgufValue value)
{
    if (key.empty())
        throw InputError(kSource, "empty metadata key");
    if (key == "general.alignment")
        throw InputError(kSource, "general.alignment is set through the writer's alignment");
    if (const GgufArray* a = value.array())
        checkArray(key, *a);
    const auto it = std::find(m_keys.begin(), m_keys.end(), key);
    if (it != m_keys.end()) {
        m_values[size_t(it - m_keys.begin())] = std::move(value);
        return;
    }
    m_keys.push_back(key);
    m_values.push_back(std::move(value));
}

void GgufWriter::setUInt8(const std::string& k, uint8_t v) { set(k, GgufValue(S(std::in_place_index<0>, v))); }
void GgufWriter::setInt8(const std::string& k, int8_t v) { set(k, GgufValue(S(std::in_place_index<1>, v))); }
void GgufWriter::setUInt16(const std::string& k, uint16_t v) { set(k, GgufValue(S(std::in_place_index<2>, v))); }
void GgufWriter::setInt16(const std::string& k, int16_t v) { set(k, GgufValue(S(std::in_place_index<3>, v))); }
void GgufWriter::setUInt32(const std::string& k, uint32_t v) { set(k, GgufValue(S(std::in_place_index<4>, v))); }
void GgufWriter::setInt32(const std::string& k, int32_t v) { set(k, GgufValue(S(std::in_place_index<5>, v))); }
void GgufWriter::setFloat32(const std::string& k, float v) { set(k, GgufValue(S(std::in_place_index<6>, v))); }
void GgufWriter::setBool(const std::string& k, bool v) { set(k, GgufValue(S(std::in_place_index<7>, v))); }
void GgufWriter::setString(const std::string& k, std::string v)
{
    set(k, GgufValue(S(std::in_place_index<8>, std::move(v))));
}
void GgufWriter::setUInt64(const std::string& k, uint64_t v) { set(k, GgufValue(S(std::in_place_index<10>, v))); }
void GgufWriter::setInt64(const std::string& k, int64_t v) { set(k, GgufValue(S(std::in_place_index<11>, v))); }
void GgufWriter::setFloat64(const std::string& k, double v) { set(k, GgufValue(S(std::in_place_index<12>, v))); }

void GgufWriter::setStringArray(const std::string& key, const std::vector<std::string>& items)
{
    GgufArray a;
    a.elementType = GgufValueType::String;
    a.items.reserve(items.size());
    for (const auto& s : items)
        a.items.emplace_back(S(std::in_place_index<8>, s));
    set(key, GgufValue(S(std::in_place_index<9>, std::move(a))));
}

void GgufWriter::setFloat32Array(const std::string& key, const std::vector<float>& items)
{
    GgufArray a;
    a.elementType = GgufValueType::Float32;
    a.items.reserve(items.size());
    for (float f : items)
        a.items.emplace_back(S(std::in_place_index<6>, f));
    set(key, GgufValue(S(std::in_place_index<9>, std::move(a))));
}

void GgufWriter::setInt32Array(const std::string& key, const std::vector<int32_t>& items)
{
    GgufArray a;
    a.elementType = GgufValueType::Int32;
    a.items.reserve(items.size());
    for (int32_t i : items)
        a.items.emplace_back(S(std::in_place_index<5>, i));
    set(key, GgufValue(S(std::in_place_index<9>, std::move(a))));
}

bool GgufWriter::has(const std::string& key) const
{
    return std::find(m_keys.begin(), m_keys.end(), key) != m_keys.end();
}

bool GgufWriter::remove(const std::string& key)
{
    const auto it = std::find(m_keys.begin(), m_keys.end(), key);
    if (it == m_keys.end())
        return false;
    m_values.erase(m_values.begin() + (it - m_keys.begin()));
    m_keys.erase(it);
    return true;
}

uint64_t GgufWriter::tensorBytes(GgmlType type, const std::vector<int64_t>& shape, const std::string& name)
{
    const std::string ctx = "tensor '" + name + "': ";
    const GgmlTypeTraits* t = ggmlTypeTraits(type);
    if (!t)
        throw InputError(kSource, ctx + "unknown ggml type id " + std::to_string(uint32_t(type)));
    if (shape.empty() || shape.size() > 4)
        throw InputError(kSource, ctx + std::to_string(shape.size()) + " dimensions (GGUF takes 1 to 4)");
    uint64_t numel = 1;
    for (int64_t d : shape) {
        if (d < 1)
            throw InputError(kSource, ctx + "dimension " + std::to_string(d) + " is below 1");
        if (uint64_t(d) > uint64_t(std::numeric_limits<int64_t>::max()) / numel)
            throw InputError(kSource, ctx + "element count overflows 64 bits");
        numel *= uint64_t(d);
    }
    const int64_t inner = shape.back();
    if (inner % t->blockSize != 0)
        throw InputError(kSource, ctx + "rows of " + std::to_string(inner) + " values are not a whole number of " +
                                      std::string(t->name) + " blocks of " + std::to_string(t->blockSize));
    const uint64_t blocks = numel / uint64_t(t->blockSize);
    if (blocks > std::numeric_limits<uint64_t>::max() / 2 / uint64_t(t->bytesPerBlock))
        throw InputError(kSource, ctx + "byte size overflows 64 bits");
    return blocks * uint64_t(t->bytesPerBlock);
}

void GgufWriter::addTensor(const std::string& name, GgmlType type, std::vector<int64_t> shape, Producer produce)
{
    if (name.empty())
        throw InputError(kSource, "a tensor has an empty name");
    for (const auto& e : m_tensors)
        if (e.name == name)
            throw InputError(kSource, "tensor '" + name + "' added twice");
    if (!produce)
        throw InputError(kSource, "tensor '" + name + "' has no data");
    const uint64_t bytes = tensorBytes(type, shape, name);
    m_tensors.push_back(Entry{name, type, std::move(shape), bytes, std::move(produce), {}});
}

void GgufWriter::addTensorInPieces(const std::string& name, GgmlType type, std::vector<int64_t> shape,
                                   PieceProducer produce)
{
    if (!produce)
        throw InputError(kSource, "tensor '" + name + "' has no data");
    // The checks of addTensor, with a placeholder that is replaced at once.
    addTensor(name, type, std::move(shape), Producer([] { return std::vector<uint8_t>(); }));
    m_tensors.back().produce = nullptr;
    m_tensors.back().inPieces = std::move(produce);
}

void GgufWriter::addTensor(const std::string& name, GgmlType type, std::vector<int64_t> shape,
                           std::vector<uint8_t> bytes)
{
    const uint64_t expected = tensorBytes(type, shape, name);
    if (bytes.size() != expected)
        throw InputError(kSource, "tensor '" + name + "': " + std::to_string(bytes.size()) + " bytes given, " +
                                      std::to_string(expected) + " expected");
    auto shared = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    addTensor(name, type, std::move(shape), Producer([shared] { return *shared; }));
}

void GgufWriter::write(const std::string& path, bool overwrite, Progress& progress) const
{
    progress.throwIfCancelled();
    // Offsets of every tensor relative to the data section, each aligned.
    std::vector<uint64_t> offsets;
    offsets.reserve(m_tensors.size());
    uint64_t offset = 0;
    for (const auto& e : m_tensors) {
        offsets.push_back(offset);
        const uint64_t padded = e.bytes + (m_alignment - e.bytes % m_alignment) % m_alignment;
        if (padded < e.bytes || offset > std::numeric_limits<uint64_t>::max() - padded)
            throw InputError(path, "total tensor data overflows 64 bits");
        offset += padded;
    }

    AtomicFile file(path, overwrite);
    ByteSink out(file.stream());
    const bool writeAlignment = m_alignment != kDefaultAlignment;
    out.bytes("GGUF", 4);
    out.put<uint32_t>(kGgufVersion);
    out.put<uint64_t>(m_tensors.size());
    out.put<uint64_t>(m_keys.size() + (writeAlignment ? 1 : 0));
    for (size_t i = 0; i < m_keys.size(); ++i) {
        out.string(m_keys[i]);
        out.put<uint32_t>(uint32_t(m_values[i].type()));
        out.value(m_values[i]);
    }
    if (writeAlignment) {
        out.string("general.alignment");
        out.put<uint32_t>(uint32_t(GgufValueType::UInt32));
        out.put<uint32_t>(uint32_t(m_alignment));
    }
    for (size_t i = 0; i < m_tensors.size(); ++i) {
        const Entry& e = m_tensors[i];
        out.string(e.name);
        out.put<uint32_t>(uint32_t(e.shape.size()));
        for (auto it = e.shape.rbegin(); it != e.shape.rend(); ++it) // ggml: innermost first
            out.put<int64_t>(*it);
        out.put<uint32_t>(uint32_t(e.type));
        out.put<uint64_t>(offsets[i]);
    }
    out.pad(m_alignment);

    for (size_t i = 0; i < m_tensors.size(); ++i) {
        progress.throwIfCancelled();
        const Entry& e = m_tensors[i];
        progress.report(double(i) / double(m_tensors.size()), "writing " + e.name);
        uint64_t given = 0;
        if (e.inPieces) {
            e.inPieces([&](const uint8_t* data, size_t size) {
                if (given + size > e.bytes)
                    throw InputError(path, "tensor '" + e.name + "': its producer gave more than " +
                                               std::to_string(e.bytes) + " bytes");
                out.bytes(data, size);
                given += size;
            });
        } else {
            const std::vector<uint8_t> bytes = e.produce();
            given = bytes.size();
            if (given == e.bytes)
                out.bytes(bytes.data(), bytes.size());
        }
        if (given != e.bytes)
            throw InputError(path, "tensor '" + e.name + "': its producer gave " + std::to_string(given) +
                                       " bytes, " + std::to_string(e.bytes) + " expected");
        out.pad(m_alignment);
        if (!file.stream())
            throw InputError(path, "writing failed (disk full or I/O error?)");
    }
    progress.throwIfCancelled();
    file.commit();
    progress.report(1.0, "written " + path);
}

} // namespace salience
