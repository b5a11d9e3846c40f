#pragma once
// Activations captured from the model itself: the text runs through the forward pass in
// BOS-led windows (eval/Windows.h) on a pool of threads; every linear layer's input gets
// per-channel statistics over all tokens, and the first `keepInputs` tokens keep their raw
// inputs and block sites, in an ActivationStore ready to save as `salience-activations/1`.
// Windows are merged in order, so the statistics do not depend on the thread count, and
// memory stays bounded by one batch of windows plus the kept rows.
#include "acts/ActivationStore.h"
#include "eval/Transformer.h"
#include "base/Progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

struct CaptureOptions {
    int64_t window = 256;
    int64_t keepInputs = 512; // tokens whose raw inputs and sites are kept (0: statistics only)
    bool sites = true;        // keep the block sites of those tokens too
    int threads = 0;          // 0: one per hardware thread
};

// Throws InputError("capture") for no tokens, CancelledError on cancel.
ActivationStore captureActivations(const Transformer& transformer, const std::vector<int32_t>& textTokens,
                                   int32_t bos, const CaptureOptions& options, Progress& progress);

} // namespace salience
