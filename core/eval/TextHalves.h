#pragma once
// One text file as two disjoint texts, so a method can be tuned on one half and judged on the
// other: the cut is at the middle byte, moved back to just after the last newline at or before
// it (a text with no newline up to the middle is cut at the middle byte, moved back to the start
// of a UTF-8 character). The first half is the held-out text, the second the calibration text:
// evaluation then reads the file's beginning, as `eval --tokens N` on the whole file does.
#include <string>
#include <string_view>

namespace salience {

enum class TextPart {
    Whole,
    HeldOut,     // the first half
    Calibration, // the second half
};

struct TextHalves {
    std::string_view heldOut;     // [0, cut)
    std::string_view calibration; // [cut, end)
};

// Views into `text`, which must outlive them.
TextHalves splitTextInHalves(std::string_view text);

// The part of `text` named; Whole is the text itself.
std::string_view textPart(std::string_view text, TextPart part);

// "whole", "held-out", "calibration"; parseTextPart throws InputError(source) for another name.
const char* textPartName(TextPart part);
TextPart parseTextPart(const std::string& name, const std::string& source);

} // namespace salience
