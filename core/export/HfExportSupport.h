#pragma once
// Small pieces both Hugging Face-layout exporters (fake-quant and GPTQ safetensors) need.
#include "tensor/Tensor.h"

#include <string>
#include <vector>

namespace salience {

// The float dtype a re-written tensor keeps: F16 and BF16 stay, anything else becomes F32.
std::string floatDtypeFor(const std::string& stored);
// A row-major matrix as a flat vector.
std::vector<float> flatValues(const Matrix& m);
// A small text file (config.json, a report), written atomically.
void writeTextFile(const std::string& path, const std::string& text, bool overwrite);

} // namespace salience
