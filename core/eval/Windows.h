#pragma once
// How text is cut for evaluation and capture: the text's tokens (without BOS) in consecutive,
// non-overlapping chunks of window − 1, each preceded by BOS, so every window starts the way
// the model was trained to start and no window sees another's tokens.
#include "tensor/Tensor.h"

#include <cstdint>
#include <span>
#include <vector>

namespace salience {

// The last window may be shorter. A negative `bos` (a tokenizer without one, as Qwen's) gives
// chunks of `window` text tokens with nothing before them; a window of one token predicts
// nothing and is dropped. Throws InputError("evaluation") for a window below 2.
std::vector<std::vector<int32_t>> tokenWindows(std::span<const int32_t> textTokens, int64_t window, int32_t bos);

// How text is cut for scoring.
enum class WindowScheme {
    // Salience's default: the windows above, every prediction scored.
    BosLed,
    // llama-perplexity's: BOS + text cut into chunks of exactly `window` tokens (an incomplete
    // last chunk is dropped), each chunk's first token replaced by BOS, and only the predictions
    // of its second half scored (positions window/2 .. window−2), so every scored token has at
    // least window/2 tokens of context.
    LlamaPerplexity,
};

struct ScoredWindow {
    std::vector<int32_t> tokens;
    int64_t firstScored = 0; // logits at positions firstScored .. n−2 predict tokens[i + 1]
};

// The windows of a scheme. Throws InputError("evaluation") for a window below 2, and for the
// llama-perplexity scheme when the text does not fill one whole window.
std::vector<ScoredWindow> scoredWindows(std::span<const int32_t> textTokens, int64_t window, int32_t bos,
                                        WindowScheme scheme);

// Σ −log softmax(logits[i])[window[i + 1]] over i = 0..n−2: the window's n − 1 predictions,
// in double with a max-shifted log-sum-exp.
double windowNegativeLogLikelihood(const Matrix& logits, std::span<const int32_t> window);

} // namespace salience
