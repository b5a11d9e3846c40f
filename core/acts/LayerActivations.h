#pragma once
// Finds a layer's activations in a store whatever naming scheme the file used: the canonical
// name, the model file's tensor name, or another format's name for the same (block, role)
// (an imatrix made by llama.cpp names layers "blk.N.attn_q.weight").
#include "acts/ActivationStore.h"
#include "model/LinearLayer.h"

#include <optional>
#include <string>

namespace salience {

std::optional<std::string> activationNameFor(const ActivationStore& store, const LinearLayer& layer);

} // namespace salience
