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
