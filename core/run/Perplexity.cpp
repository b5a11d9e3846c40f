#include "run/Perplexity.h"

#include "base/Error.h"
#include "eval/Windows.h"
#include "base/ParallelFor.h"

#include <atomic>
#include <cmath>

namespace salience {

PerplexityResult evaluatePerplexity(const Transformer& transformer, const std::vector<int32_t>& textTokens,
                                    int32_t bos, const PerplexityOptions& options, Progress& progress)
{
    if (textTokens.empty())
        throw InputError("evaluation", "the text gave no tokens to evaluate");
    const auto windows = tokenWindows(textTokens, options.window, bos);
    std::vector<double> sums(windows.size(), 0.0);
    std::atomic<size_t> done{0};
    parallelFor(int64_t(windows.size()), options.threads, [&](int64_t w) {
        progress.throwIfCancelled();
        const auto& tokens = windows[size_t(w)];
        sums[size_t(w)] = windowNegativeLogLikelihood(transformer.forward(tokens), tokens);
        const size_t n = done.fetch_add(1) + 1;
        progress.report(double(n) / double(windows.size()),
                        "window " + std::to_string(n) + " of " + std::to_string(windows.size()));
    });
    progress.throwIfCancelled();
    PerplexityResult r;
    r.windows = int64_t(windows.size());
    r.tokens = int64_t(textTokens.size());
    double total = 0;
    for (double s : sums)
        total += s;
    r.nll = total / double(r.tokens);
    r.perplexity = std::exp(r.nll);
    return r;
}

} // namespace salience
