#include "acts/ActivationStore.h"

#include "acts/ChannelStatsOps.h"
#include "base/Error.h"
#include "io/Hdf5.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace salience {

namespace {

constexpr int64_t kChunkBytes = 1 << 20; // one chunk of an inputs or site dataset, at most
constexpr int64_t kSlabBytes = 8 << 20;  // rows written (and read back) per step of a save

const std::string kInputs = "inputs";
const std::string kStats = "stats";
const std::string kSites = "sites";

std::string quoted(const std::string& s) { return "'" + s + "'"; }

void requireLinkName(const std::string& name, const std::string& what)
{
    if (!hdf5::isValidLinkName(name))
        throw InputError(name, what + " must be non-empty, not '.' or '..', and contain no '/' "
                                      "(HDF5 uses '/' to separate groups)");
}

// Block groups are named by a plain decimal index.
std::optional<int> parseBlock(const std::string& name)
{
    if (name.empty() || name.size() > 9 ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::stoi(name);
}

int siteRank(const std::string& site)
{
    const auto& names = standardSiteNames();
    return int(std::find(names.begin(), names.end(), site) - names.begin());
}

// A rank-2 float dataset's shape, or an InputError naming the dataset.
MatrixShape matrixShape(const hdf5::Dataset& d, const char* columns)
{
    const auto shape = d.shape();
    if (shape.size() != 2)
        d.fail("has rank " + std::to_string(shape.size()) + ", expected 2 [tokens, " + columns + "]");
    const auto type = d.type();
    if (type.typeClass != hdf5::TypeClass::Float)
        d.fail("holds " + type.name + ", expected float32 or float16");
    int64_t count = 0;
    if (__builtin_mul_overflow(shape[0], shape[1], &count) ||
        count > std::numeric_limits<int64_t>::max() / int64_t(sizeof(float)))
        d.fail("is too large to address");
    return {shape[0], shape[1]};
}

std::vector<double> readStatsVector(const hdf5::Group& group, const std::string& name)
{
    hdf5::Dataset d = group.openDataset(name);
    const auto shape = d.shape();
    if (shape.size() != 1)
        d.fail("has rank " + std::to_string(shape.size()) + ", expected 1 [in_features]");
    return d.readDoubles();
}

ChannelStats readStats(const hdf5::Group& group)
{
    ChannelStats stats;
    stats.sumSq = readStatsVector(group, "sum_sq");
    if (group.hasLink("abs_max"))
        stats.absMax = readStatsVector(group, "abs_max");
    if (group.hasLink("abs_sum"))
        stats.absSum = readStatsVector(group, "abs_sum");
    const size_t n = stats.sumSq.size();
    if ((stats.hasAbsMax() && stats.absMax.size() != n) || (stats.hasAbsSum() && stats.absSum.size() != n))
        group.fail("sum_sq, abs_max and abs_sum have different lengths (" + std::to_string(n) + ", " +
                   std::to_string(stats.absMax.size()) + ", " + std::to_string(stats.absSum.size()) + ")");
    if (!group.hasAttribute("count"))
        group.fail("has no attribute 'count'");
    stats.count = group.readIntAttribute("count");
    if (stats.count < 0)
        group.fail("attribute 'count' is negative (" + std::to_string(stats.count) + ")");
    return stats;
}

void checkStats(const ChannelStats& stats, const std::string& layer)
{
    const size_t n = stats.channels();
    if ((stats.hasAbsMax() && stats.absMax.size() != n) || (stats.hasAbsSum() && stats.absSum.size() != n))
        throw InputError(layer, "channel statistics of different lengths (sum_sq " + std::to_string(n) +
                                    ", abs_max " + std::to_string(stats.absMax.size()) +
                                    ", abs_sum " + std::to_string(stats.absSum.size()) + ")");
    if (stats.count < 0)
        throw InputError(layer, "channel statistics with a negative count");
}

// Removes the temporary file of a save unless it was renamed into place.
class TemporaryFile {
public:
    explicit TemporaryFile(std::string path) : m_path(std::move(path)) {}
    ~TemporaryFile()
    {
        if (!m_committed) {
            std::error_code ec;
            std::filesystem::remove(m_path, ec);
        }
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const std::string& path() const { return m_path; }
    void commit() { m_committed = true; }

private:
    std::string m_path;
    bool m_committed = false;
};

} // namespace

const std::vector<std::string>& standardSiteNames()
{
    static const std::vector<std::string> names = {"resid_in",  "attn_in", "attn_out", "resid_mid",
                                                   "mlp_in",    "mlp_act", "mlp_out"};
    return names;
}

// ---------------------------------------------------------------------------------------------
// Ordering

bool ActivationStore::NaturalOrder::operator()(const std::string& a, const std::string& b) const
{
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            size_t ie = i, je = j;
            while (ie < a.size() && isDigit(a[ie]))
                ++ie;
            while (je < b.size() && isDigit(b[je]))
                ++je;
            // Compare the numbers by value: skip leading zeros, then the longer is larger.
            size_t is = i, js = j;
            while (is + 1 < ie && a[is] == '0')
                ++is;
            while (js + 1 < je && b[js] == '0')
                ++js;
            if (ie - is != je - js)
                return ie - is < je - js;
            const int c = a.compare(is, ie - is, b, js, je - js);
            if (c != 0)
                return c < 0;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j])
                return (unsigned char)a[i] < (unsigned char)b[j];
            ++i;
            ++j;
        }
    }
    if (i < a.size() || j < b.size())
        return i >= a.size(); // the one that ran out first is a prefix of the other
    return a < b; // equal by value ("01" vs "1"): any strict order will do
}

bool ActivationStore::SiteOrder::operator()(const SiteKey& a, const SiteKey& b) const
{
    if (a.block != b.block)
        return a.block < b.block;
    const int ra = siteRank(a.site), rb = siteRank(b.site);
    if (ra != rb)
        return ra < rb;
    return a.site < b.site;
}

// ---------------------------------------------------------------------------------------------
// Building in memory

ActivationStore::ActivationStore() = default;

std::string ActivationStore::sourceName() const { return m_path.empty() ? "activations (in memory)" : m_path; }

void ActivationStore::claimRows(int64_t rows, const std::string& what, bool replacing)
{
    int holders = (m_nTokensSet ? 1 : 0) + (m_tokens.empty() ? 0 : 1) + int(m_sites.size());
    for (const auto& [name, layer] : m_layers)
        holders += layer.inputs ? 1 : 0;
    if (replacing)
        --holders;
    if (holders > 0 && rows != m_nTokens)
        throw InputError(what, "has " + std::to_string(rows) + " rows, but the store holds " +
                                   std::to_string(m_nTokens) + " tokens");
    m_nTokens = rows;
}

void ActivationStore::setNTokens(int64_t n)
{
    if (n < 0)
        throw InputError("n_tokens", "cannot be negative");
    claimRows(n, "n_tokens", m_nTokensSet);
    m_nTokensSet = true;
}

void ActivationStore::setTokens(std::vector<int32_t> tokens)
{
    claimRows(int64_t(tokens.size()), "tokens", !m_tokens.empty());
    m_tokens = std::move(tokens);
}

void ActivationStore::setInputs(const std::string& layer, Matrix X)
{
    requireLinkName(layer, "a layer name");
    auto it = m_layers.find(layer);
    const bool replacing = it != m_layers.end() && it->second.inputs.has_value();
    if (it != m_layers.end() && it->second.stats && it->second.stats->channels() != size_t(X.cols()))
        throw InputError(layer, "inputs have " + std::to_string(X.cols()) +
                                    " columns, but its statistics have " +
                                    std::to_string(it->second.stats->channels()) + " channels");
    claimRows(X.rows(), layer, replacing);
    std::lock_guard lock(m_mutex.mutex);
    Layer& entry = m_layers[layer];
    entry.inputs = LazyMatrix{{X.rows(), X.cols()}, {}, std::make_shared<const Matrix>(std::move(X))};
    entry.derivedStats.reset();
}

void ActivationStore::setStats(const std::string& layer, ChannelStats stats)
{
    requireLinkName(layer, "a layer name");
    checkStats(stats, layer);
    auto it = m_layers.find(layer);
    if (it != m_layers.end() && it->second.inputs &&
        it->second.inputs->shape.cols != int64_t(stats.channels()))
        throw InputError(layer, "statistics have " + std::to_string(stats.channels()) +
                                    " channels, but its inputs have " +
                                    std::to_string(it->second.inputs->shape.cols) + " columns");
    std::lock_guard lock(m_mutex.mutex);
    m_layers[layer].stats = std::move(stats);
}

void ActivationStore::setSite(int block, const std::string& site, Matrix A)
{
    if (block < 0)
        throw InputError(site, "block index cannot be negative");
    requireLinkName(site, "a site name");
    const SiteKey key{block, site};
    claimRows(A.rows(), "site " + std::to_string(block) + "/" + site, m_sites.count(key) > 0);
    std::lock_guard lock(m_mutex.mutex);
    m_sites[key] = LazyMatrix{{A.rows(), A.cols()}, {}, std::make_shared<const Matrix>(std::move(A))};
}

// ---------------------------------------------------------------------------------------------
// Queries

std::vector<std::string> ActivationStore::layerNames() const
{
    std::vector<std::string> names;
    names.reserve(m_layers.size());
    for (const auto& [name, layer] : m_layers)
        names.push_back(name);
    return names;
}

bool ActivationStore::hasInputs(const std::string& layer) const
{
    auto it = m_layers.find(layer);
    return it != m_layers.end() && it->second.inputs.has_value();
}

MatrixShape ActivationStore::inputsShape(const std::string& layer) const
{
    auto it = m_layers.find(layer);
    if (it == m_layers.end() || !it->second.inputs)
        throw InputError(sourceName(), "no inputs for layer " + quoted(layer));
    return it->second.inputs->shape;
}

std::shared_ptr<const Matrix> ActivationStore::readLazy(const LazyMatrix& m, const std::string& what) const
{
    if (m.data)
        return m.data;
    if (!m_file || m.links.empty())
        throw Error("ActivationStore: " + what + " has neither data nor a dataset");
    auto X = std::make_shared<Matrix>();
    try {
        X->resize(m.shape.rows, m.shape.cols);
    } catch (const std::bad_alloc&) {
        throw InputError(m_path, what + " is too large to hold in memory (" +
                                     std::to_string(m.shape.rows) + " x " +
                                     std::to_string(m.shape.cols) + ")");
    }
    hdf5::Group group = m_file->root();
    for (size_t i = 0; i + 1 < m.links.size(); ++i)
        group = group.openGroup(m.links[i]);
    group.openDataset(m.links.back()).readFloatRows(0, m.shape.rows, X->data());
    return X;
}

const Matrix& ActivationStore::materialize(const LazyMatrix& m, const std::string& what) const
{
    if (!m.data)
        m.data = readLazy(m, what);
    return *m.data;
}

std::shared_ptr<const Matrix> ActivationStore::inputsUncached(const std::string& layer) const
{
    auto it = m_layers.find(layer);
    if (it == m_layers.end() || !it->second.inputs)
        throw InputError(sourceName(), "no inputs for layer " + quoted(layer));
    std::lock_guard lock(m_mutex.mutex);
    return readLazy(*it->second.inputs, "inputs of " + quoted(layer));
}

const Matrix& ActivationStore::inputs(const std::string& layer) const
{
    auto it = m_layers.find(layer);
    if (it == m_layers.end() || !it->second.inputs)
        throw InputError(sourceName(), "no inputs for layer " + quoted(layer));
    std::lock_guard lock(m_mutex.mutex);
    return materialize(*it->second.inputs, "inputs of " + quoted(layer));
}

bool ActivationStore::hasStats(const std::string& layer) const
{
    auto it = m_layers.find(layer);
    return it != m_layers.end() && it->second.stats.has_value();
}

ChannelStats ActivationStore::stats(const std::string& layer) const
{
    auto it = m_layers.find(layer);
    if (it == m_layers.end())
        throw InputError(sourceName(), "no inputs or statistics for layer " + quoted(layer));
    const Layer& entry = it->second;
    if (entry.stats)
        return *entry.stats;
    std::lock_guard lock(m_mutex.mutex);
    if (!entry.derivedStats)
        entry.derivedStats = channelStatsOf(*readLazy(*entry.inputs, "inputs of " + quoted(layer)));
    return *entry.derivedStats;
}

ChannelStats ActivationStore::statsOf(const Matrix& X) { return channelStatsOf(X); }

std::vector<SiteKey> ActivationStore::sites() const
{
    std::vector<SiteKey> keys;
    keys.reserve(m_sites.size());
    for (const auto& [key, matrix] : m_sites)
        keys.push_back(key);
    return keys;
}

bool ActivationStore::hasSite(int block, const std::string& site) const
{
    return m_sites.count(SiteKey{block, site}) > 0;
}

MatrixShape ActivationStore::siteShape(int block, const std::string& site) const
{
    auto it = m_sites.find(SiteKey{block, site});
    if (it == m_sites.end())
        throw InputError(sourceName(), "no site " + quoted(site) + " in block " + std::to_string(block));
    return it->second.shape;
}

const Matrix& ActivationStore::site(int block, const std::string& site) const
{
    auto it = m_sites.find(SiteKey{block, site});
    if (it == m_sites.end())
        throw InputError(sourceName(), "no site " + quoted(site) + " in block " + std::to_string(block));
    std::lock_guard lock(m_mutex.mutex);
    return materialize(it->second, "site " + std::to_string(block) + "/" + site);
}

void ActivationStore::releaseCached() const
{
    std::lock_guard lock(m_mutex.mutex);
    for (const auto& [name, layer] : m_layers)
        if (layer.inputs && !layer.inputs->links.empty())
            layer.inputs->data.reset();
    for (const auto& [key, matrix] : m_sites)
        if (!matrix.links.empty())
            matrix.data.reset();
}

int64_t ActivationStore::cachedBytes() const
{
    std::lock_guard lock(m_mutex.mutex);
    int64_t bytes = 0;
    const auto add = [&](const LazyMatrix& m) {
        if (m.data)
            bytes += m.shape.rows * m.shape.cols * int64_t(sizeof(float));
    };
    for (const auto& [name, layer] : m_layers)
        if (layer.inputs)
            add(*layer.inputs);
    for (const auto& [key, matrix] : m_sites)
        add(matrix);
    return bytes;
}

// ---------------------------------------------------------------------------------------------
// Loading

ActivationStore ActivationStore::load(const std::string& path)
{
    auto file = std::make_shared<hdf5::File>(hdf5::File::openReadOnly(path));
    const hdf5::Group root = file->root();
    if (!root.hasAttribute("schema"))
        throw InputError(path, std::string("no 'schema' attribute: not a Salience activation file "
                                           "(expected schema ") + kActivationSchema + ")");
    const std::string schema = root.readStringAttribute("schema");
    if (schema != kActivationSchema)
        throw InputError(path, "schema is " + quoted(schema) + ", expected " + quoted(kActivationSchema));

    ActivationStore store;
    store.m_path = path;
    store.m_file = file;
    if (root.hasAttribute("model"))
        store.m_attributes.model = root.readStringAttribute("model");
    if (root.hasAttribute("source"))
        store.m_attributes.source = root.readStringAttribute("source");
    std::optional<int64_t> nTokens;
    if (root.hasAttribute("n_tokens")) {
        nTokens = root.readIntAttribute("n_tokens");
        if (*nTokens < 0)
            root.fail("attribute 'n_tokens' is negative (" + std::to_string(*nTokens) + ")");
    }

    if (root.hasLink("tokens")) {
        const hdf5::Dataset d = root.openDataset("tokens");
        if (d.shape().size() != 1)
            d.fail("has rank " + std::to_string(d.shape().size()) + ", expected 1 [n_tokens]");
        store.m_tokens = d.readInt32s();
        if (nTokens && int64_t(store.m_tokens.size()) != *nTokens)
            d.fail("holds " + std::to_string(store.m_tokens.size()) + " tokens, but n_tokens is " +
                   std::to_string(*nTokens));
        nTokens = int64_t(store.m_tokens.size());
    }

    // Every matrix's rows must agree with n_tokens (or, without it, with each other).
    const auto checkRows = [&](const hdf5::Dataset& d, const MatrixShape& shape) {
        if (!nTokens)
            nTokens = shape.rows;
        else if (shape.rows != *nTokens)
            d.fail("has " + std::to_string(shape.rows) + " rows, but the file holds " +
                   std::to_string(*nTokens) + " tokens");
    };

    if (root.hasLink(kInputs)) {
        const hdf5::Group inputs = root.openGroup(kInputs);
        for (const auto& link : inputs.links()) {
            const hdf5::Dataset d = inputs.openDataset(link.name);
            const MatrixShape shape = matrixShape(d, "in_features");
            checkRows(d, shape);
            store.m_layers[link.name].inputs = LazyMatrix{shape, {kInputs, link.name}, nullptr};
        }
    }
    if (root.hasLink(kStats)) {
        const hdf5::Group statsGroup = root.openGroup(kStats);
        for (const auto& link : statsGroup.links()) {
            const hdf5::Group g = statsGroup.openGroup(link.name);
            ChannelStats stats = readStats(g);
            Layer& layer = store.m_layers[link.name];
            if (layer.inputs && layer.inputs->shape.cols != int64_t(stats.channels()))
                g.fail("has " + std::to_string(stats.channels()) + " channels, but /inputs/" +
                       link.name + " has " + std::to_string(layer.inputs->shape.cols) + " columns");
            layer.stats = std::move(stats);
        }
    }
    if (root.hasLink(kSites)) {
        const hdf5::Group sites = root.openGroup(kSites);
        for (const auto& blockLink : sites.links()) {
            const std::optional<int> block = parseBlock(blockLink.name);
            if (!block)
                throw InputError(path, "/sites/" + blockLink.name +
                                           ": block groups must be named by a block index (0, 1, ...)");
            const hdf5::Group blockGroup = sites.openGroup(blockLink.name);
            for (const auto& siteLink : blockGroup.links()) {
                const hdf5::Dataset d = blockGroup.openDataset(siteLink.name);
                const MatrixShape shape = matrixShape(d, "d");
                checkRows(d, shape);
                store.m_sites[SiteKey{*block, siteLink.name}] =
                    LazyMatrix{shape, {kSites, blockLink.name, siteLink.name}, nullptr};
            }
        }
    }
    store.m_nTokens = nTokens.value_or(0);
    store.m_nTokensSet = root.hasAttribute("n_tokens");
    return store;
}

// ---------------------------------------------------------------------------------------------
// Saving

void ActivationStore::save(const std::string& path, Progress& progress, const SaveOptions& options) const
{
    if (options.compressionLevel < 0 || options.compressionLevel > 9)
        throw InputError("compression level", "must be 0 to 9, not " + std::to_string(options.compressionLevel));
    // Work on a copy: it shares the matrices and the open file, so other threads can keep
    // reading (and lazily loading into) this store while the save runs.
    ActivationStore snapshot;
    {
        std::lock_guard lock(m_mutex.mutex);
        snapshot = *this;
    }

    const std::filesystem::path target(path);
    if (target.filename().empty())
        throw InputError(path, "needs a file name");
    const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
    std::random_device random;
    std::optional<TemporaryFile> temporary;
    std::optional<hdf5::File> file;
    for (int attempt = 0; attempt < 100 && !file; ++attempt) {
        char suffix[17];
        std::snprintf(suffix, sizeof suffix, "%08x%08x", random(), random());
        const std::string candidate =
            (folder / ("." + target.filename().string() + ".tmp-" + suffix)).string();
        std::error_code ec;
        if (std::filesystem::exists(candidate, ec))
            continue;
        try {
            file.emplace(hdf5::File::create(candidate, /*exclusive=*/true));
        } catch (const InputError&) {
            throw InputError(path, "cannot create a temporary file in " + quoted(folder.string()) +
                                       " (does the folder exist and is it writable?)");
        }
        temporary.emplace(candidate);
    }
    if (!file)
        throw InputError(path, "cannot find a free temporary file name in " + quoted(folder.string()));

    try {
        snapshot.writeTo(*file, progress, options);
        file->close();
    } catch (...) {
        file.reset(); // close before the temporary file is removed
        throw;
    }
    // Make the bytes durable before the rename makes them visible under the real name.
    if (const int fd = ::open(temporary->path().c_str(), O_RDONLY); fd >= 0) {
        const bool synced = ::fsync(fd) == 0;
        ::close(fd);
        if (!synced)
            throw InputError(path, "cannot flush the written file to disk");
    }
    std::error_code ec;
    std::filesystem::rename(temporary->path(), target, ec);
    if (ec)
        throw InputError(path, "cannot move the written file into place: " + ec.message());
    temporary->commit();
    progress.report(1.0, "Saved " + path);
}

void ActivationStore::writeTo(hdf5::File& file, Progress& progress, const SaveOptions& options) const
{
    hdf5::Group root = file.root();
    root.writeStringAttribute("schema", kActivationSchema);
    root.writeStringAttribute("model", m_attributes.model);
    root.writeIntAttribute("n_tokens", m_nTokens);
    root.writeStringAttribute("source", m_attributes.source);
    if (!m_tokens.empty())
        root.writeVector("tokens", m_tokens);

    // Progress counts values written: matrices dominate; statistics count their channels.
    double total = 1.0, done = 0.0;
    for (const auto& [name, layer] : m_layers) {
        if (layer.inputs)
            total += double(layer.inputs->shape.rows) * double(layer.inputs->shape.cols);
        if (layer.stats)
            total += double(layer.stats->channels());
    }
    for (const auto& [key, matrix] : m_sites)
        total += double(matrix.shape.rows) * double(matrix.shape.cols);

    const auto writeMatrix = [&](hdf5::Group& group, const std::string& name, const LazyMatrix& m,
                                 hdf5::ElementType type, const std::string& what) {
        const int64_t rows = m.shape.rows, cols = m.shape.cols;
        const int64_t rowBytes = std::max<int64_t>(cols, 1) * int64_t(sizeof(float));
        const int64_t chunkRows = std::clamp<int64_t>(kChunkBytes / rowBytes, 1, 256);
        const hdf5::DatasetLayout layout{chunkRows, std::numeric_limits<int64_t>::max(),
                                         options.compressionLevel, true};
        hdf5::Dataset out = group.createDataset(name, type, {rows, cols}, layout);
        // Whole chunks per step, so compressed chunks are written once.
        const int64_t slabRows = chunkRows * std::max<int64_t>(1, kSlabBytes / (chunkRows * rowBytes));
        const std::shared_ptr<const Matrix> held = m.data;
        std::optional<hdf5::Dataset> in;
        std::vector<float> buffer;
        if (!held && rows > 0) {
            hdf5::Group source = m_file->root();
            for (size_t i = 0; i + 1 < m.links.size(); ++i)
                source = source.openGroup(m.links[i]);
            in.emplace(source.openDataset(m.links.back()));
            buffer.resize(size_t(std::min(slabRows, rows) * cols));
        }
        for (int64_t r = 0; r < rows; r += slabRows) {
            progress.throwIfCancelled();
            const int64_t n = std::min(slabRows, rows - r);
            const float* data = nullptr;
            if (held) {
                data = held->data() + r * cols;
            } else {
                in->readFloatRows(r, n, buffer.data());
                data = buffer.data();
            }
            out.writeFloatRows(r, n, data);
            done += double(n) * double(cols);
            progress.report(done / total, what);
        }
    };

    bool anyInputs = false;
    for (const auto& [name, layer] : m_layers)
        anyInputs = anyInputs || layer.inputs.has_value();
    if (anyInputs) {
        hdf5::Group group = root.createGroup(kInputs);
        const auto type = options.float16Inputs ? hdf5::ElementType::Float16 : hdf5::ElementType::Float32;
        for (const auto& [name, layer] : m_layers)
            if (layer.inputs)
                writeMatrix(group, name, *layer.inputs, type, "Saving inputs of " + name);
    }

    bool anyStats = false;
    for (const auto& [name, layer] : m_layers)
        anyStats = anyStats || layer.stats.has_value();
    if (anyStats) {
        hdf5::Group group = root.createGroup(kStats);
        for (const auto& [name, layer] : m_layers) {
            if (!layer.stats)
                continue;
            progress.throwIfCancelled();
            const ChannelStats& s = *layer.stats;
            hdf5::Group g = group.createGroup(name);
            g.writeVector("sum_sq", s.sumSq);
            if (s.hasAbsMax())
                g.writeVector("abs_max", s.absMax);
            if (s.hasAbsSum())
                g.writeVector("abs_sum", s.absSum);
            g.writeIntAttribute("count", s.count);
            done += double(s.channels());
            progress.report(done / total, "Saving statistics of " + name);
        }
    }

    if (!m_sites.empty()) {
        hdf5::Group sites = root.createGroup(kSites);
        std::optional<hdf5::Group> blockGroup;
        int currentBlock = -1;
        for (const auto& [key, matrix] : m_sites) {
            if (key.block != currentBlock) {
                blockGroup.reset();
                blockGroup.emplace(sites.createGroup(std::to_string(key.block)));
                currentBlock = key.block;
            }
            writeMatrix(*blockGroup, key.site, matrix, hdf5::ElementType::Float32,
                        "Saving site " + std::to_string(key.block) + "/" + key.site);
        }
    }
}

} // namespace salience
