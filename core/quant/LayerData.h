#pragma once
// What a method may know about a layer's inputs besides its weight. Everything is optional:
// a data-free method ignores it, an activation-aware one throws InputError when what it
// needs is absent.
#include "tensor/ChannelStats.h"
#include "tensor/Tensor.h"

namespace salience {

struct LayerData {
    const Matrix* inputs = nullptr;      // X [tokens, in_features], when kept
    const ChannelStats* stats = nullptr; // per-channel statistics, when known
    const MatrixD* gram = nullptr;       // XᵀX over `inputs` (not divided by tokens), when computed
    int64_t gramTokens = 0;              // rows summed into `gram`
};

} // namespace salience
