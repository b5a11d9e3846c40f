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

// Σ −log softmax(logits[i])[window[i + 1]] over i = 0..n−2: the window's n − 1 predictions,
// in double with a max-shifted log-sum-exp.
double windowNegativeLogLikelihood(const Matrix& logits, std::span<const int32_t> window);

} // namespace salience
