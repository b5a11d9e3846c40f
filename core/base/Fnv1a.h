#pragma once
// FNV-1a, 64 bits: a fast, stable hash for telling whether a cached result still belongs to
// the same inputs (a model's weights, a text's tokens). Not for security: it only has to notice
// accidental differences.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace salience {

class Fnv1a64 {
public:
    void add(const void* data, size_t bytes)
    {
        const auto* p = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < bytes; ++i) {
            m_state ^= p[i];
            m_state *= 0x100000001b3ull;
        }
    }
    void add(std::string_view text)
    {
        add(text.data(), text.size());
        addValue(uint64_t(text.size())); // so "ab"+"c" and "a"+"bc" differ
    }
    template <typename T>
    void addValue(const T& value)
    {
        add(&value, sizeof value);
    }

    uint64_t value() const { return m_state; }
    // 16 lowercase hex digits.
    std::string hex() const
    {
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(m_state));
        return buf;
    }

private:
    uint64_t m_state = 0xcbf29ce484222325ull;
};

} // namespace salience
