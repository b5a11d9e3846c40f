#pragma once
// The one result type every quantization method returns, and the only thing exporters,
// metrics and widgets read: a base Q in quantized coordinates plus optional side parts.
//
// Coordinates. W is the original weight [out, in]. A method may transform W before rounding:
//   W_s = W·diag(s)                    input scaling (SmoothQuant, AWQ), s_j > 0
//   W_r = W_s·Hᵀ                       rotation (randomized block Hadamard, see Hadamard.h)
//   W_p[:, i] = W_r[:, perm[i]]        column permutation (act-order)
// and quantizes W_p: codes, scales, zero points, the codebook, the dense base and the keep
// mask live in these "quantized coordinates", and groups are formed over consecutive
// positions i of W_p. Each step is optional (absent = identity), so perm[i] is a column of
// W_r, which is an original column when there is no rotation.
//
// The base Q [out, in] (dequantizeCodes()), by `base`:
//   Codes  Q[r, i] = (codes[r, i] − zero(r, g(i)))·scale(r, g(i))        uniform grid, or
//          Q[r, i] = codebook[r·2^b + codes[r, i]]                         when a codebook is set
//                    (per-row look-up table of 2^b float16 entries, non-uniform k-means
//                    quantization; scales and zero points are then unused)
//   Dense  Q = dense, a float16 matrix [out, in] (pruning without quantization); codes,
//          scales and zero points are unused
//   Zero   Q = 0 (a low-rank-only approximation Ŵ = L·R such as ASVD); codes, scales and zero
//          points are unused
//   Ggml   Q = ggml blocks of `ggmlType` (Q4_0 ... Q8_0, Q2_K ... Q6_K, IQ4_NL), row by row, as a
//          GGUF stores them: Q[r, :] = dequantizeRow(ggmlType, ggmlBlocks row r). The block scales
//          and mins have ggml's own precision (float16 super-scales, 4- or 6-bit sub-scales), so
//          a GGUF holds them unchanged; codes, scales and zero points are unused, and no mask
// Unused arrays may be empty, or sized as for the grid (what the constructor makes); when
// present they are still checked by validate(), but nothing reads them.
//
// Keep mask (pruning): empty, or [out, in] of 0/1, 1 = kept. Q = 0 at every pruned position:
// dequantizeCodes() forces it, so the mask is authoritative. Where the base can hold that zero
// by itself, validate() also requires it, so a reader that ignores the mask (a packed exporter)
// still sees Q = 0: uniform codes there must equal their group's zero point (always a valid
// code), dense values must be 0. Codebook codes at pruned positions are free (a row's table
// need not contain 0). A mask needs the Codes or Dense base.
// N:M masks record parameters "prune_n" = N and "prune_m" = M (1 ≤ N ≤ M ≤ 32): every run of
// M consecutive positions of a row (the last run of a row may be shorter, k < M) keeps exactly
// N (min(N, k)) weights; validate() checks that the pattern holds.
//
// dequantize() undoes the transforms in reverse order, then adds the parts kept in ORIGINAL
// coordinates:
//   Q              = dequantizeCodes()    base, zero where the mask prunes
//   Ŵ_r[:, perm[i]] = Q[:, i]            un-permute
//   Ŵ_s            = Ŵ_r·H               un-rotate (H orthonormal: Hᵀ·H = I)
//   Ŵ[:, j]        = Ŵ_s[:, j] / s_j     un-scale
//   Ŵ             += L·R                  low-rank correction
//   Ŵ[row, col]    = value               for every sparse entry: it overrides the final value
//
// Bits, every side array counted at its stored precision (bits(), bitsPerWeight()).
// "kept" = out·in without a mask, else the number of 1s in the mask.
//   part          bits
//   codes         b per kept weight (Codes base; 0 for Dense and Zero); Ggml base: the type's
//                 nominal bits (Q4_K 4) per weight, and its block scales, mins and super-scales
//                 under "scales" (Q4_K 0.5 per weight: 4.5 in all, what ggml stores)
//   scales        16 per group (float16)            groups = grid.groupCount(out, in)
//                 (Codes base without codebook only)
//   zero points   b per group when asymmetric, 0 when symmetric (implicitly 2^(b−1))
//                 (Codes base without codebook only)
//   codebook      16 per entry: out·2^b (float16), when present
//   dense         16 per kept weight (float16), Dense base
//   mask          unstructured: 1 per weight (out·in); N:M: ceil(log2(C(M, N))) per run of M
//                 positions of a row (a short last run of k: ceil(log2(C(k, min(N, k))))),
//                 e.g. 2:4 → 3 bits per 4 weights; when a mask is present
//   permutation   32 per input column (like GPTQ's g_idx), when present
//   input scaling 16 per input column (float16), when present
//   rotation      1 per input column (the ±1 signs; the block size is implied by in)
//   sparse        per entry a 16-bit value + a column index of 16 bits (32 when in > 65535),
//                 plus 32-bit CSR row pointers, out + 1 of them, when there is any entry
//   low rank      16 per element of L [out, r] and R [r, in]
//   bitsPerWeight = total / (out·in)
//
// Because the table counts them as float16, validate() requires that scales, the codebook,
// dense values, input scales, sparse values and L, R are float16-representable: what is
// counted is what dequantize() uses. A method rounds s to float16 BEFORE it scales W;
// roundSideArraysToHalf() rounds the parts that live in original coordinates (sparse values,
// L, R) after the fact.
#include "io/GgmlTypes.h"
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

// What Q is made of: see the table above.
enum class QuantBase {
    Codes, // integer codes on the grid (or through the codebook)
    Dense, // float16 values, e.g. pruned but not quantized
    Zero,  // nothing: Ŵ comes from the side parts alone (low rank)
    Ggml,  // ggml blocks (Q4_K, ...), exactly as a GGUF stores them
};

struct BitsBreakdown {
    int64_t weights = 0; // out·in
    double codes = 0;
    double scales = 0;
    double zeroPoints = 0;
    double codebook = 0;
    double dense = 0;
    double mask = 0;
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
    QuantBase base = QuantBase::Codes;

    std::vector<uint8_t> codes;      // [out, in] row-major, quantized coordinates, ≤ maxCode
    std::vector<float> scales;       // grid.groupCount(out, in): [scaleRows, groupsPerRow]
    std::vector<int32_t> zeroPoints; // same layout as scales
    std::vector<float> codebook;     // empty, or [out, 2^bits] row-major: per-row look-up table
    Matrix dense;                    // Dense base: [out, in], float16 values; else empty
    std::vector<uint8_t> keepMask;   // empty, or [out, in] row-major, 1 = kept, 0 = pruned
    GgmlType ggmlType = GgmlType::F32; // Ggml base: the block type
    std::vector<uint8_t> ggmlBlocks;   // Ggml base: out rows of ggmlByteSize(ggmlType, in) bytes

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
    bool hasCodebook() const { return !codebook.empty(); }
    bool hasMask() const { return !keepMask.empty(); }
    bool kept(int64_t row, int64_t position) const
    {
        return keepMask.empty() || keepMask[size_t(row * inFeatures + position)] != 0;
    }
    // Weights whose base value is stored: out·in without a mask, else the 1s of the mask.
    int64_t keptCount() const;

    // Checks every array size and value range; throws InputError (a salience::Error) naming
    // the method and the problem.
    void validate() const;

    // Ŵ in original coordinates, as defined above. Validates first.
    Matrix dequantize() const;
    // Q only: the base in quantized coordinates (zero where pruned), before any side part.
    Matrix dequantizeCodes() const;

    BitsBreakdown bits() const;
    double bitsPerWeight() const { return bits().perWeight(); }

    // Rounds sparse values, L, R and dense values to float16 (input scales cannot be rounded
    // afterwards).
    void roundSideArraysToHalf();
};

} // namespace salience
