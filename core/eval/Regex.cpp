#include "eval/Regex.h"

#include "base/Error.h"
#include "eval/Utf8.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cctype>

namespace salience {

namespace {

// Oniguruma's Unicode \w, as Hugging Face's JavaScript port spells it out (Alphabetic, marks,
// decimal digits, connector punctuation, and the Latin-1 digits Oniguruma's ctype table counts).
const char* const kWordClassBody = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\x{B2}\\x{B3}\\x{B9}\\x{BC}-\\x{BE}";
// Oniguruma's \s: tab to carriage return, NEL and the Z categories, which is Unicode's White_Space.
// (PCRE2's \s also takes U+180E.)
const char* const kSpaceProperty = "\\p{White_Space}";
const char* const kNotSpaceProperty = "\\P{White_Space}";

std::string pcre2Message(int code)
{
    PCRE2_UCHAR buffer[256];
    if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0)
        return "PCRE2 error " + std::to_string(code);
    return reinterpret_cast<const char*>(buffer);
}

// The pieces of match state a thread reuses across calls: PCRE2 match data, and a JIT stack large
// enough for long runs of whitespace (the default 32 KiB machine stack is not).
struct MatchResources {
    pcre2_match_data* data = nullptr;
    pcre2_match_context* context = nullptr;
    pcre2_jit_stack* jitStack = nullptr;

    MatchResources()
    {
        data = pcre2_match_data_create(1, nullptr);
        context = pcre2_match_context_create(nullptr);
        jitStack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr);
        if (context && jitStack)
            pcre2_jit_stack_assign(context, nullptr, jitStack);
    }
    ~MatchResources()
    {
        pcre2_jit_stack_free(jitStack);
        pcre2_match_context_free(context);
        pcre2_match_data_free(data);
    }
    MatchResources(const MatchResources&) = delete;
    MatchResources& operator=(const MatchResources&) = delete;
};

MatchResources& threadResources()
{
    thread_local MatchResources resources;
    if (!resources.data || !resources.context)
        throw std::bad_alloc();
    return resources;
}

} // namespace

struct Regex::Compiled {
    pcre2_code* code = nullptr;
    ~Compiled() { pcre2_code_free(code); }
};

std::string onigurumaToPcre2(const std::string& pattern, const std::string& where)
{
    auto unsupported = [&](const std::string& what) {
        return InputError(where, "regex /" + pattern + "/ uses " + what +
                                     ", which is not supported (PCRE2 would read it differently)");
    };
    std::string out;
    out.reserve(pattern.size() + 32);
    bool inClass = false;
    size_t classContentStart = 0; // a ']' here is a literal, not the end of the class
    const size_t n = pattern.size();
    for (size_t i = 0; i < n;) {
        const char c = pattern[i];
        if (c == '\\') {
            if (i + 1 >= n) {
                out += c;
                ++i;
                continue;
            }
            const char d = pattern[i + 1];
            switch (d) {
            case 's':
                out += kSpaceProperty;
                break;
            case 'S':
                out += kNotSpaceProperty;
                break;
            case 'w':
                out += inClass ? std::string(kWordClassBody) : "[" + std::string(kWordClassBody) + "]";
                break;
            case 'W':
                if (inClass)
                    throw unsupported("\\W inside a character class");
                out += "[^" + std::string(kWordClassBody) + "]";
                break;
            case 'h': // Oniguruma: a hexadecimal digit (PCRE2: horizontal space)
                out += inClass ? "0-9A-Fa-f" : "[0-9A-Fa-f]";
                break;
            case 'H':
                if (inClass)
                    throw unsupported("\\H inside a character class");
                out += "[^0-9A-Fa-f]";
                break;
            default: {
                out += c;
                out += d;
                if ((d == 'p' || d == 'P' || d == 'x') && i + 2 < n && pattern[i + 2] == '{') {
                    const size_t close = pattern.find('}', i + 2);
                    const size_t end = close == std::string::npos ? n : close + 1;
                    out.append(pattern, i + 2, end - (i + 2));
                    i = end;
                    continue;
                }
                break;
            }
            }
            i += 2;
            continue;
        }
        if (inClass) {
            if (c == '[') {
                if (pattern.compare(i, 2, "[:") != 0)
                    throw unsupported("a nested character class");
                const size_t close = pattern.find(":]", i + 2);
                const size_t end = close == std::string::npos ? n : close + 2;
                out.append(pattern, i, end - i);
                i = end;
                continue;
            }
            if (c == '&' && i + 1 < n && pattern[i + 1] == '&')
                throw unsupported("a character class intersection (&&)");
            if (c == ']' && i != classContentStart)
                inClass = false;
            out += c;
            ++i;
            continue;
        }
        if (c == '[') {
            inClass = true;
            out += c;
            ++i;
            if (i < n && pattern[i] == '^') {
                out += '^';
                ++i;
            }
            classContentStart = i;
            continue;
        }
        // Oniguruma reads {,n} as {0,n}; PCRE2 10.42 would take it literally.
        if (c == '{' && i + 2 < n && pattern[i + 1] == ',' && std::isdigit(static_cast<unsigned char>(pattern[i + 2]))) {
            size_t j = i + 2;
            while (j < n && std::isdigit(static_cast<unsigned char>(pattern[j])))
                ++j;
            if (j < n && pattern[j] == '}') {
                out += "{0,";
                out.append(pattern, i + 2, j + 1 - (i + 2));
                i = j + 1;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
}

Regex::Regex(std::shared_ptr<const Compiled> compiled, std::string pattern, std::string where)
    : m_compiled(std::move(compiled)), m_pattern(std::move(pattern)), m_where(std::move(where))
{
}

namespace {

std::shared_ptr<const Regex::Compiled> compile(const std::string& pcrePattern, uint32_t extraOptions,
                                               const std::string& shown, const std::string& where)
{
    if (!utf8::isValid(pcrePattern))
        throw InputError(where, "regex pattern is not valid UTF-8");
    pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
    if (!context)
        throw std::bad_alloc();
    // Oniguruma's '.', '^' and '$' know only '\n' as a line end.
    pcre2_set_newline(context, PCRE2_NEWLINE_LF);
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    // PCRE2_LITERAL admits no pattern options beyond UTF.
    const uint32_t options = (extraOptions & PCRE2_LITERAL) ? PCRE2_UTF | PCRE2_LITERAL
                                                            : PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | extraOptions;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pcrePattern.data()), pcrePattern.size(), options,
                                     &errorCode, &errorOffset, context);
    pcre2_compile_context_free(context);
    if (!code)
        throw InputError(where, "regex /" + shown + "/ does not compile: " + pcre2Message(errorCode) +
                                    " (at offset " + std::to_string(errorOffset) + ")");
    auto compiled = std::make_shared<Regex::Compiled>();
    compiled->code = code;
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); // without JIT support, the interpreter runs
    return compiled;
}

} // namespace

Regex Regex::fromOniguruma(const std::string& pattern, const std::string& where)
{
    return Regex(compile(onigurumaToPcre2(pattern, where), 0, pattern, where), pattern, where);
}

Regex Regex::literal(const std::string& text, const std::string& where)
{
    return Regex(compile(text, PCRE2_LITERAL, text, where), text, where);
}

Regex Regex::fromUserPattern(const std::string& pattern, const std::string& where)
{
    if (pattern.size() > kLongestUserPattern)
        throw InputError(where, "regex of " + std::to_string(pattern.size()) + " characters; at most " +
                                    std::to_string(kLongestUserPattern) + " are accepted");
    // (*LIMIT_MATCH=...) can only lower PCRE2's limit: a backtracking pattern fails in well
    // under a second on names instead of running for hours.
    const std::string shown = pattern.size() > 60 ? pattern.substr(0, 60) + "..." : pattern;
    return Regex(compile("(*LIMIT_MATCH=1000000)" + pattern, 0, shown, where), shown, where);
}

bool Regex::search(std::string_view text) const
{
    if (!utf8::isValid(text))
        throw Error("Regex::search: the text is not valid UTF-8");
    MatchResources& r = threadResources();
    const int rc = pcre2_match(m_compiled->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                               PCRE2_NO_UTF_CHECK, r.data, r.context);
    if (rc == PCRE2_ERROR_NOMATCH)
        return false;
    if (rc < 0)
        throw InputError(m_where, "regex /" + m_pattern + "/ gave up on '" + std::string(text) + "': " +
                                      pcre2Message(rc));
    return true;
}

std::vector<Regex::Match> Regex::findAll(std::string_view text) const
{
    std::vector<Match> matches;
    if (text.empty())
        return matches;
    if (!utf8::isValid(text))
        throw Error("Regex::findAll: the text is not valid UTF-8");
    MatchResources& r = threadResources();
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t searchFrom = 0;
    bool matchedBefore = false;
    size_t lastMatchEnd = 0;
    while (searchFrom <= text.size()) {
        const int rc = pcre2_match(m_compiled->code, subject, text.size(), searchFrom, PCRE2_NO_UTF_CHECK, r.data,
                                   r.context);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            throw InputError(m_where, "regex /" + m_pattern + "/ gave up on the text: " + pcre2Message(rc));
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(r.data);
        const size_t begin = ovector[0];
        const size_t end = ovector[1];
        if (begin == end && matchedBefore && lastMatchEnd == end) {
            // onig's find_iter: no empty match right after the previous one; step one character on.
            if (searchFrom >= text.size())
                break;
            const size_t step = utf8::sequenceLength(text, searchFrom);
            searchFrom += step == 0 ? 1 : step;
            continue;
        }
        matches.push_back({begin, end});
        matchedBefore = true;
        lastMatchEnd = end;
        searchFrom = end;
    }
    return matches;
}

} // namespace salience
