#include "eval/HfComponents.h"

#include "eval/ByteLevel.h"
#include "eval/HfComponentSupport.h"
#include "eval/Utf8.h"

namespace salience::hf {

namespace {

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

std::unique_ptr<const Decoder> makeByteLevelDecoder() { return std::make_unique<ByteLevelDecoder>(); }

} // namespace salience::hf
