#include "io/MemoryReader.h"

#include "base/Error.h"

namespace salience {

void MemoryReader::add(const std::string& name, FloatTensor tensor)
{
    if (tensor.numel() != int64_t(tensor.data.size()))
        throw Error("MemoryReader: tensor '" + name + "' has a shape that does not match its data");
    TensorInfo info;
    info.name = name;
    info.dtype = "F32";
    info.shape = tensor.shape;
    info.byteSize = uint64_t(tensor.data.size()) * 4;
    if (m_data.count(name))
        throw Error("MemoryReader: tensor '" + name + "' added twice");
    m_infos.push_back(std::move(info));
    m_data.emplace(name, std::move(tensor));
}

void MemoryReader::add(const std::string& name, const Matrix& matrix)
{
    FloatTensor t;
    t.shape = {matrix.rows(), matrix.cols()};
    t.data.assign(matrix.data(), matrix.data() + matrix.size());
    add(name, std::move(t));
}

FloatTensor MemoryReader::readFloat(const std::string& name) const
{
    auto it = m_data.find(name);
    if (it == m_data.end())
        throw InputError(m_path, "no tensor named '" + name + "'");
    return it->second;
}

} // namespace salience
