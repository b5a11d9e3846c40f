#include "eval/Windows.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>

namespace salience {

std::vector<std::vector<int32_t>> tokenWindows(std::span<const int32_t> textTokens, int64_t window, int32_t bos)
{
    if (window < 2)
        throw InputError("evaluation", "the window must hold at least 2 tokens (BOS and one of the text), got " +
                                           std::to_string(window));
    std::vector<std::vector<int32_t>> windows;
    // A tokenizer without BOS (Qwen's): windows of the text alone, the first token only read.
    const bool withBos = bos >= 0;
    const size_t chunk = size_t(withBos ? window - 1 : window);
    for (size_t begin = 0; begin < textTokens.size(); begin += chunk) {
        const size_t end = std::min(textTokens.size(), begin + chunk);
        std::vector<int32_t> w;
        if (withBos)
            w.push_back(bos);
        w.insert(w.end(), textTokens.begin() + ptrdiff_t(begin), textTokens.begin() + ptrdiff_t(end));
        if (w.size() >= 2)
            windows.push_back(std::move(w));
    }
    return windows;
}

std::vector<ScoredWindow> scoredWindows(std::span<const int32_t> textTokens, int64_t window, int32_t bos,
                                        WindowScheme scheme)
{
    std::vector<ScoredWindow> out;
    if (scheme == WindowScheme::BosLed) {
        for (auto& w : tokenWindows(textTokens, window, bos))
            out.push_back({std::move(w), 0});
        return out;
    }
    if (window < 4)
        throw InputError("evaluation", "a llama-perplexity window needs at least 4 tokens, got " + std::to_string(window));
    std::vector<int32_t> all;
    if (bos >= 0)
        all.push_back(bos);
    all.insert(all.end(), textTokens.begin(), textTokens.end());
    const size_t chunks = all.size() / size_t(window);
    if (chunks == 0)
        throw InputError("evaluation", "the text has " + std::to_string(all.size()) +
                                           " tokens, fewer than one window of " + std::to_string(window));
    for (size_t k = 0; k < chunks; ++k) {
        ScoredWindow w;
        w.tokens.assign(all.begin() + ptrdiff_t(k * size_t(window)), all.begin() + ptrdiff_t((k + 1) * size_t(window)));
        if (bos >= 0)
            w.tokens.front() = bos;
        w.firstScored = window / 2;
        out.push_back(std::move(w));
    }
    return out;
}

double windowNegativeLogLikelihood(const Matrix& logits, std::span<const int32_t> window)
{
    if (logits.rows() != int64_t(window.size()))
        throw Error("windowNegativeLogLikelihood: logits and window differ in length");
    double nll = 0;
    for (size_t i = 0; i + 1 < window.size(); ++i) {
        const auto row = logits.row(Eigen::Index(i));
        const double maxLogit = row.maxCoeff();
        double sum = 0;
        for (Eigen::Index v = 0; v < row.size(); ++v)
            sum += std::exp(double(row(v)) - maxLogit);
        nll += maxLogit + std::log(sum) - double(row(window[i + 1]));
    }
    return nll;
}

} // namespace salience
