#include "model/ModelFingerprint.h"

#include "base/Fnv1a.h"

namespace salience {

std::string modelFingerprint(const Model& model, Progress& progress)
{
    Fnv1a64 hash;
    hash.add(model.config().toJson().dump());
    const auto& tensors = model.canonicalTensors();
    for (size_t i = 0; i < tensors.size(); ++i) {
        progress.throwIfCancelled();
        const FloatTensor t = model.canonicalTensor(tensors[i].name);
        hash.add(tensors[i].name);
        for (int64_t d : t.shape)
            hash.addValue(d);
        hash.add(t.data.data(), t.data.size() * sizeof(float));
        progress.report(double(i + 1) / double(tensors.size()));
    }
    return "fnv1a64:" + hash.hex();
}

} // namespace salience
