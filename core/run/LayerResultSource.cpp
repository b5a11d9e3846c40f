#include "run/LayerResultSource.h"

#include "base/Error.h"

namespace salience {

HeldResults::HeldResults(const RunResult& run) : m_run(&run)
{
    for (const auto& r : run.layers)
        if (r.quantized) {
            m_recipes[r.layer] = r.recipe;
            m_results[r.layer] = &*r.quantized;
        }
}

HeldResults::HeldResults(const std::map<std::string, QuantizedLinear>& results) : m_run(&m_bare)
{
    for (const auto& [name, q] : results) {
        Recipe recipe;
        recipe.method = q.method;
        m_recipes[name] = recipe;
        m_results[name] = &q;
        LayerResult r;
        r.layer = name;
        r.recipe = recipe;
        m_bare.layers.push_back(std::move(r));
    }
}

std::shared_ptr<const QuantizedLinear> HeldResults::take(const std::string& layer)
{
    const auto it = m_results.find(layer);
    if (it == m_results.end())
        throw Error("no result for layer '" + layer + "'");
    // Aliasing constructor: shares the held result, owns nothing.
    return std::shared_ptr<const QuantizedLinear>(std::shared_ptr<const QuantizedLinear>(), it->second);
}

} // namespace salience
