#include "io/GgufReader.h"

#include "base/Error.h"
#include "io/GgmlDequant.h"

#include <bit>
#include <cstring>
#include <limits>
#include <sstream>

namespace salience {

static_assert(std::endian::native == std::endian::little,
              "GGUF files are little-endian; this reader maps them without byte swapping");

namespace {

constexpr uint32_t kMaxDims = 4;        // GGML_MAX_DIMS
constexpr int kMaxArrayNesting = 64;    // deeper nesting is an attack on the stack, not a model
constexpr uint64_t kMinKvBytes = 8 + 4 + 1;          // empty key, type, one-byte value
constexpr uint64_t kMinTensorInfoBytes = 8 + 4 + 4 + 8; // empty name, n_dims 0, type, offset

// Bytes of one value of a fixed-size type; 0 for string and array.
uint64_t fixedSize(GgufValueType t)
{
    switch (t) {
    case GgufValueType::UInt8: case GgufValueType::Int8: case GgufValueType::Bool: return 1;
    case GgufValueType::UInt16: case GgufValueType::Int16: return 2;
    case GgufValueType::UInt32: case GgufValueType::Int32: case GgufValueType::Float32: return 4;
    case GgufValueType::UInt64: case GgufValueType::Int64: case GgufValueType::Float64: return 8;
    default: return 0;
    }
}

// The fewest bytes a value of this type can take, so a count can be checked before allocating.
uint64_t minSize(GgufValueType t)
{
    if (t == GgufValueType::String)
        return 8;
    if (t == GgufValueType::Array)
        return 4 + 8;
    return fixedSize(t);
}

// Reads the file front to back; every read checks the bytes are there.
class Cursor {
public:
    Cursor(const std::string& path, const uint8_t* data, uint64_t size)
        : m_path(path), m_data(data), m_size(size) {}

    uint64_t pos() const { return m_pos; }
    uint64_t remaining() const { return m_size - m_pos; }

    [[noreturn]] void fail(const std::string& problem) const { throw InputError(m_path, problem); }

    void need(uint64_t n, const char* what) const
    {
        if (n > remaining()) {
            std::ostringstream s;
            s << "truncated: " << what << " at byte " << m_pos << " needs " << n << " bytes but the file has "
              << remaining() << " left (file size " << m_size << ")";
            fail(s.str());
        }
    }

    template <typename T>
    T read(const char* what)
    {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, m_data + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }

    std::string readString(const char* what)
    {
        const uint64_t len = read<uint64_t>(what);
        if (len > remaining()) {
            std::ostringstream s;
            s << "truncated or corrupt: " << what << " at byte " << (m_pos - 8) << " claims " << len
              << " bytes, past the end of the file (" << remaining() << " left)";
            fail(s.str());
        }
        std::string out(reinterpret_cast<const char*>(m_data + m_pos), size_t(len));
        m_pos += len;
        return out;
    }

private:
    const std::string& m_path;
    const uint8_t* m_data;
    uint64_t m_size;
    uint64_t m_pos = 0;
};

GgufValueType readValueType(Cursor& c, const char* what)
{
    const uint32_t t = c.read<uint32_t>(what);
    if (t > uint32_t(GgufValueType::Float64))
        c.fail(std::string(what) + " at byte " + std::to_string(c.pos() - 4) + " is " + std::to_string(t) +
               ", not a GGUF value type (0..12)");
    return GgufValueType(t);
}

GgufValue readValue(Cursor& c, GgufValueType type, const std::string& key, int depth)
{
    using S = GgufValue::Storage;
    switch (type) {
    case GgufValueType::UInt8: return GgufValue(S(std::in_place_index<0>, c.read<uint8_t>("uint8 value")));
    case GgufValueType::Int8: return GgufValue(S(std::in_place_index<1>, c.read<int8_t>("int8 value")));
    case GgufValueType::UInt16: return GgufValue(S(std::in_place_index<2>, c.read<uint16_t>("uint16 value")));
    case GgufValueType::Int16: return GgufValue(S(std::in_place_index<3>, c.read<int16_t>("int16 value")));
    case GgufValueType::UInt32: return GgufValue(S(std::in_place_index<4>, c.read<uint32_t>("uint32 value")));
    case GgufValueType::Int32: return GgufValue(S(std::in_place_index<5>, c.read<int32_t>("int32 value")));
    case GgufValueType::Float32: return GgufValue(S(std::in_place_index<6>, c.read<float>("float32 value")));
    case GgufValueType::Bool: {
        const uint8_t b = c.read<uint8_t>("bool value");
        if (b > 1)
            c.fail("metadata '" + key + "': bool value " + std::to_string(b) + " at byte " +
                   std::to_string(c.pos() - 1) + " is neither 0 nor 1");
        return GgufValue(S(std::in_place_index<7>, b == 1));
    }
    case GgufValueType::String: return GgufValue(S(std::in_place_index<8>, c.readString("string value length")));
    case GgufValueType::Array: {
        if (depth >= kMaxArrayNesting)
            c.fail("metadata '" + key + "': arrays nested deeper than " + std::to_string(kMaxArrayNesting));
        GgufArray array;
        array.elementType = readValueType(c, "array element type");
        const uint64_t count = c.read<uint64_t>("array length");
        const uint64_t each = minSize(array.elementType);
        if (each > 0 && count > c.remaining() / each) {
            std::ostringstream s;
            s << "metadata '" << key << "': array of " << count << " " << ggufValueTypeName(array.elementType)
              << " values cannot fit in the " << c.remaining() << " bytes left in the file";
            c.fail(s.str());
        }
        array.items.reserve(size_t(std::min<uint64_t>(count, 1u << 16)));
        for (uint64_t i = 0; i < count; ++i)
            array.items.push_back(readValue(c, array.elementType, key, depth + 1));
        return GgufValue(S(std::in_place_index<9>, std::move(array)));
    }
    case GgufValueType::UInt64: return GgufValue(S(std::in_place_index<10>, c.read<uint64_t>("uint64 value")));
    case GgufValueType::Int64: return GgufValue(S(std::in_place_index<11>, c.read<int64_t>("int64 value")));
    case GgufValueType::Float64: return GgufValue(S(std::in_place_index<12>, c.read<double>("float64 value")));
    }
    c.fail("metadata '" + key + "': unknown value type");
}

std::string tensorContext(const std::string& name) { return "tensor '" + name + "': "; }

std::string decodableTypeList()
{
    std::string out;
    for (uint32_t id = 0; id <= kGgmlTypeMaxId; ++id)
        if (canDequantize(GgmlType(id)))
            out += (out.empty() ? "" : ", ") + ggmlTypeName(id);
    return out;
}

} // namespace

const char* ggufValueTypeName(GgufValueType type)
{
    switch (type) {
    case GgufValueType::UInt8: return "uint8";
    case GgufValueType::Int8: return "int8";
    case GgufValueType::UInt16: return "uint16";
    case GgufValueType::Int16: return "int16";
    case GgufValueType::UInt32: return "uint32";
    case GgufValueType::Int32: return "int32";
    case GgufValueType::Float32: return "float32";
    case GgufValueType::Bool: return "bool";
    case GgufValueType::String: return "string";
    case GgufValueType::Array: return "array";
    case GgufValueType::UInt64: return "uint64";
    case GgufValueType::Int64: return "int64";
    case GgufValueType::Float64: return "float64";
    }
    return "unknown";
}

// ---- GgufValue ----

bool GgufValue::isInteger() const
{
    switch (type()) {
    case GgufValueType::UInt8: case GgufValueType::Int8: case GgufValueType::UInt16: case GgufValueType::Int16:
    case GgufValueType::UInt32: case GgufValueType::Int32: case GgufValueType::UInt64: case GgufValueType::Int64:
        return true;
    default:
        return false;
    }
}

bool GgufValue::isFloat() const { return type() == GgufValueType::Float32 || type() == GgufValueType::Float64; }

std::optional<int64_t> GgufValue::toInt() const
{
    return std::visit(
        [](const auto& v) -> std::optional<int64_t> {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, uint64_t>) {
                if (v > uint64_t(std::numeric_limits<int64_t>::max()))
                    return std::nullopt;
                return int64_t(v);
            } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
                return int64_t(v);
            } else {
                return std::nullopt;
            }
        },
        m_value);
}

std::optional<double> GgufValue::toDouble() const
{
    return std::visit(
        [](const auto& v) -> std::optional<double> {
            using T = std::decay_t<decltype(v)>;
            if constexpr ((std::is_integral_v<T> && !std::is_same_v<T, bool>) || std::is_floating_point_v<T>)
                return double(v);
            else
                return std::nullopt;
        },
        m_value);
}

std::optional<bool> GgufValue::toBool() const
{
    if (const bool* b = std::get_if<bool>(&m_value))
        return *b;
    return std::nullopt;
}

const std::string* GgufValue::string() const { return std::get_if<std::string>(&m_value); }
const GgufArray* GgufValue::array() const { return std::get_if<GgufArray>(&m_value); }

std::string GgufValue::toDisplayString(size_t maxItems) const
{
    if (const auto* s = string())
        return "\"" + *s + "\"";
    if (const auto* a = array()) {
        std::string out = "[";
        for (size_t i = 0; i < a->items.size() && i < maxItems; ++i) {
            if (i)
                out += ", ";
            out += a->items[i].toDisplayString(maxItems);
        }
        if (a->items.size() > maxItems)
            out += ", ... (" + std::to_string(a->items.size()) + " " + ggufValueTypeName(a->elementType) + ")";
        return out + "]";
    }
    if (auto b = toBool())
        return *b ? "true" : "false";
    if (isFloat()) {
        std::ostringstream s;
        s.precision(type() == GgufValueType::Float32 ? 9 : 17);
        s << *toDouble();
        return s.str();
    }
    if (type() == GgufValueType::UInt64)
        return std::to_string(std::get<uint64_t>(m_value));
    return std::to_string(*toInt());
}

// ---- GgufReader ----

GgufReader::GgufReader(const std::string& path) : m_file(std::make_unique<MappedFile>(path))
{
    const uint64_t fileSize = m_file->size();
    Cursor c(m_file->path(), m_file->data(), fileSize);

    if (fileSize < 4 || std::memcmp(m_file->data(), "GGUF", 4) != 0)
        c.fail("not a GGUF file (it does not start with the magic bytes \"GGUF\")");
    c.read<uint32_t>("magic");
    m_version = c.read<uint32_t>("version");
    if (m_version == 1)
        c.fail("GGUF version 1 is not supported (it is the 2023 draft with 32-bit counts); "
               "convert the model again with a current llama.cpp");
    if (m_version != 2 && m_version != 3) {
        if ((m_version & 0xFFFFu) == 0 && (m_version >> 16) != 0)
            c.fail("big-endian GGUF files are not supported");
        c.fail("unsupported GGUF version " + std::to_string(m_version) + " (this reader knows 2 and 3)");
    }
    const uint64_t nTensors = c.read<uint64_t>("tensor count");
    const uint64_t nKv = c.read<uint64_t>("metadata count");
    // Each entry takes some bytes, so the counts are bounded by the file before anything is allocated.
    if (nKv > c.remaining() / kMinKvBytes)
        c.fail("metadata count " + std::to_string(nKv) + " cannot fit in a file of " + std::to_string(fileSize) +
               " bytes");
    if (nTensors > c.remaining() / kMinTensorInfoBytes ||
        nKv * kMinKvBytes + nTensors * kMinTensorInfoBytes > c.remaining())
        c.fail("tensor count " + std::to_string(nTensors) + " cannot fit in a file of " + std::to_string(fileSize) +
               " bytes");

    m_keys.reserve(size_t(nKv));
    m_values.reserve(size_t(nKv));
    for (uint64_t i = 0; i < nKv; ++i) {
        std::string key = c.readString("metadata key length");
        const GgufValueType type = readValueType(c, "metadata value type");
        GgufValue value = readValue(c, type, key, 0);
        if (!m_keyIndex.emplace(key, m_keys.size()).second)
            c.fail("metadata key '" + key + "' appears twice");
        m_keys.push_back(std::move(key));
        m_values.push_back(std::move(value));
    }

    if (const GgufValue* a = metadata("general.alignment")) {
        const auto v = a->toInt();
        if (!v || *v <= 0 || !std::has_single_bit(uint64_t(*v)))
            c.fail("general.alignment is " + a->toDisplayString() + ", not a positive power of two");
        m_alignment = uint64_t(*v);
    }

    m_tensors.reserve(size_t(nTensors));
    for (uint64_t i = 0; i < nTensors; ++i) {
        GgufTensorInfo t;
        t.info.name = c.readString("tensor name length");
        const std::string ctx = tensorContext(t.info.name);
        const uint32_t nDims = c.read<uint32_t>("tensor dimension count");
        if (nDims > kMaxDims)
            c.fail(ctx + std::to_string(nDims) + " dimensions, more than ggml's " + std::to_string(kMaxDims));
        uint64_t numel = 1;
        for (uint32_t d = 0; d < nDims; ++d) {
            const uint64_t ne = c.read<uint64_t>("tensor dimension");
            if (ne > uint64_t(std::numeric_limits<int64_t>::max()) ||
                (ne != 0 && numel > uint64_t(std::numeric_limits<int64_t>::max()) / ne))
                c.fail(ctx + "dimensions overflow a 64-bit element count");
            numel *= ne;
            t.ne.push_back(int64_t(ne));
        }
        t.typeId = c.read<uint32_t>("tensor type");
        t.relativeOffset = c.read<uint64_t>("tensor data offset");

        t.info.shape.assign(t.ne.rbegin(), t.ne.rend());
        t.info.dtype = ggmlTypeName(t.typeId);
        const GgmlTypeTraits* traits = ggmlTypeTraits(t.typeId);
        t.sizeKnown = traits != nullptr;
        t.info.decodable = traits && canDequantize(traits->type);
        if (traits) {
            const uint64_t rowLength = t.ne.empty() ? 1 : uint64_t(t.ne[0]);
            if (rowLength % uint64_t(traits->blockSize) != 0)
                c.fail(ctx + "rows of " + std::to_string(rowLength) + " values are not a whole number of " +
                       std::string(traits->name) + " blocks of " + std::to_string(traits->blockSize));
            const uint64_t blocks = numel / uint64_t(traits->blockSize);
            if (blocks > std::numeric_limits<uint64_t>::max() / uint64_t(traits->bytesPerBlock))
                c.fail(ctx + "byte size overflows 64 bits");
            t.info.byteSize = blocks * uint64_t(traits->bytesPerBlock);
        }
        if (!m_tensorIndex.emplace(t.info.name, m_tensors.size()).second)
            c.fail(ctx + "the name appears twice");
        m_tensors.push_back(std::move(t));
    }

    // The data section starts at the first multiple of the alignment after the tensor infos.
    const uint64_t headerEnd = c.pos();
    const uint64_t pad = (m_alignment - headerEnd % m_alignment) % m_alignment;
    if (headerEnd > std::numeric_limits<uint64_t>::max() - pad)
        c.fail("data section offset overflows 64 bits");
    m_dataOffset = headerEnd + pad;

    for (auto& t : m_tensors) {
        const std::string ctx = tensorContext(t.info.name);
        if (t.relativeOffset % m_alignment != 0)
            c.fail(ctx + "data offset " + std::to_string(t.relativeOffset) + " is not a multiple of the alignment " +
                   std::to_string(m_alignment));
        if (t.relativeOffset > fileSize || m_dataOffset > fileSize - t.relativeOffset)
            c.fail(ctx + "data offset " + std::to_string(t.relativeOffset) + " (+ data section start " +
                   std::to_string(m_dataOffset) + ") lies past the end of the file (" + std::to_string(fileSize) +
                   " bytes)");
        t.fileOffset = m_dataOffset + t.relativeOffset;
        if (t.info.byteSize > fileSize - t.fileOffset)
            c.fail(ctx + "its " + std::to_string(t.info.byteSize) + " bytes of data at byte " +
                   std::to_string(t.fileOffset) + " run past the end of the file (" + std::to_string(fileSize) +
                   " bytes)");
        m_infos.push_back(t.info);
    }
}

const std::string& GgufReader::path() const { return m_file->path(); }
uint64_t GgufReader::fileSize() const { return m_file->size(); }

const GgufValue* GgufReader::metadata(const std::string& key) const
{
    const auto it = m_keyIndex.find(key);
    return it == m_keyIndex.end() ? nullptr : &m_values[it->second];
}

std::optional<int64_t> GgufReader::getInt(const std::string& key) const
{
    const GgufValue* v = metadata(key);
    return v ? v->toInt() : std::nullopt;
}

std::optional<double> GgufReader::getFloat(const std::string& key) const
{
    const GgufValue* v = metadata(key);
    return v ? v->toDouble() : std::nullopt;
}

std::optional<bool> GgufReader::getBool(const std::string& key) const
{
    const GgufValue* v = metadata(key);
    return v ? v->toBool() : std::nullopt;
}

std::optional<std::string> GgufReader::getString(const std::string& key) const
{
    const GgufValue* v = metadata(key);
    if (!v || !v->string())
        return std::nullopt;
    return *v->string();
}

std::vector<std::string> GgufReader::getStringArray(const std::string& key) const
{
    const GgufValue* v = metadata(key);
    const GgufArray* a = v ? v->array() : nullptr;
    if (!a || a->elementType != GgufValueType::String)
        return {};
    std::vector<std::string> out;
    out.reserve(a->items.size());
    for (const auto& item : a->items)
        out.push_back(*item.string());
    return out;
}

std::vector<int64_t> GgufReader::getIntArray(const std::string& key) const
{
    const GgufValue* v = metadata(key);
    const GgufArray* a = v ? v->array() : nullptr;
    if (!a)
        return {};
    std::vector<int64_t> out;
    out.reserve(a->items.size());
    for (const auto& item : a->items) {
        const auto i = item.toInt();
        if (!i)
            return {};
        out.push_back(*i);
    }
    return out;
}

std::vector<double> GgufReader::getFloatArray(const std::string& key) const
{
    const GgufValue* v = metadata(key);
    const GgufArray* a = v ? v->array() : nullptr;
    if (!a)
        return {};
    std::vector<double> out;
    out.reserve(a->items.size());
    for (const auto& item : a->items) {
        const auto d = item.toDouble();
        if (!d)
            return {};
        out.push_back(*d);
    }
    return out;
}

std::vector<float> GgufReader::getFloat32Array(const std::string& key) const
{
    const GgufValue* v = metadata(key);
    const GgufArray* a = v ? v->array() : nullptr;
    if (!a || a->elementType != GgufValueType::Float32)
        return {};
    std::vector<float> out;
    out.reserve(a->items.size());
    for (const auto& item : a->items)
        out.push_back(std::get<float>(item.storage()));
    return out;
}

const GgufTensorInfo* GgufReader::tensorInfo(const std::string& name) const
{
    const auto it = m_tensorIndex.find(name);
    return it == m_tensorIndex.end() ? nullptr : &m_tensors[it->second];
}

const GgufTensorInfo& GgufReader::require(const std::string& name) const
{
    const GgufTensorInfo* t = tensorInfo(name);
    if (!t)
        throw InputError(path(), "no tensor named '" + name + "'");
    return *t;
}

GgufReader::RawBytes GgufReader::rawBytes(const std::string& name) const
{
    const GgufTensorInfo& t = require(name);
    if (!t.sizeKnown)
        throw InputError(path(), tensorContext(name) + "type " + t.info.dtype +
                                     " is unknown, so its size in bytes is unknown");
    return {m_file->data() + t.fileOffset, t.info.byteSize};
}

FloatTensor GgufReader::readFloat(const std::string& name) const
{
    const GgufTensorInfo& t = require(name);
    if (!t.info.decodable)
        throw InputError(path(), tensorContext(name) + "type " + t.info.dtype + " cannot be decoded to float " +
                                     "(decodable types: " + decodableTypeList() + ")");
    FloatTensor out;
    out.shape = t.info.shape;
    const int64_t n = t.info.numel();
    out.data.resize(size_t(n));
    dequantizeRow(GgmlType(t.typeId), m_file->data() + t.fileOffset, out.data.data(), n);
    return out;
}

} // namespace salience
