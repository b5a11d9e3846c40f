#include "eval/BpeModel.h"

#include "base/Error.h"
#include "eval/Utf8.h"

#include <cstdio>
#include <queue>

namespace salience {

BpeModel::BpeModel(TokenIndex vocabulary, const std::vector<std::pair<std::string, std::string>>& merges,
                   BpeOptions options, const std::string& where)
    : m_vocabulary(std::move(vocabulary)), m_options(std::move(options))
{
    if (m_options.unkToken) {
        const auto it = m_vocabulary.find(*m_options.unkToken);
        if (it == m_vocabulary.end())
            throw InputError(where, "the unknown token '" + *m_options.unkToken + "' is not in the vocabulary");
        m_unkId = it->second;
    }
    m_byteIds.assign(256, -1);
    if (m_options.byteFallback) {
        for (int b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            const auto it = m_vocabulary.find(std::string_view(name));
            if (it != m_vocabulary.end())
                m_byteIds[size_t(b)] = it->second;
        }
    }
    const size_t prefixLength = m_options.continuingSubwordPrefix ? m_options.continuingSubwordPrefix->size() : 0;
    m_merges.reserve(merges.size());
    std::string mergedText;
    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [left, right] = merges[rank];
        const auto l = m_vocabulary.find(left);
        const auto r = m_vocabulary.find(right);
        if (l == m_vocabulary.end() || r == m_vocabulary.end()) {
            if (m_options.dropMergesOutsideVocabulary)
                continue;
            throw InputError(where, "merge " + std::to_string(rank) + " ('" + left + "' '" + right + "') names '" +
                                        (l == m_vocabulary.end() ? left : right) + "', which is not in the vocabulary");
        }
        // The merged token drops the right side's continuing-subword prefix ("##"), as in Rust.
        mergedText.assign(left);
        mergedText.append(right, std::min(prefixLength, right.size()));
        const auto m = m_vocabulary.find(mergedText);
        if (m == m_vocabulary.end()) {
            if (m_options.dropMergesOutsideVocabulary)
                continue;
            throw InputError(where, "merge " + std::to_string(rank) + " ('" + left + "' '" + right + "') makes '" +
                                        mergedText + "', which is not in the vocabulary");
        }
        // A repeated pair keeps its last rank, as both Hugging Face implementations do.
        m_merges[pairKey(l->second, r->second)] = Merge{uint32_t(rank), m->second};
    }
}

int32_t BpeModel::find(std::string_view token) const
{
    const auto it = m_vocabulary.find(token);
    return it == m_vocabulary.end() ? -1 : it->second;
}

void BpeModel::tokenize(std::string_view word, std::vector<int32_t>& out) const
{
    if (word.empty())
        return;
    if (m_options.ignoreMerges) {
        const int32_t whole = find(word);
        if (whole >= 0) {
            out.push_back(whole);
            return;
        }
    }
    const bool cacheable = word.size() < kLongestCachedWord;
    if (cacheable) {
        std::lock_guard lock(m_cacheMutex);
        const auto it = m_cache.find(word);
        if (it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids = mergeWord(word);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::lock_guard lock(m_cacheMutex);
        if (m_cache.size() < kCacheCapacity)
            m_cache.emplace(std::string(word), std::move(ids));
    }
}

std::vector<int32_t> BpeModel::mergeWord(std::string_view word) const
{
    // Symbols of the word, as models/bpe/model.rs merge_word builds them.
    std::vector<int32_t> symbols;
    symbols.reserve(word.size());
    int32_t pendingUnknown = -1; // a fused run of unknown characters waiting to be added
    std::string piece;
    for (size_t at = 0; at < word.size();) {
        const size_t begin = at;
        utf8::next(word, at);
        piece.assign(word.substr(begin, at - begin));
        if (begin != 0 && m_options.continuingSubwordPrefix)
            piece.insert(0, *m_options.continuingSubwordPrefix);
        if (at == word.size() && m_options.endOfWordSuffix)
            piece.append(*m_options.endOfWordSuffix);
        const int32_t id = find(piece);
        if (id >= 0) {
            if (pendingUnknown >= 0) {
                symbols.push_back(pendingUnknown);
                pendingUnknown = -1;
            }
            symbols.push_back(id);
            continue;
        }
        if (m_options.byteFallback) {
            bool allBytes = true;
            for (unsigned char b : piece)
                allBytes = allBytes && m_byteIds[b] >= 0;
            if (allBytes) {
                // Rust adds the byte tokens without flushing a pending unknown token first.
                for (unsigned char b : piece)
                    symbols.push_back(m_byteIds[b]);
                continue;
            }
        }
        if (m_unkId >= 0) {
            if (pendingUnknown >= 0 && !m_options.fuseUnk)
                symbols.push_back(pendingUnknown);
            pendingUnknown = m_unkId;
        }
        // Without an unknown token the character is dropped, as in Rust.
    }
    if (pendingUnknown >= 0)
        symbols.push_back(pendingUnknown);
    if (symbols.size() < 2 || m_merges.empty())
        return symbols;

    // Merges: lowest rank first, leftmost on ties (word.rs merge_all). Symbols keep their slot;
    // a merged right symbol is marked dead. A queued merge is stale when its pair no longer stands
    // there with the same result.
    const int32_t count = int32_t(symbols.size());
    std::vector<int32_t> prev(static_cast<size_t>(count));
    std::vector<int32_t> next(static_cast<size_t>(count));
    std::vector<bool> alive(static_cast<size_t>(count), true);
    for (int32_t i = 0; i < count; ++i) {
        prev[size_t(i)] = i - 1;
        next[size_t(i)] = i + 1 < count ? i + 1 : -1;
    }
    struct Candidate {
        uint32_t rank;
        int32_t position;
        int32_t merged;
    };
    struct Later {
        bool operator()(const Candidate& a, const Candidate& b) const
        {
            return a.rank != b.rank ? a.rank > b.rank : a.position > b.position;
        }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, Later> queue;
    auto consider = [&](int32_t left) {
        if (left < 0 || next[size_t(left)] < 0)
            return;
        const auto it = m_merges.find(pairKey(symbols[size_t(left)], symbols[size_t(next[size_t(left)])]));
        if (it != m_merges.end())
            queue.push(Candidate{it->second.rank, left, it->second.merged});
    };
    for (int32_t i = 0; i + 1 < count; ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        const int32_t left = top.position;
        if (!alive[size_t(left)] || next[size_t(left)] < 0)
            continue;
        const int32_t right = next[size_t(left)];
        const auto it = m_merges.find(pairKey(symbols[size_t(left)], symbols[size_t(right)]));
        if (it == m_merges.end() || it->second.merged != top.merged)
            continue;
        symbols[size_t(left)] = top.merged;
        alive[size_t(right)] = false;
        next[size_t(left)] = next[size_t(right)];
        if (next[size_t(right)] >= 0)
            prev[size_t(next[size_t(right)])] = left;
        consider(prev[size_t(left)]);
        consider(left);
    }
    std::vector<int32_t> merged;
    merged.reserve(symbols.size());
    for (int32_t i = 0; i >= 0; i = next[size_t(i)])
        merged.push_back(symbols[size_t(i)]);
    return merged;
}

} // namespace salience
