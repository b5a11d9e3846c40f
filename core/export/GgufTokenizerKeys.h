#pragma once
// A tokenizer as the tokenizer.ggml.* keys of a GGUF, so that llama.cpp can run the file.
#include "io/GgufWriter.h"

#include <cstdint>
#include <string>

namespace salience {

// A llama2.c tokenizer.bin, as llama.cpp's convert-llama2c-to-ggml writes it (spaces as U+2581,
// <unk>/<s>/</s> at 0/1/2, token types unknown/control/byte/normal). InputError naming the file
// when it cannot be read or its size is not `vocabSize` (0: no check).
void putLlama2cTokenizer(GgufWriter& writer, const std::string& tokenizerBinPath, int64_t vocabSize);

// A Hugging Face tokenizer.json (see eval/LlamaCppVocabulary.h): byte-level BPE as "gpt2" with
// its merges and pre-tokenizer name, SentencePiece-style BPE as "llama" with scores; padded with
// unused tokens to `vocabSize`; BOS/EOS/UNK/PAD, add_bos/add_eos and the chat template.
void putHfTokenizer(GgufWriter& writer, const std::string& tokenizerJsonPath, int64_t vocabSize);

} // namespace salience
