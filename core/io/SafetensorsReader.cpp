#include "io/SafetensorsReader.h"

#include "base/Error.h"
#include "base/PageAdvice.h"
#include "base/ParallelFor.h"
#include "io/DTypes.h"
#include "io/JsonFile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>
#include <set>

namespace salience {

namespace {

using nlohmann::json;

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

// Reads a non-negative JSON integer that must fit in int64 (shapes) or uint64 (offsets).
bool readUnsigned(const json& v, uint64_t limit, uint64_t& out)
{
    if (!v.is_number_unsigned())
        return false;
    out = v.get<uint64_t>();
    return out <= limit;
}

} // namespace

SafetensorsReader::SafetensorsReader(const std::string& path)
    : m_file(std::make_unique<MappedFile>(path))
{
    parseHeader();
}

void SafetensorsReader::parseHeader()
{
    const std::string& p = m_file->path();
    const uint64_t fileSize = m_file->size();
    if (fileSize < 8)
        throw InputError(p, "not a safetensors file: " + std::to_string(fileSize) +
                                " bytes is shorter than the 8-byte header length");
    uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | m_file->data()[i];
    if (headerSize > kMaxHeaderSize)
        throw InputError(p, "header length " + std::to_string(headerSize) +
                                " is absurd (limit " + std::to_string(kMaxHeaderSize) +
                                " bytes); not a safetensors file");
    if (headerSize > fileSize - 8)
        throw InputError(p, "header length " + std::to_string(headerSize) +
                                " runs past the end of the file (" + std::to_string(fileSize) +
                                " bytes)");
    if (headerSize < 2)
        throw InputError(p, "header length " + std::to_string(headerSize) + " is too short");
    m_dataStart = 8 + headerSize;
    const uint64_t dataSize = fileSize - m_dataStart;

    // nlohmann keeps the last of duplicate keys silently; a parser callback sees every key,
    // so a tensor named twice is caught.
    std::set<std::string> topKeys;
    std::string duplicate;
    const auto onEvent = [&](int depth, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::key && depth == 1 && parsed.is_string()) {
            if (!topKeys.insert(parsed.get<std::string>()).second && duplicate.empty())
                duplicate = parsed.get<std::string>();
        }
        return true;
    };
    const char* text = reinterpret_cast<const char*>(m_file->data() + 8);
    json header;
    checkJsonNesting(std::string_view(text, size_t(headerSize)), p);
    try {
        header = json::parse(text, text + headerSize, onEvent);
    } catch (const json::exception& e) {
        throw InputError(p, std::string("header is not valid JSON: ") + e.what());
    }
    if (!header.is_object())
        throw InputError(p, "header is not a JSON object");
    if (!duplicate.empty())
        throw InputError(p, "header names " + inQuotes(duplicate) + " twice");

    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const json& v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object())
                throw InputError(p, "__metadata__ is not a JSON object");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string())
                    throw InputError(p, "__metadata__ value of " + inQuotes(m.key()) +
                                            " is not a string");
                m_metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "tensor " + inQuotes(name) + ": ";
        if (!v.is_object())
            throw InputError(p, where + "entry is not a JSON object");
        const auto dtypeIt = v.find("dtype");
        const auto shapeIt = v.find("shape");
        const auto offsetsIt = v.find("data_offsets");
        if (dtypeIt == v.end() || !dtypeIt->is_string())
            throw InputError(p, where + "missing or non-string \"dtype\"");
        if (shapeIt == v.end() || !shapeIt->is_array())
            throw InputError(p, where + "missing or non-array \"shape\"");
        if (offsetsIt == v.end() || !offsetsIt->is_array() || offsetsIt->size() != 2)
            throw InputError(p, where + "\"data_offsets\" must be an array of two integers");

        TensorInfo info;
        info.name = name;
        info.dtype = dtypeIt->get<std::string>();
        uint64_t numel = 1;
        for (const json& d : *shapeIt) {
            uint64_t dim = 0;
            if (!readUnsigned(d, uint64_t(std::numeric_limits<int64_t>::max()), dim))
                throw InputError(p, where + "shape " + shapeIt->dump() +
                                        " has a dimension that is not a non-negative integer");
            if (__builtin_mul_overflow(numel, dim, &numel) ||
                numel > uint64_t(std::numeric_limits<int64_t>::max()))
                throw InputError(p, where + "shape " + shapeIt->dump() + " overflows");
            info.shape.push_back(int64_t(dim));
        }
        Entry e;
        if (!readUnsigned((*offsetsIt)[0], std::numeric_limits<uint64_t>::max(), e.begin) ||
            !readUnsigned((*offsetsIt)[1], std::numeric_limits<uint64_t>::max(), e.end))
            throw InputError(p, where + "\"data_offsets\" must be non-negative integers");
        if (e.begin > e.end)
            throw InputError(p, where + "data_offsets [" + std::to_string(e.begin) + ", " +
                                    std::to_string(e.end) + "] begin after they end");
        if (e.end > dataSize)
            throw InputError(p, where + "data_offsets [" + std::to_string(e.begin) + ", " +
                                    std::to_string(e.end) + "] run past the data area (" +
                                    std::to_string(dataSize) + " bytes)");
        info.byteSize = e.end - e.begin;
        const DTypeSpec* spec = findDType(info.dtype);
        // A dtype whose element size is unknown cannot be checked against its bytes: refuse it.
        if (!spec)
            throw InputError(p, where + "unknown dtype " + inQuotes(info.dtype) + " (known: " + dtypeNameList() + ")");
        info.decodable = spec->decodable;
        {
            uint64_t expected = 0;
            const bool overflow =
                __builtin_mul_overflow(numel, uint64_t(spec->elementSize), &expected);
            if (overflow || expected != info.byteSize)
                throw InputError(p, where + "shape " + info.shapeString() + " of " + info.dtype +
                                        " needs " +
                                        (overflow ? std::string("more than 2^64")
                                                  : std::to_string(expected)) +
                                        " bytes but data_offsets span " +
                                        std::to_string(info.byteSize));
        }
        m_tensors.push_back(std::move(info));
        m_entries.push_back(e);
    }

    // List tensors in data order, and check that no two share a byte.
    std::vector<size_t> order(m_tensors.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return m_entries[a].begin != m_entries[b].begin ? m_entries[a].begin < m_entries[b].begin
                                                        : m_entries[a].end < m_entries[b].end;
    });
    std::vector<TensorInfo> tensors;
    std::vector<Entry> entries;
    tensors.reserve(order.size());
    entries.reserve(order.size());
    uint64_t reachedEnd = 0;
    const TensorInfo* reachedBy = nullptr;
    for (size_t i : order) {
        const Entry& e = m_entries[i];
        if (e.end > e.begin) {
            if (reachedBy && e.begin < reachedEnd)
                throw InputError(p, "tensors " + inQuotes(reachedBy->name) + " and " +
                                        inQuotes(m_tensors[i].name) + " overlap in the data area");
            reachedEnd = e.end;
            reachedBy = &m_tensors[i];
        }
        entries.push_back(e);
        tensors.push_back(m_tensors[i]);
    }
    m_tensors = std::move(tensors);
    m_entries = std::move(entries);
    for (size_t i = 0; i < m_tensors.size(); ++i)
        m_index.emplace(m_tensors[i].name, i);
}

size_t SafetensorsReader::indexOf(const std::string& name) const
{
    const auto it = m_index.find(name);
    if (it == m_index.end())
        throw InputError(path(), "no tensor named " + inQuotes(name));
    return it->second;
}

const DTypeSpec& SafetensorsReader::decodableSpec(size_t i) const
{
    const DTypeSpec* spec = findDType(m_tensors[i].dtype);
    if (!spec || !spec->decodable)
        throw InputError(path(), "tensor " + inQuotes(m_tensors[i].name) + " has dtype " + m_tensors[i].dtype +
                                     ", which cannot be decoded to float");
    return *spec;
}

FloatTensor SafetensorsReader::readFloat(const std::string& name) const
{
    const size_t i = indexOf(name);
    const DTypeSpec& spec = decodableSpec(i);
    FloatTensor out;
    out.shape = m_tensors[i].shape;
    out.data.resize(size_t(m_tensors[i].numel()));
    decode(i, spec, out.data.data());
    return out;
}

void SafetensorsReader::readFloatInto(const std::string& name, float* dst) const
{
    const size_t i = indexOf(name);
    decode(i, decodableSpec(i), dst);
}

void SafetensorsReader::decode(size_t i, const DTypeSpec& spec, float* dst) const
{
    const uint8_t* src = m_file->data() + m_dataStart + m_entries[i].begin;
    // In ranges on every core: the first touch of a mapped page is a fault, and faults overlap.
    parallelRanges(m_tensors[i].numel(), int64_t(1) << 18, [&](int64_t begin, int64_t end) {
        prefaultForReading(src + size_t(begin) * spec.elementSize, size_t(end - begin) * spec.elementSize);
        decodeToFloat(spec, src + size_t(begin) * spec.elementSize, size_t(end - begin), dst + begin);
    });
}

RawTensorView SafetensorsReader::raw(const std::string& name) const
{
    const size_t i = indexOf(name);
    RawTensorView v;
    v.dtype = m_tensors[i].dtype;
    v.shape = m_tensors[i].shape;
    v.data = m_file->data() + m_dataStart + m_entries[i].begin;
    v.size = size_t(m_entries[i].end - m_entries[i].begin);
    return v;
}

} // namespace salience
