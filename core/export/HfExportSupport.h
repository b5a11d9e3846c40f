#pragma once
// What both Hugging Face-layout exporters (fake-quant and GPTQ safetensors) need: one walk over
// the model's tensors in Hugging Face layout, the stored layout of a canonical weight, the
// source's own bytes for what they do not change, and a few small helpers.
#include "base/Progress.h"
#include "io/SafetensorsWriter.h"
#include "model/Model.h"
#include "tensor/Tensor.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace salience {

// One tensor of the model as a Hugging Face checkpoint stores it.
struct HfTensor {
    std::string name;            // as written: "model.layers.0.self_attn.q_proj.weight"
    std::vector<int64_t> shape;  // as stored; empty for a canonical tensor that is not a layer
    std::string dtype;           // the float dtype it keeps when rewritten (floatDtypeFor)
    const LinearLayer* layer = nullptr; // the linear layer it holds; nullptr for norms and the rest
    int64_t rotaryHeads = 0;     // > 0: rows in Hugging Face's rotary order over this many heads
    bool transposed = false;     // stored [in, out] (GPT-2 Conv1D)
    bool fromSource = false;     // `name` is the source's own tensor (else canonicalName is read)
    std::string canonicalName;   // the canonical tensor behind it, when not fromSource
};

// Calls visit() for every tensor of the model in Hugging Face layout, reporting progress over
// [0, share] with "<verb> <name>": the source's own names and order where it is Hugging Face
// safetensors (or the in-memory demo), the canonical tensors under their Hugging Face names for
// any other format (GGUF, llama2.c). Cancellation is checked before each tensor.
void forEachHfTensor(const Model& model, const std::function<void(const HfTensor&)>& visit, Progress& progress,
                     double share, const std::string& verb);

// A canonical [out, in] weight in the layout `t` is stored in (moved through when that is the
// canonical layout).
Matrix toHfLayout(Matrix canonical, const HfTensor& t);

// `t` added to the writer as the source holds it: its bytes where the source can hand them out,
// else its float values in Hugging Face layout.
void addSourceTensor(SafetensorsWriter& writer, const Model& model, const HfTensor& t);

// The files a Hugging Face-layout export writes into one folder. The constructor refuses targets
// that exist (unless overwrite) and a folder holding a sharded index (loaders would open it
// instead), and creates the folder when missing. Until commit(), the destructor removes the files
// this export created (a file it replaced whole is kept: removing it would lose both) and the
// folder when it created it and it is empty, so a failed or cancelled export leaves nothing.
class HfExportFiles {
public:
    HfExportFiles(const std::string& dir, std::vector<std::string> targets, bool overwrite, bool refuseShardIndex);
    ~HfExportFiles();
    HfExportFiles(const HfExportFiles&) = delete;
    HfExportFiles& operator=(const HfExportFiles&) = delete;

    void wrote(const std::string& path) { m_written.push_back(path); }
    const std::vector<std::string>& written() const { return m_written; }
    void commit() { m_committed = true; }

private:
    std::string m_dir;
    std::vector<std::string> m_existedBefore;
    std::vector<std::string> m_written;
    bool m_createdDir = false;
    bool m_committed = false;
};

// The float dtype a re-written tensor keeps: F16 and BF16 stay, anything else becomes F32.
std::string floatDtypeFor(const std::string& stored);
// A small text file (config.json, a report), written atomically.
void writeTextFile(const std::string& path, const std::string& text, bool overwrite);

} // namespace salience
