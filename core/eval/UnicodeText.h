#pragma once
// The Unicode facts tokenizers ask about text, answered by ICU's tables (never by tables of our
// own): normalization forms, lowercasing, and the character classes Rust's char methods and the
// regex crate use. Text is valid UTF-8 in and out.
#include <string>
#include <string_view>

namespace salience::unicode {

enum class NormalForm { NFC, NFD, NFKC, NFKD };

std::string normalized(std::string_view text, NormalForm form);

// Each code point replaced by its full lowercase mapping, without context (as Rust's
// char::to_lowercase: 'İ' gives "i̇", a final 'Σ' gives 'σ').
std::string lowercased(std::string_view text);

bool isWhitespace(char32_t c);    // the White_Space property (Rust's char::is_whitespace)
bool isNumeric(char32_t c);       // general category N* (Rust's char::is_numeric)
bool isPunctuation(char32_t c);   // ASCII punctuation or general category P* (Hugging Face's is_punc)
bool isCombiningMark(char32_t c); // general category M*
// The regex crate's Unicode \w: Alphabetic, M*, Nd, Pc and Join_Control.
bool isWordCharacter(char32_t c);

} // namespace salience::unicode
