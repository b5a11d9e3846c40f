#include "eval/HfComponents.h"

#include "eval/ByteLevel.h"
#include "eval/HfComponentSupport.h"
#include "eval/UnicodeText.h"
#include "eval/Utf8.h"

#include <algorithm>

namespace salience::hf {

namespace {

// ---------------------------------------------------------------------------------------------
// Splitting, as NormalizedString::split with a Pattern does it.

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

} // namespace

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

std::unique_ptr<const PreTokenizer> makeRegexSplitSequence(const std::vector<Regex>& isolatedSplits, bool byteLevel)
{
    std::vector<std::unique_ptr<const PreTokenizer>> parts;
    for (const Regex& r : isolatedSplits)
        parts.push_back(std::make_unique<RegexSplit>(r, Behavior::Isolated, false));
    if (byteLevel)
        parts.push_back(std::make_unique<ByteLevelPreTokenizer>(false, false));
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
}

} // namespace salience::hf
