#include "run/QuantizedForward.h"

#include "base/Error.h"

namespace salience {

Transformer quantizedTransformer(const Transformer& base, const RunResult& run, Progress& progress)
{
    Transformer t = base;
    size_t done = 0;
    for (const auto& layer : run.layers) {
        progress.throwIfCancelled();
        ++done;
        if (!layer.quantized)
            continue;
        if (!t.hasLinear(layer.layer))
            throw InputError("quantized forward pass", "layer '" + layer.layer +
                                                           "' was quantized but the forward pass does not use it "
                                                           "as a linear layer");
        t.setLinearWeight(layer.layer, layer.quantized->dequantize());
        progress.report(double(done) / double(run.layers.size()));
    }
    return t;
}

} // namespace salience
