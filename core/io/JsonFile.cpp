#include "io/JsonFile.h"

#include "base/Error.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace salience {

namespace {

constexpr uintmax_t kLargestJsonBytes = uintmax_t(1) << 30;

} // namespace

void checkJsonNesting(std::string_view text, const std::string& source)
{
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kDeepestJsonNesting)
                throw InputError(source, "JSON nests deeper than " + std::to_string(kDeepestJsonNesting) + " levels");
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

nlohmann::json parseJsonText(std::string_view text, const std::string& source)
{
    checkJsonNesting(text, source);
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(source, std::string("invalid JSON: ") + e.what());
    }
}

nlohmann::json readJsonFile(const std::string& path, const std::string& what)
{
    std::error_code ec;
    const bool folder = std::filesystem::is_directory(path, ec);
    std::ifstream in(path, std::ios::binary);
    if (!in || folder)
        throw InputError(path, what.empty() ? "cannot open" : "cannot open " + what);
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > kLargestJsonBytes)
        throw InputError(path, "is " + std::to_string(size) + " bytes; JSON files above 1 GiB are refused");
    std::stringstream text;
    text << in.rdbuf();
    return parseJsonText(text.str(), path);
}

} // namespace salience
