#include "eval/HfComponents.h"

#include "base/Error.h"
#include "eval/ByteLevel.h"
#include "eval/UnicodeText.h"
#include "eval/Utf8.h"

#include <algorithm>

namespace salience::hf {

// ---------------------------------------------------------------------------------------------
// Splitting, as NormalizedString::split with a Pattern does it.

namespace {

enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

Behavior behaviorOf(const JsonAt& at, const std::string& key, Behavior fallback)
{
    const JsonAt field = at[key];
    if (field.isNull())
        return fallback;
    const std::string name = field.string();
    if (name == "Removed")
        return Behavior::Removed;
    if (name == "Isolated")
        return Behavior::Isolated;
    if (name == "MergedWithPrevious")
        return Behavior::MergedWithPrevious;
    if (name == "MergedWithNext")
        return Behavior::MergedWithNext;
    if (name == "Contiguous")
        return Behavior::Contiguous;
    field.fail("unknown split behavior '" + name + "'");
}

struct Span {
    size_t begin;
    size_t end;
    bool isMatch;
};

// Pattern::find_matches of a regex: matches and the gaps between them, covering the text.
std::vector<Span> spansOfRegex(const Regex& regex, std::string_view text)
{
    if (text.empty())
        return {{0, 0, false}};
    std::vector<Span> spans;
    size_t previous = 0;
    for (const Regex::Match& m : regex.findAll(text)) {
        if (previous != m.begin)
            spans.push_back({previous, m.begin, false});
        spans.push_back({m.begin, m.end, true});
        previous = m.end;
    }
    if (previous != text.size())
        spans.push_back({previous, text.size(), false});
    return spans;
}

// Pattern::find_matches of a character predicate: every matching character is its own match.
template <typename Predicate>
std::vector<Span> spansOfCharacters(std::string_view text, Predicate matches)
{
    if (text.empty())
        return {{0, 0, false}};
    std::vector<Span> spans;
    size_t lastOffset = 0;
    for (size_t at = 0; at < text.size();) {
        const size_t begin = at;
        const char32_t c = utf8::next(text, at);
        if (matches(c)) {
            if (lastOffset < begin)
                spans.push_back({lastOffset, begin, false});
            spans.push_back({begin, at, true});
            lastOffset = at;
        }
    }
    if (text.size() > lastOffset)
        spans.push_back({lastOffset, text.size(), false});
    return spans;
}

void invert(std::vector<Span>& spans)
{
    for (Span& s : spans)
        s.isMatch = !s.isMatch;
}

// NormalizedString::split: the spans grouped by `behavior`, removed ones dropped, then (as
// PreTokenizedString::split does) empty pieces dropped.
void splitPiece(const Piece& piece, const std::vector<Span>& spans, Behavior behavior, std::vector<Piece>& out)
{
    struct Kept {
        size_t begin;
        size_t end;
        bool remove;
    };
    std::vector<Kept> kept;
    kept.reserve(spans.size());
    switch (behavior) {
    case Behavior::Isolated:
        for (const Span& s : spans)
            kept.push_back({s.begin, s.end, false});
        break;
    case Behavior::Removed:
        for (const Span& s : spans)
            kept.push_back({s.begin, s.end, s.isMatch});
        break;
    case Behavior::Contiguous: {
        bool previousMatch = false;
        for (const Span& s : spans) {
            if (s.isMatch == previousMatch && !kept.empty())
                kept.back().end = s.end;
            else
                kept.push_back({s.begin, s.end, false});
            previousMatch = s.isMatch;
        }
        break;
    }
    case Behavior::MergedWithPrevious: {
        bool previousMatch = false;
        for (const Span& s : spans) {
            if (s.isMatch && !previousMatch && !kept.empty())
                kept.back().end = s.end;
            else
                kept.push_back({s.begin, s.end, false});
            previousMatch = s.isMatch;
        }
        break;
    }
    case Behavior::MergedWithNext: {
        bool previousMatch = false; // the span to the right, as the reverse fold sees it
        for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
            if (it->isMatch && !previousMatch && !kept.empty())
                kept.back().begin = it->begin;
            else
                kept.push_back({it->begin, it->end, false});
            previousMatch = it->isMatch;
        }
        std::reverse(kept.begin(), kept.end());
        break;
    }
    }
    for (const Kept& k : kept) {
        if (k.remove || k.end <= k.begin)
            continue;
        out.push_back(Piece{piece.text.substr(k.begin, k.end - k.begin), piece.atStart && k.begin == 0});
    }
}

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

// ---------------------------------------------------------------------------------------------
// Normalizers

class SequenceNormalizer final : public Normalizer {
public:
    explicit SequenceNormalizer(std::vector<std::unique_ptr<const Normalizer>> parts) : m_parts(std::move(parts)) {}
    void normalize(std::string& text) const override
    {
        for (const auto& p : m_parts)
            p->normalize(text);
    }

private:
    std::vector<std::unique_ptr<const Normalizer>> m_parts;
};

class UnicodeNormalizer final : public Normalizer {
public:
    explicit UnicodeNormalizer(unicode::NormalForm form) : m_form(form) {}
    void normalize(std::string& text) const override { text = unicode::normalized(text, m_form); }

private:
    unicode::NormalForm m_form;
};

class ReplaceNormalizer final : public Normalizer {
public:
    ReplaceNormalizer(Regex pattern, std::string content) : m_pattern(std::move(pattern)), m_content(std::move(content)) {}
    void normalize(std::string& text) const override { text = replaceMatches(m_pattern, text, m_content); }

private:
    Regex m_pattern;
    std::string m_content;
};

class PrependNormalizer final : public Normalizer {
public:
    explicit PrependNormalizer(std::string prefix) : m_prefix(std::move(prefix)) {}
    void normalize(std::string& text) const override
    {
        if (!text.empty())
            text.insert(0, m_prefix);
    }

private:
    std::string m_prefix;
};

class LowercaseNormalizer final : public Normalizer {
public:
    void normalize(std::string& text) const override { text = unicode::lowercased(text); }
};

class StripNormalizer final : public Normalizer {
public:
    StripNormalizer(bool left, bool right) : m_left(left), m_right(right) {}
    void normalize(std::string& text) const override
    {
        size_t begin = 0;
        size_t end = text.size();
        if (m_left) {
            while (begin < end) {
                size_t at = begin;
                if (!unicode::isWhitespace(utf8::next(text, at)))
                    break;
                begin = at;
            }
        }
        if (m_right) {
            while (end > begin) {
                size_t start = end - 1;
                while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
                    --start;
                size_t at = start;
                if (!unicode::isWhitespace(utf8::next(text, at)))
                    break;
                end = start;
            }
        }
        text = text.substr(begin, end - begin);
    }

private:
    bool m_left;
    bool m_right;
};

class StripAccentsNormalizer final : public Normalizer {
public:
    void normalize(std::string& text) const override
    {
        std::string out;
        out.reserve(text.size());
        for (size_t at = 0; at < text.size();) {
            const size_t begin = at;
            if (!unicode::isCombiningMark(utf8::next(text, at)))
                out.append(text, begin, at - begin);
        }
        text = std::move(out);
    }
};

class ByteLevelNormalizer final : public Normalizer {
public:
    void normalize(std::string& text) const override { text = bytelevel::encode(text); }
};

// ---------------------------------------------------------------------------------------------
// Pre-tokenizers

class SequencePreTokenizer final : public PreTokenizer {
public:
    explicit SequencePreTokenizer(std::vector<std::unique_ptr<const PreTokenizer>> parts) : m_parts(std::move(parts)) {}
    void preTokenize(std::vector<Piece>& pieces) const override
    {
        for (const auto& p : m_parts)
            p->preTokenize(pieces);
    }

private:
    std::vector<std::unique_ptr<const PreTokenizer>> m_parts;
};

class RegexSplit final : public PreTokenizer {
public:
    RegexSplit(Regex pattern, Behavior behavior, bool inverted)
        : m_pattern(std::move(pattern)), m_behavior(behavior), m_inverted(inverted) {}
    void preTokenize(std::vector<Piece>& pieces) const override
    {
        std::vector<Piece> out;
        out.reserve(pieces.size() * 2);
        for (const Piece& piece : pieces) {
            std::vector<Span> spans = spansOfRegex(m_pattern, piece.text);
            if (m_inverted)
                invert(spans);
            splitPiece(piece, spans, m_behavior, out);
        }
        pieces = std::move(out);
    }

private:
    Regex m_pattern;
    Behavior m_behavior;
    bool m_inverted;
};

template <typename Predicate>
class CharacterSplit final : public PreTokenizer {
public:
    CharacterSplit(Predicate matches, Behavior behavior) : m_matches(matches), m_behavior(behavior) {}
    void preTokenize(std::vector<Piece>& pieces) const override
    {
        std::vector<Piece> out;
        out.reserve(pieces.size() * 2);
        for (const Piece& piece : pieces)
            splitPiece(piece, spansOfCharacters(piece.text, m_matches), m_behavior, out);
        pieces = std::move(out);
    }

private:
    Predicate m_matches;
    Behavior m_behavior;
};

template <typename Predicate>
std::unique_ptr<const PreTokenizer> characterSplit(Predicate matches, Behavior behavior)
{
    return std::make_unique<CharacterSplit<Predicate>>(matches, behavior);
}

const Regex& gpt2Regex()
{
    static const Regex regex = Regex::fromOniguruma(
        R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)", "ByteLevel pre-tokenizer");
    return regex;
}

class ByteLevelPreTokenizer final : public PreTokenizer {
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : m_addPrefixSpace(addPrefixSpace), m_useRegex(useRegex) {}
    void preTokenize(std::vector<Piece>& pieces) const override
    {
        std::vector<Piece> out;
        out.reserve(pieces.size() * 2);
        for (Piece piece : pieces) {
            if (m_addPrefixSpace && (piece.text.empty() || piece.text.front() != ' '))
                piece.text = " " + piece.text;
            if (m_useRegex)
                splitPiece(piece, spansOfRegex(gpt2Regex(), piece.text), Behavior::Isolated, out);
            else if (!piece.text.empty())
                out.push_back(std::move(piece));
        }
        for (Piece& p : out)
            p.text = bytelevel::encode(p.text);
        pieces = std::move(out);
    }

private:
    bool m_addPrefixSpace;
    bool m_useRegex;
};

enum class PrependScheme { Always, First, Never };

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

class MetaspacePreTokenizer final : public PreTokenizer {
public:
    MetaspacePreTokenizer(char32_t replacement, PrependScheme scheme, bool split)
        : m_replacement(replacement), m_replacementText(utf8::encode(replacement)), m_scheme(scheme), m_split(split) {}
    void preTokenize(std::vector<Piece>& pieces) const override
    {
        std::vector<Piece> out;
        out.reserve(pieces.size() * 2);
        for (Piece piece : pieces) {
            std::string replaced;
            replaced.reserve(piece.text.size() + 8);
            for (char c : piece.text) {
                if (c == ' ')
                    replaced += m_replacementText;
                else
                    replaced += c;
            }
            const bool startsWithReplacement = replaced.compare(0, m_replacementText.size(), m_replacementText) == 0;
            if (!startsWithReplacement &&
                (m_scheme == PrependScheme::Always || (m_scheme == PrependScheme::First && piece.atStart)))
                replaced.insert(0, m_replacementText);
            piece.text = std::move(replaced);
            if (m_split) {
                const char32_t r = m_replacement;
                splitPiece(piece, spansOfCharacters(piece.text, [r](char32_t c) { return c == r; }),
                           Behavior::MergedWithNext, out);
            } else if (!piece.text.empty()) {
                out.push_back(std::move(piece));
            }
        }
        pieces = std::move(out);
    }

private:
    char32_t m_replacement;
    std::string m_replacementText;
    PrependScheme m_scheme;
    bool m_split;
};

// The regex crate's \w+|[^\w\s]+ (Unicode \w: Alphabetic, marks, Nd, Pc, Join_Control).
const Regex& whitespaceRegex()
{
    static const Regex regex = Regex::fromOniguruma(
        R"([\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}\p{White_Space}]+)",
        "Whitespace pre-tokenizer");
    return regex;
}

// ---------------------------------------------------------------------------------------------
// Post-processors

class AddSpecialTokens final : public PostProcessor {
public:
    AddSpecialTokens(std::vector<int32_t> before, std::vector<int32_t> after)
        : m_before(std::move(before)), m_after(std::move(after)) {}
    std::vector<int32_t> process(std::vector<int32_t> ids, bool addSpecialTokens) const override
    {
        if (!addSpecialTokens)
            return ids;
        std::vector<int32_t> out(m_before);
        out.insert(out.end(), ids.begin(), ids.end());
        out.insert(out.end(), m_after.begin(), m_after.end());
        return out;
    }
    std::vector<int32_t> leadingSpecialIds() const override { return m_before; }
    std::vector<int32_t> trailingSpecialIds() const override { return m_after; }

private:
    std::vector<int32_t> m_before;
    std::vector<int32_t> m_after;
};

class SequencePostProcessor final : public PostProcessor {
public:
    explicit SequencePostProcessor(std::vector<std::unique_ptr<const PostProcessor>> parts) : m_parts(std::move(parts)) {}
    std::vector<int32_t> process(std::vector<int32_t> ids, bool addSpecialTokens) const override
    {
        for (const auto& p : m_parts)
            ids = p->process(std::move(ids), addSpecialTokens);
        return ids;
    }
    std::vector<int32_t> leadingSpecialIds() const override
    {
        for (const auto& p : m_parts)
            if (auto ids = p->leadingSpecialIds(); !ids.empty())
                return ids;
        return {};
    }
    std::vector<int32_t> trailingSpecialIds() const override
    {
        for (const auto& p : m_parts)
            if (auto ids = p->trailingSpecialIds(); !ids.empty())
                return ids;
        return {};
    }

private:
    std::vector<std::unique_ptr<const PostProcessor>> m_parts;
};

class IdentityPostProcessor final : public PostProcessor {
public:
    std::vector<int32_t> process(std::vector<int32_t> ids, bool) const override { return ids; }
};

// TemplateProcessing's "single" template: its special tokens around sequence $A.
std::unique_ptr<const PostProcessor> makeTemplate(const JsonAt& at)
{
    const JsonAt single = at["single"];
    const JsonAt specials = at["special_tokens"];
    auto idsOf = [&](const std::string& name, const JsonAt& where) {
        const JsonAt entry = specials[name];
        if (entry.isNull())
            where.fail("the template names the special token '" + name + "', which special_tokens does not define");
        const JsonAt ids = entry["ids"];
        std::vector<int32_t> out;
        for (size_t i = 0; i < ids.arraySize(); ++i) {
            const int64_t id = ids.at(i).integer();
            if (id < 0 || id > INT32_MAX)
                ids.at(i).fail("token id " + std::to_string(id) + " is out of range");
            out.push_back(int32_t(id));
        }
        return out;
    };
    std::vector<int32_t> before;
    std::vector<int32_t> after;
    bool seenSequence = false;
    for (size_t i = 0; i < single.arraySize(); ++i) {
        const JsonAt item = single.at(i);
        std::string specialName;
        bool isSequence = false;
        if (item.value().is_string()) { // the "$A" / "[CLS]:0" form
            std::string s = item.string();
            if (!s.empty() && s.front() == '$') {
                isSequence = true;
                const std::string id = s.substr(1, s.find(':') == std::string::npos ? std::string::npos : s.find(':') - 1);
                if (id == "B")
                    item.fail("a single-sequence template cannot hold $B");
            } else {
                const size_t colon = s.rfind(':');
                specialName = colon == std::string::npos ? s : s.substr(0, colon);
            }
        } else if (item.has("Sequence")) {
            isSequence = true;
            if (item["Sequence"].string("id") != "A")
                item.fail("a single-sequence template can only hold sequence A");
        } else if (item.has("SpecialToken")) {
            specialName = item["SpecialToken"].string("id");
        } else {
            item.fail("expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
        }
        if (isSequence) {
            if (seenSequence)
                item.fail("the template holds sequence A twice");
            seenSequence = true;
            continue;
        }
        const std::vector<int32_t> ids = idsOf(specialName, item);
        (seenSequence ? after : before).insert((seenSequence ? after : before).end(), ids.begin(), ids.end());
    }
    if (!seenSequence)
        single.fail("the template has no $A");
    return std::make_unique<AddSpecialTokens>(std::move(before), std::move(after));
}

// BertProcessing / RobertaProcessing: [cls] A [sep], each given as [token, id].
std::unique_ptr<const PostProcessor> makeClsSep(const JsonAt& at)
{
    auto idOfPair = [&](const std::string& key) {
        const JsonAt pair = at[key];
        if (pair.arraySize() != 2)
            pair.fail("expected [token, id]");
        const int64_t id = pair.at(1).integer();
        if (id < 0 || id > INT32_MAX)
            pair.fail("token id " + std::to_string(id) + " is out of range");
        return int32_t(id);
    };
    return std::make_unique<AddSpecialTokens>(std::vector<int32_t>{idOfPair("cls")}, std::vector<int32_t>{idOfPair("sep")});
}

// ---------------------------------------------------------------------------------------------
// Decoders

class SequenceDecoder final : public Decoder {
public:
    explicit SequenceDecoder(std::vector<std::unique_ptr<const Decoder>> parts) : m_parts(std::move(parts)) {}
    void decodeChain(std::vector<std::string>& tokens, bool raw) const override
    {
        for (const auto& p : m_parts)
            p->decodeChain(tokens, raw);
    }

private:
    std::vector<std::unique_ptr<const Decoder>> m_parts;
};

class ByteLevelDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens, bool raw) const override
    {
        std::string bytes;
        for (const std::string& token : tokens) {
            const std::optional<std::string> decoded = bytelevel::decode(token);
            bytes += decoded ? *decoded : token; // a token outside the alphabet keeps its own bytes
        }
        tokens.assign(1, raw ? std::move(bytes) : utf8::repaired(bytes));
    }
};

class ReplaceDecoder final : public Decoder {
public:
    ReplaceDecoder(Regex pattern, std::string content) : m_pattern(std::move(pattern)), m_content(std::move(content)) {}
    void decodeChain(std::vector<std::string>& tokens, bool) const override
    {
        for (std::string& token : tokens)
            if (utf8::isValid(token)) // raw bytes from an earlier step cannot hold the pattern
                token = replaceMatches(m_pattern, token, m_content);
    }

private:
    Regex m_pattern;
    std::string m_content;
};


class ByteFallbackDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens, bool raw) const override
    {
        std::vector<std::string> out;
        out.reserve(tokens.size());
        std::string pendingBytes;
        auto flush = [&] {
            if (pendingBytes.empty())
                return;
            if (raw || utf8::isValid(pendingBytes)) {
                out.push_back(pendingBytes);
            } else {
                for (size_t i = 0; i < pendingBytes.size(); ++i) // one U+FFFD per byte, as Rust
                    out.push_back(utf8::encode(utf8::kReplacement));
            }
            pendingBytes.clear();
        };
        for (std::string& token : tokens) {
            const int byte = utf8::byteOfFallbackPiece(token);
            if (byte >= 0) {
                pendingBytes += char(byte);
                continue;
            }
            flush();
            out.push_back(std::move(token));
        }
        flush();
        tokens = std::move(out);
    }
};

class FuseDecoder final : public Decoder {
public:
    void decodeChain(std::vector<std::string>& tokens, bool) const override
    {
        std::string joined;
        for (const std::string& t : tokens)
            joined += t;
        tokens.assign(1, std::move(joined));
    }
};

class StripDecoder final : public Decoder {
public:
    StripDecoder(char32_t content, size_t start, size_t stop) : m_content(content), m_start(start), m_stop(stop) {}
    void decodeChain(std::vector<std::string>& tokens, bool) const override
    {
        for (std::string& token : tokens) {
            std::vector<size_t> boundaries; // byte offset of each character, then the end
            std::vector<char32_t> chars;
            for (size_t at = 0; at < token.size();) {
                boundaries.push_back(at);
                chars.push_back(utf8::next(token, at));
            }
            boundaries.push_back(token.size());
            size_t startCut = 0;
            for (size_t i = 0; i < m_start && i < chars.size() && chars[i] == m_content; ++i)
                startCut = i + 1;
            size_t stopCut = chars.size();
            for (size_t i = 0; i < m_stop && i < chars.size(); ++i) {
                const size_t index = chars.size() - i - 1;
                if (chars[index] != m_content)
                    break;
                stopCut = index;
            }
            token = stopCut > startCut ? token.substr(boundaries[startCut], boundaries[stopCut] - boundaries[startCut])
                                       : std::string();
        }
    }

private:
    char32_t m_content;
    size_t m_start;
    size_t m_stop;
};

class MetaspaceDecoder final : public Decoder {
public:
    MetaspaceDecoder(char32_t replacement, PrependScheme scheme) : m_replacement(replacement), m_scheme(scheme) {}
    void decodeChain(std::vector<std::string>& tokens, bool) const override
    {
        // Rust drops every replacement character of the first token (not only a leading one)
        // unless the scheme is "never"; elsewhere each becomes a space.
        for (size_t i = 0; i < tokens.size(); ++i) {
            const std::string& token = tokens[i];
            std::string out;
            out.reserve(token.size());
            for (size_t at = 0; at < token.size();) {
                const size_t begin = at;
                const char32_t c = utf8::next(token, at);
                if (c == m_replacement && utf8::sequenceLength(token, begin) != 0) {
                    if (!(i == 0 && m_scheme != PrependScheme::Never))
                        out += ' ';
                } else {
                    out.append(token, begin, at - begin);
                }
            }
            tokens[i] = std::move(out);
        }
    }

private:
    char32_t m_replacement;
    PrependScheme m_scheme;
};

class SuffixDecoder final : public Decoder { // BPEDecoder: end-of-word suffixes become spaces
public:
    explicit SuffixDecoder(std::string suffix) : m_suffix(std::move(suffix)) {}
    void decodeChain(std::vector<std::string>& tokens, bool) const override
    {
        if (m_suffix.empty())
            return;
        for (size_t i = 0; i < tokens.size(); ++i) {
            const std::string with = i + 1 == tokens.size() ? "" : " ";
            std::string& token = tokens[i];
            std::string out;
            for (size_t at = 0; at < token.size();) {
                const size_t found = token.find(m_suffix, at);
                if (found == std::string::npos) {
                    out.append(token, at, std::string::npos);
                    break;
                }
                out.append(token, at, found - at);
                out += with;
                at = found + m_suffix.size();
            }
            token = std::move(out);
        }
    }

private:
    std::string m_suffix;
};

size_t boundedCount(const JsonAt& at, const std::string& key)
{
    const JsonAt field = at[key];
    if (field.isNull())
        return 0;
    const int64_t n = field.integer();
    if (n < 0 || n > 1'000'000)
        field.fail("expected a count between 0 and 1000000, found " + std::to_string(n));
    return size_t(n);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Factories

std::unique_ptr<const Normalizer> makeNormalizer(const JsonAt& at)
{
    if (at.isNull())
        return nullptr;
    const std::string type = at.type();
    if (type == "Sequence") {
        const JsonAt list = at["normalizers"];
        std::vector<std::unique_ptr<const Normalizer>> parts;
        for (size_t i = 0; i < list.arraySize(); ++i)
            if (auto p = makeNormalizer(list.at(i)))
                parts.push_back(std::move(p));
        return std::make_unique<SequenceNormalizer>(std::move(parts));
    }
    if (type == "NFC")
        return std::make_unique<UnicodeNormalizer>(unicode::NormalForm::NFC);
    if (type == "NFD")
        return std::make_unique<UnicodeNormalizer>(unicode::NormalForm::NFD);
    if (type == "NFKC")
        return std::make_unique<UnicodeNormalizer>(unicode::NormalForm::NFKC);
    if (type == "NFKD")
        return std::make_unique<UnicodeNormalizer>(unicode::NormalForm::NFKD);
    if (type == "Replace")
        return std::make_unique<ReplaceNormalizer>(patternOf(at["pattern"]), at.string("content"));
    if (type == "Prepend")
        return std::make_unique<PrependNormalizer>(at.string("prepend"));
    if (type == "Lowercase")
        return std::make_unique<LowercaseNormalizer>();
    if (type == "Strip")
        return std::make_unique<StripNormalizer>(at.boolean("strip_left", false), at.boolean("strip_right", false));
    if (type == "StripAccents")
        return std::make_unique<StripAccentsNormalizer>();
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelNormalizer>();
    unsupported(at, "normalizer", type);
}

std::unique_ptr<const PreTokenizer> makePreTokenizer(const JsonAt& at)
{
    if (at.isNull())
        return nullptr;
    const std::string type = at.type();
    if (type == "Sequence") {
        const JsonAt list = at["pretokenizers"];
        std::vector<std::unique_ptr<const PreTokenizer>> parts;
        for (size_t i = 0; i < list.arraySize(); ++i)
            if (auto p = makePreTokenizer(list.at(i)))
                parts.push_back(std::move(p));
        return std::make_unique<SequencePreTokenizer>(std::move(parts));
    }
    if (type == "Split")
        return std::make_unique<RegexSplit>(patternOf(at["pattern"]), behaviorOf(at, "behavior", Behavior::Isolated),
                                            at.boolean("invert", false));
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelPreTokenizer>(at.boolean("add_prefix_space", false),
                                                       at.boolean("use_regex", true));
    if (type == "Metaspace")
        return std::make_unique<MetaspacePreTokenizer>(at.character("replacement", U'\u2581'), prependSchemeOf(at),
                                                       at.boolean("split", true));
    if (type == "Whitespace")
        return std::make_unique<RegexSplit>(whitespaceRegex(), Behavior::Removed, /*inverted=*/true);
    if (type == "WhitespaceSplit")
        return characterSplit(unicode::isWhitespace, Behavior::Removed);
    if (type == "Digits")
        return characterSplit(unicode::isNumeric,
                              at.boolean("individual_digits", false) ? Behavior::Isolated : Behavior::Contiguous);
    if (type == "Punctuation")
        return characterSplit(unicode::isPunctuation, behaviorOf(at, "behavior", Behavior::Isolated));
    if (type == "BertPreTokenizer") {
        std::vector<std::unique_ptr<const PreTokenizer>> parts;
        parts.push_back(characterSplit(unicode::isWhitespace, Behavior::Removed));
        parts.push_back(characterSplit(unicode::isPunctuation, Behavior::Isolated));
        return std::make_unique<SequencePreTokenizer>(std::move(parts));
    }
    if (type == "CharDelimiterSplit") {
        const char32_t delimiter = at.character("delimiter", U' ');
        return characterSplit([delimiter](char32_t c) { return c == delimiter; }, Behavior::Removed);
    }
    unsupported(at, "pre-tokenizer", type);
}

std::unique_ptr<const PostProcessor> makePostProcessor(const JsonAt& at)
{
    if (at.isNull())
        return nullptr;
    const std::string type = at.type();
    if (type == "TemplateProcessing")
        return makeTemplate(at);
    if (type == "ByteLevel")
        return std::make_unique<IdentityPostProcessor>(); // it only trims offsets
    if (type == "BertProcessing" || type == "RobertaProcessing")
        return makeClsSep(at);
    if (type == "Sequence") {
        const JsonAt list = at["processors"];
        std::vector<std::unique_ptr<const PostProcessor>> parts;
        for (size_t i = 0; i < list.arraySize(); ++i)
            if (auto p = makePostProcessor(list.at(i)))
                parts.push_back(std::move(p));
        return std::make_unique<SequencePostProcessor>(std::move(parts));
    }
    unsupported(at, "post-processor", type);
}

std::unique_ptr<const Decoder> makeDecoder(const JsonAt& at)
{
    if (at.isNull())
        return nullptr;
    const std::string type = at.type();
    if (type == "Sequence") {
        const JsonAt list = at["decoders"];
        std::vector<std::unique_ptr<const Decoder>> parts;
        for (size_t i = 0; i < list.arraySize(); ++i)
            if (auto p = makeDecoder(list.at(i)))
                parts.push_back(std::move(p));
        return std::make_unique<SequenceDecoder>(std::move(parts));
    }
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelDecoder>();
    if (type == "Replace")
        return std::make_unique<ReplaceDecoder>(patternOf(at["pattern"]), at.string("content"));
    if (type == "ByteFallback")
        return std::make_unique<ByteFallbackDecoder>();
    if (type == "Fuse")
        return std::make_unique<FuseDecoder>();
    if (type == "Strip")
        return std::make_unique<StripDecoder>(at.character("content", U' '), boundedCount(at, "start"),
                                              boundedCount(at, "stop"));
    if (type == "Metaspace")
        return std::make_unique<MetaspaceDecoder>(at.character("replacement", U'\u2581'), prependSchemeOf(at));
    if (type == "BPEDecoder")
        return std::make_unique<SuffixDecoder>(at.optionalString("suffix").value_or("</w>"));
    unsupported(at, "decoder", type);
}

std::unique_ptr<const PreTokenizer> makeRegexSplitSequence(const std::vector<Regex>& isolatedSplits, bool byteLevel)
{
    std::vector<std::unique_ptr<const PreTokenizer>> parts;
    for (const Regex& r : isolatedSplits)
        parts.push_back(std::make_unique<RegexSplit>(r, Behavior::Isolated, false));
    if (byteLevel)
        parts.push_back(std::make_unique<ByteLevelPreTokenizer>(false, false));
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
}

std::unique_ptr<const PostProcessor> makeAddSpecialTokens(std::vector<int32_t> before, std::vector<int32_t> after)
{
    return std::make_unique<AddSpecialTokens>(std::move(before), std::move(after));
}

std::unique_ptr<const Decoder> makeByteLevelDecoder() { return std::make_unique<ByteLevelDecoder>(); }

} // namespace salience::hf
