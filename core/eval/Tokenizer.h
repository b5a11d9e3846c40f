#pragma once
// The tokenizer every command uses, in one of two kinds:
// - the SentencePiece-style BPE tokenizer of llama2.c (run.c's encode/decode), over a vocabulary
//   read from a llama2.c tokenizer.bin or from a GGUF file whose tokenizer.ggml.model is "llama".
//   Pieces are raw bytes with a plain space (GGUF's U+2581 is converted), so both sources give
//   identical pieces;
// - a Hugging Face tokenizer (HfTokenizer: tokenizer.json, or a GGUF byte-level BPE vocabulary,
//   tokenizer.ggml.model "gpt2"), to which every call below is forwarded.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace salience {

class GgufReader;
class HfTokenizer;

class Tokenizer {
public:
    // llama2.c tokenizer.bin: int32 max_token_length, then entries {float32 score, int32 len,
    // len bytes} until the end of the file. Throws InputError naming the file when it cannot be
    // read, an entry is truncated, a length is negative or runs past the end, or there are
    // fewer than 3 entries (ids 0..2 are unk/bos/eos).
    static Tokenizer fromLlama2cFile(const std::string& path);
    // tokenizer.ggml.tokens / scores / bos_token_id / eos_token_id / unknown_token_id of a GGUF
    // whose tokenizer.ggml.model is "llama"; a "gpt2" vocabulary becomes a Hugging Face-kind
    // tokenizer encoding as llama.cpp does (HfTokenizer::fromGguf). Throws InputError naming the
    // GGUF file for any other model.
    static Tokenizer fromGguf(const GgufReader& gguf);
    // A Hugging Face tokenizer.json (with tokenizer_config.json beside it when present); see
    // HfTokenizer::fromFile. Throws InputError naming the file.
    static Tokenizer fromHfFile(const std::string& tokenizerJsonPath);
    // A Hugging Face-kind tokenizer around `hf` (shared, not copied).
    explicit Tokenizer(HfTokenizer hf);
    // Direct construction (tests, synthetic vocabularies). Throws InputError (source "vocabulary")
    // when the sizes differ, there are fewer than 3 pieces, or a special id is out of range.
    Tokenizer(std::vector<std::string> pieces, std::vector<float> scores, int32_t bosId = 1,
              int32_t eosId = 2, int32_t unkId = 0);

    // run.c's encode: optional BOS; for non-empty text the dummy-prefix piece " "; each UTF-8
    // code point (at most 4 bytes) as a piece, else its bytes as ids byte + 3; then repeatedly
    // merge the adjacent pair whose concatenation has the highest score (leftmost on ties).
    // Unlike run.c, an embedded NUL byte does not end the text: it is encoded like any byte.
    // Hugging Face kind: `bos` true adds the special tokens the tokenizer itself adds (as HF's
    // Tokenizer.encode(text) does: e.g. <s> for Llama 2, nothing for Qwen), false adds none;
    // text that is not valid UTF-8 is repaired first (U+FFFD for each ill-formed subsequence).
    std::vector<int32_t> encode(std::string_view text, bool bos) const;

    // The text of `id` following `prev`, as run.c's decode: after BOS a leading space is
    // stripped, and "<0xHH>" pieces give that raw byte. BOS and EOS give no text; an id out of
    // range throws InputError.
    // Hugging Face kind: the bytes `id` adds after `prev` (special tokens give none; after -1 or a
    // special token `id` is decoded as the start of a text). A piece may end inside a UTF-8
    // character, which the next piece completes: concatenated, the pieces equal decode(ids)
    // whenever the decoded bytes are valid UTF-8.
    std::string decodePiece(int32_t prev, int32_t id) const;
    // All pieces concatenated; the first id follows BOS. decode(encode(s, true)) == s for any
    // bytes s when the vocabulary has " " and the 256 byte pieces at ids 3..258.
    // Hugging Face kind: HF's decode(ids, skip_special_tokens=True); decode(encode(s, true)) == s
    // for valid UTF-8 s that holds no special-token text (and, with a normalizer, is normalized).
    std::string decode(const std::vector<int32_t>& ids) const;

    // Hugging Face kind: the model's vocabulary with the added tokens (the largest id + 1).
    int32_t size() const;
    // Throw InputError (source "tokenizer") for ids outside [0, size()).
    // Hugging Face kind: the token as the vocabulary spells it ("Ġthe", "▁the").
    const std::string& piece(int32_t id) const;
    float score(int32_t id) const; // Hugging Face kind: 0 (BPE merges by rank, not score)
    // The id of a piece, or -1 when it is not in the vocabulary (the first id for duplicates).
    int32_t find(std::string_view piece) const;

    // -1 when the tokenizer has no such token (Hugging Face kind: Qwen has no BOS, for instance;
    // the BOS is tokenizer_config.json's bos_token, else the first token its template adds).
    int32_t bosId() const { return m_bos; }
    int32_t eosId() const { return m_eos; }
    int32_t unkId() const { return m_unk; }

private:
    void checkId(int32_t id) const;

    std::shared_ptr<const HfTokenizer> m_hf; // set for the Hugging Face kind

    std::vector<std::string> m_pieces;
    std::vector<float> m_scores;
    std::unordered_map<std::string, int32_t> m_index;
    int32_t m_bos = 1;
    int32_t m_eos = 2;
    int32_t m_unk = 0;
};

} // namespace salience
