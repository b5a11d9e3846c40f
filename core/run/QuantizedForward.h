#pragma once
// The quantized forward pass: the same transformer with every quantized layer of a run
// replaced by its dequantized weight, in memory, with no export needed.
#include "eval/Transformer.h"
#include "run/Runner.h"

namespace salience {

// A copy of `base` with the results applied. Layers kept in full precision stay as they are.
// Throws InputError naming a result layer the forward pass does not use (e.g. a quantized
// embedding table, which the pass reads as a lookup, not a product).
Transformer quantizedTransformer(const Transformer& base, const RunResult& run, Progress& progress);

} // namespace salience
