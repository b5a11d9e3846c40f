#include "run/Perplexity.h"

#include "base/Error.h"
#include "base/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace salience {

namespace {

// log softmax of one row of logits, in double with the max shifted out.
std::vector<double> logSoftmax(const Eigen::Ref<const Eigen::RowVectorXf>& row)
{
    const double maxLogit = row.maxCoeff();
    double sum = 0;
    for (Eigen::Index v = 0; v < row.size(); ++v)
        sum += std::exp(double(row(v)) - maxLogit);
    const double logSum = maxLogit + std::log(sum);
    std::vector<double> out(size_t(row.size()));
    for (Eigen::Index v = 0; v < row.size(); ++v)
        out[size_t(v)] = double(row(v)) - logSum;
    return out;
}

// −log softmax(row)[next], without building the whole distribution.
double negativeLogLikelihood(const Eigen::Ref<const Eigen::RowVectorXf>& row, int32_t next)
{
    const double maxLogit = row.maxCoeff();
    double sum = 0;
    for (Eigen::Index v = 0; v < row.size(); ++v)
        sum += std::exp(double(row(v)) - maxLogit);
    return maxLogit + std::log(sum) - double(row(next));
}

void fillResult(PerplexityResult& r, const std::vector<double>& nll, int64_t windows)
{
    r.windows = windows;
    r.tokens = int64_t(nll.size());
    double sum = 0, sum2 = 0;
    for (double x : nll) {
        sum += x;
        sum2 += x * x;
    }
    const double n = double(nll.size());
    r.nll = sum / n;
    r.perplexity = std::exp(r.nll);
    r.nllStdError = nll.size() > 1 ? std::sqrt(std::max(0.0, sum2 / n - r.nll * r.nll) / (n - 1)) : 0.0;
}

// Runs `score` on every window in parallel, each window's numbers in its own slot.
std::vector<WindowComparison> scoreWindows(const std::vector<ScoredWindow>& windows, int threads, Progress& progress,
                                           const std::function<WindowComparison(const ScoredWindow&)>& score)
{
    std::vector<WindowComparison> parts(windows.size());
    std::atomic<size_t> done{0};
    parallelFor(int64_t(windows.size()), threads, [&](int64_t w) {
        progress.throwIfCancelled();
        parts[size_t(w)] = score(windows[size_t(w)]);
        const size_t n = done.fetch_add(1) + 1;
        progress.report(double(n) / double(windows.size()),
                        "window " + std::to_string(n) + " of " + std::to_string(windows.size()));
    });
    progress.throwIfCancelled();
    return parts;
}

} // namespace

std::vector<ScoredWindow> evaluationWindows(const std::vector<int32_t>& textTokens, int32_t bos,
                                            const PerplexityOptions& options)
{
    if (textTokens.empty())
        throw InputError("evaluation", "the text gave no tokens to evaluate");
    auto windows = scoredWindows(textTokens, options.window, bos, options.scheme);
    if (windows.empty())
        throw InputError("evaluation", "the text gave no window with a prediction to score");
    return windows;
}

PerplexityResult evaluatePerplexity(const Transformer& transformer, const std::vector<int32_t>& textTokens,
                                    int32_t bos, const PerplexityOptions& options, Progress& progress)
{
    const auto windows = evaluationWindows(textTokens, bos, options);
    const auto parts = scoreWindows(windows, options.threads, progress, [&](const ScoredWindow& w) {
        const Matrix logits = transformer.forward(w.tokens);
        WindowComparison s;
        for (int64_t i = w.firstScored; i + 1 < int64_t(w.tokens.size()); ++i)
            s.nllReference.push_back(negativeLogLikelihood(logits.row(i), w.tokens[size_t(i + 1)]));
        return s;
    });
    std::vector<double> nll;
    for (const auto& p : parts)
        nll.insert(nll.end(), p.nllReference.begin(), p.nllReference.end());
    PerplexityResult r;
    fillResult(r, nll, int64_t(windows.size()));
    return r;
}

PairedPerplexity evaluatePaired(const Transformer& reference, const Transformer& candidate,
                                const std::vector<int32_t>& textTokens, int32_t bos, const PerplexityOptions& options,
                                Progress& progress)
{
    if (reference.vocabSize() != candidate.vocabSize())
        throw InputError("evaluation", "the two models have different vocabularies (" +
                                           std::to_string(reference.vocabSize()) + " and " +
                                           std::to_string(candidate.vocabSize()) + " tokens)");
    const auto windows = evaluationWindows(textTokens, bos, options);
    const auto parts = scoreWindows(windows, options.threads, progress, [&](const ScoredWindow& w) {
        return compareWindow(reference.forward(w.tokens), candidate.forward(w.tokens), w);
    });
    return summarizeComparisons(parts);
}

WindowComparison compareWindow(const Matrix& reference, const Matrix& candidate, const ScoredWindow& w)
{
    WindowComparison s;
    for (int64_t i = w.firstScored; i + 1 < int64_t(w.tokens.size()); ++i) {
        const auto p = logSoftmax(reference.row(i));
        const auto q = logSoftmax(candidate.row(i));
        const auto next = size_t(w.tokens[size_t(i + 1)]);
        s.nllReference.push_back(-p[next]);
        s.nllCandidate.push_back(-q[next]);
        double kl = 0;
        for (size_t v = 0; v < p.size(); ++v)
            kl += std::exp(p[v]) * (p[v] - q[v]);
        s.kl.push_back(std::max(0.0, kl));
        s.sameTop.push_back(std::max_element(p.begin(), p.end()) - p.begin() ==
                            std::max_element(q.begin(), q.end()) - q.begin());
    }
    return s;
}

PairedPerplexity summarizeComparisons(const std::vector<WindowComparison>& windows)
{
    WindowComparison all;
    for (const auto& p : windows) {
        all.nllReference.insert(all.nllReference.end(), p.nllReference.begin(), p.nllReference.end());
        all.nllCandidate.insert(all.nllCandidate.end(), p.nllCandidate.begin(), p.nllCandidate.end());
        all.kl.insert(all.kl.end(), p.kl.begin(), p.kl.end());
        all.sameTop.insert(all.sameTop.end(), p.sameTop.begin(), p.sameTop.end());
    }
    if (all.kl.empty())
        throw InputError("evaluation", "no scored position to compare");
    PairedPerplexity r;
    fillResult(r.reference, all.nllReference, int64_t(windows.size()));
    fillResult(r.candidate, all.nllCandidate, int64_t(windows.size()));
    DistributionShift& d = r.shift;
    d.positions = int64_t(all.kl.size());
    PerplexityResult klStats; // the same mean and standard error, over the KL values
    fillResult(klStats, all.kl, 0);
    d.klMean = klStats.nll;
    d.klStdError = klStats.nllStdError;
    std::vector<double> sorted = all.kl;
    std::sort(sorted.begin(), sorted.end());
    const auto quantile = [&](double q) { return sorted[size_t(std::lround(q * double(sorted.size() - 1)))]; };
    d.klMedian = quantile(0.5);
    d.klP99 = quantile(0.99);
    d.klMax = sorted.back();
    double same = 0;
    for (uint8_t x : all.sameTop)
        same += x;
    d.sameTopShare = same / double(all.sameTop.size());
    return r;
}

} // namespace salience
