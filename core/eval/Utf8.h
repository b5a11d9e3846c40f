#pragma once
// UTF-8 as tokenizers need it: walking code points, and turning arbitrary bytes into valid text.
// Ill-formed input is never an error here: it is repaired the way Rust's String::from_utf8_lossy,
// the WHATWG decoder (JavaScript's TextDecoder, Node's readFileSync(path, "utf8")) and Python's
// errors="replace" do, so every tokenizer sees the same text for the same bytes.
#include <cstddef>
#include <string>
#include <string_view>

namespace salience::utf8 {

constexpr char32_t kReplacement = 0xFFFD;

// Length of the well-formed sequence starting at `at` (1 to 4), or 0 when the bytes there are not
// one (Unicode's table of well-formed byte sequences: no overlongs, surrogates or values above
// U+10FFFF).
size_t sequenceLength(std::string_view text, size_t at);

bool isValid(std::string_view text);

// `bytes` with each maximal ill-formed subpart replaced by one U+FFFD; valid text is returned as is.
std::string repaired(std::string_view bytes);

// The code point at `at`, advancing `at` past it. An ill-formed byte gives U+FFFD and advances by
// one, so raw decoder output can still be walked.
char32_t next(std::string_view text, size_t& at);

void append(std::string& out, char32_t codePoint);
std::string encode(char32_t codePoint);

// SentencePiece's byte-fallback pieces: "<0xHH>" -> the byte, anything else -> -1.
int byteOfFallbackPiece(std::string_view piece);

} // namespace salience::utf8
