#pragma once
// Randomized block Hadamard rotation of the input dimension (QuaRot-style incoherence
// processing). H = B·D, where D = diag(signs) holds random ±1 and B is block-diagonal with
// orthonormal Sylvester Hadamard blocks H_b/√b. H is orthonormal, so W·Hᵀ applied to the
// weight and X·Hᵀ applied to the activations leave W·Xᵀ unchanged before rounding.
//
// Block size: the largest power of two dividing in_features (n & -n). 64 → one block of 64;
// 172 = 4·43 → 43 blocks of 4; an odd n → blocks of 1, i.e. only the random signs.
//
// Signs come from std::mt19937_64 seeded with the seed; sign i is -1 when the top bit of the
// i-th 64-bit output is set. No std:: distribution is used, so every standard library gives
// the same signs for the same seed.
#include "tensor/Tensor.h"

#include <cstdint>
#include <vector>

namespace salience {

struct HadamardRotation {
    int64_t blockSize = 1;
    std::vector<int8_t> signs; // ±1, one per input channel

    int64_t size() const { return int64_t(signs.size()); }

    // Throws InputError when the block size is not a power of two dividing size(), or a sign
    // is not ±1.
    void validate() const;

    // Random signs from `seed`, block size chosen as above. Throws InputError for n < 1.
    static HadamardRotation randomized(int64_t n, uint64_t seed);
    // All signs +1: the plain block Hadamard.
    static HadamardRotation plain(int64_t n);
};

// Largest power of two dividing n (n >= 1).
int64_t hadamardBlockSize(int64_t n);

// Orthonormal fast Walsh–Hadamard transform of data[0..n), n a power of two: data ← H_n·data / √n
// with H_n the Sylvester matrix (H_1 = [1], H_2k = [[H_k, H_k], [H_k, -H_k]]).
void fastWalshHadamard(double* data, int64_t n);

// Dense H (n × n), for tests and plots; never needed by the transforms.
Matrix hadamardMatrix(const HadamardRotation& rotation);

// m·Hᵀ: rotate every row (weights [out, in] or activations [tokens, in] alike).
Matrix rotateRows(const Matrix& m, const HadamardRotation& rotation);
// m·H: the inverse of rotateRows.
Matrix unrotateRows(const Matrix& m, const HadamardRotation& rotation);

// One row of length rotation.size(), in place.
void rotateRow(float* row, const HadamardRotation& rotation);
void unrotateRow(float* row, const HadamardRotation& rotation);

} // namespace salience
