// llama-quantize's mixes (export/LlamaQuantizeMix.h) against llama.cpp itself. The libllama.so of
// npm's node-llama-cpp (the prebuilt llama.cpp v0.5.0 core_llamacpp runs, installed once into
// <build dir>/llamacpp-reference by tests/reference/install.sh) exports llama_model_quantize: it
// is loaded with dlopen and run (one thread; with an imatrix file's arrays or without) on F32 GGUFs Salience exports of shaped
// checkpoints of every architecture (the four tiny shapes, tiny-llama3 with 12 blocks, a 12-block
// llama whose rows are whole 256-value blocks with n_head/n_head_kv = 4, an 8-block tied qwen3
// with 256-wide rows and a 320-wide ffn_down, and 80-block llama and qwen2, which llama.cpp types
// "70B"), for every preset. For each file the test checks
// that (1) every tensor llama.cpp wrote has the type llamaQuantizeMix predicts, and (2)
// Salience's own `export --preset` of the same F32 file has the same tensors, types, shapes,
// general.file_type and the same bytes in every tensor. The overrides (--output-tensor-type,
// --token-embedding-type, tied or not) and --pure are compared the same way. Those slots skip
// when node is absent or the reference cannot be installed here.
//
// The hand tables (no llama.cpp needed) were written from llama.cpp's src/llama-quant.cpp
// (llama_tensor_get_type_impl, tensor_type_fallback) of the same release; the reference slots
// are what shows they are right.
#include "base/Error.h"
#include "demo/ShapedCheckpoint.h"
#include "export/ExportRun.h"
#include "export/GgufExport.h"
#include "export/LlamaQuantizeMix.h"
#include "io/GgmlTypes.h"
#include "acts/OpenActivations.h"
#include "io/GgufReader.h"
#include "io/ImatrixWriter.h"
#include "model/LayerDiscovery.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "run/Runner.h"

#include "InputErrorCheck.h"
#include "ReferenceInstall.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#ifndef SALIENCE_LLAMACPP_DIR
#error "tests/CMakeLists.txt defines SALIENCE_LLAMACPP_DIR and SALIENCE_REFERENCE_SCRIPTS for this suite"
#endif

using namespace salience;

namespace {

const char* const kBins = "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64";

// llama.h's llama_model_quantize_params of llama.cpp v0.5.0 (the layout its
// llama_model_quantize_default_params writes: 64 bytes). enum ggml_type / llama_ftype are ints.
struct QuantizeParams {
    int32_t nthread;
    int32_t ftype;
    int32_t outputTensorType;
    int32_t tokenEmbeddingType;
    bool allowRequantize;
    bool quantizeOutputTensor;
    bool onlyCopy;
    bool pure;
    bool keepSplit;
    bool dryRun;
    const void* imatrix;
    const void* kvOverrides;
    const void* ttOverrides;
    const int32_t* pruneLayers;
    size_t maxBufSize;
};
static_assert(sizeof(QuantizeParams) == 64, "llama_model_quantize_params of llama.cpp v0.5.0 is 64 bytes");

// llama.h's llama_model_imatrix_data: one tensor's importance array.
struct ImatrixArray {
    const char* name;
    const float* data;
    size_t size;
};

// What llama-quantize's load_imatrix makes of a legacy .dat file (tools/quantize/quantize.cpp of
// the same release), written here from the file layout alone: per entry, each float value
// divided by the entry's ncall in float (left as it is when ncall is 0).
std::map<std::string, std::vector<float>> llamaQuantizeReadsDat(const std::string& path)
{
    std::map<std::string, std::vector<float>> out;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        return out;
    const auto readInt = [f] {
        int32_t v = 0;
        return std::fread(&v, 4, 1, f) == 1 ? v : -1;
    };
    const int32_t entries = readInt();
    for (int32_t i = 0; i < entries; ++i) {
        std::string name(size_t(std::max(readInt(), 0)), '\0');
        if (std::fread(name.data(), 1, name.size(), f) != name.size())
            break;
        const int32_t ncall = readInt();
        std::vector<float> values(size_t(std::max(readInt(), 0)));
        if (std::fread(values.data(), 4, values.size(), f) != values.size())
            break;
        if (ncall > 0)
            for (float& v : values)
                v = v / float(ncall);
        out[name] = std::move(values);
    }
    std::fclose(f);
    return out;
}

using DefaultParamsFn = QuantizeParams (*)();
using QuantizeFn = uint32_t (*)(const char* in, const char* out, const QuantizeParams* params);
using BackendInitFn = void (*)();
using LogCallback = void (*)(int level, const char* text, void* user);
using LogSetFn = void (*)(LogCallback callback, void* user);

// Shapes: the tiny ones as published, and three made here so that k-quant blocks fit rows and
// the use_more_bits pattern and n_gqa rules show.
CheckpointShape shapeNamed(const std::string& name, int64_t& layers)
{
    layers = 0;
    if (name == "tiny-llama3-12") { // ShapedCheckpointOptions::layers only cuts a shape down
        CheckpointShape s = checkpointShape("tiny-llama3");
        s.name = name, s.layers = 12;
        return s;
    }
    if (name == "tiny-llama3-80" || name == "tiny-qwen2-80") { // llama.cpp types both "70B"
        CheckpointShape s = checkpointShape(name == "tiny-llama3-80" ? "tiny-llama3" : "tiny-qwen2");
        s.name = name, s.layers = 80;
        return s;
    }
    if (name == "wide-llama-12") { // rows of 256 and 768: every k-quant fits; n_gqa 4
        CheckpointShape s = checkpointShape("tiny-llama3");
        s.name = name, s.dim = 256, s.hiddenDim = 768, s.heads = 8, s.kvHeads = 2, s.headDim = 32, s.layers = 12;
        return s;
    }
    if (name == "wide-qwen3-tied-8") { // tied; rows of 256, but ffn_down's of 320 fall back
        CheckpointShape s = checkpointShape("tiny-qwen3");
        s.name = name, s.dim = 256, s.hiddenDim = 320, s.heads = 4, s.kvHeads = 4, s.headDim = 64, s.layers = 8;
        return s;
    }
    return checkpointShape(name);
}

const std::vector<std::string> kShapes{"tiny-llama3",   "tiny-qwen2",    "tiny-qwen3",       "tiny-mistral",
                                       "tiny-llama3-12", "wide-llama-12", "wide-qwen3-tied-8", "tiny-llama3-80",
                                       "tiny-qwen2-80"};

// The presets without the three aliases (Q3_K, Q4_K, Q5_K give the same file as their _M).
std::vector<std::string> presetsToCompare()
{
    std::vector<std::string> out;
    for (const std::string& p : llamaQuantizePresets())
        if (p != "Q3_K" && p != "Q4_K" && p != "Q5_K")
            out.push_back(p);
    return out;
}

std::map<std::string, std::string> tensorTypes(const GgufReader& gguf)
{
    std::map<std::string, std::string> out;
    for (const auto& t : gguf.ggufTensors())
        out[t.info.name] = ggmlTypeName(t.typeId);
    return out;
}

// The mix as tensor name → written type.
std::map<std::string, std::string> mixByTensor(const LlamaQuantizeMix& mix)
{
    std::map<std::string, std::string> out;
    for (const auto& [layer, t] : mix.layers)
        out[t.tensorName] = t.type;
    return out;
}

QString describe(const std::map<std::string, std::string>& expected, const std::map<std::string, std::string>& got)
{
    QStringList lines;
    for (const auto& [name, type] : expected) {
        const auto it = got.find(name);
        const std::string other = it == got.end() ? "<missing>" : it->second;
        if (other != type)
            lines << QString::fromStdString(name + ": expected " + type + ", llama.cpp wrote " + other);
    }
    return lines.join("; ");
}

} // namespace

class TestLlamaQuantize : public QObject {
    Q_OBJECT

    QString m_scripts = QString::fromUtf8(SALIENCE_REFERENCE_SCRIPTS);
    QString m_installDir = QString::fromUtf8(SALIENCE_LLAMACPP_DIR);
    QString m_unavailable; // why the reference slots skip; empty when llama.cpp is loaded
    void* m_library = nullptr;
    DefaultParamsFn m_defaultParams = nullptr;
    QuantizeFn m_quantize = nullptr;
    QTemporaryDir m_dir;
    std::map<std::string, std::string> m_f32; // shape → Salience's F32 GGUF of it
    int m_compared = 0;                        // tensors compared with llama.cpp's, bytes included

    // Salience's F32 GGUF of a shape (written once per suite).
    std::string f32Gguf(const std::string& shapeName)
    {
        if (const auto it = m_f32.find(shapeName); it != m_f32.end())
            return it->second;
        int64_t layers = 0;
        const CheckpointShape shape = shapeNamed(shapeName, layers);
        const std::string hf = m_dir.filePath(QString::fromStdString(shapeName + "-hf")).toStdString();
        const std::string gguf = m_dir.filePath(QString::fromStdString(shapeName + "-f32.gguf")).toStdString();
        Progress progress;
        ShapedCheckpointOptions options;
        options.layers = layers;
        options.seed = 5;
        writeShapedCheckpoint(shape, hf, options, progress);
        GgufExportOptions exportOptions;
        exportOptions.defaultType = "F32";
        exportGguf(Model::open(hf), {}, gguf, exportOptions, progress);
        return m_f32[shapeName] = gguf;
    }

    Model openShape(const std::string& shapeName) { return Model::open(f32Gguf(shapeName)); }

    // llama_model_quantize of `in` into `out`; `imatrix` null or a table ended by a null name.
    bool llamaQuantize(const std::string& in, const std::string& out, const std::string& preset,
                       const std::string& outputType = {}, const std::string& embeddingType = {}, bool pure = false,
                       const ImatrixArray* imatrix = nullptr)
    {
        QuantizeParams params = m_defaultParams();
        params.imatrix = imatrix;
        params.nthread = 1;
        params.ftype = int32_t(llamaQuantizeFileType(preset));
        if (!outputType.empty())
            params.outputTensorType = int32_t(*ggmlTypeFromName(outputType));
        if (!embeddingType.empty())
            params.tokenEmbeddingType = int32_t(*ggmlTypeFromName(embeddingType));
        params.pure = pure;
        return m_quantize(in.c_str(), out.c_str(), &params) == 0;
    }

    // Every tensor of `salience` against `llama`: names, types, shapes, bytes; and general.file_type.
    void compareFiles(const std::string& salience, const std::string& llama)
    {
        const GgufReader a(salience), b(llama);
        QCOMPARE(a.ggufTensors().size(), b.ggufTensors().size());
        for (const auto& t : b.ggufTensors()) {
            const std::string& name = t.info.name;
            const GgufTensorInfo* mine = a.tensorInfo(name);
            QVERIFY2(mine, qPrintable(QString::fromStdString("Salience's file has no " + name)));
            QVERIFY2(mine->typeId == t.typeId,
                     qPrintable(QString::fromStdString(name + ": Salience wrote " + ggmlTypeName(mine->typeId) +
                                                       ", llama.cpp " + ggmlTypeName(t.typeId))));
            QVERIFY2(mine->ne == t.ne, qPrintable(QString::fromStdString(name + ": shapes differ")));
            const auto x = a.rawBytes(name), y = b.rawBytes(name);
            QCOMPARE(x.size, y.size);
            QVERIFY2(std::memcmp(x.data, y.data, x.size) == 0,
                     qPrintable(QString::fromStdString(name + " (" + ggmlTypeName(t.typeId) + "): bytes differ")));
            ++m_compared;
        }
        QCOMPARE(a.getInt("general.file_type"), b.getInt("general.file_type"));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (QStandardPaths::findExecutable("node").isEmpty()) {
            m_unavailable = "node is not on PATH: the llama.cpp reference (node-llama-cpp) needs node >= 20 and npm";
            return;
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SALIENCE_LLAMACPP_DIR", m_installDir);
        env.insert("NODE_LLAMA_CPP_SKIP_DOWNLOAD", "true");
        const auto install = testsupport::installReference(m_scripts, "install.sh", m_installDir, env);
        if (install.outcome == testsupport::ReferenceInstall::Outcome::Unavailable) {
            m_unavailable = install.message;
            return;
        }
        QVERIFY2(install.outcome == testsupport::ReferenceInstall::Outcome::Ready, qPrintable(install.message));
        // libllama.v<release>.so (node-llama-cpp names it after the llama.cpp release).
        const QStringList found = QDir(QDir(m_installDir).filePath(kBins)).entryList({"libllama.v*.so"}, QDir::Files);
        QVERIFY2(found.size() == 1, qPrintable("expected one libllama.v*.so in " + QDir(m_installDir).filePath(kBins)));
        const QString library = QDir(QDir(m_installDir).filePath(kBins)).filePath(found.front());
        m_library = dlopen(library.toUtf8().constData(), RTLD_NOW | RTLD_LOCAL);
        QVERIFY2(m_library, dlerror());
        m_defaultParams = reinterpret_cast<DefaultParamsFn>(dlsym(m_library, "llama_model_quantize_default_params"));
        m_quantize = reinterpret_cast<QuantizeFn>(dlsym(m_library, "llama_model_quantize"));
        const auto backendInit = reinterpret_cast<BackendInitFn>(dlsym(m_library, "llama_backend_init"));
        const auto logSet = reinterpret_cast<LogSetFn>(dlsym(m_library, "llama_log_set"));
        QVERIFY2(m_defaultParams && m_quantize && backendInit && logSet, "libllama lacks llama_model_quantize");
        logSet([](int, const char* t, void*) { if (std::getenv("SALIENCE_LLAMA_LOG")) std::fputs(t, stderr); }, nullptr); // quiet: one line per tensor otherwise
        backendInit();
        // The layout above is the library's: its defaults are Q8_0, no override types, output quantized.
        const QuantizeParams defaults = m_defaultParams();
        QCOMPARE(defaults.ftype, 7);
        QVERIFY(defaults.outputTensorType > int32_t(GgmlType::Q1_0));
        QCOMPARE(defaults.tokenEmbeddingType, defaults.outputTensorType);
        QVERIFY(defaults.quantizeOutputTensor && !defaults.pure && !defaults.onlyCopy);
        QCOMPARE(defaults.maxBufSize, size_t(8) << 30);
    }

    void cleanupTestCase()
    {
        if (m_library)
            dlclose(m_library);
        if (m_unavailable.isEmpty())
            QVERIFY2(m_compared > 0, "no tensor was compared with llama.cpp's");
        qInfo("%d tensors compared with llama-quantize's, type and bytes", m_compared);
    }

    // ---- hand tables, from llama-quant.cpp ----

    void presetNamesAndFileTypes()
    {
        QCOMPARE(llamaQuantizeFileType("Q4_K_M"), 15u);
        QCOMPARE(llamaQuantizeFileType("q4_k_m"), 15u);
        QCOMPARE(llamaQuantizeFileType("Q4_K"), 15u);
        QCOMPARE(llamaQuantizeFileType("Q3_K_S"), 11u);
        QCOMPARE(llamaQuantizeFileType("Q2_K"), 10u);
        QCOMPARE(llamaQuantizeFileType("Q6_K"), 18u);
        QCOMPARE(llamaQuantizeFileType("Q8_0"), 7u);
        QCOMPARE(llamaQuantizeFileType("Q4_0"), 2u);
        QCOMPARE(llamaQuantizeFileType("Q5_K_S"), 16u);
        for (const char* p : {"Q4_K_M", "Q4_K_S", "Q5_K_M", "Q5_K_S", "Q3_K_M", "Q3_K_S", "Q3_K_L", "Q2_K", "Q6_K",
                              "Q8_0", "Q4_0"})
            QVERIFY2(std::find(llamaQuantizePresets().begin(), llamaQuantizePresets().end(), p) !=
                         llamaQuantizePresets().end(), p);
    }

    void unknownPresetNamesTheOptionAndThePresets()
    {
        const Model model = openShape("tiny-llama3");
        VERIFY_INPUT_ERROR(llamaQuantizeMix(model, "Q4_K_X"), std::string("--preset"), "Q4_K_M");
        VERIFY_INPUT_ERROR(llamaQuantizeMix(model, "Q4_K_X"), std::string("Q4_K_X"), "Q3_K_S");
        LlamaQuantizeOptions bad;
        bad.outputTensorType = "Q7_K";
        VERIFY_INPUT_ERROR(llamaQuantizeMix(model, "Q4_K_M", bad), std::string("--output-tensor-type"), "Q7_K");
        bad = {};
        bad.tokenEmbeddingType = "IQ2_XXS"; // a ggml type Salience does not write
        VERIFY_INPUT_ERROR(llamaQuantizeMix(model, "Q4_K_M", bad), std::string("--token-embedding-type"), "IQ2_XXS");
    }

    void q4kmUsesMoreBitsInTheRightBlocks()
    {
        const Model model = openShape("wide-llama-12");
        const LlamaQuantizeMix mix = llamaQuantizeMix(model, "Q4_K_M");
        QCOMPARE(mix.preset, std::string("Q4_K_M"));
        QCOMPARE(mix.fileType, 15u);
        // use_more_bits(i, 12): i < 1, i >= 10, (i - 1) % 3 == 2.
        const std::set<int> more{0, 3, 6, 9, 10, 11};
        for (int b = 0; b < 12; ++b) {
            const std::string p = "model.layers." + std::to_string(b) + ".";
            const std::string upgraded = more.count(b) ? "Q6_K" : "Q4_K";
            QCOMPARE(mix.layers.at(p + "mlp.down_proj").type, upgraded);
            QCOMPARE(mix.layers.at(p + "self_attn.v_proj").type, upgraded);
            for (const char* other : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.o_proj", "mlp.gate_proj",
                                      "mlp.up_proj"})
                QCOMPARE(mix.layers.at(p + other).type, std::string("Q4_K"));
        }
        QCOMPARE(mix.layers.at("lm_head").type, std::string("Q6_K"));
        QCOMPARE(mix.layers.at("model.embed_tokens").type, std::string("Q4_K"));
        QVERIFY(mix.layers.at("model.layers.3.mlp.down_proj").reason.find("use_more_bits") != std::string::npos);
    }

    void lowBitMixesUpgradeAttentionAndFfnDown()
    {
        const Model model = openShape("wide-llama-12"); // n_head / n_head_kv = 4
        const LlamaQuantizeMix q2 = llamaQuantizeMix(model, "q2_k");
        const LlamaQuantizeMix q3m = llamaQuantizeMix(model, "Q3_K_M");
        const LlamaQuantizeMix q3l = llamaQuantizeMix(model, "Q3_K_L");
        const LlamaQuantizeMix q4s = llamaQuantizeMix(model, "Q4_K_S");
        for (int b = 0; b < 12; ++b) {
            const std::string p = "model.layers." + std::to_string(b) + ".";
            QCOMPARE(q2.layers.at(p + "self_attn.v_proj").type, std::string("Q4_K"));
            QCOMPARE(q2.layers.at(p + "mlp.down_proj").type, std::string("Q3_K"));
            QCOMPARE(q2.layers.at(p + "self_attn.o_proj").type, std::string("Q3_K"));
            QCOMPARE(q2.layers.at(p + "self_attn.q_proj").type, std::string("Q2_K"));
            QCOMPARE(q3m.layers.at(p + "self_attn.v_proj").type, std::string(b < 2 ? "Q5_K" : "Q4_K"));
            QCOMPARE(q3m.layers.at(p + "mlp.down_proj").type, std::string("Q4_K")); // 12/16 = 0 blocks get Q5_K
            QCOMPARE(q3m.layers.at(p + "self_attn.o_proj").type, std::string("Q4_K"));
            QCOMPARE(q3m.layers.at(p + "mlp.up_proj").type, std::string("Q3_K"));
            QCOMPARE(q3l.layers.at(p + "self_attn.v_proj").type, std::string("Q5_K"));
            QCOMPARE(q3l.layers.at(p + "mlp.down_proj").type, std::string("Q5_K"));
            QCOMPARE(q3l.layers.at(p + "self_attn.o_proj").type, std::string("Q5_K"));
            QCOMPARE(q4s.layers.at(p + "self_attn.v_proj").type, std::string(b < 4 ? "Q5_K" : "Q4_K"));
            QCOMPARE(q4s.layers.at(p + "mlp.down_proj").type, std::string(b < 1 ? "Q5_K" : "Q4_K"));
        }
        for (const LlamaQuantizeMix* m : {&q2, &q3m, &q3l, &q4s})
            QCOMPARE(m->layers.at("lm_head").type, std::string("Q6_K"));
        QCOMPARE(q2.layers.at("model.embed_tokens").type, std::string("Q2_K"));
    }

    void seventyBModelsUpgradeAttnV()
    {
        // 80 blocks with grouped KV heads: llama.cpp's "70B", whose Q3_K/Q4_K attn_v become Q5_K.
        const LlamaQuantizeMix q3s = llamaQuantizeMix(openShape("tiny-llama3-80"), "Q3_K_S");
        QCOMPARE(q3s.layers.at("model.layers.40.self_attn.v_proj").requested, std::string("Q5_K"));
        QCOMPARE(q3s.layers.at("model.layers.40.self_attn.q_proj").requested, std::string("Q3_K"));
        const LlamaQuantizeMix q3m = llamaQuantizeMix(openShape("tiny-qwen2-80"), "Q3_K_M");
        QCOMPARE(q3m.layers.at("model.layers.40.self_attn.v_proj").requested, std::string("Q5_K"));
        QCOMPARE(q3m.layers.at("model.layers.4.mlp.down_proj").requested, std::string("Q5_K")); // i < 80/16
        QCOMPARE(q3m.layers.at("model.layers.5.mlp.down_proj").requested, std::string("Q4_K"));
    }

    void fallbacksAndTiedEmbeddings()
    {
        // Tied: token_embd takes output.weight's rule (Q6_K). ffn_down rows of 320 are not whole
        // 256-value blocks: Q6_K → Q8_0, Q5_K → Q5_1.
        const Model tied = openShape("wide-qwen3-tied-8");
        QVERIFY(!tied.findLayer("lm_head"));
        const LlamaQuantizeMix q5m = llamaQuantizeMix(tied, "Q5_K_M");
        QCOMPARE(q5m.layers.at("model.embed_tokens").type, std::string("Q6_K"));
        const std::set<int> more{0, 3, 6, 7}; // use_more_bits(i, 8)
        for (int b = 0; b < 8; ++b) {
            const auto& down = q5m.layers.at("model.layers." + std::to_string(b) + ".mlp.down_proj");
            QCOMPARE(down.requested, std::string(more.count(b) ? "Q6_K" : "Q5_K"));
            QCOMPARE(down.type, std::string(more.count(b) ? "Q8_0" : "Q5_1"));
            QVERIFY(down.reason.find("tensor_type_fallback") != std::string::npos);
            QCOMPARE(q5m.layers.at("model.layers." + std::to_string(b) + ".mlp.up_proj").type, std::string("Q5_K"));
        }
        // Rows of 64: no k-quant fits. Q8_0 tied keeps Q8_0; Q4_0's classifier is Q6_K → Q8_0.
        QCOMPARE(llamaQuantizeMix(openShape("tiny-qwen3"), "Q8_0").layers.at("model.embed_tokens").type,
                 std::string("Q8_0"));
        const LlamaQuantizeMix q40 = llamaQuantizeMix(openShape("tiny-llama3"), "Q4_0");
        QCOMPARE(q40.layers.at("lm_head").requested, std::string("Q6_K"));
        QCOMPARE(q40.layers.at("lm_head").type, std::string("Q8_0"));
        QCOMPARE(q40.layers.at("model.embed_tokens").type, std::string("Q4_0"));
        // A Q4_K_M classifier whose rows are not whole Q4_K blocks is Q8_0 by the output rule itself.
        const LlamaQuantizeMix q4m = llamaQuantizeMix(openShape("tiny-llama3"), "Q4_K_M");
        QCOMPARE(q4m.layers.at("lm_head").requested, std::string("Q8_0"));
        QCOMPARE(q4m.layers.at("model.layers.0.self_attn.q_proj").type, std::string("Q5_0")); // Q4_K → Q5_0
        // Overrides; with tied embeddings the output type reaches token_embd.
        LlamaQuantizeOptions o;
        o.outputTensorType = "q5_0";
        QCOMPARE(llamaQuantizeMix(tied, "Q4_K_M", o).layers.at("model.embed_tokens").type, std::string("Q5_0"));
        o.tokenEmbeddingType = "Q8_0";
        QCOMPARE(llamaQuantizeMix(tied, "Q4_K_M", o).layers.at("model.embed_tokens").type, std::string("Q8_0"));
    }

    // ---- llama.cpp's own llama_model_quantize ----

    void presetsMatchLlamaQuantize_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("preset");
        for (const std::string& s : kShapes)
            for (const std::string& p : presetsToCompare())
                QTest::newRow((s + " " + p).c_str()) << QString::fromStdString(s) << QString::fromStdString(p);
    }

    void presetsMatchLlamaQuantize()
    {
        QFETCH(QString, shape);
        QFETCH(QString, preset);
        if (!m_unavailable.isEmpty())
            QSKIP(qPrintable(m_unavailable));
        const std::string f32 = f32Gguf(shape.toStdString());
        const std::string stem = m_dir.filePath(shape + "-" + preset).toStdString();
        QVERIFY2(llamaQuantize(f32, stem + "-llama.gguf", preset.toStdString()), "llama_model_quantize failed");

        const Model model = Model::open(f32);
        const LlamaQuantizeMix mix = llamaQuantizeMix(model, preset.toStdString());
        const GgufReader llama(stem + "-llama.gguf");
        const auto written = tensorTypes(llama);
        const auto expected = mixByTensor(mix);
        QVERIFY2(describe(expected, written).isEmpty(), qPrintable(describe(expected, written)));
        QCOMPARE(llama.getInt("general.file_type"), std::optional<int64_t>(mix.fileType));

        // Salience's `export --preset` of the same file: the same bytes.
        ExportRequest request;
        request.out = stem + "-salience.gguf";
        request.format = ExportFormat::Gguf;
        request.preset = preset.toStdString();
        Progress progress;
        const nlohmann::json report = exportRun(model, RunResult{}, nullptr, request, progress);
        QCOMPARE(report["preset"].get<std::string>(), mix.preset);
        for (const auto& l : report["layers"]) {
            QVERIFY(l.contains("why"));
            QCOMPARE(l["type"].get<std::string>(), mix.layers.at(l["name"].get<std::string>()).type);
        }
        compareFiles(request.out, stem + "-llama.gguf");
    }

    void overridesMatchLlamaQuantize_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("embedding");
        QTest::newRow("untied, both") << "wide-llama-12" << "Q4_K_M" << "Q8_0" << "Q5_0";
        QTest::newRow("untied, output only") << "wide-llama-12" << "Q3_K_S" << "Q4_K" << "";
        QTest::newRow("untied, embedding only") << "tiny-mistral" << "Q6_K" << "" << "F16";
        QTest::newRow("tied, output reaches token_embd") << "wide-qwen3-tied-8" << "Q4_K_S" << "Q5_K" << "";
        QTest::newRow("tied, both") << "tiny-qwen2" << "Q2_K" << "Q8_0" << "Q4_1";
    }

    void overridesMatchLlamaQuantize()
    {
        QFETCH(QString, shape);
        QFETCH(QString, preset);
        QFETCH(QString, output);
        QFETCH(QString, embedding);
        if (!m_unavailable.isEmpty())
            QSKIP(qPrintable(m_unavailable));
        const std::string f32 = f32Gguf(shape.toStdString());
        const std::string stem = m_dir.filePath(shape + "-" + preset + "-o" + output + "-e" + embedding).toStdString();
        QVERIFY2(llamaQuantize(f32, stem + "-llama.gguf", preset.toStdString(), output.toStdString(),
                               embedding.toStdString()),
                 "llama_model_quantize failed");
        const Model model = Model::open(f32);
        LlamaQuantizeOptions options;
        options.outputTensorType = output.toStdString();
        options.tokenEmbeddingType = embedding.toStdString();
        const auto expected = mixByTensor(llamaQuantizeMix(model, preset.toStdString(), options));
        const auto written = tensorTypes(GgufReader(stem + "-llama.gguf"));
        QVERIFY2(describe(expected, written).isEmpty(), qPrintable(describe(expected, written)));

        ExportRequest request;
        request.out = stem + "-salience.gguf";
        request.format = ExportFormat::Gguf;
        request.preset = preset.toStdString();
        request.outputTensorType = output.toStdString();
        request.tokenEmbeddingType = embedding.toStdString();
        Progress progress;
        exportRun(model, RunResult{}, nullptr, request, progress);
        compareFiles(request.out, stem + "-llama.gguf");
    }

    void pureMatchesLlamaQuantize()
    {
        if (!m_unavailable.isEmpty())
            QSKIP(qPrintable(m_unavailable));
        for (const char* shape : {"wide-llama-12", "wide-qwen3-tied-8", "tiny-qwen3"}) {
            const std::string f32 = f32Gguf(shape);
            const std::string out = m_dir.filePath(QString("%1-pure.gguf").arg(shape)).toStdString();
            QVERIFY2(llamaQuantize(f32, out, "Q4_K_M", {}, {}, true), "llama_model_quantize failed");
            LlamaQuantizeOptions options;
            options.pure = true;
            const auto expected = mixByTensor(llamaQuantizeMix(Model::open(f32), "Q4_K_M", options));
            const auto written = tensorTypes(GgufReader(out));
            QVERIFY2(describe(expected, written).isEmpty(), qPrintable(describe(expected, written)));
        }
    }

    // The same imatrix file in, the same bytes out: llama-quantize --imatrix reads a .dat file
    // (tools/quantize load_imatrix: each value divided by ncall, in float) and hands the arrays to
    // llama_model_quantize; Salience opens the same file as activations (`export --acts`).
    void imatrixFilesMatchLlamaQuantize_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("preset");
        for (const char* preset : {"Q4_K_M", "Q2_K", "Q4_0", "IQ4_NL", "Q5_K_S"})
            QTest::newRow((std::string("wide-llama-12 ") + preset).c_str()) << "wide-llama-12" << preset;
        QTest::newRow("wide-qwen3-tied-8 Q3_K_M") << "wide-qwen3-tied-8" << "Q3_K_M";
        QTest::newRow("tiny-qwen2 Q4_K_S") << "tiny-qwen2" << "Q4_K_S";
    }

    void imatrixFilesMatchLlamaQuantize()
    {
        QFETCH(QString, shape);
        QFETCH(QString, preset);
        if (!m_unavailable.isEmpty())
            QSKIP(qPrintable(m_unavailable));
        const std::string f32 = f32Gguf(shape.toStdString());
        const Model model = Model::open(f32);
        const std::string stem = m_dir.filePath(shape + "-" + preset + "-imatrix").toStdString();

        // Per-channel statistics with a spread as real ones have (a few channels far above the rest),
        // for every linear layer llama.cpp would weigh, the classifier included.
        std::vector<ImatrixWriteEntry> entries;
        std::mt19937 rng(uint32_t(std::hash<std::string>{}(stem)));
        std::lognormal_distribution<double> spread(0.0, 1.5);
        for (const LinearLayer& l : model.layers()) {
            if (l.role == LayerRole::Embedding)
                continue;
            ImatrixWriteEntry e;
            e.name = ggufTensorName(l.block, l.role);
            e.stats.count = 512 * 7;
            for (int64_t j = 0; j < l.inFeatures; ++j)
                e.stats.sumSq.push_back(double(e.stats.count) * spread(rng));
            entries.push_back(std::move(e));
        }
        const std::string imatrix = stem + ".dat";
        writeImatrixDat(imatrix, entries, 512, 7, "synthetic", true);

        // llama-quantize's reading of the file, as load_imatrix does it for the legacy form.
        const std::map<std::string, std::vector<float>> arrays = llamaQuantizeReadsDat(imatrix);
        QCOMPARE(arrays.size(), entries.size());
        std::vector<ImatrixArray> table;
        for (const auto& [name, values] : arrays)
            table.push_back(ImatrixArray{name.c_str(), values.data(), values.size()});
        table.push_back(ImatrixArray{nullptr, nullptr, 0});
        QVERIFY2(llamaQuantize(f32, stem + "-llama.gguf", preset.toStdString(), {}, {}, false, table.data()),
                 "llama_model_quantize failed");

        const ActivationStore store = openActivations(imatrix);
        ExportRequest request;
        request.out = stem + "-salience.gguf";
        request.format = ExportFormat::Gguf;
        request.preset = preset.toStdString();
        request.importance = &store;
        Progress progress;
        exportRun(model, RunResult{}, nullptr, request, progress);
        compareFiles(request.out, stem + "-llama.gguf");

        // And the imatrix mattered: without it llama.cpp writes other bytes for some tensor.
        QVERIFY(llamaQuantize(f32, stem + "-plain.gguf", preset.toStdString()));
        const GgufReader weighted(stem + "-llama.gguf"), plain(stem + "-plain.gguf");
        bool anyDiffers = false;
        for (const auto& t : plain.ggufTensors()) {
            const auto x = plain.rawBytes(t.info.name), y = weighted.rawBytes(t.info.name);
            anyDiffers = anyDiffers || x.size != y.size || std::memcmp(x.data, y.data, x.size) != 0;
        }
        QVERIFY2(anyDiffers, "the importance matrix changed nothing: the comparison would not see it");
    }

    // The comparison can fail: a mix that differs from llama.cpp's in one tensor is seen.
    void comparisonSeesOneTensor()
    {
        if (!m_unavailable.isEmpty())
            QSKIP(qPrintable(m_unavailable));
        const std::string f32 = f32Gguf("wide-llama-12");
        const std::string out = m_dir.filePath("wide-llama-12-Q4_K_S-seen.gguf").toStdString();
        QVERIFY(llamaQuantize(f32, out, "Q4_K_S"));
        const auto written = tensorTypes(GgufReader(out));
        // Q4_K_M's table against Q4_K_S's file: attn_v and ffn_down differ.
        const auto other = mixByTensor(llamaQuantizeMix(Model::open(f32), "Q4_K_M"));
        QVERIFY(!describe(other, written).isEmpty());
        auto expected = mixByTensor(llamaQuantizeMix(Model::open(f32), "Q4_K_S"));
        QVERIFY(describe(expected, written).isEmpty());
        expected["blk.5.ffn_down.weight"] = "Q5_K";
        QVERIFY(describe(expected, written).contains("blk.5.ffn_down.weight"));
    }

    // ---- the rule with a plan ----

    void planKeepsItsLayersPresetTakesTheRest()
    {
        const Model model = openShape("wide-llama-12");
        Recipe recipe;
        recipe.method = "rtn";
        recipe.bits = 8;
        recipe.symmetric = true;
        recipe.groupSize = 32;
        Progress progress;
        const RunResult run = runPlan(model, QuantPlan::uniform(recipe), nullptr, {}, progress);
        ExportRequest request;
        request.format = ExportFormat::Gguf;
        request.preset = "Q4_K_M";
        const GgufTypeChoice choice = ggufTypeChoice(model, run, request);
        QCOMPARE(choice.fileType, std::optional<uint32_t>(15u));
        QCOMPARE(choice.types.at("model.layers.3.mlp.down_proj"), std::string("Q8_0")); // the plan's grid
        QCOMPARE(choice.types.at("lm_head"), std::string("Q6_K"));                      // none: the preset's
        QCOMPARE(choice.types.at("model.embed_tokens"), std::string("Q4_K"));
        QVERIFY(choice.reasons.at("lm_head").find("output") != std::string::npos);
        request.ggufType = "Q5_0";
        QCOMPARE(ggufTypeChoice(model, run, request).types.at("model.layers.3.mlp.down_proj"), std::string("Q5_0"));
        request.outputTensorType = "Q8_0";
        request.tokenEmbeddingType = "F16";
        const GgufTypeChoice overridden = ggufTypeChoice(model, run, request);
        QCOMPARE(overridden.types.at("lm_head"), std::string("Q8_0"));
        QCOMPARE(overridden.types.at("model.embed_tokens"), std::string("F16"));

        // Refusals: a preset and --gguf-type with no run; the three options outside GGUF.
        ExportRequest both;
        both.format = ExportFormat::Gguf;
        both.preset = "Q4_K_M";
        both.ggufType = "Q8_0";
        VERIFY_INPUT_ERROR(ggufTypeChoice(model, RunResult{}, both), std::string("--gguf-type"), "--preset");
        ExportRequest safetensors;
        safetensors.format = ExportFormat::FakeQuant;
        safetensors.preset = "Q4_K_M";
        VERIFY_INPUT_ERROR(checkExportable(model, safetensors), std::string("--preset"), "GGUF only");
        safetensors.preset.clear();
        safetensors.outputTensorType = "Q8_0";
        VERIFY_INPUT_ERROR(checkExportable(model, safetensors), std::string("--output-tensor-type"), "GGUF only");
        ExportRequest unknown;
        unknown.format = ExportFormat::Gguf;
        unknown.preset = "Q9_K";
        VERIFY_INPUT_ERROR(checkExportable(model, unknown), std::string("--preset"), "Q4_K_M");
    }
};

QTEST_GUILESS_MAIN(TestLlamaQuantize)
#include "test_llamaquantize.moc"
