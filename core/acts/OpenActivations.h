#pragma once
// Opens whatever activation file a user picks: a Salience HDF5 file (inputs, statistics,
// sites) or a llama.cpp importance matrix (.dat or GGUF form), whose per-channel sums of
// squares load as statistics under llama.cpp's tensor names; layers find them through
// activationNameFor() whatever the model's naming.
#include "acts/ActivationStore.h"

#include <string>

namespace salience {

// Throws InputError naming the file when it is neither format or is malformed.
ActivationStore openActivations(const std::string& path);

} // namespace salience
