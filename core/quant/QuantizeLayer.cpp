#include "quant/QuantizeLayer.h"

#include "base/Error.h"
#include "quant/MethodRegistry.h"
#include "quant/Rtn.h"

namespace salience {

QuantizedLinear quantizeLayer(const Matrix& weight, const Recipe& recipe, const LayerData& data, Progress& progress)
{
    const MethodInfo* info = findMethod(recipe.method);
    if (!info)
        throw InputError("recipe", "unknown method '" + recipe.method + "' (known: " + methodNames() + ")");
    if (!info->quantizes)
        throw Error("quantizeLayer: method '" + recipe.method + "' keeps the layer in full precision");
    if (info->needsActivations && !data.inputs && !data.stats)
        throw InputError("recipe", "method '" + recipe.method + "' needs the layer's activations: open or capture "
                                   "an activation file first");
    progress.throwIfCancelled();
    QuantizedLinear q;
    if (recipe.method == "rtn")
        q = quantizeRtn(weight, recipe.grid());
    else
        throw InputError("recipe", "method '" + recipe.method + "' is registered but not implemented yet");
    progress.report(1.0);
    return q;
}

} // namespace salience
