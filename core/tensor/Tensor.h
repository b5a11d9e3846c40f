#pragma once
// Tensors as core passes them around: a catalog entry (TensorInfo) and dense float data.
#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

// Weights are row-major [out_features, in_features]; activations row-major [tokens, features].
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;
using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A tensor as a file lists it. `dtype` is the file's own type name in upper case
// ("F32", "BF16", "Q4_K", ...); `shape` is outermost first (row-major order), whatever
// order the file stores its dimensions in.
struct TensorInfo {
    std::string name;
    std::string dtype;
    std::vector<int64_t> shape;
    uint64_t byteSize = 0;
    bool decodable = true; // false: listed, but reading it fails with a clear error

    int64_t numel() const;
    std::string shapeString() const; // "[512, 64]"
};

struct FloatTensor {
    std::vector<int64_t> shape;
    std::vector<float> data;

    int64_t numel() const;
    // The tensor as a [rows, cols] matrix: a 1-D tensor is one row; higher ranks fold
    // all leading dimensions into rows.
    Matrix toMatrix() const;
};

} // namespace salience
