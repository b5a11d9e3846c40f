#include "quant/RecipeStorage.h"

#include "quant/GgmlQuantize.h"
#include "quant/MethodRegistry.h"
#include "quant/Protection.h"
#include "quant/prune/Prune.h"

#include <algorithm>

namespace salience {

namespace {

bool isPruning(const std::string& method)
{
    return method == "prune-magnitude" || method == "prune-wanda" || method == "sparsegpt";
}

int64_t clampedRank(const Recipe& recipe, int64_t out, int64_t in)
{
    return std::clamp<int64_t>(recipe.rank, 0, std::min(out, in));
}

} // namespace

std::optional<StorageLayout> recipeStorage(const Recipe& recipe, int64_t out, int64_t in)
{
    recipe.validate("recipe");
    const MethodInfo* info = findMethod(recipe.method);
    if (!info->quantizes)
        return std::nullopt;
    StorageLayout s;
    s.outFeatures = out;
    s.inFeatures = in;
    s.grid = recipe.grid();
    s.kept = out * in;
    const std::string& m = recipe.method;

    if (const auto requested = recipe.ggmlGrid()) { // rtn and gptq onto a block format
        const GgmlType type = ggmlFallbackType(*requested, in);
        if (type == GgmlType::F16) {
            s.base = QuantBase::Dense;
        } else {
            s.base = QuantBase::Ggml;
            s.ggmlType = type;
        }
        return s;
    }
    if (m == "asvd") {
        s.base = QuantBase::Zero;
        s.lowRankElements = clampedRank(recipe, out, in) * (out + in);
        return s;
    }
    if (m == "kmeans") {
        s.codebookEntries = out * (int64_t(1) << recipe.bits);
        return s;
    }
    if (isPruning(m)) {
        const PruneOptions prune = pruneOptionsFromRecipe(recipe, m);
        s.base = prune.quantize ? QuantBase::Codes : QuantBase::Dense;
        s.mask = true;
        if (prune.pattern.nOfM()) {
            s.maskN = prune.pattern.n;
            s.maskM = prune.pattern.m;
            const int64_t runs = in / s.maskM, tail = in % s.maskM;
            s.kept = out * (runs * s.maskN + std::min<int64_t>(s.maskN, tail));
        } else {
            s.kept = out * (in - prune.pattern.prunedPerRow(in));
        }
        return s;
    }
    // The uniform grid, and what each method adds to it.
    if (m == "smoothquant" || m == "awq" || m == "sarqc-awq")
        s.inputScale = true;
    if (m == "hadamard")
        s.rotation = true;
    if (m == "gptq" || m == "sarqc-gptq") // act-order needs its order only where groups follow positions
        s.permutation = recipe.param("act_order") != 0.0 && s.grid.granularity == Granularity::PerGroup &&
                        recipe.param("static_groups") == 0.0;
    if (m == "protect")
        s.sparseEntries = protectedCount(recipe.protectPercent, out, in);
    if (m == "qer" || m == "srr")
        s.lowRankElements = clampedRank(recipe, out, in) * (out + in);
    return s;
}

std::optional<double> predictedBitsPerWeight(const Recipe& recipe, int64_t out, int64_t in)
{
    const auto layout = recipeStorage(recipe, out, in);
    if (!layout)
        return std::nullopt;
    return countBits(*layout).perWeight();
}

} // namespace salience
