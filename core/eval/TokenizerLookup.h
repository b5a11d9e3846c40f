#pragma once
// Which tokenizer goes with a model when the user names none: the vocabulary inside a GGUF, a
// tokenizer.bin or tok*.bin beside a llama2.c checkpoint, or the tokenizer.json of a Hugging
// Face directory. Every command that needs text goes through here, so they all find the same.
#include "eval/Tokenizer.h"
#include "model/Model.h"

#include <string>

namespace salience {

// `explicitPath` (the --tokenizer option) wins when not empty: a Hugging Face tokenizer.json (or
// a folder holding one), a GGUF file's embedded vocabulary, else a llama2.c tokenizer.bin.
// Without it, a Hugging Face directory (the model's path, or a .safetensors / .index.json inside
// it) finds its tokenizer.json. Throws InputError naming the model and the --tokenizer option when
// nothing fits, and when the tokenizer's vocabulary does not fit the model: a tokenizer.json may
// have fewer tokens (added tokens included) than the model's embedding rows (checkpoints pad
// them), any other tokenizer must have exactly as many.
Tokenizer tokenizerFor(const Model& model, const std::string& explicitPath);

// A tokenizer file as it is, or the tokenizer.json (else tokenizer.bin) of a folder. InputError
// naming the folder when it holds neither.
std::string resolveTokenizerPath(const std::string& path);

// The tokenizer at `path` alone, with no model to check it against: a file as for --tokenizer,
// or a folder holding tokenizer.json (else tokenizer.bin). Throws InputError naming the path.
Tokenizer tokenizerFromPath(const std::string& path);

// The text's tokens without BOS, at most `maxTokens` of them (0: all). Long texts are encoded
// through a growing prefix, so asking for the first thousands of tokens of a large file does
// not encode all of it; the tokens returned are those of the whole text (a prefix is extended
// until the requested tokens lie well before its end).
std::vector<int32_t> tokenizeText(const Tokenizer& tokenizer, const std::string& text, int64_t maxTokens);

// The whole file as bytes; InputError naming the file when it cannot be read or is not UTF-8
// (naming the first byte that is not).
std::string readTextFile(const std::string& path);

} // namespace salience
