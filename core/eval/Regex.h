#pragma once
// The regular expressions of tokenizers, on PCRE2 (UTF-8, Unicode properties, JIT when the CPU
// has it). Hugging Face's tokenizer.json patterns are written for Oniguruma, whose \s, \w and \h
// differ from PCRE2's; fromOniguruma rewrites those few escapes and refuses the constructs PCRE2
// would read differently (nested classes, class intersection), so a pattern means what it means
// in the Rust library or fails loudly. A Regex is immutable and may be shared between threads.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salience {

class Regex {
public:
    struct Match {
        size_t begin;
        size_t end;
    };

    // An Oniguruma (Ruby syntax) pattern. `where` names the file and the component for errors:
    // InputError(where, "...") for a pattern that does not compile or uses an unsupported construct.
    static Regex fromOniguruma(const std::string& pattern, const std::string& where);
    // The text itself, matched literally (Hugging Face's {"String": ...} patterns).
    static Regex literal(const std::string& text, const std::string& where);
    // A pattern a person wrote (a plan's layer "match"), in PCRE2's syntax, which agrees with
    // ECMAScript's for what names need. Bounded for files from elsewhere: at most
    // kLongestUserPattern characters, PCRE2's nesting limit (250 parentheses) and a match limit,
    // so a hostile pattern is refused or gives up instead of crashing or hanging.
    static constexpr size_t kLongestUserPattern = 1000;
    static Regex fromUserPattern(const std::string& pattern, const std::string& where);

    // Whether the pattern matches anywhere in `text` (valid UTF-8). InputError(where, ...) when
    // PCRE2 gives up (its match limit) on a pattern that backtracks without end.
    bool search(std::string_view text) const;

    // Every match in `text` (valid UTF-8), left to right and non-overlapping, the way Rust's onig
    // find_iter yields them: an empty match right where the previous match ended is skipped.
    // Empty matches are reported (they split text). InputError(where, ...) when PCRE2 gives up
    // (match or JIT stack limit) on hostile input.
    std::vector<Match> findAll(std::string_view text) const;

    const std::string& pattern() const { return m_pattern; }

    struct Compiled; // the PCRE2 code, kept out of this header

private:
    Regex(std::shared_ptr<const Compiled> compiled, std::string pattern, std::string where);

    std::shared_ptr<const Compiled> m_compiled;
    std::string m_pattern;
    std::string m_where;
};

// The Oniguruma pattern rewritten for PCRE2 (exposed for tests). Throws InputError(where, ...).
std::string onigurumaToPcre2(const std::string& pattern, const std::string& where);

} // namespace salience
