#pragma once
// What a quantized layer stores, as counts rather than arrays, and its bits by the table in
// QuantizedLinear.h. QuantizedLinear::bits() counts its own arrays through this, and
// RecipeStorage predicts the same counts from a recipe and a shape, so a budget can be spent
// before anything runs and the two counts cannot drift apart.
#include "io/GgmlTypes.h"
#include "quant/QuantGrid.h"
#include "quant/QuantizedLinear.h"

#include <cstdint>

namespace salience {

struct StorageLayout {
    int64_t outFeatures = 0;
    int64_t inFeatures = 0;
    QuantGrid grid;
    QuantBase base = QuantBase::Codes;
    GgmlType ggmlType = GgmlType::F32; // Ggml base
    int64_t kept = 0;                  // weights whose base value is stored (out·in without a mask)
    int64_t codebookEntries = 0;       // 0: no codebook (scales and zero points instead)
    bool mask = false;
    int maskN = 0;                     // N:M mask when maskM > 0, else unstructured
    int maskM = 0;
    bool permutation = false;
    bool inputScale = false;
    bool rotation = false;
    int64_t sparseEntries = 0;
    int64_t lowRankElements = 0;       // elements of L and R together: r·(out + in)
};

// The bits of `layout`, every part at its stored precision (the table in QuantizedLinear.h).
BitsBreakdown countBits(const StorageLayout& layout);

// ceil(log2(C(m, n))): bits that name one of the C(m, n) patterns keeping n of m.
int patternBits(int n, int m);

} // namespace salience
