#include "eval/UnicodeText.h"

#include "base/Error.h"
#include "eval/Utf8.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <limits>
#include <vector>

namespace salience::unicode {

namespace {

void check(UErrorCode status, const char* what)
{
    if (U_FAILURE(status))
        throw Error(std::string("ICU ") + what + " failed: " + u_errorName(status));
}

int32_t checkedLength(size_t size)
{
    if (size > size_t(std::numeric_limits<int32_t>::max() / 2))
        throw Error("text too long for ICU (" + std::to_string(size) + " bytes)");
    return int32_t(size);
}

std::u16string toUtf16(std::string_view text)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = 0;
    u_strFromUTF8(nullptr, 0, &length, text.data(), checkedLength(text.size()), &status);
    if (status != U_BUFFER_OVERFLOW_ERROR)
        check(status, "UTF-8 to UTF-16 conversion");
    std::u16string out(size_t(length), u'\0');
    status = U_ZERO_ERROR;
    u_strFromUTF8(out.data(), length, nullptr, text.data(), int32_t(text.size()), &status);
    check(status, "UTF-8 to UTF-16 conversion");
    return out;
}

std::string toUtf8(const std::u16string& text)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = 0;
    u_strToUTF8(nullptr, 0, &length, text.data(), checkedLength(text.size()), &status);
    if (status != U_BUFFER_OVERFLOW_ERROR)
        check(status, "UTF-16 to UTF-8 conversion");
    std::string out(size_t(length), '\0');
    status = U_ZERO_ERROR;
    u_strToUTF8(out.data(), length, nullptr, text.data(), int32_t(text.size()), &status);
    check(status, "UTF-16 to UTF-8 conversion");
    return out;
}

bool isAscii(std::string_view text)
{
    for (unsigned char c : text)
        if (c >= 0x80)
            return false;
    return true;
}

const UNormalizer2* normalizer(NormalForm form)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* n = nullptr;
    switch (form) {
    case NormalForm::NFC:
        n = unorm2_getNFCInstance(&status);
        break;
    case NormalForm::NFD:
        n = unorm2_getNFDInstance(&status);
        break;
    case NormalForm::NFKC:
        n = unorm2_getNFKCInstance(&status);
        break;
    case NormalForm::NFKD:
        n = unorm2_getNFKDInstance(&status);
        break;
    }
    check(status, "normalizer lookup");
    return n;
}

uint32_t categoryMask(char32_t c) { return U_GET_GC_MASK(UChar32(c)); }

} // namespace

std::string normalized(std::string_view text, NormalForm form)
{
    if (isAscii(text)) // ASCII is the same in every normalization form
        return std::string(text);
    const UNormalizer2* n = normalizer(form);
    const std::u16string source = toUtf16(text);
    UErrorCode status = U_ZERO_ERROR;
    if (unorm2_isNormalized(n, source.data(), int32_t(source.size()), &status) && U_SUCCESS(status))
        return std::string(text);
    status = U_ZERO_ERROR;
    const int32_t length = unorm2_normalize(n, source.data(), int32_t(source.size()), nullptr, 0, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR)
        check(status, "normalization");
    std::u16string out(size_t(length), u'\0');
    status = U_ZERO_ERROR;
    unorm2_normalize(n, source.data(), int32_t(source.size()), out.data(), length, &status);
    check(status, "normalization");
    return toUtf8(out);
}

std::string lowercased(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    UChar buffer[32];
    for (size_t at = 0; at < text.size();) {
        const char32_t c = utf8::next(text, at);
        if (c < 0x80) {
            out += char(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            continue;
        }
        // One code point at a time, so no context applies (a lone Σ has no preceding letter).
        UChar source[2];
        int32_t sourceLength = 0;
        U16_APPEND_UNSAFE(source, sourceLength, UChar32(c));
        UErrorCode status = U_ZERO_ERROR;
        const int32_t length = u_strToLower(buffer, 32, source, sourceLength, "", &status);
        check(status, "lowercasing");
        out += toUtf8(std::u16string(reinterpret_cast<const char16_t*>(buffer), size_t(length)));
    }
    return out;
}

bool isWhitespace(char32_t c) { return u_isUWhiteSpace(UChar32(c)); }

bool isNumeric(char32_t c) { return (categoryMask(c) & U_GC_N_MASK) != 0; }

bool isPunctuation(char32_t c)
{
    const bool asciiPunctuation = (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
                                  (c >= 0x7B && c <= 0x7E);
    return asciiPunctuation || (categoryMask(c) & U_GC_P_MASK) != 0;
}

bool isCombiningMark(char32_t c) { return (categoryMask(c) & U_GC_M_MASK) != 0; }

bool isWordCharacter(char32_t c)
{
    return u_hasBinaryProperty(UChar32(c), UCHAR_ALPHABETIC) ||
           (categoryMask(c) & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) != 0 ||
           u_hasBinaryProperty(UChar32(c), UCHAR_JOIN_CONTROL);
}

} // namespace salience::unicode
