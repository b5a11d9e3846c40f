#pragma once
// A sensitivity table on disk: what `sensitivity -o` writes and `allocate --sensitivity` and the
// GUI reopen instead of measuring again. The file says what it was measured on (the model's
// fingerprint, the hash of the calibration tokens, the window, the base recipe, the unit and the
// candidates), and a table is reused only when all of these match:
//
//   {"format": "salience-sensitivity", "version": 1,
//    "model": {"path", "fingerprint"},
//    "calibration": {"text", "part", "tokens", "tokens_hash", "window", "windows", "positions", "float_nll"},
//    "base": RECIPE, "unit": "layer" | "role" | "block", "candidates": ["3g128", "4g32", ...],
//    "units": [{"name", "layers", "block", "role", "parameters",
//               "cells": [{"candidate", "kl", "kl_stderr", "nll_delta", "same_top_share",
//                          "bits_per_weight", "rank"}]}]}
//
// "block" is -1 and "role" null for units that have none; "cells" follow "candidates".
#include "run/Sensitivity.h"

#include <nlohmann/json.hpp>

#include <string>

namespace salience {

inline constexpr const char* kSensitivityFormat = "salience-sensitivity";
inline constexpr int kSensitivityVersion = 1;

nlohmann::json sensitivityJson(const SensitivityTable& table);
// Throws InputError(source) naming the field that is missing, of the wrong type or inconsistent
// (a cell count that differs from the candidates', an unknown unit kind, a bad candidate).
SensitivityTable sensitivityFromJson(const nlohmann::json& j, const std::string& source);

// Atomic: a temporary file in the same folder, renamed into place.
void saveSensitivity(const SensitivityTable& table, const std::string& path);
// InputError naming the path when it cannot be read or is not a sensitivity file.
SensitivityTable loadSensitivity(const std::string& path);

// What differs between the inputs a cached table was measured on and the ones wanted, in words
// ("it was measured on other calibration tokens (...)"); empty when nothing does.
std::string sensitivityKeyDifference(const SensitivityKey& cached, const SensitivityKey& wanted);

} // namespace salience
