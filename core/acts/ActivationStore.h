#pragma once
// The activations of a model on some text: per linear layer its raw inputs X [tokens,
// in_features] and/or their per-channel statistics, per block the residual-stream sites, and
// the tokens they came from. Saved as HDF5, schema `salience-activations/1`:
//
//   /                       attrs: schema, model, n_tokens, source
//   /tokens                 int32  [n_tokens]
//   /inputs/<layer name>    float32|float16 [n_tokens, in_features]
//   /stats/<layer name>/    sum_sq, abs_max, abs_sum float64 [in_features]; attr count int64
//                           (abs_max and abs_sum may be absent, as from an imatrix)
//   /sites/<block>/<site>   float32 [n_tokens, d]
//
// A loaded store is lazy: opening reads the directory of the file (names, shapes, types, the
// small statistics and tokens) and each inputs or site matrix only when first asked for, so a
// file of many gigabytes opens at once. The file stays open, shared by copies of the store.
//
// Threads: several threads may read one store at once (lazy reads are serialized inside);
// the setters must not run while another thread reads.
#include "tensor/ChannelStats.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace salience {

namespace hdf5 {
class File;
}

inline constexpr const char* kActivationSchema = "salience-activations/1";

// The sites of one block along the residual stream, in stream order. Other site names are
// accepted and kept after these.
const std::vector<std::string>& standardSiteNames();

struct SiteKey {
    int block = 0;
    std::string site;
    bool operator==(const SiteKey&) const = default;
};

struct MatrixShape {
    int64_t rows = 0;
    int64_t cols = 0;
};

struct ActivationAttributes {
    std::string model;  // the model the activations came from (a path or a name)
    std::string source; // the text the tokens came from
};

struct SaveOptions {
    bool float16Inputs = false; // store /inputs as IEEE half (sites stay float32)
    int compressionLevel = 4;   // deflate level 0..9 for inputs and sites; 0 = none
};

class ActivationStore {
public:
    ActivationStore();

    // Opens and validates a file. Throws InputError naming the path and, where it applies, the
    // dataset: not an HDF5 file, a missing or different schema, a dataset of the wrong rank,
    // type or length, statistics of unequal lengths or a negative count.
    static ActivationStore load(const std::string& path);
    // Writes through a temporary file in the target's folder renamed into place, so a failure
    // or a cancellation (CancelledError) leaves nothing behind. Reads lazy data slab by slab
    // from the loaded file, so saving a large file does not pull it all into memory.
    void save(const std::string& path, Progress& progress, const SaveOptions& options = {}) const;

    // The file this store was loaded from; empty when built in memory.
    const std::string& path() const { return m_path; }
    // Names an in-memory store after the file it was built from (an imatrix), for messages.
    void setSourcePath(std::string path) { m_path = std::move(path); }

    ActivationAttributes& attributes() { return m_attributes; }
    const ActivationAttributes& attributes() const { return m_attributes; }

    // The token count every inputs and site matrix has as its rows. The first of tokens,
    // inputs or sites to be set fixes it; later ones must agree (InputError otherwise).
    int64_t nTokens() const { return m_nTokens; }
    // For stores without tokens or matrices (statistics only).
    void setNTokens(int64_t n);
    const std::vector<int32_t>& tokens() const { return m_tokens; }
    void setTokens(std::vector<int32_t> tokens);

    // Layers with inputs or statistics, in natural order ("layers.2" before "layers.10").
    std::vector<std::string> layerNames() const;
    bool hasInputs(const std::string& layer) const;
    MatrixShape inputsShape(const std::string& layer) const; // without reading the data
    // The inputs X [tokens, in_features], read on first use. The reference stays valid until
    // setInputs on that layer or releaseCached(). Throws InputError naming the file and the
    // layer when the layer has no inputs.
    const Matrix& inputs(const std::string& layer) const;
    // The same matrix without caching it: shared with the store when it is in memory, read
    // afresh from the file otherwise. The runner uses this so a run over a large file holds
    // one layer's inputs per thread, not all of them.
    std::shared_ptr<const Matrix> inputsUncached(const std::string& layer) const;
    // Layer names must not contain '/' (HDF5's path separator): InputError otherwise.
    void setInputs(const std::string& layer, Matrix X);

    // Stored statistics (from a file or setStats); stats() also works from inputs alone.
    bool hasStats(const std::string& layer) const;
    // The stored statistics, or those computed from the inputs when only inputs exist.
    ChannelStats stats(const std::string& layer) const;
    void setStats(const std::string& layer, ChannelStats stats);

    // Sites in block order, then stream order.
    std::vector<SiteKey> sites() const;
    bool hasSite(int block, const std::string& site) const;
    MatrixShape siteShape(int block, const std::string& site) const;
    // Read on first use; same lifetime rule as inputs().
    const Matrix& site(int block, const std::string& site) const;
    void setSite(int block, const std::string& site, Matrix A);

    // Forgets matrices read from the file (they are read again when asked for); matrices set
    // in memory are kept. Invalidates references returned by inputs() and site().
    void releaseCached() const;
    // Bytes of matrices currently held in memory.
    int64_t cachedBytes() const;

    // Per-channel statistics of X (see acts/ChannelStatsOps.h).
    static ChannelStats statsOf(const Matrix& X);

private:
    // A matrix known by shape, held in memory or read from `dataset` of the open file.
    struct LazyMatrix {
        MatrixShape shape;
        std::vector<std::string> links; // its path in the file; empty when set in memory
        mutable std::shared_ptr<const Matrix> data;
    };
    struct Layer {
        std::optional<LazyMatrix> inputs;
        std::optional<ChannelStats> stats;
        mutable std::optional<ChannelStats> derivedStats; // computed from inputs, never saved
    };
    struct NaturalOrder {
        bool operator()(const std::string& a, const std::string& b) const;
    };
    struct SiteOrder {
        bool operator()(const SiteKey& a, const SiteKey& b) const;
    };
    // A mutex that copies of the store do not share (each copy guards its own caches).
    struct OwnMutex {
        std::mutex mutex;
        OwnMutex() = default;
        OwnMutex(const OwnMutex&) {}
        OwnMutex& operator=(const OwnMutex&) { return *this; }
    };

    std::string sourceName() const;
    // Fixes nTokens to `rows`, or checks it; `replacing` is true when the matrix being set
    // replaces one that already holds rows.
    void claimRows(int64_t rows, const std::string& what, bool replacing);
    const Matrix& materialize(const LazyMatrix& m, const std::string& what) const;
    // The data, read from the file when not in memory, without keeping it.
    std::shared_ptr<const Matrix> readLazy(const LazyMatrix& m, const std::string& what) const;
    void writeTo(hdf5::File& file, Progress& progress, const SaveOptions& options) const;

    std::string m_path;
    std::shared_ptr<hdf5::File> m_file;
    ActivationAttributes m_attributes;
    int64_t m_nTokens = 0;
    bool m_nTokensSet = false; // setNTokens or the file's n_tokens attribute fixed it
    std::vector<int32_t> m_tokens;
    std::map<std::string, Layer, NaturalOrder> m_layers;
    std::map<SiteKey, LazyMatrix, SiteOrder> m_sites;
    mutable OwnMutex m_mutex;
};

} // namespace salience
