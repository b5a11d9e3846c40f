#pragma once
// The parts of a Hugging Face tokenizer pipeline (normalizers, pre-tokenizers, post-processors,
// decoders), each behaving as its counterpart in the Rust `tokenizers` library, and their reading
// from tokenizer.json. Internal to HfTokenizer and the GGUF BPE vocabulary; nothing else includes it.
#include "eval/BpeModel.h"
#include "eval/HfJson.h"
#include "eval/Regex.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace salience::hf {

// A stretch of text on its way to the model. `atStart`: it begins at the very start of the input
// (Metaspace's prepend_scheme "first" asks this).
struct Piece {
    std::string text;
    bool atStart = false;
};

class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual void normalize(std::string& text) const = 0;
};

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    // Splits (and may rewrite) every piece; empty pieces are dropped.
    virtual void preTokenize(std::vector<Piece>& pieces) const = 0;
};

class PostProcessor {
public:
    virtual ~PostProcessor() = default;
    virtual std::vector<int32_t> process(std::vector<int32_t> ids, bool addSpecialTokens) const = 0;
    // The special tokens it puts before and after the text (for BOS/EOS when no config names them).
    virtual std::vector<int32_t> leadingSpecialIds() const { return {}; }
    virtual std::vector<int32_t> trailingSpecialIds() const { return {}; }
};

class Decoder {
public:
    virtual ~Decoder() = default;
    // Rewrites the token strings. `raw`: keep bytes as they come (no U+FFFD for incomplete UTF-8),
    // for decoding one token at a time.
    virtual void decodeChain(std::vector<std::string>& tokens, bool raw) const = 0;
};

// Each returns nullptr for a JSON null. They throw InputError(file, "<path>: ...") for a component
// type that is not supported, a wrong field type, or a pattern that does not compile.
std::unique_ptr<const Normalizer> makeNormalizer(const JsonAt& at);
std::unique_ptr<const PreTokenizer> makePreTokenizer(const JsonAt& at);
std::unique_ptr<const PostProcessor> makePostProcessor(const JsonAt& at);
std::unique_ptr<const Decoder> makeDecoder(const JsonAt& at);

// Built directly (llama.cpp GGUF vocabularies, transformers' add_bos_token/add_eos_token).
std::unique_ptr<const PreTokenizer> makeRegexSplitSequence(const std::vector<Regex>& isolatedSplits,
                                                            bool byteLevel);
std::unique_ptr<const PostProcessor> makeAddSpecialTokens(std::vector<int32_t> before, std::vector<int32_t> after);
std::unique_ptr<const Decoder> makeByteLevelDecoder();

// One entry of tokenizer.json's added_tokens (or a GGUF control/user-defined token).
struct AddedToken {
    std::string content;
    int32_t id = -1;
    bool singleWord = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = false;
    bool special = false;
};

// Everything an HfTokenizer is made of.
struct TokenizerParts {
    std::string source; // the file, for messages
    std::unique_ptr<const Normalizer> normalizer;
    std::unique_ptr<const PreTokenizer> preTokenizer;
    std::unique_ptr<BpeModel> model;
    std::unique_ptr<const PostProcessor> postProcessor;
    std::unique_ptr<const Decoder> decoder;
    std::vector<AddedToken> addedTokens;
    // Added tokens are matched leftmost-longest (Hugging Face) or longest token first over the
    // whole text (llama.cpp's tokenizer_st_partition).
    bool matchLongestTokenFirst = false;
    int32_t bosId = -1;
    int32_t eosId = -1;
};

} // namespace salience::hf
