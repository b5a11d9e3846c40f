#pragma once
// A whole JSON file read at once, with the errors every reader of JSON files reports.
#include <nlohmann/json.hpp>

#include <string>

namespace salience {

// Throws InputError naming `path`: "cannot open" (prefixed by `what`, e.g. "cannot open the plan
// file") when it cannot be read, "invalid JSON: ..." when it does not parse.
nlohmann::json readJsonFile(const std::string& path, const std::string& what = {});

} // namespace salience
