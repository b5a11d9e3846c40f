#pragma once
// Finds a layer's activations in a store whatever naming scheme the file used: the canonical
// name, the model file's tensor name, or another format's name for the same (block, role)
// (an imatrix made by llama.cpp names layers "blk.N.attn_q.weight").
#include "acts/ActivationStore.h"
#include "model/LinearLayer.h"

#include <optional>
#include <string>
#include <vector>

namespace salience {

std::optional<std::string> activationNameFor(const ActivationStore& store, const LinearLayer& layer);

// The activations belong to `model`: every model layer found in the store has as many input
// channels there (kept inputs or statistics) as the layer has inputs, every block site as many
// as the hidden size, and at least one layer is found when the store holds any. Throws
// InputError(source, ...) naming the layer and both sizes otherwise ("activations of another
// model?"): without it a 64-input layer was reported with outlier channels 77 and 110.
void checkActivationsFit(const ActivationStore& store, const std::vector<LinearLayer>& layers, int64_t hiddenSize,
                         const std::string& source);

} // namespace salience
