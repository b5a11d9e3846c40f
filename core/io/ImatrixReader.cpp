#include "io/ImatrixReader.h"

#include "base/Error.h"
#include "io/GgufReader.h"
#include "io/MappedFile.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <set>

namespace salience {

namespace {

// Sums of squares are never negative, and llama-imatrix refuses to write non-finite ones.
void checkSums(const std::string& path, const std::string& name, const std::vector<double>& v)
{
    for (size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i]) || v[i] < 0)
            throw InputError(path, "imatrix entry '" + name + "': value " + std::to_string(i) + " is " +
                                       std::to_string(v[i]) + ", not a finite sum of squares");
}

ImatrixData readLegacy(const MappedFile& file, int64_t chunkSize)
{
    const std::string& path = file.path();
    const uint8_t* data = file.data();
    const uint64_t size = file.size();
    uint64_t pos = 0;
    auto readI32 = [&](const char* what) {
        if (size - pos < 4)
            throw InputError(path, std::string("truncated legacy imatrix: ") + what + " at byte " +
                                       std::to_string(pos) + " is past the end of the file (" +
                                       std::to_string(size) + " bytes)");
        int32_t v;
        std::memcpy(&v, data + pos, 4);
        pos += 4;
        return v;
    };

    ImatrixData out;
    out.path = path;
    out.format = "dat";
    const int32_t nEntries = readI32("entry count");
    // The smallest entry is 17 bytes: name length, a 1-byte name, ncall, nval and one value.
    if (nEntries < 1 || uint64_t(nEntries) > (size - pos) / 17)
        throw InputError(path, "not a legacy imatrix file: entry count " + std::to_string(nEntries) +
                                   " is impossible for a file of " + std::to_string(size) + " bytes");
    std::set<std::string> seen;
    for (int32_t e = 0; e < nEntries; ++e) {
        const std::string where = "imatrix entry " + std::to_string(e) + ": ";
        const int32_t len = readI32("name length");
        if (len < 1 || uint64_t(len) > size - pos)
            throw InputError(path, where + "name length " + std::to_string(len) + " at byte " +
                                       std::to_string(pos - 4) + " is impossible (" + std::to_string(size - pos) +
                                       " bytes left)");
        ImatrixEntry entry;
        entry.name.assign(reinterpret_cast<const char*>(data + pos), size_t(len));
        pos += uint64_t(len);
        if (!seen.insert(entry.name).second)
            throw InputError(path, where + "'" + entry.name + "' appears twice");
        const int32_t ncall = readI32("call count");
        const int32_t nval = readI32("value count");
        if (ncall < 0)
            throw InputError(path, where + "'" + entry.name + "' has a negative call count " + std::to_string(ncall));
        if (nval < 1 || uint64_t(nval) > (size - pos) / 4)
            throw InputError(path, where + "'" + entry.name + "' claims " + std::to_string(nval) +
                                       " values but " + std::to_string(size - pos) + " bytes are left");
        ChannelStats stats;
        stats.sumSq.resize(size_t(nval));
        for (int32_t i = 0; i < nval; ++i) {
            float v;
            std::memcpy(&v, data + pos + 4 * uint64_t(i), 4);
            // values = mean square * ncall; scale so sumSq / count = values / ncall (see header).
            stats.sumSq[size_t(i)] = double(v) * double(chunkSize);
        }
        pos += 4 * uint64_t(nval);
        checkSums(path, entry.name, stats.sumSq);
        stats.count = int64_t(ncall) * chunkSize;
        entry.channels = nval;
        entry.matrices = 1;
        entry.perMatrix.push_back(std::move(stats));
        out.entries.push_back(std::move(entry));
    }

    // Optional trailer: the last chunk count, then the dataset path. Older files stop earlier.
    if (size - pos >= 4)
        out.chunkCount = readI32("last chunk");
    if (size - pos >= 4) {
        const int32_t len = readI32("dataset name length");
        if (len < 0 || uint64_t(len) > size - pos)
            throw InputError(path, "legacy imatrix: dataset name length " + std::to_string(len) + " at byte " +
                                       std::to_string(pos - 4) + " runs past the end of the file");
        if (len > 0)
            out.datasets.emplace_back(reinterpret_cast<const char*>(data + pos), size_t(len));
        pos += uint64_t(len);
    }
    if (pos != size)
        throw InputError(path, "legacy imatrix: " + std::to_string(size - pos) +
                                   " unexpected bytes after the data at byte " + std::to_string(pos));
    return out;
}

bool stripSuffix(std::string& s, const std::string& suffix)
{
    if (s.size() <= suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix) != 0)
        return false;
    s.resize(s.size() - suffix.size());
    return true;
}

ImatrixData readGguf(const std::string& path)
{
    GgufReader gguf(path);
    if (auto type = gguf.getString("general.type"); type && *type != "imatrix")
        throw InputError(path, "this GGUF file is a '" + *type + "', not an imatrix");

    ImatrixData out;
    out.path = path;
    out.format = "gguf";
    out.datasets = gguf.getStringArray("imatrix.datasets");
    out.chunkCount = gguf.getInt("imatrix.chunk_count");
    out.chunkSize = gguf.getInt("imatrix.chunk_size");

    std::vector<std::string> order; // weights in the order their in_sum2 appears
    std::set<std::string> withCounts, withSum;
    for (const auto& t : gguf.tensors()) {
        std::string base = t.name;
        if (stripSuffix(base, ".in_sum2"))
            order.push_back(base);
        else if (stripSuffix(base, ".counts"))
            withCounts.insert(base);
        else if (stripSuffix(base, ".in_sum"))
            withSum.insert(base);
    }
    if (order.empty())
        throw InputError(path, "no '<weight>.in_sum2' tensors: this GGUF file is not an imatrix");
    const std::set<std::string> bases(order.begin(), order.end());
    for (const auto& b : withCounts)
        if (!bases.count(b))
            throw InputError(path, "imatrix tensor '" + b + ".counts' has no matching '" + b + ".in_sum2'");

    for (const auto& name : order) {
        if (!withCounts.count(name))
            throw InputError(path, "imatrix tensor '" + name + ".in_sum2' has no matching '" + name + ".counts'");
        const FloatTensor sums = gguf.readFloat(name + ".in_sum2");
        const FloatTensor counts = gguf.readFloat(name + ".counts");
        if (sums.shape.empty() || sums.shape.size() > 2)
            throw InputError(path, "imatrix tensor '" + name + ".in_sum2' has shape " +
                                       gguf.find(name + ".in_sum2")->shapeString() + ", expected [matrices, channels]");
        ImatrixEntry entry;
        entry.name = name;
        entry.channels = sums.shape.back();
        entry.matrices = sums.shape.size() == 2 ? sums.shape[0] : 1;
        // A zero dimension holds nothing, and the other one could then be anything (2^40
        // matrices of no channels cost no bytes in the file but a loop of 2^40 here).
        if (entry.channels < 1 || entry.matrices < 1)
            throw InputError(path, "imatrix tensor '" + name + ".in_sum2' has shape " +
                                       gguf.find(name + ".in_sum2")->shapeString() + " with a zero dimension");
        // One count per matrix; a single count for several matrices is broadcast, as llama.cpp does.
        if (counts.numel() != entry.matrices && counts.numel() != 1)
            throw InputError(path, "imatrix entry '" + name + "': " + std::to_string(counts.numel()) +
                                       " counts for " + std::to_string(entry.matrices) + " matrices");
        if (withSum.count(name)) {
            const FloatTensor s = gguf.readFloat(name + ".in_sum");
            if (s.numel() != sums.numel())
                throw InputError(path, "imatrix entry '" + name + "': in_sum has " + std::to_string(s.numel()) +
                                           " values but in_sum2 has " + std::to_string(sums.numel()));
            entry.inSum.assign(s.data.begin(), s.data.end());
        }
        for (int64_t m = 0; m < entry.matrices; ++m) {
            const float c = counts.data[size_t(counts.numel() == 1 ? 0 : m)];
            if (!std::isfinite(c) || c < 0 || c > 9.0e18f)
                throw InputError(path, "imatrix entry '" + name + "': count " + std::to_string(c) +
                                           " is not a token count");
            ChannelStats stats;
            const auto first = sums.data.begin() + m * entry.channels;
            stats.sumSq.assign(first, first + entry.channels);
            checkSums(path, name, stats.sumSq);
            stats.count = std::llround(double(c));
            entry.perMatrix.push_back(std::move(stats));
        }
        out.entries.push_back(std::move(entry));
    }
    return out;
}

} // namespace

ChannelStats ImatrixEntry::pooled() const
{
    ChannelStats out;
    out.sumSq.assign(size_t(channels), 0.0);
    for (const auto& m : perMatrix) {
        for (size_t j = 0; j < out.sumSq.size() && j < m.sumSq.size(); ++j)
            out.sumSq[j] += m.sumSq[j];
        out.count += m.count;
    }
    return out;
}

const ImatrixEntry* ImatrixData::find(const std::string& name) const
{
    for (const auto& e : entries)
        if (e.name == name)
            return &e;
    return nullptr;
}

std::map<std::string, ChannelStats> ImatrixData::channelStats() const
{
    std::map<std::string, ChannelStats> out;
    for (const auto& e : entries)
        out.emplace(e.name, e.pooled());
    return out;
}

ImatrixData readImatrix(const std::string& path, int64_t legacyChunkSize)
{
    if (legacyChunkSize < 1)
        throw InputError(path, "the assumed imatrix chunk size must be positive, not " +
                                   std::to_string(legacyChunkSize));
    bool isGguf = false;
    {
        MappedFile file(path);
        isGguf = file.size() >= 4 && std::memcmp(file.data(), "GGUF", 4) == 0;
        if (!isGguf)
            return readLegacy(file, legacyChunkSize);
    }
    return readGguf(path);
}

ImatrixEntry splitMatrices(const ImatrixEntry& entry, int64_t matrices, const std::string& path)
{
    if (matrices < 1 || entry.matrices != 1 || entry.perMatrix.size() != 1 || entry.channels % matrices != 0)
        throw InputError(path, "imatrix entry '" + entry.name + "': " + std::to_string(entry.channels * entry.matrices) +
                                   " values cannot be split into " + std::to_string(matrices) + " equal matrices");
    ImatrixEntry out;
    out.name = entry.name;
    out.matrices = matrices;
    out.channels = entry.channels / matrices;
    const ChannelStats& all = entry.perMatrix.front();
    for (int64_t m = 0; m < matrices; ++m) {
        ChannelStats s;
        const auto first = all.sumSq.begin() + m * out.channels;
        s.sumSq.assign(first, first + out.channels);
        s.count = all.count; // the .dat form has one call count for all experts
        out.perMatrix.push_back(std::move(s));
    }
    out.inSum = entry.inSum;
    return out;
}

} // namespace salience
