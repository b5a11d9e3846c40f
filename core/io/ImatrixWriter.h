#pragma once
// llama.cpp's legacy importance-matrix file (imatrix.dat, what llama-imatrix writes with
// --output-format dat and what every llama-quantize reads), from per-channel statistics; the
// layout is the one io/ImatrixReader.h reads: int32 entry count; per entry int32 name length,
// the name, int32 ncall, int32 value count, float32 values; then int32 chunk count and int32
// length + dataset name. llama.cpp stores values = mean(x²) · ncall with ncall the chunks
// seen, so ncall = tokens / chunkSize (at least 1) and values = sumSq / count · ncall: the mean
// squares, which is all llama-quantize uses, are exact; readImatrix(path, chunkSize) gives them
// back.
#include "tensor/ChannelStats.h"

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

struct ImatrixWriteEntry {
    std::string name;   // llama.cpp's tensor name, e.g. "blk.0.attn_q.weight"
    ChannelStats stats; // sumSq and count used
};

// Written atomically. Throws InputError naming `path` when it exists and overwrite is false or
// writing fails, and naming the entry for a count of 0, an empty entry, or sizes beyond int32.
void writeImatrixDat(const std::string& path, const std::vector<ImatrixWriteEntry>& entries, int64_t chunkSize,
                     int64_t chunks, const std::string& dataset, bool overwrite);

} // namespace salience
