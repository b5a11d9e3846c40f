#include "quant/QuantizeLayer.h"

#include "quant/RoundingTarget.h"

#include "base/Error.h"
#include "quant/MethodRegistry.h"
#include "quant/Awq.h"
#include "quant/Gptq.h"
#include "quant/KMeansLut.h"
#include "quant/Protection.h"
#include "quant/RotatedQuant.h"
#include "quant/Rtn.h"
#include "quant/Sarqc.h"
#include "quant/SmoothQuant.h"
#include "quant/lowrank/Asvd.h"
#include "quant/lowrank/Qer.h"
#include "quant/lowrank/Srr.h"
#include "quant/prune/Prune.h"
#include "quant/prune/SparseGpt.h"

#include <map>

namespace salience {

namespace {

// Onto a ggml block format, RTN is llama-quantize: weighted by the layer's mean squared inputs when
// the activations are known (an imatrix), with llama-quantize's fallbacks (see RoundingTarget.h).
QuantizedLinear quantizeRtnRecipe(const Matrix& w, const Recipe& r, const LayerData& data, Progress&)
{
    return roundOnto(w, roundingTarget(r, data, w.cols()), "rtn");
}

} // namespace

QuantizedLinear quantizeLayer(const Matrix& weight, const Recipe& recipe, const LayerData& data, Progress& progress)
{
    const MethodInfo* info = findMethod(recipe.method);
    if (!info)
        throw InputError("recipe", "unknown method '" + recipe.method + "' (known: " + methodNames() + ")");
    if (!info->quantizes)
        throw Error("quantizeLayer: method '" + recipe.method + "' keeps the layer in full precision");
    if (info->needsActivations && !data.inputs && !data.stats && !data.gram)
        throw InputError("recipe", "method '" + recipe.method + "' needs the layer's activations: open or capture "
                                   "an activation file first");
    progress.throwIfCancelled();
    using Quantizer = QuantizedLinear (*)(const Matrix&, const Recipe&, const LayerData&, Progress&);
    static const std::map<std::string, Quantizer, std::less<>> quantizers{
        {"rtn", quantizeRtnRecipe},
        {"smoothquant", quantizeSmoothQuantRecipe},
        {"awq", quantizeAwqRecipe},
        {"hadamard", quantizeHadamardRecipe},
        {"gptq", quantizeGptqRecipe},
        {"protect", quantizeProtectRecipe},
        {"sarqc-gptq", quantizeSarqcGptqRecipe},
        {"sarqc-awq", quantizeSarqcAwqRecipe},
        {"qer", quantizeQerRecipe},
        {"srr", quantizeSrrRecipe},
        {"asvd", quantizeAsvdRecipe},
        {"kmeans", quantizeKmeansRecipe},
        {"prune-magnitude", quantizePruneMagnitudeRecipe},
        {"prune-wanda", quantizePruneWandaRecipe},
        {"sparsegpt", quantizeSparseGptRecipe},
    };
    const auto it = quantizers.find(recipe.method);
    if (it == quantizers.end())
        throw Error("quantizeLayer: method '" + recipe.method + "' is registered without a quantizer");
    QuantizedLinear q = it->second(weight, recipe, data, progress);
    progress.report(1.0);
    return q;
}

} // namespace salience
