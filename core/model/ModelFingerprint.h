#pragma once
// What identifies a model's numbers: a hash of its architecture and of every canonical tensor
// (name, shape and float32 values), so results cached for one model are refused for another,
// for the same model in a different file format whose values differ, or for a retrained copy
// with the same shapes. Reads every tensor once.
#include "base/Progress.h"
#include "model/Model.h"

#include <string>

namespace salience {

// "fnv1a64:" followed by 16 hex digits. CancelledError on cancel.
std::string modelFingerprint(const Model& model, Progress& progress);

} // namespace salience
