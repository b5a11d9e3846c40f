#pragma once
// Mean negative log-likelihood and perplexity of a text under a forward pass, over the
// non-overlapping BOS-led windows of eval/Windows.h, on a pool of threads. Each window's sum
// lands in its own slot and the sums are added in window order, so the number does not
// depend on the thread count.
#include "eval/Transformer.h"
#include "base/Progress.h"

#include <cstdint>
#include <vector>

namespace salience {

struct PerplexityOptions {
    int64_t window = 256;
    int threads = 0; // 0: one per hardware thread
};

struct PerplexityResult {
    int64_t tokens = 0;  // predicted tokens (every text token: each window predicts all but its BOS)
    int64_t windows = 0;
    double nll = 0;      // mean over the predicted tokens, in nats
    double perplexity = 0;
};

// Throws InputError("evaluation") for no tokens, CancelledError on cancel.
PerplexityResult evaluatePerplexity(const Transformer& transformer, const std::vector<int32_t>& textTokens,
                                    int32_t bos, const PerplexityOptions& options, Progress& progress);

} // namespace salience
