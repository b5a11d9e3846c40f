#pragma once
// GPT-2's byte-level alphabet: every byte 0..255 stands for one printable code point (the bytes
// '!'..'~', 0xA1..0xAC and 0xAE..0xFF for themselves, the others for U+0100 onwards in byte
// order), so any byte string is a string of "characters" a BPE vocabulary can hold. Used by the
// ByteLevel pre-tokenizer and decoder of Hugging Face tokenizers and by llama.cpp's BPE vocabularies.
#include <optional>
#include <string>
#include <string_view>

namespace salience::bytelevel {

// Each byte of `bytes` as its stand-in character (UTF-8).
std::string encode(std::string_view bytes);

// The byte a stand-in code point means, or -1 for a code point outside the alphabet.
int byteOf(char32_t codePoint);

// The bytes a token of stand-in characters means, or nothing when a character lies outside the
// alphabet (Hugging Face's decoder then keeps such a token's text as it is).
std::optional<std::string> decode(std::string_view token);

} // namespace salience::bytelevel
