#pragma once
// The float model's logits on the calibration windows, computed once and kept, so that many
// quantized versions of the model (sensitivity's candidates, an allocated plan, the uniform
// plan it is checked against) are compared with the same reference without running the float
// model again. The comparison is run/Perplexity.h's (compareWindow, summarizeComparisons):
// the numbers equal evaluatePaired's on the same tokens, to the last bit.
//
// The residual stream entering each block is kept too (when it takes no more than
// `maxBlockInputBytes`), so a candidate that changes only blocks b.. runs from block b on
// (Transformer::forwardFrom): the same logits, without recomputing the unchanged blocks.
//
// Memory: one float per (window position, vocabulary entry), e.g. 4096 tokens of a
// 32000-token vocabulary take 0.5 GB, plus one per (window position, block, hidden unit).
#include "eval/Transformer.h"
#include "eval/Windows.h"
#include "base/Progress.h"
#include "run/Perplexity.h"

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

class CalibrationReference {
public:
    // BOS-led windows of `window` tokens (eval/Windows.h), every prediction scored. Throws
    // InputError("evaluation") for tokens that give no window; CancelledError on cancel.
    static CalibrationReference compute(const Transformer& floatModel, const std::vector<int32_t>& textTokens,
                                        int32_t bos, int64_t window, int threads, Progress& progress,
                                        int64_t maxBlockInputBytes = int64_t(1) << 30);

    // KL(P_float ‖ P_candidate), both NLLs and the rest of evaluatePaired's numbers, with the
    // windows run on `threads` threads (1 inside a task of a pool). `firstChangedBlock` > 0
    // promises that the candidate's blocks before it are the float model's: they are then
    // skipped when the block inputs were kept.
    PairedPerplexity compare(const Transformer& candidate, int threads, Progress& progress,
                             int firstChangedBlock = 0) const;
    bool keepsBlockInputs() const { return !m_blockInputs.empty(); }

    const std::vector<ScoredWindow>& windows() const { return m_windows; }
    int64_t window() const { return m_window; }
    int64_t tokens() const { return m_tokens; }
    int32_t bos() const { return m_bos; }
    // "fnv1a64:..." of the text tokens, BOS, window and scheme: what a cached result was measured on.
    const std::string& tokensHash() const { return m_tokensHash; }
    double floatNll() const { return m_floatNll; }
    int64_t positions() const { return m_positions; }

private:
    std::vector<ScoredWindow> m_windows;
    std::vector<Matrix> m_logits;                   // per window [tokens, vocab]
    std::vector<std::vector<Matrix>> m_blockInputs; // per window, per block [tokens, dim]; or none
    int64_t m_window = 0;
    int64_t m_tokens = 0;
    int32_t m_bos = -1;
    int64_t m_positions = 0;
    double m_floatNll = 0;
    std::string m_tokensHash;
};

// The hash tokensHash() reports, without running anything.
std::string calibrationTokensHash(const std::vector<int32_t>& textTokens, int32_t bos, int64_t window);

} // namespace salience
