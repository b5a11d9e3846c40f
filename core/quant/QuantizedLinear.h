#pragma once
// The one result type every quantization method returns, and the only thing exporters,
// metrics and widgets read: integer codes on a grid plus optional side parts.
//
// Coordinates. W is the original weight [out, in]. A method may transform W before rounding:
//   W_s = W·diag(s)                    input scaling (SmoothQuant, AWQ), s_j > 0
//   W_r = W_s·Hᵀ                       rotation (randomized block Hadamard, see Hadamard.h)
//   W_p[:, i] = W_r[:, perm[i]]        column permutation (act-order)
// and quantizes W_p: codes, scales and zero points live in these "quantized coordinates", and
// groups are formed over consecutive positions i of W_p. Each step is optional (absent =
// identity), so perm[i] is a column of W_r, which is an original column when there is no
// rotation.
//
// dequantize() undoes them in reverse order, then adds the parts kept in ORIGINAL coordinates:
//   Q[r, i]        = (codes[r, i] − zero(r, g(i)))·scale(r, g(i))
//   Ŵ_r[:, perm[i]] = Q[:, i]            un-permute
//   Ŵ_s            = Ŵ_r·H               un-rotate (H orthonormal: Hᵀ·H = I)
//   Ŵ[:, j]        = Ŵ_s[:, j] / s_j     un-scale
//   Ŵ             += L·R                  low-rank correction
//   Ŵ[row, col]    = value               for every sparse entry: it overrides the final value
//
// Bits, every side array counted at its stored precision (bits(), bitsPerWeight()):
//   part          bits
//   codes         b per weight (out·in·b)
//   scales        16 per group (float16)            groups = grid.groupCount(out, in)
//   zero points   b per group when asymmetric, 0 when symmetric (implicitly 2^(b−1))
//   permutation   32 per input column (like GPTQ's g_idx), when present
//   input scaling 16 per input column (float16), when present
//   rotation      1 per input column (the ±1 signs; the block size is implied by in)
//   sparse        per entry a 16-bit value + a column index of 16 bits (32 when in > 65535),
//                 plus 32-bit CSR row pointers, out + 1 of them, when there is any entry
//   low rank      16 per element of L [out, r] and R [r, in]
//   bitsPerWeight = total / (out·in)
//
// Because the table counts them as float16, validate() requires that scales, input scales,
// sparse values and L, R are float16-representable: what is counted is what dequantize()
// uses. A method rounds s to float16 BEFORE it scales W; roundSideArraysToHalf() rounds the
// parts that live in original coordinates (sparse values, L, R) after the fact.
#include "quant/Hadamard.h"
#include "quant/QuantGrid.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace salience {

struct SparseWeight {
    int64_t row = 0; // original coordinates
    int64_t col = 0;
    float value = 0.0f;
};

struct BitsBreakdown {
    int64_t weights = 0; // out·in
    double codes = 0;
    double scales = 0;
    double zeroPoints = 0;
    double permutation = 0;
    double inputScale = 0;
    double rotation = 0;
    double sparse = 0;
    double lowRank = 0;

    double total() const;
    double perWeight() const; // total / weights
};

struct QuantizedLinear {
    int64_t outFeatures = 0;
    int64_t inFeatures = 0;
    QuantGrid grid;

    std::vector<uint8_t> codes;      // [out, in] row-major, quantized coordinates, ≤ maxCode
    std::vector<float> scales;       // grid.groupCount(out, in): [scaleRows, groupsPerRow]
    std::vector<int32_t> zeroPoints; // same layout as scales

    std::vector<int32_t> permutation; // empty, or in entries: see above
    std::vector<float> inputScale;    // empty, or in entries s_j > 0
    std::optional<HadamardRotation> rotation;
    std::vector<SparseWeight> sparse; // at most one entry per position
    Matrix lowRankL;                  // empty, or [out, r]
    Matrix lowRankR;                  // empty, or [r, in]

    std::string method;                        // "rtn", "gptq", "awq", ...
    std::map<std::string, double> parameters;  // what produced it: "alpha", "rank", "seed", ...

    QuantizedLinear() = default;
    // Sized for a method to fill: scales 1, zero points and codes 0 (symmetric: 2^(b−1)), so
    // it dequantizes to zeros until filled.
    // Throws InputError for an invalid grid, a size below 1 or a size whose product overflows.
    QuantizedLinear(int64_t out, int64_t in, const QuantGrid& grid, std::string method = {});

    // Index into scales / zeroPoints of the weight at (row, position) in quantized coordinates.
    int64_t groupIndex(int64_t row, int64_t position) const
    {
        return grid.groupIndex(row, position, inFeatures);
    }
    uint8_t code(int64_t row, int64_t position) const
    {
        return codes[size_t(row * inFeatures + position)];
    }
    int64_t rank() const { return lowRankL.cols(); }

    // Checks every array size and value range; throws InputError (a salience::Error) naming
    // the method and the problem.
    void validate() const;

    // Ŵ in original coordinates, as defined above. Validates first.
    Matrix dequantize() const;
    // Q only: the grid values in quantized coordinates, before any side part is applied.
    Matrix dequantizeCodes() const;

    BitsBreakdown bits() const;
    double bitsPerWeight() const { return bits().perWeight(); }

    // Rounds sparse values and L, R to float16 (input scales cannot be rounded afterwards).
    void roundSideArraysToHalf();
};

} // namespace salience
