#pragma once
// The one interface every weight file format serves: a catalog of tensors and float data on
// demand. Format-specific metadata (GGUF key/values, safetensors __metadata__, the llama2.c
// header) lives on the concrete readers.
#include "tensor/Tensor.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace salience {

class TensorReader {
public:
    virtual ~TensorReader() = default;

    virtual std::string format() const = 0; // "safetensors", "gguf", "llama2c", "memory"
    virtual const std::string& path() const = 0;
    virtual const std::vector<TensorInfo>& tensors() const = 0;

    // Dense float32 copy of a tensor, shape outermost first. Throws InputError naming the
    // file and the tensor when it is missing, undecodable or its data lies outside the file.
    virtual FloatTensor readFloat(const std::string& name) const = 0;
    // The same values written to `dst`, which holds numel() floats: for a caller that owns the
    // buffer (a Matrix), so nothing is zero-filled or copied twice. Readers that can decode in
    // place override it.
    virtual void readFloatInto(const std::string& name, float* dst) const
    {
        const FloatTensor t = readFloat(name);
        std::copy(t.data.begin(), t.data.end(), dst);
    }

    // nullptr when absent.
    const TensorInfo* find(const std::string& name) const
    {
        for (const auto& t : tensors())
            if (t.name == name)
                return &t;
        return nullptr;
    }
};

} // namespace salience
