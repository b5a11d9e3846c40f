#include "eval/HfJson.h"

#include "base/Error.h"
#include "eval/Utf8.h"
#include "io/JsonFile.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace salience::hf {

namespace {

constexpr uintmax_t kLargestFileBytes = uintmax_t(1) << 30;
} // namespace

nlohmann::json parseJson(std::string_view text, const std::string& source)
{
    checkJsonNesting(text, source);
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(source, std::string("is not valid JSON: ") + e.what());
    }
}

std::string readWholeFile(const std::string& path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw InputError(path, "is a folder, not a tokenizer.json file");
    const uintmax_t size = fs::file_size(path, ec);
    if (ec)
        throw InputError(path, "cannot be read: " + ec.message());
    if (size > kLargestFileBytes)
        throw InputError(path, "is " + std::to_string(size) + " bytes; tokenizer files above 1 GiB are refused");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, "cannot be opened");
    std::string text(size_t(size), '\0');
    in.read(text.data(), std::streamsize(size));
    if (in.gcount() != std::streamsize(size))
        throw InputError(path, "could not be read completely");
    return text;
}


// ---------------------------------------------------------------------------------------------
// JsonAt

namespace {

const nlohmann::json& nullJson()
{
    static const nlohmann::json null;
    return null;
}

std::string typeName(const nlohmann::json& j)
{
    return j.is_null() ? "null" : std::string(j.type_name());
}

} // namespace

void JsonAt::fail(const std::string& problem) const
{
    throw InputError(m_file, (m_path.empty() ? std::string() : m_path + ": ") + problem);
}

void JsonAt::requireObject() const
{
    if (!m_value.is_object())
        fail("expected an object, found " + typeName(m_value));
}

bool JsonAt::has(const std::string& key) const
{
    return m_value.is_object() && m_value.contains(key) && !m_value.at(key).is_null();
}

JsonAt JsonAt::operator[](const std::string& key) const
{
    requireObject();
    const std::string path = m_path.empty() ? key : m_path + "." + key;
    const auto it = m_value.find(key);
    return JsonAt(it == m_value.end() ? nullJson() : *it, path, m_file);
}

JsonAt JsonAt::at(size_t index) const
{
    if (!m_value.is_array() || index >= m_value.size())
        fail("expected an array with an item " + std::to_string(index));
    return JsonAt(m_value[index], m_path + "[" + std::to_string(index) + "]", m_file);
}

std::string JsonAt::string() const
{
    if (!m_value.is_string())
        fail("expected a string, found " + typeName(m_value));
    return m_value.get<std::string>();
}

std::string JsonAt::string(const std::string& key) const
{
    const JsonAt field = (*this)[key];
    if (field.isNull())
        fail("the field '" + key + "' is missing");
    return field.string();
}

std::optional<std::string> JsonAt::optionalString(const std::string& key) const
{
    const JsonAt field = (*this)[key];
    if (field.isNull())
        return std::nullopt;
    return field.string();
}

bool JsonAt::boolean(const std::string& key, bool fallback) const
{
    const JsonAt field = (*this)[key];
    if (field.isNull())
        return fallback;
    if (!field.value().is_boolean())
        field.fail("expected true or false, found " + typeName(field.value()));
    return field.value().get<bool>();
}

int64_t JsonAt::integer() const
{
    if (!m_value.is_number_integer())
        fail("expected an integer, found " + typeName(m_value));
    if (m_value.is_number_unsigned() && m_value.get<uint64_t>() > uint64_t(INT64_MAX))
        fail("the integer is too large");
    return m_value.get<int64_t>();
}

int64_t JsonAt::integer(const std::string& key) const
{
    const JsonAt field = (*this)[key];
    if (field.isNull())
        fail("the field '" + key + "' is missing");
    return field.integer();
}

size_t JsonAt::arraySize() const
{
    if (!m_value.is_array())
        fail("expected an array, found " + typeName(m_value));
    return m_value.size();
}

std::string JsonAt::type() const { return string("type"); }

char32_t JsonAt::character(const std::string& key, char32_t fallback) const
{
    const JsonAt field = (*this)[key];
    if (field.isNull())
        return fallback;
    const std::string s = field.string();
    size_t at = 0;
    const char32_t c = utf8::next(s, at);
    if (s.empty() || at != s.size() || !utf8::isValid(s))
        field.fail("expected a single character, found \"" + s + "\"");
    return c;
}

} // namespace salience::hf
