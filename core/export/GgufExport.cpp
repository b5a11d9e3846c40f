#include "export/GgufExport.h"

#include "base/Error.h"
#include "base/PageAdvice.h"
#include "base/ParallelFor.h"
#include "eval/TokenizerLookup.h"
#include "export/GgufTokenizerKeys.h"
#include "io/GgmlDequant.h"
#include "io/GgufReader.h"
#include "io/GgufWriter.h"
#include "quant/GgmlQuantize.h"
#include "quant/Metrics.h"
#include "tensor/Half.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>

namespace fs = std::filesystem;

namespace salience {

namespace {

GgmlType parseType(const std::string& name, const std::string& where)
{
    const auto type = ggmlTypeFromName(name);
    if (!type)
        throw InputError(where, "unknown ggml type '" + name + "' (writable types: " + quantizableTypeList() + ")");
    if (!canQuantize(*type))
        throw InputError(where, "type '" + name + "' cannot be written (writable types: " + quantizableTypeList() + ")");
    return *type;
}

// Rows of an encoded tensor (each the same number of bytes) from canonical to Hugging Face's
// rotary order: rows never share a block, so this keeps a lossless encoding lossless.
void permuteEncodedRows(std::vector<uint8_t>& bytes, int64_t rows, int64_t heads)
{
    const size_t rowBytes = bytes.size() / size_t(rows);
    // permuteRotaryRows on a column of row indices tells which canonical row each stored row takes.
    Matrix index(rows, 1);
    for (int64_t r = 0; r < rows; ++r)
        index(r, 0) = float(r);
    const Matrix order = permuteRotaryRows(index, heads);
    std::vector<uint8_t> out(bytes.size());
    for (int64_t r = 0; r < rows; ++r)
        std::memcpy(out.data() + size_t(r) * rowBytes, bytes.data() + size_t(order(r, 0)) * rowBytes, rowBytes);
    bytes = std::move(out);
}


// The side parts of a result that a GGUF tensor has no place for, as a phrase ("input scales and
// low-rank factors"); empty when the base alone makes Ŵ.
std::string partsGgufCannotHold(const QuantizedLinear& q)
{
    std::vector<std::string> parts;
    if (!q.inputScale.empty())
        parts.push_back("input scales");
    if (q.rotation)
        parts.push_back("rotation");
    if (!q.sparse.empty())
        parts.push_back("sparse weights");
    if (q.rank() > 0)
        parts.push_back("low-rank factors");
    std::string phrase;
    for (size_t i = 0; i < parts.size(); ++i)
        phrase += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return phrase;
}

Matrix decodeAll(GgmlType type, const std::vector<uint8_t>& bytes, int64_t rows, int64_t cols)
{
    Matrix out(rows, cols);
    adviseHugePages(out.data(), size_t(out.size()) * sizeof(float));
    const size_t rowBytes = size_t(ggmlByteSize(type, cols));
    parallelRanges(rows, std::max<int64_t>(1, (int64_t(1) << 16) / std::max<int64_t>(1, cols)),
                   [&](int64_t begin, int64_t end) {
                       dequantizeRow(type, bytes.data() + size_t(begin) * rowBytes, out.data() + begin * cols,
                                     (end - begin) * cols);
                   });
    return out;
}

// Ŵ encoded block by block from the result's own scales (and zero points), when every value
// is d·q (or d·q + m) with the block's float16 d, m and an integer q in the type's range.
// Returns nothing when any block does not hold its values exactly: the caller requantizes.
std::optional<std::vector<uint8_t>> encodeExactly(const QuantizedLinear& q, const Matrix& values, GgmlType type)
{
    if (q.base == QuantBase::Ggml) {
        // ggml blocks already: the file holds them as they are, unless side parts moved Ŵ away.
        if (q.ggmlType != type || values.cols() != q.inFeatures)
            return std::nullopt;
        const Matrix decoded = decodeAll(type, q.ggmlBlocks, values.rows(), values.cols());
        if (std::memcmp(decoded.data(), values.data(), size_t(values.size()) * 4) != 0)
            return std::nullopt;
        return q.ggmlBlocks;
    }
    const bool symmetric = type == GgmlType::Q8_0 || type == GgmlType::Q4_0 || type == GgmlType::Q5_0;
    const bool asymmetric = type == GgmlType::Q4_1 || type == GgmlType::Q5_1;
    if (!symmetric && !asymmetric)
        return std::nullopt;
    const GgmlTypeTraits& traits = *ggmlTypeTraits(type);
    const int64_t rows = values.rows(), cols = values.cols();
    if (cols % 32 != 0 || q.scales.empty())
        return std::nullopt;
    // Integer range of q as the block stores it (before the type's offset).
    int qMin = 0, qMax = 0;
    switch (type) {
    case GgmlType::Q8_0: qMin = -128; qMax = 127; break;
    case GgmlType::Q4_0: qMin = -8; qMax = 7; break;
    case GgmlType::Q5_0: qMin = -16; qMax = 15; break;
    case GgmlType::Q4_1: qMin = 0; qMax = 15; break;
    default: qMin = 0; qMax = 31; break; // Q5_1
    }

    std::vector<uint8_t> out;
    const auto size = size_t(ggmlByteSize(type, rows * cols));
    out.reserve(size);
    adviseHugePages(out.data(), size);
    out.resize(size);
    std::vector<float> decoded(static_cast<size_t>(cols));
    const int64_t blocksPerRow = cols / 32;
    for (int64_t r = 0; r < rows; ++r) {
        uint8_t* rowOut = out.data() + size_t(r * blocksPerRow * traits.bytesPerBlock);
        for (int64_t b = 0; b < blocksPerRow; ++b) {
            const int64_t c0 = b * 32;
            const int64_t g = q.groupIndex(r, c0);
            if (g != q.groupIndex(r, c0 + 31) || g < 0 || size_t(g) >= q.scales.size())
                return std::nullopt; // a block spans two groups: two scales cannot share one d
            const float d = q.scales[size_t(g)];
            if (!std::isfinite(d) || roundToHalf(d) != d)
                return std::nullopt;
            float m = 0.0f;
            if (asymmetric) {
                if (size_t(g) >= q.zeroPoints.size())
                    return std::nullopt;
                m = -float(q.zeroPoints[size_t(g)]) * d;
                if (roundToHalf(m) != m)
                    return std::nullopt;
            }
            int levels[32];
            for (int j = 0; j < 32; ++j) {
                const double v = double(values(r, c0 + j));
                if (!std::isfinite(v))
                    return std::nullopt;
                const double level = d != 0.0f ? std::nearbyint((v - double(m)) / double(d)) : 0.0;
                if (level < qMin || level > qMax)
                    return std::nullopt;
                levels[j] = int(level);
            }
            uint8_t* block = rowOut + b * traits.bytesPerBlock;
            const uint16_t dh = floatToHalf(d), mh = floatToHalf(m);
            std::memcpy(block, &dh, 2);
            if (type == GgmlType::Q8_0) {
                for (int j = 0; j < 32; ++j)
                    block[2 + j] = uint8_t(int8_t(levels[j]));
                continue;
            }
            const int offset = type == GgmlType::Q4_0 ? 8 : type == GgmlType::Q5_0 ? 16 : 0;
            uint8_t* qs = block + 2;
            if (asymmetric) {
                std::memcpy(block + 2, &mh, 2);
                qs += 2;
            }
            const bool fiveBit = type == GgmlType::Q5_0 || type == GgmlType::Q5_1;
            uint32_t qh = 0;
            if (fiveBit)
                qs += 4;
            for (int j = 0; j < 16; ++j) {
                const uint32_t lo = uint32_t(levels[j] + offset), hi = uint32_t(levels[j + 16] + offset);
                qs[j] = uint8_t((lo & 0xf) | ((hi & 0xf) << 4));
                qh |= ((lo >> 4) & 1u) << j;
                qh |= ((hi >> 4) & 1u) << (j + 16);
            }
            if (fiveBit)
                std::memcpy(qs - 4, &qh, 4);
        }
        // What llama.cpp will read back must be Ŵ, bit for bit.
        dequantizeRow(type, rowOut, decoded.data(), cols);
        if (std::memcmp(decoded.data(), &values(r, 0), size_t(cols) * 4) != 0)
            return std::nullopt;
    }
    return out;
}


std::string findLlama2cTokenizer(const Model& model)
{
    const fs::path dir = fs::path(model.path()).parent_path();
    for (const std::string& name : {std::string("tokenizer.bin"),
                                   "tok" + std::to_string(model.config().vocabSize) + ".bin"}) {
        std::error_code ec;
        if (fs::is_regular_file(dir / name, ec))
            return (dir / name).string();
    }
    return {};
}

// The Hugging Face folder's tokenizer.json (the model's path is the folder or a file inside it).
std::string findHfTokenizer(const Model& model)
{
    std::error_code ec;
    const fs::path base(model.path());
    const fs::path file = (fs::is_directory(base, ec) ? base : base.parent_path()) / "tokenizer.json";
    return fs::is_regular_file(file, ec) ? file.string() : std::string();
}

bool isTokenizerJson(const std::string& path) { return fs::path(path).extension() == ".json"; }

} // namespace

uint32_t llamaFileType(GgmlType type)
{
    switch (type) {
    case GgmlType::F32: return 0;
    case GgmlType::F16: return 1;
    case GgmlType::Q4_0: return 2;
    case GgmlType::Q4_1: return 3;
    case GgmlType::Q8_0: return 7;
    case GgmlType::Q5_0: return 8;
    case GgmlType::Q5_1: return 9;
    case GgmlType::Q2_K: return 10;
    case GgmlType::Q3_K: return 11; // Q3_K_S: Q3_K nearly everywhere
    case GgmlType::Q4_K: return 14; // Q4_K_S
    case GgmlType::Q5_K: return 16; // Q5_K_S
    case GgmlType::Q6_K: return 18;
    case GgmlType::IQ4_NL: return 25;
    case GgmlType::BF16: return 32;
    default: return 0;
    }
}

GgufExportReport exportGguf(const Model& model, const std::map<std::string, QuantizedLinear>& results,
                            const std::string& outPath, const GgufExportOptions& options, Progress& progress)
{
    HeldResults held(results);
    return exportGguf(model, held, outPath, options, progress);
}

GgufExportReport exportGguf(const Model& model, LayerResultSource& results, const std::string& outPath,
                            const GgufExportOptions& options, Progress& progress)
{
    progress.throwIfCancelled();
    if (!model.isOpen())
        throw InputError(outPath, "no model to export");
    const ArchConfig& cfg = model.config();
    const std::string source = model.path();
    if (!cfg.isComplete())
        throw InputError(source, "the model's architecture is incomplete (dimensions, layers or heads unknown), so "
                                 "llama.cpp could not run it");
    if (const std::string gap = cfg.forwardPassGap(); !gap.empty())
        throw InputError(source, "GGUF export writes llama.cpp's llama, qwen2 and qwen3 architectures: " + gap);
    // llama.cpp runs Mistral as llama; Qwen2 and Qwen3 under their own names, with NEOX rotary
    // embeddings, so their q/k rows (and the vectors that follow them) go back to Hugging Face's
    // order in the file.
    const std::string arch = cfg.architecture == "mistral" ? std::string("llama") : cfg.architecture;
    const bool neox = cfg.ggufKeepsHfRotaryOrder();
    const auto rowHeadsOf = [&](LayerRole role) -> int64_t {
        if (!neox)
            return 0;
        return role == LayerRole::Q ? cfg.nHeads : role == LayerRole::K ? cfg.nKvHeads : 0;
    };

    // Everything that can be wrong with the options is checked before a file is created.
    const GgmlType defaultType = parseType(options.defaultType, "defaultType");
    std::map<std::string, GgmlType> typeOf; // canonical layer name → requested type
    for (const auto& [name, typeName] : options.layerTypes) {
        const LinearLayer* layer = model.findLayer(name);
        if (!layer)
            throw InputError("layerTypes", "'" + name + "' names no layer of " + source);
        typeOf[layer->name] = parseType(typeName, "layerTypes[" + name + "]");
    }
    std::map<std::string, std::string> resultKey; // canonical layer name → the name results use
    for (const auto& [name, recipe] : results.quantizedRecipes()) {
        const LinearLayer* layer = model.findLayer(name);
        if (!layer)
            throw InputError("results", "'" + name + "' names no layer of " + source);
        if (!resultKey.emplace(layer->name, name).second)
            throw InputError("results", "two results for layer " + layer->name);
    }
    // The shape of a result, as it arrives.
    const auto checkShape = [source](const LinearLayer& layer, const QuantizedLinear& result) {
        if (result.outFeatures != layer.outFeatures || result.inFeatures != layer.inFeatures)
            throw InputError(source, "layer " + layer.name + " is [" + std::to_string(layer.outFeatures) + ", " +
                                         std::to_string(layer.inFeatures) + "] but its result is [" +
                                         std::to_string(result.outFeatures) + ", " +
                                         std::to_string(result.inFeatures) + "]");
    };

    GgufExportReport report;
    report.path = outPath;
    GgufWriter writer;

    // ---- metadata ----
    const auto* gguf = dynamic_cast<const GgufReader*>(&model.reader());
    std::string name = options.name;
    if (name.empty() && gguf)
        name = gguf->getString("general.name").value_or("");
    if (name.empty())
        name = fs::path(source).stem().string();
    writer.setString("general.architecture", arch);
    writer.setString("general.name", name);
    int64_t context = cfg.contextLength;
    if (context <= 0) {
        context = 2048;
        report.warnings.push_back("context length unknown; " + arch + ".context_length set to 2048");
    }
    const auto u32 = [&](const std::string& key, int64_t v) {
        if (v < 0 || v > int64_t(std::numeric_limits<uint32_t>::max()))
            throw InputError(source, key + " = " + std::to_string(v) + " does not fit in uint32");
        writer.setUInt32(arch + "." + key, uint32_t(v));
    };
    u32("context_length", context);
    u32("embedding_length", cfg.dim);
    u32("block_count", cfg.nLayers);
    u32("feed_forward_length", cfg.hiddenDim);
    u32("attention.head_count", cfg.nHeads);
    u32("attention.head_count_kv", cfg.nKvHeads);
    writer.setFloat32(arch + ".attention.layer_norm_rms_epsilon", float(cfg.rmsNormEps));
    u32("rope.dimension_count", cfg.headDim);
    writer.setFloat32(arch + ".rope.freq_base", float(cfg.ropeTheta));
    if (cfg.ropeScalingType == "linear") {
        writer.setString(arch + ".rope.scaling.type", "linear");
        writer.setFloat32(arch + ".rope.scaling.factor", float(cfg.ropeScalingFactor));
    }
    if (cfg.headDim * cfg.nHeads != cfg.dim) { // llama.cpp assumes dim / heads otherwise
        u32("attention.key_length", cfg.headDim);
        u32("attention.value_length", cfg.headDim);
    }
    writer.setUInt32("general.file_type", options.fileType.value_or(llamaFileType(defaultType)));
    writer.setUInt32("general.quantization_version", 2);

    if (!options.tokenizerPath.empty()) {
        const std::string file = resolveTokenizerPath(options.tokenizerPath);
        if (isTokenizerJson(file))
            putHfTokenizer(writer, file, cfg.vocabSize);
        else
            putLlama2cTokenizer(writer, file, cfg.vocabSize);
    } else if (gguf) {
        bool any = false;
        for (const auto& key : gguf->keys())
            if (key.rfind("tokenizer.", 0) == 0) {
                writer.set(key, *gguf->metadata(key));
                any = true;
            }
        if (!any)
            report.warnings.push_back("the source GGUF has no tokenizer; llama.cpp needs one to run the file");
    } else if (model.format() == "llama2c") {
        const std::string tok = findLlama2cTokenizer(model);
        if (tok.empty())
            throw InputError(source, "no tokenizer.bin or tok" + std::to_string(cfg.vocabSize) +
                                         ".bin beside the model; set tokenizerPath to the llama2.c tokenizer");
        putLlama2cTokenizer(writer, tok, cfg.vocabSize);
    } else if (const std::string json = findHfTokenizer(model); !json.empty()) {
        putHfTokenizer(writer, json, cfg.vocabSize);
    } else {
        report.warnings.push_back("no tokenizer written: no tokenizer.json in the model's folder (set tokenizerPath "
                                  "to a tokenizer.json or a llama2.c tokenizer.bin); llama.cpp needs one to run the file");
    }

    // ---- tensors, in llama.cpp's order ----
    // Linear layers by (block, role); norms by canonical name.
    std::map<std::pair<int, LayerRole>, const LinearLayer*> byRole;
    for (const auto& l : model.layers()) {
        if (l.role == LayerRole::Other) {
            report.warnings.push_back("layer " + l.name + " has no place in llama.cpp's " + arch +
                                      " architecture; skipped");
            continue;
        }
        byRole[{l.block, l.role}] = &l;
    }
    std::set<std::string> written;
    std::vector<std::string> takeOrder; // the results, in the order the file needs them

    // A float32 vector (norm, bias); `rowHeads` > 0 puts it back in Hugging Face's rotary order.
    const auto addVector = [&](const std::string& canonical, const std::string& tensorName, int64_t size,
                               int64_t rowHeads) {
        if (!model.findCanonical(canonical))
            throw InputError(source, "missing tensor " + canonical + " (llama.cpp's " + tensorName + ")");
        written.insert(canonical);
        writer.addTensor(tensorName, GgmlType::F32, {size},
                         GgufWriter::Producer([&model, canonical, size, rowHeads, source] {
                             FloatTensor t = model.canonicalTensor(canonical);
                             if (t.numel() != size)
                                 throw InputError(source, canonical + " has " + std::to_string(t.numel()) +
                                                              " values, not " + std::to_string(size));
                             if (rowHeads > 0) {
                                 const Matrix hf = permuteRotaryRows(Eigen::Map<const Matrix>(t.data.data(), size, 1), rowHeads);
                                 t.data.assign(hf.data(), hf.data() + hf.size());
                             }
                             std::vector<uint8_t> bytes(size_t(size) * 4);
                             std::memcpy(bytes.data(), t.data.data(), bytes.size());
                             return bytes;
                         }));
    };
    const auto addNorm = [&](const std::string& canonical, const std::string& tensorName) {
        addVector(canonical, tensorName, cfg.dim, 0);
    };
    // The optional vectors of a block: Qwen2's biases, Qwen3's per-head norms.
    const auto addOptionalVector = [&](const std::string& canonical, const std::string& tensorName, int64_t size,
                                       int64_t rowHeads) {
        if (model.findCanonical(canonical))
            addVector(canonical, tensorName, size, rowHeads);
    };

    // Reserve report slots first: producers fill them by index while the file is written.
    const auto addLinear = [&](const LinearLayer& l) {
        written.insert(l.name);
        GgufLayerExport entry;
        entry.layer = l.name;
        entry.tensorName = ggufTensorName(l.block, l.role);
        const auto it = typeOf.find(l.name);
        const GgmlType requested =
            it != typeOf.end() ? it->second : (l.role == LayerRole::Embedding ? GgmlType::F32 : defaultType);
        const GgmlType type = ggmlFallbackType(requested, l.inFeatures);
        entry.requestedType = ggmlTypeName(uint32_t(requested));
        entry.type = ggmlTypeName(uint32_t(type));
        entry.fallback = type != requested;
        const auto key = resultKey.find(l.name);
        entry.fromResult = key != resultKey.end();
        if (entry.fromResult)
            takeOrder.push_back(key->second);
        report.layers.push_back(entry);
        const size_t slot = report.layers.size() - 1;
        const std::string resultName = entry.fromResult ? key->second : std::string();
        const int64_t rowHeads = rowHeadsOf(l.role);
        const auto weighting = options.importance.find(l.name);
        const std::vector<float>* importance =
            !entry.fromResult && weighting != options.importance.end() && int64_t(weighting->second.size()) == l.inFeatures
                ? &weighting->second
                : nullptr;
        if (!entry.fromResult && rowHeads == 0) {
            // From the float weight: quantized, checked and written a slab of rows at a time (ggml
            // quantizes rows independently, so the bytes are the whole tensor's), so a large
            // embedding is never held twice.
            writer.addTensorInPieces(
                entry.tensorName, type, {l.outFeatures, l.inFeatures},
                [&model, &report, &progress, &l, slot, type, importance](const GgufWriter::ByteWriter& write) {
                    progress.throwIfCancelled();
                    const Matrix original = model.weight(l);
                    const int64_t rows = original.rows(), cols = original.cols();
                    const int64_t slab = std::max<int64_t>(1, (int64_t(32) << 20) / 4 / std::max<int64_t>(1, cols));
                    double w2 = 0, e2 = 0; // as relativeWeightError sums them, in the same order
                    bool lossless = true;
                    for (int64_t r0 = 0; r0 < rows; r0 += slab) {
                        const int64_t n = std::min(slab, rows - r0);
                        const float* values = original.data() + r0 * cols;
                        const std::vector<uint8_t> bytes =
                            quantizeRows(type, values, n, cols, importance ? importance->data() : nullptr);
                        const Matrix decoded = decodeAll(type, bytes, n, cols);
                        lossless = lossless && std::memcmp(decoded.data(), values, size_t(n * cols) * 4) == 0;
                        for (int64_t i = 0; i < n * cols; ++i) {
                            const double w = values[i];
                            const double e = w - double(decoded.data()[i]);
                            w2 += w * w;
                            e2 += e * e;
                        }
                        write(bytes.data(), bytes.size());
                    }
                    GgufLayerExport& e = report.layers[slot];
                    e.lossless = lossless;
                    e.errorVsOriginal = e.errorVsResult =
                        w2 > 0 ? std::sqrt(e2 / w2) : e2 > 0 ? std::numeric_limits<double>::infinity() : 0.0;
                });
            return;
        }
        writer.addTensor(entry.tensorName, type, {l.outFeatures, l.inFeatures},
                         GgufWriter::Producer([&model, &report, &progress, &results, &checkShape, &l, slot, type,
                                               resultName, rowHeads, importance] {
                             progress.throwIfCancelled();
                             // Taken as it is written, and let go of after: a stream's memory stays flat.
                             const std::shared_ptr<const QuantizedLinear> result =
                                 resultName.empty() ? nullptr : results.take(resultName);
                             if (result)
                                 checkShape(l, *result);
                             const Matrix original = model.weight(l);
                             const Matrix dequantized = result ? result->dequantize() : Matrix();
                             const Matrix& target = result ? dequantized : original; // no copy of W
                             std::optional<std::vector<uint8_t>> bytes;
                             if (result)
                                 bytes = encodeExactly(*result, target, type);
                             if (!bytes)
                                 bytes = quantizeRows(type, target.data(), target.rows(), target.cols(),
                                                      importance ? importance->data() : nullptr);
                             const Matrix decoded = decodeAll(type, *bytes, target.rows(), target.cols());
                             GgufLayerExport& e = report.layers[slot];
                             if (result) {
                                 e.method = result->method;
                                 e.unheldParts = partsGgufCannotHold(*result);
                             }
                             e.lossless = std::memcmp(decoded.data(), target.data(), size_t(target.size()) * 4) == 0;
                             e.errorVsOriginal = relativeWeightError(original, decoded);
                             e.errorVsResult = relativeWeightError(target, decoded);
                             if (rowHeads > 0)
                                 permuteEncodedRows(*bytes, target.rows(), rowHeads);
                             return std::move(*bytes);
                         }));
    };

    const auto linear = [&](int block, LayerRole role) -> const LinearLayer* {
        const auto it = byRole.find({block, role});
        return it == byRole.end() ? nullptr : it->second;
    };
    const LinearLayer* embedding = linear(-1, LayerRole::Embedding);
    if (!embedding)
        throw InputError(source, "no token embedding (llama.cpp's token_embd.weight)");
    addLinear(*embedding);
    for (int b = 0; b < int(cfg.nLayers); ++b) {
        const std::string prefix = "model.layers." + std::to_string(b) + ".";
        const std::string blk = "blk." + std::to_string(b) + ".";
        addNorm(prefix + "input_layernorm", blk + "attn_norm.weight");
        for (LayerRole role : {LayerRole::Q, LayerRole::K, LayerRole::V, LayerRole::O}) {
            const LinearLayer* l = linear(b, role);
            if (!l)
                throw InputError(source, "block " + std::to_string(b) + " has no " + std::string(roleName(role)) +
                                             " projection");
            addLinear(*l);
        }
        const int64_t qDim = cfg.nHeads * cfg.headDim, kvDim = cfg.nKvHeads * cfg.headDim;
        addOptionalVector(prefix + "self_attn.q_proj.bias", blk + "attn_q.bias", qDim, rowHeadsOf(LayerRole::Q));
        addOptionalVector(prefix + "self_attn.k_proj.bias", blk + "attn_k.bias", kvDim, rowHeadsOf(LayerRole::K));
        addOptionalVector(prefix + "self_attn.v_proj.bias", blk + "attn_v.bias", kvDim, 0);
        addOptionalVector(prefix + "self_attn.q_norm", blk + "attn_q_norm.weight", cfg.headDim, neox ? 1 : 0);
        addOptionalVector(prefix + "self_attn.k_norm", blk + "attn_k_norm.weight", cfg.headDim, neox ? 1 : 0);
        addNorm(prefix + "post_attention_layernorm", "blk." + std::to_string(b) + ".ffn_norm.weight");
        for (LayerRole role : {LayerRole::Gate, LayerRole::Up, LayerRole::Down}) {
            const LinearLayer* l = linear(b, role);
            if (!l)
                throw InputError(source, "block " + std::to_string(b) + " has no " + std::string(roleName(role)) +
                                             " projection");
            addLinear(*l);
        }
    }
    addNorm("model.norm", "output_norm.weight");
    // Llama 3's rotary scaling travels as one divisor per frequency.
    if (model.findCanonical("rope_freqs")) {
        addVector("rope_freqs", "rope_freqs.weight", cfg.headDim / 2, 0);
    } else if (cfg.ropeScalingType == "llama3") {
        const std::vector<float> factors = cfg.ropeFrequencyFactors();
        writer.addTensor("rope_freqs.weight", GgmlType::F32, {int64_t(factors.size())},
                         GgufWriter::Producer([factors] {
                             std::vector<uint8_t> bytes(factors.size() * 4);
                             std::memcpy(bytes.data(), factors.data(), bytes.size());
                             return bytes;
                         }));
    }
    // Without output.weight llama.cpp reuses token_embd (tied embeddings).
    if (const LinearLayer* classifier = linear(-1, LayerRole::Classifier))
        addLinear(*classifier);

    for (const auto& l : model.layers())
        if (!written.count(l.name) && l.role != LayerRole::Other)
            report.warnings.push_back("layer " + l.name + " is outside blocks 0.." +
                                      std::to_string(cfg.nLayers - 1) + "; skipped");
    for (const auto& t : model.canonicalTensors())
        if (!written.count(t.name) && !model.findLayer(t.name))
            report.warnings.push_back("tensor " + t.tensorName + " has no place in llama.cpp's " + arch +
                                      " architecture; skipped");

    results.expect(takeOrder);
    writer.write(outPath, options.overwrite, progress);
    return report;
}

} // namespace salience
