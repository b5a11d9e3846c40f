#pragma once
// A Hugging Face tokenizer.json as llama.cpp's vocabulary: the tokenizer.ggml.* keys a GGUF needs
// so that llama.cpp tokenizes as Hugging Face does. Two kinds are carried over:
// - byte-level BPE (Llama 3, Qwen2/2.5/3, GPT-2): tokenizer.ggml.model "gpt2", the merges, and the
//   tokenizer.ggml.pre name whose llama.cpp regexes are the tokenizer's Split patterns;
// - SentencePiece-style BPE with byte fallback (Llama 2, Mistral): tokenizer.ggml.model "llama",
//   scores that order merges as the tokenizer.json's merge ranks do (minus the rank of the first
//   merge that makes a piece), <0xXX> byte tokens, and
//   add_space_prefix from the Prepend normalizer or Metaspace pre-tokenizer.
// Token types follow convert_hf_to_gguf.py: added special tokens (and added tokens that look
// special, <|...|>) are control tokens, other added tokens user-defined, ids the tokenizer leaves
// free "[PAD<id>]" unused tokens up to the model's vocabulary size.
#include <cstdint>
#include <string>
#include <vector>

namespace salience {

struct LlamaCppVocabulary {
    std::string model; // tokenizer.ggml.model: "gpt2" or "llama"
    std::string pre;   // tokenizer.ggml.pre ("gpt2" only)
    std::vector<std::string> tokens;
    std::vector<int32_t> types;      // llama.cpp's token types (1 normal ... 6 byte)
    std::vector<float> scores;       // "llama" only
    std::vector<std::string> merges; // "gpt2" only: "left right"
    int32_t bos = -1, eos = -1, unk = -1, pad = -1; // -1: not written
    bool addBos = false; // whenever there is a BOS: Salience's windows start with it
    bool addEos = false;
    bool addSpacePrefix = false; // "llama" only
    std::string chatTemplate;    // tokenizer_config.json's chat_template when it is one string
};

// The vocabulary of `tokenizerJsonPath` (with tokenizer_config.json beside it) padded to
// `vocabSize` tokens (0: the tokenizer's own size). Throws InputError naming the file when the
// tokenizer cannot be read (HfTokenizer::fromFile), has more tokens than vocabSize, or is of a
// kind llama.cpp has no tokenizer for (WordPiece and Unigram models, pre-tokenizers whose regexes
// match no tokenizer.ggml.pre).
LlamaCppVocabulary llamaCppVocabularyFromHf(const std::string& tokenizerJsonPath, int64_t vocabSize);

// The tokenizer.ggml.pre name whose llama.cpp regexes split text exactly as these Hugging Face
// Split patterns (applied in order, "Isolated") do; empty when there is none. Defined beside the
// regex table in GgufBpeVocabulary.cpp.
std::string ggufPreTokenizerFor(const std::vector<std::string>& hfSplitPatterns);

} // namespace salience
