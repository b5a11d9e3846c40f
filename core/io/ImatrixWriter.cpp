#include "io/ImatrixWriter.h"

#include "base/Error.h"
#include "io/AtomicFile.h"

#include <cmath>
#include <limits>

namespace salience {

namespace {

void putInt32(std::ostream& out, int64_t value, const std::string& what)
{
    if (value < 0 || value > std::numeric_limits<int32_t>::max())
        throw InputError(what, std::to_string(value) + " does not fit the imatrix file's int32");
    const int32_t v = int32_t(value);
    out.write(reinterpret_cast<const char*>(&v), 4);
}

} // namespace

void writeImatrixDat(const std::string& path, const std::vector<ImatrixWriteEntry>& entries, int64_t chunkSize,
                     int64_t chunks, const std::string& dataset, bool overwrite)
{
    if (chunkSize < 1)
        throw InputError(path, "the chunk size must be positive");
    AtomicFile file(path, overwrite);
    std::ostream& out = file.stream();
    putInt32(out, int64_t(entries.size()), path + ": entry count");
    for (const ImatrixWriteEntry& e : entries) {
        if (e.stats.count <= 0 || e.stats.channels() == 0)
            throw InputError(path, "entry " + e.name + " has no tokens or no channels");
        const int64_t ncall = std::max<int64_t>(1, (e.stats.count + chunkSize / 2) / chunkSize);
        putInt32(out, int64_t(e.name.size()), path + ": name length of " + e.name);
        out.write(e.name.data(), std::streamsize(e.name.size()));
        putInt32(out, ncall, path + ": calls of " + e.name);
        putInt32(out, int64_t(e.stats.channels()), path + ": values of " + e.name);
        for (double sumSq : e.stats.sumSq) {
            const float v = float(sumSq / double(e.stats.count) * double(ncall));
            out.write(reinterpret_cast<const char*>(&v), 4);
        }
    }
    putInt32(out, chunks, path + ": chunk count");
    putInt32(out, int64_t(dataset.size()), path + ": dataset name length");
    out.write(dataset.data(), std::streamsize(dataset.size()));
    file.commit();
}

} // namespace salience
