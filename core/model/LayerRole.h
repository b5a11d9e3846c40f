#pragma once
// What a linear layer does in its block. Plans address layers by role ("all down projections").
#include <optional>
#include <string>
#include <string_view>

namespace salience {

enum class LayerRole { Q, K, V, O, Gate, Up, Down, Embedding, Classifier, Other };

// "q", "k", "v", "o", "gate", "up", "down", "embedding", "classifier", "other".
std::string_view roleName(LayerRole role);
std::optional<LayerRole> roleFromName(std::string_view name);

} // namespace salience
