#pragma once
// What more than one kind of Hugging Face tokenizer component reads or does alike: the patterns of
// Replace and Split, Metaspace's prepend scheme (its pre-tokenizer and its decoder), and the
// complaint about a component type that is not supported. Internal to the Hf*.cpp component files.
#include "eval/HfJson.h"
#include "eval/Regex.h"

#include <string>

namespace salience::hf {

// A {"String": ...} or {"Regex": ...} pattern; throws InputError(file, "<path>: ...") when it is
// neither or does not compile.
Regex patternOf(const JsonAt& pattern);

// `text` with every match of `regex` replaced by `content`.
std::string replaceMatches(const Regex& regex, const std::string& text, const std::string& content);

[[noreturn]] void unsupported(const JsonAt& at, const std::string& kind, const std::string& type);

enum class PrependScheme { Always, First, Never };

// "prepend_scheme", or for older files "add_prefix_space" (true: always).
PrependScheme prependSchemeOf(const JsonAt& at);

} // namespace salience::hf
