#pragma once
// Weight matrices of stories260K.bin read by byte offset, independently of Salience's readers
// (llama2.c v0 layout, shared/models/SOURCES.md), so tests can compare readers and numeric
// methods against data no project code has touched.
#include "TestData.h"

#include "tensor/Tensor.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

namespace testdata {

// `which` is one of "wq", "wk", "wv", "wo", "w1", "w2", "w3" (w1 gate, w2 down, w3 up); the
// matrix is [out, in] as stored. Empty when the file is missing or shorter than expected.
inline salience::Matrix storiesBinMatrix(const std::string& which, int layer)
{
    std::ifstream in(path("stories260K/stories260K.bin"), std::ios::binary);
    int32_t h[7] = {};
    in.read(reinterpret_cast<char*>(h), sizeof h);
    if (!in)
        return {};
    const int64_t dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], vocab = std::abs(h[5]);
    const int64_t kvDim = dim * kvHeads / heads;
    // After tok_emb [vocab, dim] and rms_att [layers, dim], the arrays in file order, each
    // [layers, rows, cols].
    const struct {
        const char* name;
        int64_t rows, cols;
    } arrays[] = {{"wq", dim, dim},      {"wk", kvDim, dim},  {"wv", kvDim, dim},  {"wo", dim, dim},
                  {"rms_ffn", 1, dim},   {"w1", hidden, dim}, {"w2", dim, hidden}, {"w3", hidden, dim}};
    int64_t offset = vocab * dim + layers * dim;
    for (const auto& a : arrays) {
        if (a.name == which) {
            in.seekg(std::streamoff(28 + (offset + int64_t(layer) * a.rows * a.cols) * 4));
            salience::Matrix w(a.rows, a.cols);
            in.read(reinterpret_cast<char*>(w.data()), std::streamsize(w.size() * 4));
            return in ? w : salience::Matrix();
        }
        offset += layers * a.rows * a.cols;
    }
    return {};
}

} // namespace testdata
