#pragma once
// The model as a llama2.c checkpoint (version 0, the legacy format run.c reads): quantized
// layers hold their dequantized weights Ŵ, everything float32.
//
//   header   7 × int32: dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
//            vocab_size is negative when the classifier is not shared with the embedding
//   weights  tok_embeddings [V, D], rms_att [L, D], wq [L, D, D], wk [L, KVD, D],
//            wv [L, KVD, D], wo [L, D, D], rms_ffn [L, D], w1 (gate) [L, H, D],
//            w2 (down) [L, D, H], w3 (up) [L, H, D], rms_final [D],
//            freq_cis_real [T, hs/2], freq_cis_imag [T, hs/2] (cos, sin of t·10000^(−2i/hs);
//            run.c skips them), then the classifier [V, D] when not shared.
// Canonical weights are already in llama2.c's (interleaved) rotary order, so nothing is
// permuted. Only what run.c computes is accepted: a Llama model with RMSNorm eps 1e-5,
// rope theta 10000, head_dim = dim / n_heads, a known context length, no biases or other
// extra tensors; anything else is refused with an InputError saying why.
// Written atomically: a failure or a cancel leaves no file; an existing file is refused
// unless `overwrite`.
#include "model/Model.h"
#include "base/Progress.h"
#include "run/Runner.h"

#include <string>

namespace salience {

struct Llama2cExportOptions {
    bool overwrite = false;
};

// Why llama2.c cannot run `model` ("" when it can).
std::string llama2cIncompatibility(const Model& model);

// Throws InputError("llama2.c export", reason) for a model llama2.c cannot express, InputError
// naming `out` when it exists and overwrite is false or writing fails, InputError for a run
// layer not in the model, CancelledError on cancel.
void exportLlama2c(const Model& model, const RunResult& run, const std::string& out,
                   const Llama2cExportOptions& options, Progress& progress);

} // namespace salience
