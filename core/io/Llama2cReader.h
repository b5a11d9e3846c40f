#pragma once
// llama2.c checkpoints (Karpathy's run.c / runq.c / export.py), memory-mapped and lazy:
//  - version 0 (legacy): 7 int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size,
//    seq_len), a negative vocab_size meaning an unshared classifier; fp32 weights in run.c's
//    order, the RoPE freq_cis tables (skipped), then `output` when unshared.
//  - version 1: uint32 magic "ak42", int32 version, the 7 int32, uint8 shared_classifier,
//    zero padding to 256 bytes; fp32 norms first, then the matrices (export.py's order).
//  - version 2: like version 1 plus an int32 group_size after the flag; fp32 norms, then each
//    matrix as Q8_0: int8 values followed by one fp32 scale per group (runq.c's order).
// Tensors carry Meta's names ("layers.0.attention.wq.weight"), shapes [out, in] as stored.
//
// File size: run.c and runq.c never compare the file size with the layout (they mmap and
// read blindly), while export.py writes exactly the layout. Salience requires the exact size
// for every version: a shorter file is "truncated", and a longer one was not written by
// export.py, so its header cannot be trusted to describe it (for v0, which has no magic, the
// size is the format's only self-check).
#include "io/MappedFile.h"
#include "io/TensorReader.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace salience {

struct Llama2cConfig {
    int dim = 0;
    int hiddenDim = 0;
    int nLayers = 0;
    int nHeads = 0;
    int nKvHeads = 0;
    int vocabSize = 0; // always positive here, whatever sign a v0 header used
    int seqLen = 0;
    bool sharedClassifier = true;
    int version = 0;   // 0, 1 or 2
    int groupSize = 0; // Q8_0 group size; version 2 only

    int headSize() const { return dim / nHeads; }
    int kvDim() const { return headSize() * nKvHeads; }
};

class Llama2cReader : public TensorReader {
public:
    // Throws InputError naming `path` on a bad header, inconsistent sizes or a file whose size
    // does not match the layout.
    explicit Llama2cReader(const std::string& path);

    std::string format() const override { return "llama2c"; }
    const std::string& path() const override { return m_file->path(); }
    const std::vector<TensorInfo>& tensors() const override { return m_tensors; }
    FloatTensor readFloat(const std::string& name) const override;

    const Llama2cConfig& config() const { return m_config; }
    // Bytes the layout described by the header needs: the exact expected file size.
    uint64_t expectedSize() const { return m_expectedSize; }

private:
    struct Entry {
        uint64_t offset = 0;      // values: fp32 or int8
        uint64_t scaleOffset = 0; // fp32 scales after the int8 values (Q8_0 only)
        bool quantized = false;
    };
    void parseHeader();
    void layOut();

    std::unique_ptr<MappedFile> m_file;
    Llama2cConfig m_config;
    uint64_t m_headerSize = 0;
    uint64_t m_expectedSize = 0;
    std::vector<TensorInfo> m_tensors;
    std::vector<Entry> m_entries; // parallel to m_tensors
    std::unordered_map<std::string, size_t> m_index;
};

} // namespace salience
