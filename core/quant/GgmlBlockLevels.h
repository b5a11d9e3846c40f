#pragma once
// The integer levels inside ggml blocks, read out and written back with every block scale and
// min left as it is: what a method needs to choose its own levels on ggml's grid (GPTQ onto Q4_K)
// while the GGUF still holds its blocks unchanged.
//
// Each weight lies on the grid of its (sub-)block, a run of `subBlock` consecutive weights of the
// row (ggmlLevelFormat). The value of level l on that grid is exactly what dequantizeRow
// (io/GgmlDequant.h) computes, in float and in the same order:
//   affine types   value = a·l + b      (b only where the type adds a min, see GgmlLevelGrid)
//   IQ4_NL         value = a·kIq4NlValues[l]
// with, per type (d, dmin the float16 super-scales; sc, m the sub-block's scale and min):
//   Q4_0  a = d,         l = nibble − 8      in [−8, 7]
//   Q4_1  a = d, b = m,  l = nibble          in [0, 15]
//   Q5_0  a = d,         l = 5 bits − 16     in [−16, 15]
//   Q5_1  a = d, b = m,  l = 5 bits          in [0, 31]
//   Q8_0  a = d,         l = int8            in [−127, 127] (−128 is storable, but ggml never
//                                              writes it and SIMD dot products take |q| with
//                                              sign tricks that −128 breaks)
//   Q2_K  a = d·sc, b = −dmin·m   (16 weights)  l in [0, 3]
//   Q3_K  a = d·sc                 (16 weights)  l = 2 bits + 4·hmask bit − 4 in [−4, 3]
//   Q4_K  a = d·sc, b = −dmin·m   (32 weights)  l in [0, 15]
//   Q5_K  a = d·sc, b = −dmin·m   (32 weights)  l in [0, 31]
//   Q6_K  a = d·sc                 (16 weights)  l = 6 bits − 32 in [−32, 31]
//   IQ4_NL a = d                   (32 weights)  l = index into kIq4NlValues in [0, 15]
// (ggml subtracts the min: a·l − dmin·m, which is a·l + b bit for bit.)
#include "io/GgmlTypes.h"

#include <cstdint>
#include <vector>

namespace salience {

// The grid one (sub-)block's weights lie on.
struct GgmlLevelGrid {
    float a = 0.0f;
    float b = 0.0f;
    bool hasB = false;           // false: value = a·l with no addition (so a −0 stays −0 as ggml's)
    const int8_t* lut = nullptr; // IQ4_NL: kIq4NlValues, value = a·lut[l]

    // The value of level l, bit-identical to dequantizeRow.
    float value(int level) const;
    // The level in [lo, hi] whose value is nearest to w (ties: the level found first of the
    // rounded quotient and its neighbours, all levels in order for a look-up table).
    int nearest(double w, int lo, int hi) const;
};

struct GgmlLevelFormat {
    int64_t subBlock = 32; // consecutive weights of a row that share one grid
    int minLevel = 0;
    int maxLevel = 0;
};

// Throws InputError (source "ggml levels") for a type that is no ggml grid type
// (isGgmlGridType: Q4_0 ... Q8_0, Q2_K ... Q6_K, IQ4_NL).
GgmlLevelFormat ggmlLevelFormat(GgmlType type);

// One row of n weights (ggmlByteSize(type, n) bytes at `row`): levels[0..n) and
// grids[0..n / subBlock), weight i on grids[i / subBlock]. Throws InputError for a type that is
// no grid type or an n that is not whole blocks.
void readGgmlLevels(GgmlType type, const uint8_t* row, int64_t n, int16_t* levels, GgmlLevelGrid* grids);

// Writes levels[0..n) into the row's bytes, leaving every scale, min and super-scale as it is,
// so that dequantizeRow then gives grids[i / subBlock].value(levels[i]) for each weight. Throws
// InputError for a level outside [minLevel, maxLevel] (nothing written then) or as above.
void writeGgmlLevels(GgmlType type, uint8_t* row, int64_t n, const int16_t* levels);

// Convenience: one row's levels and grids.
struct GgmlRowLevels {
    std::vector<int16_t> levels;
    std::vector<GgmlLevelGrid> grids;
};
GgmlRowLevels readGgmlLevels(GgmlType type, const uint8_t* row, int64_t n);

} // namespace salience
