#pragma once
// Byte-pair encoding of one pre-tokenized word, as Hugging Face's tokenizers (models/bpe) do it:
// each character is a symbol (with the continuing-subword prefix and end-of-word suffix where set),
// characters outside the vocabulary become <0xXX> byte tokens (byte_fallback) or the unknown token
// (fused when fuse_unk), then the adjacent pair with the lowest merge rank is merged, leftmost first,
// until no pair has a merge. Shared by tokenizer.json files and llama.cpp's GGUF BPE vocabularies.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace salience {

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using TokenIndex = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

struct BpeOptions {
    std::optional<std::string> unkToken;
    std::optional<std::string> continuingSubwordPrefix;
    std::optional<std::string> endOfWordSuffix;
    bool fuseUnk = false;
    bool byteFallback = false;
    bool ignoreMerges = false; // a word that is itself a token is taken whole (Llama 3)
    // llama.cpp keeps merges whose result is not a token (the symbol then falls back to bytes);
    // Hugging Face refuses such a vocabulary. When true they are dropped instead of refused.
    bool dropMergesOutsideVocabulary = false;
};

class BpeModel {
public:
    // `merges` in rank order. Throws InputError(where, ...) when a merge names a token outside the
    // vocabulary (or makes one, unless dropMergesOutsideVocabulary), or the unknown token is not in it.
    BpeModel(TokenIndex vocabulary, const std::vector<std::pair<std::string, std::string>>& merges,
             BpeOptions options, const std::string& where);

    // Appends the ids of `word`. Thread-safe (a shared cache of recent words sits behind a mutex).
    void tokenize(std::string_view word, std::vector<int32_t>& out) const;

    const TokenIndex& vocabulary() const { return m_vocabulary; }
    int32_t find(std::string_view token) const; // -1 when absent
    int32_t unkId() const { return m_unkId; }

private:
    struct Merge {
        uint32_t rank;
        int32_t merged;
    };
    static uint64_t pairKey(int32_t left, int32_t right) { return (uint64_t(uint32_t(left)) << 32) | uint32_t(right); }
    std::vector<int32_t> mergeWord(std::string_view word) const;

    TokenIndex m_vocabulary;
    std::unordered_map<uint64_t, Merge> m_merges;
    BpeOptions m_options;
    int32_t m_unkId = -1;
    std::vector<int32_t> m_byteIds; // <0xXX> token of each byte, -1 when absent

    static constexpr size_t kCacheCapacity = 50'000;
    static constexpr size_t kLongestCachedWord = 256; // bytes, as the Rust library
    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int32_t>, StringHash, std::equal_to<>> m_cache;
};

} // namespace salience
