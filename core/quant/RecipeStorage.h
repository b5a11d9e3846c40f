#pragma once
// What a recipe will store for a layer of a given shape, known before the method runs: every
// part of QuantizedLinear that a method fills is sized by the recipe and the shape alone (the
// grid's groups, the codebook's rows, the pruned count of each row, the protected count, the
// rank clamped to min(out, in), input scales, rotation signs, act-order's permutation). What
// the values are depends on the weights; how many bits they take does not. A budget can so be
// spent over a whole model without quantizing anything.
#include "quant/Recipe.h"
#include "quant/StorageLayout.h"

#include <cstdint>
#include <optional>

namespace salience {

// The layout quantizeLayer(weight, recipe, ...) produces for a weight [out, in]; nullopt for a
// method that keeps full precision. Throws InputError for a recipe that does not validate.
std::optional<StorageLayout> recipeStorage(const Recipe& recipe, int64_t out, int64_t in);

// countBits(recipeStorage(...)).perWeight(); nullopt for full precision.
std::optional<double> predictedBitsPerWeight(const Recipe& recipe, int64_t out, int64_t in);

} // namespace salience
