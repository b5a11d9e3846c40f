#include "io/JsonFile.h"

#include "base/Error.h"

#include <fstream>

namespace salience {

nlohmann::json readJsonFile(const std::string& path, const std::string& what)
{
    std::ifstream in(path);
    if (!in)
        throw InputError(path, what.empty() ? "cannot open" : "cannot open " + what);
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, std::string("invalid JSON: ") + e.what());
    }
}

} // namespace salience
