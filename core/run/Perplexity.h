#pragma once
// Mean negative log-likelihood and perplexity of a text under a forward pass, over the windows
// of eval/Windows.h (Salience's BOS-led windows, or llama-perplexity's), on a pool of threads;
// and the same for two passes at once (a float model and its quantized version) with what
// llama-perplexity --kl-divergence reports: the KL divergence of the second's next-token
// distributions from the first's and the share of positions whose top token is unchanged.
// Each window's numbers land in its own slot and are merged in window order, so nothing
// depends on the thread count.
#include "eval/Transformer.h"
#include "eval/Windows.h"
#include "base/Progress.h"

#include <cstdint>
#include <vector>

namespace salience {

struct PerplexityOptions {
    int64_t window = 256;
    int threads = 0; // 0: one per hardware thread
    WindowScheme scheme = WindowScheme::BosLed;
};

struct PerplexityResult {
    int64_t tokens = 0;  // scored predictions
    int64_t windows = 0;
    double nll = 0;      // mean over the scored predictions, in nats
    double perplexity = 0;
    double nllStdError = 0; // standard error of the mean NLL
    // ± of the perplexity, as llama-perplexity prints it: perplexity × the NLL's standard error.
    double perplexityError() const { return perplexity * nllStdError; }
};

// KL(P_reference ‖ P_candidate) of the next-token distributions over the scored positions.
struct DistributionShift {
    int64_t positions = 0;
    double klMean = 0, klStdError = 0, klMedian = 0, klP99 = 0, klMax = 0;
    double sameTopShare = 0; // positions where both put their largest probability on the same token
};

struct PairedPerplexity {
    PerplexityResult reference, candidate;
    DistributionShift shift;
};

// Throws InputError("evaluation") for no tokens, CancelledError on cancel.
PerplexityResult evaluatePerplexity(const Transformer& transformer, const std::vector<int32_t>& textTokens,
                                    int32_t bos, const PerplexityOptions& options, Progress& progress);

// Both passes over the same windows (the same vocabulary is required).
PairedPerplexity evaluatePaired(const Transformer& reference, const Transformer& candidate,
                                const std::vector<int32_t>& textTokens, int32_t bos, const PerplexityOptions& options,
                                Progress& progress);

// The parts evaluatePaired is made of, for callers that keep the reference's logits and compare
// many candidates with them (run/Sensitivity.h): the same numbers, to the last bit.

// The windows both evaluations score. Throws InputError("evaluation") when the text gives none.
std::vector<ScoredWindow> evaluationWindows(const std::vector<int32_t>& textTokens, int32_t bos,
                                            const PerplexityOptions& options);

// Per scored position of one window: both passes' negative log-likelihoods of the next token,
// KL(P_reference ‖ P_candidate) and whether both put their largest probability on one token.
struct WindowComparison {
    std::vector<double> nllReference, nllCandidate, kl;
    std::vector<uint8_t> sameTop;
};

// `reference` and `candidate` are the two passes' logits [tokens, vocab] over `window`.
WindowComparison compareWindow(const Matrix& reference, const Matrix& candidate, const ScoredWindow& window);

// Comparisons of the windows, in window order, summarized as evaluatePaired summarizes them.
PairedPerplexity summarizeComparisons(const std::vector<WindowComparison>& windows);

} // namespace salience
