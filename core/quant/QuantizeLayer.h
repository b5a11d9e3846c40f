#pragma once
// One entry point for every method: a layer's weight, its recipe and whatever activation data
// the layer has in, a QuantizedLinear out. The runner, the GUI's preview and the CLI all call
// this, so a recipe means the same thing everywhere.
#include "quant/Recipe.h"
#include "quant/LayerData.h"
#include "quant/QuantizedLinear.h"
#include "base/Progress.h"
#include "tensor/Tensor.h"

namespace salience {

// Throws InputError when the method needs activations the layer does not have, and
// CancelledError when `progress` is cancelled. The recipe must quantize (not "none").
QuantizedLinear quantizeLayer(const Matrix& weight, const Recipe& recipe, const LayerData& data, Progress& progress);

} // namespace salience
