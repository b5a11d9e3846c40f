#pragma once
// tokenizer.json and tokenizer_config.json as JSON: bounded reading (size, nesting) and a view of
// a value that knows where it sits, so every complaint names the file and the field. Internal to
// the Hugging Face tokenizer and llama.cpp vocabulary code.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salience::hf {

// A JSON value together with where it sits, so every complaint names the file and the field:
// InputError(file, "pre_tokenizer.pretokenizers[1].pattern: expected an object").
class JsonAt {
public:
    JsonAt(const nlohmann::json& value, std::string path, const std::string& file)
        : m_value(value), m_path(std::move(path)), m_file(file) {}

    const nlohmann::json& value() const { return m_value; }
    const std::string& path() const { return m_path; }
    const std::string& file() const { return m_file; }
    bool isNull() const { return m_value.is_null(); }

    bool has(const std::string& key) const; // present and not null
    JsonAt operator[](const std::string& key) const; // a missing key reads as null
    JsonAt at(size_t index) const;

    std::string string() const;
    std::string string(const std::string& key) const; // required
    std::optional<std::string> optionalString(const std::string& key) const; // absent or null: nothing
    bool boolean(const std::string& key, bool fallback) const;
    int64_t integer(const std::string& key) const;
    int64_t integer() const;
    size_t arraySize() const; // requires an array
    void requireObject() const;
    std::string type() const; // the "type" field
    // A one-code-point string (Metaspace's replacement, Strip's content).
    char32_t character(const std::string& key, char32_t fallback) const;

    [[noreturn]] void fail(const std::string& problem) const;

private:
    const nlohmann::json& m_value;
    std::string m_path;
    const std::string& m_file;
};

// The whole file; InputError naming it for a folder, an unreadable file or one above 1 GiB.
std::string readWholeFile(const std::string& path);
// InputError(source, ...) for malformed JSON or nesting deeper than 256 levels.
nlohmann::json parseJson(std::string_view text, const std::string& source);

} // namespace salience::hf
