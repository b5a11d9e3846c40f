#include "eval/ByteLevel.h"

#include "eval/Utf8.h"

#include <array>

namespace salience::bytelevel {

namespace {

bool standsForItself(int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF); }

struct Alphabet {
    std::array<char32_t, 256> charOfByte{};
    std::array<std::string, 256> utf8OfByte;
    std::array<int, 0x144> byteOfChar{}; // the stand-ins all lie below U+0144

    Alphabet()
    {
        byteOfChar.fill(-1);
        char32_t nextShifted = 0x100;
        for (int b = 0; b < 256; ++b) {
            const char32_t c = standsForItself(b) ? char32_t(b) : nextShifted++;
            charOfByte[size_t(b)] = c;
            utf8OfByte[size_t(b)] = utf8::encode(c);
            byteOfChar[size_t(c)] = b;
        }
    }
};

const Alphabet& alphabet()
{
    static const Alphabet a;
    return a;
}

} // namespace

std::string encode(std::string_view bytes)
{
    const Alphabet& a = alphabet();
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes)
        out += a.utf8OfByte[b];
    return out;
}

int byteOf(char32_t codePoint)
{
    const Alphabet& a = alphabet();
    return codePoint < a.byteOfChar.size() ? a.byteOfChar[codePoint] : -1;
}

std::optional<std::string> decode(std::string_view token)
{
    std::string bytes;
    bytes.reserve(token.size());
    for (size_t at = 0; at < token.size();) {
        const size_t before = at;
        const char32_t c = utf8::next(token, at);
        const int b = utf8::sequenceLength(token, before) == 0 ? -1 : byteOf(c);
        if (b < 0)
            return std::nullopt;
        bytes += char(b);
    }
    return bytes;
}

} // namespace salience::bytelevel
