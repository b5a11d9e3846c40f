#include "eval/TextHalves.h"

#include "base/Error.h"

namespace salience {

TextHalves splitTextInHalves(std::string_view text)
{
    size_t cut = text.size() / 2;
    // The newline at the middle byte or the last one before it ends the first half.
    const size_t newline = text.empty() ? std::string_view::npos : text.rfind('\n', cut);
    if (newline != std::string_view::npos) {
        cut = newline + 1;
    } else {
        // No line to cut at: at least never split a UTF-8 character.
        while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;
    }
    return {text.substr(0, cut), text.substr(cut)};
}

std::string_view textPart(std::string_view text, TextPart part)
{
    switch (part) {
    case TextPart::HeldOut:
        return splitTextInHalves(text).heldOut;
    case TextPart::Calibration:
        return splitTextInHalves(text).calibration;
    case TextPart::Whole:
        break;
    }
    return text;
}

const char* textPartName(TextPart part)
{
    switch (part) {
    case TextPart::HeldOut:
        return "held-out";
    case TextPart::Calibration:
        return "calibration";
    case TextPart::Whole:
        break;
    }
    return "whole";
}

TextPart parseTextPart(const std::string& name, const std::string& source)
{
    for (TextPart p : {TextPart::Whole, TextPart::HeldOut, TextPart::Calibration})
        if (name == textPartName(p))
            return p;
    throw InputError(source, "'" + name + "' is no part of a text: whole, held-out or calibration");
}

} // namespace salience
