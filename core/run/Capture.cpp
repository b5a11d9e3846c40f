#include "run/Capture.h"

#include "acts/ChannelStatsOps.h"
#include "base/Error.h"
#include "eval/Windows.h"
#include "base/ParallelFor.h"

#include <algorithm>
#include <map>

namespace salience {

namespace {

// What one window contributes: statistics of every linear input, and the rows that fall
// within the kept tokens.
class WindowCapture : public ForwardHooks {
public:
    WindowCapture(int64_t keepRows, bool sites) : m_keepRows(keepRows), m_sites(sites) {}

    void linearInput(const std::string& layer, const Matrix& inputs) override
    {
        m_stats[layer] = channelStatsOf(inputs);
        if (m_keepRows > 0)
            m_inputs[layer] = inputs.topRows(std::min<int64_t>(m_keepRows, inputs.rows()));
    }
    void site(int block, const std::string& site, const Matrix& values) override
    {
        m_siteRows[{block, site}] = values.topRows(std::min<int64_t>(m_keepRows, values.rows()));
    }
    bool wantsSites() const override { return m_sites && m_keepRows > 0; }

    std::map<std::string, ChannelStats> m_stats;
    std::map<std::string, Matrix> m_inputs;
    std::map<std::pair<int, std::string>, Matrix> m_siteRows;

private:
    int64_t m_keepRows;
    bool m_sites;
};

void appendRows(std::map<std::string, std::vector<Matrix>>& parts, const std::string& key, Matrix rows)
{
    if (rows.rows() > 0)
        parts[key].push_back(std::move(rows));
}

Matrix stack(const std::vector<Matrix>& parts)
{
    int64_t rows = 0;
    for (const auto& p : parts)
        rows += p.rows();
    Matrix out(rows, parts.empty() ? 0 : parts.front().cols());
    int64_t at = 0;
    for (const auto& p : parts) {
        out.middleRows(at, p.rows()) = p;
        at += p.rows();
    }
    return out;
}

} // namespace

ActivationStore captureActivations(const Transformer& transformer, const std::vector<int32_t>& textTokens,
                                   int32_t bos, const CaptureOptions& options, Progress& progress)
{
    if (textTokens.empty())
        throw InputError("capture", "the text gave no tokens to capture");
    if (options.keepInputs < 0)
        throw InputError("capture", "the number of tokens to keep must not be negative");
    const auto windows = tokenWindows(textTokens, options.window, bos);
    std::vector<int64_t> firstToken(windows.size(), 0);
    int64_t total = 0;
    for (size_t w = 0; w < windows.size(); ++w) {
        firstToken[w] = total;
        total += int64_t(windows[w].size());
    }
    const int64_t kept = std::min(options.keepInputs, total);

    std::map<std::string, ChannelStats> stats;
    std::map<std::string, std::vector<Matrix>> inputParts;
    std::map<std::pair<int, std::string>, std::vector<Matrix>> siteParts;
    const int threads = threadCountFor(options.threads, int64_t(windows.size()));
    for (size_t batch = 0; batch < windows.size(); batch += size_t(threads)) {
        const size_t count = std::min(windows.size() - batch, size_t(threads));
        std::vector<WindowCapture> captures;
        for (size_t i = 0; i < count; ++i)
            captures.emplace_back(std::max<int64_t>(0, kept - firstToken[batch + i]), options.sites);
        parallelFor(int64_t(count), threads, [&](int64_t i) {
            progress.throwIfCancelled();
            transformer.forward(windows[batch + size_t(i)], &captures[size_t(i)]);
        });
        progress.throwIfCancelled();
        for (auto& c : captures) {
            for (auto& [layer, s] : c.m_stats) {
                auto it = stats.find(layer);
                if (it == stats.end())
                    stats.emplace(layer, std::move(s));
                else
                    it->second = mergeChannelStats(it->second, s);
            }
            for (auto& [layer, rows] : c.m_inputs)
                appendRows(inputParts, layer, std::move(rows));
            for (auto& [key, rows] : c.m_siteRows)
                if (rows.rows() > 0)
                    siteParts[key].push_back(std::move(rows));
        }
        progress.report(double(batch + count) / double(windows.size()),
                        "window " + std::to_string(batch + count) + " of " + std::to_string(windows.size()));
    }

    ActivationStore store;
    std::vector<int32_t> keptTokens;
    for (const auto& w : windows)
        for (int32_t t : w)
            if (int64_t(keptTokens.size()) < kept)
                keptTokens.push_back(t);
    store.setTokens(std::move(keptTokens));
    for (auto& [layer, s] : stats)
        store.setStats(layer, std::move(s));
    for (auto& [layer, parts] : inputParts)
        store.setInputs(layer, stack(parts));
    for (auto& [key, parts] : siteParts)
        store.setSite(key.first, key.second, stack(parts));
    return store;
}

} // namespace salience
