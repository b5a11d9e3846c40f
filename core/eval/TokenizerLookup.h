#pragma once
// Which tokenizer goes with a model when the user names none: the vocabulary inside a GGUF, a
// tokenizer.bin or tok*.bin beside a llama2.c checkpoint, or the tokenizer files of a Hugging
// Face directory. Every command that needs text goes through here, so they all find the same.
#include "eval/Tokenizer.h"
#include "model/Model.h"

#include <string>

namespace salience {

// `explicitPath` (the --tokenizer option) wins when not empty: a GGUF file gives its embedded
// vocabulary, anything else is read as a llama2.c tokenizer.bin. Throws InputError naming the
// model and the --tokenizer option when nothing fits, and when the tokenizer's vocabulary
// size differs from the model's.
Tokenizer tokenizerFor(const Model& model, const std::string& explicitPath);

// The text's tokens without BOS, at most `maxTokens` of them (0: all). Long texts are encoded
// through a growing prefix, so asking for the first thousands of tokens of a large file does
// not encode all of it; the tokens returned are those of the whole text (a prefix is extended
// until the requested tokens lie well before its end).
std::vector<int32_t> tokenizeText(const Tokenizer& tokenizer, const std::string& text, int64_t maxTokens);

// The whole file as bytes; InputError naming the file when it cannot be read.
std::string readTextFile(const std::string& path);

} // namespace salience
