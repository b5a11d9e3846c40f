#include "quant/Hadamard.h"

#include "base/Error.h"

#include <cmath>
#include <random>

namespace salience {

namespace {

const char* kSource = "Hadamard rotation";

bool isPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

void checkCols(const Matrix& m, const HadamardRotation& rotation)
{
    rotation.validate();
    if (m.cols() != rotation.size())
        throw InputError(kSource, "matrix has " + std::to_string(m.cols())
                             + " columns but the rotation is for "
                             + std::to_string(rotation.size()));
}

// Applies the block transform B (symmetric, so the same for B and Bᵀ) to one row.
void blockTransform(float* row, int64_t n, int64_t block, std::vector<double>& buffer)
{
    buffer.resize(size_t(block));
    for (int64_t start = 0; start < n; start += block) {
        for (int64_t k = 0; k < block; ++k)
            buffer[size_t(k)] = row[start + k];
        fastWalshHadamard(buffer.data(), block);
        for (int64_t k = 0; k < block; ++k)
            row[start + k] = float(buffer[size_t(k)]);
    }
}

} // namespace

int64_t hadamardBlockSize(int64_t n)
{
    if (n < 1)
        throw InputError(kSource, "size must be at least 1, got " + std::to_string(n));
    return n & -n;
}

void HadamardRotation::validate() const
{
    if (signs.empty())
        throw InputError(kSource, "no signs");
    if (!isPowerOfTwo(blockSize) || size() % blockSize != 0)
        throw InputError(kSource, "block size " + std::to_string(blockSize)
                             + " is not a power of two dividing " + std::to_string(size()));
    for (int8_t s : signs)
        if (s != 1 && s != -1)
            throw InputError(kSource, "a sign is " + std::to_string(int(s)) + ", not +1 or -1");
}

HadamardRotation HadamardRotation::randomized(int64_t n, uint64_t seed)
{
    HadamardRotation r;
    r.blockSize = hadamardBlockSize(n);
    r.signs.resize(size_t(n));
    std::mt19937_64 engine(seed);
    for (auto& s : r.signs)
        s = (engine() >> 63) ? int8_t(-1) : int8_t(1);
    return r;
}

HadamardRotation HadamardRotation::plain(int64_t n)
{
    HadamardRotation r;
    r.blockSize = hadamardBlockSize(n);
    r.signs.assign(size_t(n), int8_t(1));
    return r;
}

void fastWalshHadamard(double* data, int64_t n)
{
    if (!isPowerOfTwo(n))
        throw InputError(kSource, "Walsh-Hadamard length " + std::to_string(n)
                             + " is not a power of two");
    for (int64_t h = 1; h < n; h *= 2)
        for (int64_t i = 0; i < n; i += 2 * h)
            for (int64_t j = i; j < i + h; ++j) {
                const double a = data[j];
                const double b = data[j + h];
                data[j] = a + b;
                data[j + h] = a - b;
            }
    const double norm = 1.0 / std::sqrt(double(n));
    for (int64_t i = 0; i < n; ++i)
        data[i] *= norm;
}

void rotateRow(float* row, const HadamardRotation& rotation)
{
    // row·Hᵀ = row·D·Bᵀ: signs first, then the blocks.
    const int64_t n = rotation.size();
    for (int64_t j = 0; j < n; ++j)
        row[j] *= float(rotation.signs[size_t(j)]);
    std::vector<double> buffer;
    blockTransform(row, n, rotation.blockSize, buffer);
}

void unrotateRow(float* row, const HadamardRotation& rotation)
{
    // row·H = row·B·D: blocks first, then the signs.
    const int64_t n = rotation.size();
    std::vector<double> buffer;
    blockTransform(row, n, rotation.blockSize, buffer);
    for (int64_t j = 0; j < n; ++j)
        row[j] *= float(rotation.signs[size_t(j)]);
}

Matrix rotateRows(const Matrix& m, const HadamardRotation& rotation)
{
    checkCols(m, rotation);
    Matrix out = m;
    for (Eigen::Index r = 0; r < out.rows(); ++r)
        rotateRow(out.row(r).data(), rotation);
    return out;
}

Matrix unrotateRows(const Matrix& m, const HadamardRotation& rotation)
{
    checkCols(m, rotation);
    Matrix out = m;
    for (Eigen::Index r = 0; r < out.rows(); ++r)
        unrotateRow(out.row(r).data(), rotation);
    return out;
}

Matrix hadamardMatrix(const HadamardRotation& rotation)
{
    rotation.validate();
    // Row i of H is e_i·H = unrotate(e_i).
    const int64_t n = rotation.size();
    Matrix h = Matrix::Identity(n, n);
    for (int64_t r = 0; r < n; ++r)
        unrotateRow(h.row(r).data(), rotation);
    return h;
}

} // namespace salience
