#pragma once
// A Hugging Face tokenizer read from tokenizer.json, encoding exactly as the Rust `tokenizers`
// library's Tokenizer.encode does: added and special tokens are cut out first (leftmost-longest,
// honouring lstrip, rstrip, single_word and normalized), the rest is normalized, pre-tokenized and
// split by the BPE model, and the post-processor adds the special tokens. The same machinery
// reads llama.cpp's BPE vocabularies (GGUF tokenizer.ggml.model "gpt2") and encodes as llama.cpp.
//
// Supported: normalizers NFC, NFD, NFKC, NFKD, Replace, Prepend, Lowercase, Strip, StripAccents,
// ByteLevel and Sequence; pre-tokenizers Split, ByteLevel, Metaspace, Whitespace, WhitespaceSplit,
// Digits, Punctuation, BertPreTokenizer, CharDelimiterSplit and Sequence; the BPE model;
// post-processors TemplateProcessing, ByteLevel, BertProcessing, RobertaProcessing and Sequence;
// decoders ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace, BPEDecoder and Sequence.
// Anything else (WordPiece, Unigram, BPE dropout, BertNormalizer, Precompiled...) is refused with
// an InputError naming the file and the component. truncation and padding are ignored: they
// shape batches, not tokens.
//
// Text that is not valid UTF-8 is repaired first (each ill-formed subsequence becomes U+FFFD, as
// Python's errors="replace" and JavaScript's TextDecoder do); it is never an error.
// An HfTokenizer is immutable and may be shared between threads.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace salience {

class GgufReader;
namespace hf {
struct TokenizerParts;
}

class HfTokenizer {
public:
    // tokenizer.json, with tokenizer_config.json from the same folder when it exists. The config
    // gives the BOS and EOS tokens (bos_token, eos_token) and, for the tokenizer classes whose
    // transformers fast tokenizer rebuilds its template from them (LlamaTokenizer, CodeLlamaTokenizer,
    // GemmaTokenizer and their Fast forms), add_bos_token and add_eos_token when they are set.
    // Throws InputError naming the file for unreadable, malformed (bad JSON, wrong types, nesting
    // deeper than 256, above 1 GiB) or unsupported content.
    static HfTokenizer fromFile(const std::string& tokenizerJsonPath);
    // The same from JSON text; `configJson` may be empty. `source` and `configSource` name them.
    static HfTokenizer fromJson(std::string_view tokenizerJson, std::string_view configJson, const std::string& source,
                                const std::string& configSource = "tokenizer_config.json");
    // A GGUF whose tokenizer.ggml.model is "gpt2": tokens, merges, token types, BOS/EOS, add_bos_token
    // and add_eos_token, and the pre-tokenizer regexes llama.cpp uses for tokenizer.ggml.pre
    // (llama-bpe, qwen2, gpt-2, ...). Control, user-defined and unknown tokens are matched in the
    // text (llama.cpp's parse_special) longest first. bosId() is -1 unless add_bos_token is set, so
    // that evaluation windows start as llama-perplexity's do. Defined in GgufBpeVocabulary.cpp.
    static HfTokenizer fromGguf(const GgufReader& gguf);
    static HfTokenizer fromParts(hf::TokenizerParts parts);

    // `addSpecialTokens`: what the post-processor adds (Tokenizer.encode(text) in Hugging Face).
    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens) const;

    // Hugging Face's decode(ids, skip_special_tokens=True). InputError("tokenizer", ...) for an id
    // outside [0, size()).
    std::string decode(const std::vector<int32_t>& ids) const;
    // The bytes `id` adds to the decoded text after `prev` (-1 or a special token: `id` starts the
    // text, as the decoder treats a first token). Concatenated over a sequence, the pieces equal
    // decode(ids) whenever the decoded bytes are valid UTF-8; a piece may end inside a character
    // (byte-level and byte-fallback vocabularies), the next piece completes it.
    std::string decodePiece(int32_t prev, int32_t id) const;

    // Model vocabulary and added tokens: the largest id + 1.
    int32_t size() const;
    // The token's text as the vocabulary holds it (e.g. "Ġthe", "▁the"); empty for an id no token
    // has. InputError("tokenizer", ...) outside [0, size()).
    const std::string& token(int32_t id) const;
    // Added tokens first, then the model's vocabulary; -1 when absent.
    int32_t find(std::string_view token) const;
    bool isSpecial(int32_t id) const;

    int32_t bosId() const; // -1 when the tokenizer has none
    int32_t eosId() const; // -1 when the tokenizer has none
    int32_t unkId() const; // -1 when the model has no unknown token
    const std::string& source() const;

private:
    struct State;
    explicit HfTokenizer(std::shared_ptr<const State> state);
    std::string rawDecode(const std::vector<int32_t>& ids) const;
    // The texts of `ids` a decoder sees: special tokens and empty ones left out.
    std::vector<std::string> decodableTokens(const std::vector<int32_t>& ids) const;

    std::shared_ptr<const State> m_state;
};

} // namespace salience
