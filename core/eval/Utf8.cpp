#include "eval/Utf8.h"

namespace salience::utf8 {

namespace {

bool inRange(unsigned char c, unsigned char low, unsigned char high) { return c >= low && c <= high; }

// How many leading bytes of the sequence at `at` are a valid prefix of some well-formed sequence,
// and how long the full sequence would be. A prefix that cannot be completed is one "maximal
// subpart" in Unicode's terms (section 3.9, U+FFFD substitution of maximal subparts).
struct Prefix {
    size_t valid;  // bytes that belong to the (possibly incomplete) sequence
    size_t needed; // length of the complete sequence, 0 for a byte that starts none
};

Prefix wellFormedPrefix(std::string_view text, size_t at)
{
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const size_t available = text.size() - at;
    const unsigned char lead = byte(0);
    if (lead < 0x80)
        return {1, 1};
    size_t needed = 0;
    unsigned char secondLow = 0x80;
    unsigned char secondHigh = 0xBF;
    if (inRange(lead, 0xC2, 0xDF)) {
        needed = 2;
    } else if (lead == 0xE0) {
        needed = 3;
        secondLow = 0xA0;
    } else if (inRange(lead, 0xE1, 0xEC) || inRange(lead, 0xEE, 0xEF)) {
        needed = 3;
    } else if (lead == 0xED) {
        needed = 3;
        secondHigh = 0x9F;
    } else if (lead == 0xF0) {
        needed = 4;
        secondLow = 0x90;
    } else if (inRange(lead, 0xF1, 0xF3)) {
        needed = 4;
    } else if (lead == 0xF4) {
        needed = 4;
        secondHigh = 0x8F;
    } else {
        return {1, 0};
    }
    size_t valid = 1;
    if (valid < available && inRange(byte(1), secondLow, secondHigh)) {
        ++valid;
        while (valid < needed && valid < available && inRange(byte(valid), 0x80, 0xBF))
            ++valid;
    }
    return {valid, needed};
}

} // namespace

size_t sequenceLength(std::string_view text, size_t at)
{
    if (at >= text.size())
        return 0;
    const Prefix p = wellFormedPrefix(text, at);
    return p.needed != 0 && p.valid == p.needed ? p.needed : 0;
}

bool isValid(std::string_view text)
{
    for (size_t at = 0; at < text.size();) {
        const size_t n = sequenceLength(text, at);
        if (n == 0)
            return false;
        at += n;
    }
    return true;
}

std::string repaired(std::string_view bytes)
{
    if (isValid(bytes))
        return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + 16);
    for (size_t at = 0; at < bytes.size();) {
        const Prefix p = wellFormedPrefix(bytes, at);
        if (p.needed != 0 && p.valid == p.needed) {
            out.append(bytes.substr(at, p.valid));
        } else {
            append(out, kReplacement);
        }
        at += p.valid;
    }
    return out;
}

char32_t next(std::string_view text, size_t& at)
{
    const size_t n = sequenceLength(text, at);
    const auto byte = [&](size_t i) { return char32_t(static_cast<unsigned char>(text[at + i])); };
    char32_t cp = kReplacement;
    switch (n) {
    case 1:
        cp = byte(0);
        break;
    case 2:
        cp = ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
        break;
    case 3:
        cp = ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
        break;
    case 4:
        cp = ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
        break;
    default:
        break;
    }
    at += n == 0 ? 1 : n;
    return cp;
}

void append(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

std::string encode(char32_t cp)
{
    std::string s;
    append(s, cp);
    return s;
}

int byteOfFallbackPiece(std::string_view piece)
{
    if (piece.size() != 6 || piece.substr(0, 3) != "<0x" || piece[5] != '>')
        return -1;
    const auto hex = [](char c) {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    const int hi = hex(piece[3]);
    const int lo = hex(piece[4]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

} // namespace salience::utf8
