#include "eval/HfComponents.h"

#include "eval/ByteLevel.h"
#include "eval/HfComponentSupport.h"
#include "eval/UnicodeText.h"
#include "eval/Utf8.h"

namespace salience::hf {

namespace {

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

} // namespace

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

} // namespace salience::hf
