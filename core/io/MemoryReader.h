#pragma once
// Tensors held in memory behind the TensorReader interface: the built-in demo model, and
// models assembled by tests.
#include "io/TensorReader.h"

#include <map>

namespace salience {

class MemoryReader : public TensorReader {
public:
    explicit MemoryReader(std::string displayPath) : m_path(std::move(displayPath)) {}

    // Adds a float32 tensor; names are kept in the order added.
    void add(const std::string& name, FloatTensor tensor);
    void add(const std::string& name, const Matrix& matrix);

    std::string format() const override { return "memory"; }
    const std::string& path() const override { return m_path; }
    const std::vector<TensorInfo>& tensors() const override { return m_infos; }
    FloatTensor readFloat(const std::string& name) const override;

private:
    std::string m_path;
    std::vector<TensorInfo> m_infos;
    std::map<std::string, FloatTensor> m_data;
};

} // namespace salience
