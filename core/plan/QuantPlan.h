#pragma once
// A quantization plan: a default recipe plus overrides that select layers by exact name, by
// role, by block range or by regular expression. Later overrides win; each sets only the
// recipe fields it names. Saved as versioned JSON:
//
//   {"format": "salience-plan", "version": 1,
//    "default": {"method": "rtn", "bits": 4, "group_size": 128, "symmetric": false},
//    "overrides": [{"layer": "model.layers.0.mlp.down_proj", "set": {"bits": 8}},
//                  {"role": "down", "set": {"group_size": 64}},
//                  {"blocks": [0, 1], "set": {"method": "none"}},
//                  {"match": "self_attn\\.(q|k)_proj", "set": {"symmetric": true}}]}
#include "model/LinearLayer.h"
#include "quant/Recipe.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace salience {

class Model;

struct PlanOverride {
    // Exactly one selector is set.
    std::optional<std::string> layer;    // canonical or file name of one layer
    std::optional<LayerRole> role;
    std::optional<std::pair<int, int>> blocks; // inclusive range
    std::optional<std::string> match;    // ECMAScript regex searched in the canonical name
    nlohmann::json set = nlohmann::json::object(); // recipe fields to change

    bool selects(const LinearLayer& layer) const;
    nlohmann::json toJson() const;
};

class QuantPlan {
public:
    static constexpr int kVersion = 1;

    Recipe defaultRecipe;
    std::vector<PlanOverride> overrides;
    // Layers quantized when no override mentions them; the classifier stays full precision
    // unless an override selects it (as llama.cpp keeps it at higher precision).
    bool quantizeClassifier = false;

    // The recipe for one layer after applying every matching override in order.
    Recipe recipeFor(const LinearLayer& layer) const;

    // Sets (or replaces) the override for one exact layer: what the GUI's editor does.
    void setLayerRecipe(const std::string& layerName, const Recipe& recipe);
    // Removes exact-layer overrides for the layer, so it follows the default and rules again.
    void resetLayer(const std::string& layerName);

    // Rejects, naming them, layers that do not exist in the model, block ranges outside it,
    // regular expressions that match nothing, and recipes that do not validate.
    void validateAgainst(const Model& model, const std::string& source) const;

    nlohmann::json toJson() const;
    static QuantPlan fromJson(const nlohmann::json& j, const std::string& source);
    static QuantPlan load(const std::string& path);
    // Atomic: temporary file in the same directory, then rename.
    void save(const std::string& path) const;

    // One recipe for every quantizable layer.
    static QuantPlan uniform(const Recipe& recipe);
};

} // namespace salience
