#include "run/CalibrationReference.h"

#include "base/Error.h"
#include "base/Fnv1a.h"
#include "base/ParallelFor.h"

#include <atomic>

namespace salience {

namespace {

// Keeps what enters each block.
class BlockInputs : public ForwardHooks {
public:
    explicit BlockInputs(int blocks) : inputs(size_t(blocks)) {}
    void site(int block, const std::string& site, const Matrix& values) override
    {
        if (site == "resid_in")
            inputs[size_t(block)] = values;
    }
    bool wantsLinearInputs() const override { return false; }
    std::vector<Matrix> inputs;
};

} // namespace

std::string calibrationTokensHash(const std::vector<int32_t>& textTokens, int32_t bos, int64_t window)
{
    Fnv1a64 hash;
    hash.add("bos-windows");
    hash.addValue(int64_t(bos));
    hash.addValue(window);
    hash.addValue(int64_t(textTokens.size()));
    hash.add(textTokens.data(), textTokens.size() * sizeof(int32_t));
    return "fnv1a64:" + hash.hex();
}

CalibrationReference CalibrationReference::compute(const Transformer& floatModel, const std::vector<int32_t>& textTokens,
                                                   int32_t bos, int64_t window, int threads, Progress& progress,
                                                   int64_t maxBlockInputBytes)
{
    PerplexityOptions options;
    options.window = window;
    options.scheme = WindowScheme::BosLed;
    CalibrationReference r;
    r.m_windows = evaluationWindows(textTokens, bos, options);
    r.m_window = window;
    r.m_tokens = int64_t(textTokens.size());
    r.m_bos = bos;
    r.m_tokensHash = calibrationTokensHash(textTokens, bos, window);
    r.m_logits.resize(r.m_windows.size());
    int64_t windowTokens = 0;
    for (const auto& w : r.m_windows)
        windowTokens += int64_t(w.tokens.size());
    const bool keepInputs = double(windowTokens) * double(floatModel.blockCount()) *
                                double(floatModel.config().dim) * sizeof(float) <=
                            double(maxBlockInputBytes);
    if (keepInputs)
        r.m_blockInputs.resize(r.m_windows.size());
    std::atomic<size_t> done{0};
    parallelFor(int64_t(r.m_windows.size()), threads, [&](int64_t w) {
        progress.throwIfCancelled();
        if (keepInputs) {
            BlockInputs hooks(floatModel.blockCount());
            r.m_logits[size_t(w)] = floatModel.forward(r.m_windows[size_t(w)].tokens, &hooks);
            r.m_blockInputs[size_t(w)] = std::move(hooks.inputs);
        } else {
            r.m_logits[size_t(w)] = floatModel.forward(r.m_windows[size_t(w)].tokens);
        }
        const size_t n = done.fetch_add(1) + 1;
        progress.report(double(n) / double(r.m_windows.size()), "float model on the calibration text");
    });
    progress.throwIfCancelled();
    // The float model compared with itself: its NLL, and the number of scored positions.
    std::vector<WindowComparison> self;
    for (size_t w = 0; w < r.m_windows.size(); ++w)
        self.push_back(compareWindow(r.m_logits[w], r.m_logits[w], r.m_windows[w]));
    const PairedPerplexity p = summarizeComparisons(self);
    r.m_floatNll = p.reference.nll;
    r.m_positions = p.shift.positions;
    return r;
}

PairedPerplexity CalibrationReference::compare(const Transformer& candidate, int threads, Progress& progress,
                                               int firstChangedBlock) const
{
    if (!m_logits.empty() && candidate.vocabSize() != m_logits.front().cols())
        throw InputError("evaluation", "the quantized model's vocabulary (" + std::to_string(candidate.vocabSize()) +
                                           ") differs from the float model's (" +
                                           std::to_string(m_logits.front().cols()) + ")");
    std::vector<WindowComparison> parts(m_windows.size());
    std::atomic<size_t> done{0};
    parallelFor(int64_t(m_windows.size()), threads, [&](int64_t w) {
        progress.throwIfCancelled();
        const ScoredWindow& window = m_windows[size_t(w)];
        const bool skip = firstChangedBlock > 0 && !m_blockInputs.empty() &&
                          firstChangedBlock < int(m_blockInputs[size_t(w)].size());
        const Matrix logits = skip ? candidate.forwardFrom(firstChangedBlock, m_blockInputs[size_t(w)][size_t(firstChangedBlock)])
                                   : candidate.forward(window.tokens);
        parts[size_t(w)] = compareWindow(m_logits[size_t(w)], logits, window);
        const size_t n = done.fetch_add(1) + 1;
        progress.report(double(n) / double(m_windows.size()));
    });
    progress.throwIfCancelled();
    return summarizeComparisons(parts);
}

} // namespace salience
