#pragma once
// llama.cpp importance-matrix files (llama-imatrix output) as per-channel input statistics.
// Two forms, told apart by the first bytes:
//  - GGUF (current llama.cpp default): general.type = "imatrix", imatrix.datasets (string array),
//    imatrix.chunk_count and imatrix.chunk_size (uint32); per weight W, tensors "W.in_sum2"
//    (F32, ggml dims [in_features, n_mat]: raw sums of x^2 per matrix) and "W.counts" (F32,
//    [1, n_mat]: tokens seen per matrix), and in newer files "W.in_sum" (raw sums of x).
//    n_mat is the expert count of a 3-D MoE weight, 1 otherwise.
//  - legacy ".dat": int32 n_entries; per entry int32 name length, name bytes, int32 ncall,
//    int32 nval, float32 values[nval]; then int32 last chunk and int32 length + dataset path.
//    llama.cpp writes values[i] = (sum x_i^2 / tokens) * ncall, i.e. the mean square times ncall
//    (ncall = chunks), and every reader (llama-quantize, llama-imatrix --in-file) takes
//    values / ncall as the mean square. The file has no token count; like llama-imatrix when it
//    converts, we take tokens = ncall * chunkSize (default 512, llama-imatrix's default context):
//    sumSq = values * chunkSize, count = ncall * chunkSize, so sumSq / count is exactly
//    values / ncall. The .dat form does not record the expert count either: an expert weight's
//    entry holds n_expert * in_features values; use splitMatrices() with the count from the model.
#include "tensor/ChannelStats.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace salience {

struct ImatrixEntry {
    std::string name;       // the weight's GGUF name, e.g. "blk.0.attn_q.weight"
    int64_t channels = 0;   // values per matrix: the weight's in_features
    int64_t matrices = 1;   // experts of a 3-D weight, else 1
    std::vector<ChannelStats> perMatrix; // `matrices` entries, sumSq and count filled
    std::vector<double> inSum;           // GGUF "in_sum": sum of x per value, matrices*channels; often empty

    // All matrices pooled into one: sums and counts added (the statistics of every token routed
    // to any expert). For a dense weight, just its one ChannelStats.
    ChannelStats pooled() const;
};

struct ImatrixData {
    std::string path;
    std::string format;                 // "gguf" or "dat"
    std::vector<std::string> datasets;  // calibration text files named by the file
    std::optional<int64_t> chunkCount;  // GGUF imatrix.chunk_count, or the .dat trailing last chunk
    std::optional<int64_t> chunkSize;   // GGUF imatrix.chunk_size; absent in .dat files
    std::vector<ImatrixEntry> entries;  // in file order

    const ImatrixEntry* find(const std::string& name) const;
    // Weight name -> its statistics (experts pooled, see ImatrixEntry::pooled).
    std::map<std::string, ChannelStats> channelStats() const;
};

// Reads either form. Throws InputError naming the file for anything malformed.
// `legacyChunkSize` is the tokens per chunk assumed for .dat files (see above).
ImatrixData readImatrix(const std::string& path, int64_t legacyChunkSize = 512);

// An entry read from a .dat file reshaped into `matrices` equal parts (the expert count, which
// only the model knows). Throws InputError when the values do not divide evenly.
ImatrixEntry splitMatrices(const ImatrixEntry& entry, int64_t matrices, const std::string& path = {});

} // namespace salience
