#pragma once
// A read-only memory map of a whole file, so readers stay lazy: nothing is copied until a
// tensor is asked for.
#include <cstddef>
#include <cstdint>
#include <string>

namespace salience {

class MappedFile {
public:
    // Throws InputError naming the path when the file cannot be opened or mapped.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::string& path() const { return m_path; }
    const uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }

private:
    std::string m_path;
    const uint8_t* m_data = nullptr;
    size_t m_size = 0;
};

} // namespace salience
