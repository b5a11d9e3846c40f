#include "tensor/Tensor.h"

namespace salience {

int64_t TensorInfo::numel() const
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::string TensorInfo::shapeString() const
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

int64_t FloatTensor::numel() const
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

Matrix FloatTensor::toMatrix() const
{
    const int64_t cols = shape.empty() ? 1 : shape.back();
    const int64_t rows = cols == 0 ? 0 : numel() / cols;
    return Eigen::Map<const Matrix>(data.data(), rows, cols);
}

} // namespace salience
