#include "export/HfExportSupport.h"

#include "base/Error.h"
#include "io/AtomicFile.h"
#include "io/SafetensorsReader.h"
#include "io/ShardedSafetensors.h"

#include <algorithm>
#include <filesystem>

namespace salience {

namespace {

// Hugging Face safetensors (and the demo in memory) are written in their own names and order.
bool keepsSourceLayout(const Model& model)
{
    const std::string f = model.format();
    return f == "safetensors" || f == "memory";
}

} // namespace

void forEachHfTensor(const Model& model, const std::function<void(const HfTensor&)>& visit, Progress& progress,
                     double share, const std::string& verb)
{
    if (keepsSourceLayout(model)) {
        std::map<std::string, const LinearLayer*> layerOfTensor;
        for (const auto& l : model.layers())
            layerOfTensor[l.tensorName] = &l;
        const auto& tensors = model.reader().tensors();
        for (size_t i = 0; i < tensors.size(); ++i) {
            progress.throwIfCancelled();
            const TensorInfo& info = tensors[i];
            HfTensor t;
            t.name = info.name;
            t.shape = info.shape;
            t.dtype = floatDtypeFor(info.dtype);
            t.fromSource = true;
            if (auto it = layerOfTensor.find(info.name); it != layerOfTensor.end()) {
                t.layer = it->second;
                t.rotaryHeads = t.layer->layout == WeightLayout::HfRotaryPermuted ? t.layer->rotaryHeads : 0;
                t.transposed = t.layer->layout == WeightLayout::Transposed;
            }
            visit(t);
            progress.report(share * double(i + 1) / double(tensors.size()), verb + " " + info.name);
        }
        return;
    }
    const auto& canon = model.canonicalTensors();
    for (size_t i = 0; i < canon.size(); ++i) {
        progress.throwIfCancelled();
        const CanonicalTensor& c = canon[i];
        const TensorInfo* info = model.reader().find(c.tensorName);
        HfTensor t;
        t.name = c.name + ".weight";
        t.dtype = floatDtypeFor(info ? info->dtype : "F32");
        t.canonicalName = c.name;
        if (const LinearLayer* l = model.findLayer(c.name); l && l->name == c.name) {
            t.layer = l;
            t.shape = {l->outFeatures, l->inFeatures};
            const bool qk = l->role == LayerRole::Q || l->role == LayerRole::K;
            if (qk && model.config().hasRotaryAttention())
                t.rotaryHeads = l->role == LayerRole::Q ? model.config().nHeads : model.config().nKvHeads;
        }
        visit(t);
        progress.report(share * double(i + 1) / double(canon.size()), verb + " " + c.name);
    }
}

Matrix toHfLayout(Matrix canonical, const HfTensor& t)
{
    if (t.rotaryHeads > 0)
        canonical = permuteRotaryRows(canonical, t.rotaryHeads);
    if (t.transposed)
        canonical = canonical.transpose().eval();
    return canonical;
}

void addSourceTensor(SafetensorsWriter& writer, const Model& model, const HfTensor& t)
{
    if (t.fromSource) {
        const auto* safetensors = dynamic_cast<const SafetensorsReader*>(&model.reader());
        const auto* sharded = dynamic_cast<const ShardedSafetensors*>(&model.reader());
        if (safetensors || sharded) {
            const RawTensorView raw = safetensors ? safetensors->raw(t.name) : sharded->raw(t.name);
            writer.addRawView(t.name, raw.dtype, raw.shape, raw.data, raw.size);
        } else {
            writer.addFloat(t.name, t.shape, model.reader().readFloat(t.name).data, t.dtype);
        }
        return;
    }
    FloatTensor f = model.canonicalTensor(t.canonicalName);
    if (t.rotaryHeads > 0) {
        const int64_t rows = f.shape[0], cols = f.shape.size() == 2 ? f.shape[1] : 1;
        const Matrix stored = toHfLayout(Eigen::Map<const Matrix>(f.data.data(), rows, cols), t);
        writer.addFloat(t.name, f.shape, stored.data(), size_t(stored.size()), t.dtype);
        return;
    }
    writer.addFloat(t.name, f.shape, f.data, t.dtype);
}

HfExportFiles::HfExportFiles(const std::string& dir, std::vector<std::string> targets, bool overwrite,
                             bool refuseShardIndex)
    : m_dir(dir)
{
    namespace fs = std::filesystem;
    if (!overwrite)
        for (const auto& t : targets)
            if (fs::exists(t))
                throw InputError(t, "already exists (choose another output or allow replacing it)");
    if (refuseShardIndex && fs::exists(fs::path(dir) / "model.safetensors.index.json"))
        throw InputError(dir, "holds a sharded checkpoint (model.safetensors.index.json), which loaders would "
                              "open instead of the exported model.safetensors: choose another directory");
    for (const auto& t : targets)
        if (fs::exists(t))
            m_existedBefore.push_back(t);
    if (!dir.empty() && !fs::exists(dir)) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            throw InputError(dir, "cannot create the output directory: " + ec.message());
        m_createdDir = true;
    }
}

HfExportFiles::~HfExportFiles()
{
    if (m_committed)
        return;
    namespace fs = std::filesystem;
    for (const auto& p : m_written) {
        if (std::find(m_existedBefore.begin(), m_existedBefore.end(), p) != m_existedBefore.end())
            continue;
        std::error_code ec;
        fs::remove(p, ec);
    }
    if (m_createdDir) {
        std::error_code ec;
        fs::remove(m_dir, ec); // only succeeds when empty
    }
}

std::string floatDtypeFor(const std::string& stored)
{
    return stored == "F16" || stored == "BF16" ? stored : "F32";
}

void writeTextFile(const std::string& path, const std::string& text, bool overwrite)
{
    AtomicFile f(path, overwrite);
    f.stream() << text;
    f.commit();
}

} // namespace salience
