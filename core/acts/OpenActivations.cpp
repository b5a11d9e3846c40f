#include "acts/OpenActivations.h"

#include "base/Error.h"
#include "io/ImatrixReader.h"

#include <cstring>
#include <fstream>

namespace salience {

namespace {
bool startsWithHdf5Signature(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, "cannot open");
    char head[8] = {};
    in.read(head, 8);
    return in.gcount() == 8 && std::memcmp(head, "\x89HDF\r\n\x1a\n", 8) == 0;
}
} // namespace

ActivationStore openActivations(const std::string& path)
{
    if (startsWithHdf5Signature(path))
        return ActivationStore::load(path);
    const ImatrixData imatrix = readImatrix(path);
    ActivationStore store;
    for (auto& [name, stats] : imatrix.channelStats()) {
        std::string layer = name;
        if (layer.ends_with(".weight"))
            layer.resize(layer.size() - 7);
        store.setStats(layer, stats);
    }
    store.attributes().source = "llama.cpp imatrix " + path;
    store.setSourcePath(path);
    return store;
}

} // namespace salience
