#pragma once
// The SentencePiece-style BPE tokenizer of llama2.c (run.c's encode/decode), over a vocabulary
// read from a llama2.c tokenizer.bin or from a GGUF file's tokenizer.ggml.* metadata. Pieces are
// raw bytes with a plain space (GGUF's U+2581 is converted), so both sources give identical pieces.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace salience {

class GgufReader;

class Tokenizer {
public:
    // llama2.c tokenizer.bin: int32 max_token_length, then entries {float32 score, int32 len,
    // len bytes} until the end of the file. Throws InputError naming the file when it cannot be
    // read, an entry is truncated, a length is negative or runs past the end, or there are
    // fewer than 3 entries (ids 0..2 are unk/bos/eos).
    static Tokenizer fromLlama2cFile(const std::string& path);
    // tokenizer.ggml.tokens / scores / bos_token_id / eos_token_id / unknown_token_id of a GGUF
    // whose tokenizer.ggml.model is "llama". Throws InputError naming the GGUF file otherwise.
    static Tokenizer fromGguf(const GgufReader& gguf);
    // Direct construction (tests, synthetic vocabularies). Throws InputError (source "vocabulary")
    // when the sizes differ, there are fewer than 3 pieces, or a special id is out of range.
    Tokenizer(std::vector<std::string> pieces, std::vector<float> scores, int32_t bosId = 1,
              int32_t eosId = 2, int32_t unkId = 0);

    // run.c's encode: optional BOS; for non-empty text the dummy-prefix piece " "; each UTF-8
    // code point (at most 4 bytes) as a piece, else its bytes as ids byte + 3; then repeatedly
    // merge the adjacent pair whose concatenation has the highest score (leftmost on ties).
    // Unlike run.c, an embedded NUL byte does not end the text: it is encoded like any byte.
    std::vector<int32_t> encode(std::string_view text, bool bos) const;

    // The text of `id` following `prev`, as run.c's decode: after BOS a leading space is
    // stripped, and "<0xHH>" pieces give that raw byte. BOS and EOS give no text; an id out of
    // range throws InputError.
    std::string decodePiece(int32_t prev, int32_t id) const;
    // All pieces concatenated; the first id follows BOS. decode(encode(s, true)) == s for any
    // bytes s when the vocabulary has " " and the 256 byte pieces at ids 3..258.
    std::string decode(const std::vector<int32_t>& ids) const;

    int32_t size() const { return int32_t(m_pieces.size()); }
    // Throw InputError (source "tokenizer") for ids outside [0, size()).
    const std::string& piece(int32_t id) const;
    float score(int32_t id) const;
    // The id of a piece, or -1 when it is not in the vocabulary (the first id for duplicates).
    int32_t find(std::string_view piece) const;

    int32_t bosId() const { return m_bos; }
    int32_t eosId() const { return m_eos; }
    int32_t unkId() const { return m_unk; }

private:
    void checkId(int32_t id) const;

    std::vector<std::string> m_pieces;
    std::vector<float> m_scores;
    std::unordered_map<std::string, int32_t> m_index;
    int32_t m_bos = 1;
    int32_t m_eos = 2;
    int32_t m_unk = 0;
};

} // namespace salience
