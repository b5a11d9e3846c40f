#pragma once
// JSON from files and strings, with the checks every reader of JSON applies: the nesting is
// bounded before parsing (nlohmann's parser is iterative, but copying, comparing or walking a
// value nested a hundred thousand deep recurses and overflows the stack; no file Salience reads
// nests beyond a handful of levels), and the errors name the source.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace salience {

constexpr int kDeepestJsonNesting = 256;

// Throws InputError(source, "JSON nests deeper than 256 levels") when arrays and objects nest
// deeper than kDeepestJsonNesting (brackets inside strings do not count).
void checkJsonNesting(std::string_view text, const std::string& source);

// checkJsonNesting, then the parse; InputError(source, "invalid JSON: ...") when it fails.
nlohmann::json parseJsonText(std::string_view text, const std::string& source);

// Throws InputError naming `path`: "cannot open" (prefixed by `what`, e.g. "cannot open the plan
// file") when it cannot be read, "is N bytes; JSON files above 1 GiB are refused", and as
// parseJsonText.
nlohmann::json readJsonFile(const std::string& path, const std::string& what = {});

} // namespace salience
