#include "eval/HfComponentSupport.h"

#include "base/Error.h"

namespace salience::hf {

Regex patternOf(const JsonAt& pattern)
{
    pattern.requireObject();
    try {
        if (pattern.has("String"))
            return Regex::literal(pattern.string("String"), pattern.file());
        if (pattern.has("Regex"))
            return Regex::fromOniguruma(pattern.string("Regex"), pattern.file());
    } catch (const InputError& e) {
        pattern.fail(e.problem());
    }
    pattern.fail("expected {\"String\": ...} or {\"Regex\": ...}");
}

std::string replaceMatches(const Regex& regex, const std::string& text, const std::string& content)
{
    std::string out;
    out.reserve(text.size());
    size_t previous = 0;
    for (const Regex::Match& m : regex.findAll(text)) {
        out.append(text, previous, m.begin - previous);
        out += content;
        previous = m.end;
    }
    out.append(text, previous, std::string::npos);
    return out;
}

[[noreturn]] void unsupported(const JsonAt& at, const std::string& kind, const std::string& type)
{
    at.fail(kind + " type '" + type + "' is not supported");
}

PrependScheme prependSchemeOf(const JsonAt& at)
{
    const std::optional<std::string> scheme = at.optionalString("prepend_scheme");
    if (!scheme)
        return at.boolean("add_prefix_space", true) ? PrependScheme::Always : PrependScheme::Never;
    if (*scheme == "always")
        return PrependScheme::Always;
    if (*scheme == "first")
        return PrependScheme::First;
    if (*scheme == "never")
        return PrependScheme::Never;
    at["prepend_scheme"].fail("unknown prepend scheme '" + *scheme + "'");
}

} // namespace salience::hf
