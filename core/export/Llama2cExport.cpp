#include "export/Llama2cExport.h"

#include "base/Error.h"
#include "io/AtomicFile.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>

namespace salience {

namespace {

const char* kSource = "llama2.c export";

std::string shapeText(const std::vector<int64_t>& s)
{
    std::string t = "[";
    for (size_t i = 0; i < s.size(); ++i)
        t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

// Canonical names in run.c's order for one block-wide array.
std::string blockName(int64_t block, const char* rest) { return "model.layers." + std::to_string(block) + "." + rest; }

struct Expected {
    std::string name;
    std::vector<int64_t> shape;
};

// Every tensor llama2.c stores, with its canonical name and shape, in file order (the
// classifier last, when there is one).
std::vector<Expected> llama2cLayout(const ArchConfig& c, bool withClassifier)
{
    const int64_t d = c.dim, h = c.hiddenDim, v = c.vocabSize, kvd = c.nKvHeads * (c.dim / c.nHeads);
    std::vector<Expected> e{{"model.embed_tokens", {v, d}}};
    const struct {
        const char* rest;
        std::vector<int64_t> shape;
    } perBlock[] = {{"input_layernorm", {d}},        {"self_attn.q_proj", {d, d}},
                    {"self_attn.k_proj", {kvd, d}},  {"self_attn.v_proj", {kvd, d}},
                    {"self_attn.o_proj", {d, d}},    {"post_attention_layernorm", {d}},
                    {"mlp.gate_proj", {h, d}},       {"mlp.down_proj", {d, h}},
                    {"mlp.up_proj", {h, d}}};
    for (const auto& a : perBlock)
        for (int64_t b = 0; b < c.nLayers; ++b)
            e.push_back({blockName(b, a.rest), a.shape});
    e.push_back({"model.norm", {d}});
    if (withClassifier)
        e.push_back({"lm_head", {v, d}});
    return e;
}

} // namespace

std::string llama2cIncompatibility(const Model& model)
{
    const ArchConfig& c = model.config();
    if (c.architecture != "llama")
        return "the architecture is '" + c.architecture + "'; llama2.c runs Llama models only";
    if (!c.isComplete() || c.hiddenDim <= 0 || c.vocabSize <= 0)
        return "the model's dimensions are not all known";
    if (c.dim % c.nHeads != 0 || c.headDim != c.dim / c.nHeads)
        return "head_dim " + std::to_string(c.headDim) + " is not dim / n_heads, which llama2.c assumes";
    if (c.nHeads % c.nKvHeads != 0)
        return "n_heads is not a multiple of n_kv_heads";
    if ((c.dim / c.nHeads) % 2 != 0)
        return "the head size is odd; rotary embeddings need pairs";
    if (c.contextLength <= 0)
        return "the context length (seq_len) is unknown";
    if (c.ropeTheta != 10000.0)
        return "rope theta is " + std::to_string(c.ropeTheta) + "; run.c uses 10000";
    if (std::abs(c.rmsNormEps - 1e-5) > 1e-12)
        return "RMSNorm eps is " + std::to_string(c.rmsNormEps) + "; run.c uses 1e-5";
    if (!c.ropeScalingType.empty())
        return "rope_scaling " + c.ropeScalingType + " is set; run.c has no rotary scaling";
    for (const auto& t : model.canonicalTensors())
        if (t.name.ends_with(".bias") || t.name.ends_with("_norm") || t.name == "rope_freqs")
            return "tensor " + t.tensorName + " has no place in a llama2.c checkpoint";
    constexpr int64_t maxInt = std::numeric_limits<int32_t>::max();
    for (int64_t v : {c.dim, c.hiddenDim, c.nLayers, c.nHeads, c.nKvHeads, c.vocabSize, c.contextLength})
        if (v > maxInt)
            return "a dimension does not fit the int32 header";
    const bool withClassifier = model.findCanonical("lm_head") != nullptr;
    std::set<std::string> known;
    for (const auto& e : llama2cLayout(c, withClassifier)) {
        known.insert(e.name);
        const CanonicalTensor* t = model.findCanonical(e.name);
        if (!t)
            return "tensor " + e.name + " is missing";
        const TensorInfo* info = model.reader().find(t->tensorName);
        if (!info)
            return "tensor " + t->tensorName + " is missing";
        // Norms may be stored as [d] or [1, d]; matrices must match exactly.
        const bool shapeOk = e.shape.size() == 1 ? info->numel() == e.shape[0]
                                                 : info->shape.size() == 2 && info->numel() == e.shape[0] * e.shape[1];
        if (!shapeOk)
            return "tensor " + t->tensorName + " is " + info->shapeString() + ", llama2.c needs " + shapeText(e.shape);
    }
    // Anything else (biases, extra norms) has no place in the file.
    std::set<std::string> used;
    for (const auto& t : model.canonicalTensors())
        if (known.count(t.name))
            used.insert(t.tensorName);
    for (const auto& t : model.reader().tensors())
        if (!used.count(t.name) && !t.name.ends_with("rotary_emb.inv_freq"))
            return "tensor " + t.name + " has no place in a llama2.c checkpoint";
    return {};
}

void exportLlama2c(const Model& model, const RunResult& run, const std::string& out,
                   const Llama2cExportOptions& options, Progress& progress)
{
    if (const std::string why = llama2cIncompatibility(model); !why.empty())
        throw InputError(kSource, why);
    std::map<std::string, const QuantizedLinear*> quantized;
    for (const auto& r : run.layers) {
        const LinearLayer& l = model.layer(r.layer);
        if (r.quantized)
            quantized[l.name] = &*r.quantized;
    }
    const ArchConfig& c = model.config();
    const bool withClassifier = model.findCanonical("lm_head") != nullptr;
    const auto layout = llama2cLayout(c, withClassifier);

    AtomicFile file(out, options.overwrite);
    std::ostream& s = file.stream();
    const auto writeFloats = [&](const float* data, size_t count) {
        s.write(reinterpret_cast<const char*>(data), std::streamsize(count * sizeof(float)));
    };
    // freq_cis_real then freq_cis_imag, [seq_len, head_size / 2] each.
    const auto writeRopeTables = [&] {
        const int64_t half = c.headDim / 2;
        std::vector<float> cosTable(static_cast<size_t>(c.contextLength * half));
        std::vector<float> sinTable(cosTable.size());
        for (int64_t t = 0; t < c.contextLength; ++t)
            for (int64_t k = 0; k < half; ++k) {
                const double freq = 1.0 / std::pow(10000.0, double(2 * k) / double(c.headDim));
                cosTable[size_t(t * half + k)] = float(std::cos(double(t) * freq));
                sinTable[size_t(t * half + k)] = float(std::sin(double(t) * freq));
            }
        writeFloats(cosTable.data(), cosTable.size());
        writeFloats(sinTable.data(), sinTable.size());
    };
    const int32_t header[7] = {int32_t(c.dim),      int32_t(c.hiddenDim),
                               int32_t(c.nLayers),  int32_t(c.nHeads),
                               int32_t(c.nKvHeads), int32_t(withClassifier ? -c.vocabSize : c.vocabSize),
                               int32_t(c.contextLength)};
    s.write(reinterpret_cast<const char*>(header), sizeof header);

    for (size_t i = 0; i < layout.size(); ++i) {
        progress.throwIfCancelled();
        const Expected& e = layout[i];
        if (e.name == "lm_head")
            writeRopeTables(); // run.c's legacy layout puts them before the classifier
        auto it = quantized.find(e.name);
        if (it != quantized.end()) {
            const Matrix w = it->second->dequantize();
            writeFloats(w.data(), size_t(w.size()));
        } else {
            const FloatTensor t = model.canonicalTensor(e.name);
            writeFloats(t.data.data(), t.data.size());
        }
        progress.report(0.95 * double(i + 1) / double(layout.size()), "writing " + e.name);
    }
    if (!withClassifier)
        writeRopeTables(); // shared classifier: the tables end the file
    progress.throwIfCancelled();
    file.commit();
    progress.report(1.0, "exported " + out);
}

} // namespace salience
