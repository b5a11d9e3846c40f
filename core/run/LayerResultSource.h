#pragma once
// Where an exporter takes a run's layer results from, one layer at a time, in the order it
// writes them. Two kinds: a run already held in memory (HeldResults: the GUI runs first and
// exports what it shows), and a run computed while the file is written (StreamedRun: each
// layer is quantized a little ahead of the writer, written, and dropped, so an export's memory
// does not grow with the number of layers).
//
// What a run will quantize, and with which recipe, is known from the plan before any layer is
// computed, so a writer can lay out its file (tensor types and sizes) first.
#include "quant/QuantizedLinear.h"
#include "quant/Recipe.h"
#include "run/Runner.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace salience {

class LayerResultSource {
public:
    virtual ~LayerResultSource() = default;

    // Canonical layer name → recipe, for every layer the run quantizes (has a result for).
    virtual const std::map<std::string, Recipe>& quantizedRecipes() const = 0;
    bool quantizes(const std::string& layer) const { return quantizedRecipes().count(layer) > 0; }

    // The order the writer will take results in (each a key of quantizedRecipes, at most once).
    // A stream starts computing here; a held run ignores it.
    virtual void expect(const std::vector<std::string>& order) = 0;
    // A layer's result. A stream blocks until it is computed, rethrows the error (or the
    // CancelledError) of any layer, and lets go of the result when the caller does.
    virtual std::shared_ptr<const QuantizedLinear> take(const std::string& layer) = 0;

    // Every layer's metrics and the run's totals, once every expected layer has been taken.
    // A stream's results hold no QuantizedLinear (they were written and dropped).
    virtual const RunResult& completed() = 0;
};

// A run held in memory; take() shares its results without copying them.
class HeldResults : public LayerResultSource {
public:
    explicit HeldResults(const RunResult& run);
    // Bare results (no metrics): completed() then lists one metrics-less entry per layer.
    explicit HeldResults(const std::map<std::string, QuantizedLinear>& results);

    const std::map<std::string, Recipe>& quantizedRecipes() const override { return m_recipes; }
    void expect(const std::vector<std::string>&) override {}
    std::shared_ptr<const QuantizedLinear> take(const std::string& layer) override;
    const RunResult& completed() override { return *m_run; }

private:
    std::map<std::string, Recipe> m_recipes;
    std::map<std::string, const QuantizedLinear*> m_results;
    RunResult m_bare; // for the map constructor
    const RunResult* m_run = nullptr;
};

} // namespace salience
