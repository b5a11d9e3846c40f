// GPTQ-packed export of stories260K read back with GptqReader: packed layers dequantize to
// exactly what the run computed, config.json carries the quantization fields, and a
// cancelled or refused export leaves nothing.
#include "base/Error.h"
#include "export/GptqExport.h"
#include "io/GptqReader.h"
#include "io/SafetensorsReader.h"
#include "demo/DemoModel.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"
#include "plan/QuantPlan.h"
#include "run/Runner.h"

#include "TestData.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

using namespace salience;

namespace {

QuantGrid grid4g32()
{
    QuantGrid g;
    g.bits = 4;
    g.groupSize = 32;
    return g;
}

LayerResult resultFor(const std::string& layer, const Matrix& w, QuantizedLinear q, int bits, int groupSize)
{
    LayerResult r;
    r.layer = layer;
    r.recipe.method = q.method;
    r.recipe.bits = bits;
    r.recipe.groupSize = groupSize;
    r.metrics = measureLayer(w, q);
    r.quantized = std::move(q);
    return r;
}

// RTN 4-bit g32 on every quantizable layer; block 0's q_proj instead gets a hand-made act-order
// result (RTN of the columns in a shuffled order, with that permutation); block 1's v_proj is
// 3-bit so the file's 4-bit grid must requantize it.
RunResult storiesRun(const Model& model)
{
    RunResult run;
    std::mt19937 rng(3);
    for (const auto& l : model.layers()) {
        if (!l.isQuantizable())
            continue;
        const Matrix w = model.weight(l);
        if (l.name == "model.layers.0.self_attn.q_proj") {
            std::vector<int32_t> perm(size_t(l.inFeatures));
            std::iota(perm.begin(), perm.end(), 0);
            std::shuffle(perm.begin(), perm.end(), rng);
            Matrix permuted(w.rows(), w.cols());
            for (int64_t i = 0; i < w.cols(); ++i)
                permuted.col(i) = w.col(perm[size_t(i)]);
            QuantizedLinear q = quantizeRtn(permuted, grid4g32());
            q.permutation = perm;
            q.method = "gptq";
            run.layers.push_back(resultFor(l.name, w, std::move(q), 4, 32));
        } else if (l.name == "model.layers.1.self_attn.v_proj") {
            QuantGrid g = grid4g32();
            g.bits = 3;
            run.layers.push_back(resultFor(l.name, w, quantizeRtn(w, g), 3, 32));
        } else {
            run.layers.push_back(resultFor(l.name, w, quantizeRtn(w, grid4g32()), 4, 32));
        }
    }
    return run;
}

nlohmann::json readJson(const std::string& path)
{
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

void checkReadBack(const Model& model, const RunResult& run, const std::string& out)
{
    const Model back = Model::open(out);
    QCOMPARE(back.format(), std::string("gptq"));
    QCOMPARE(back.layers().size(), model.layers().size());
    for (const auto& r : run.layers) {
        Matrix expected = r.quantized->dequantize();
        if (r.layer == "model.layers.1.self_attn.v_proj")
            expected = fakeQuantizeRtn(expected, grid4g32()); // requantized on the file's grid
        QCOMPARE(back.weight(r.layer), expected);
    }
    for (const auto& c : model.canonicalTensors())
        if (!model.findLayer(c.name) || !model.findLayer(c.name)->isQuantizable())
            QCOMPARE(back.canonicalTensor(c.name).data, model.canonicalTensor(c.name).data);
}

} // namespace

class TestGptqExport : public QObject {
    Q_OBJECT
private slots:
    void storiesHfRoundTrip()
    {
        REQUIRE_TEST_DATA("stories260K/hf/model.safetensors");
        const Model model = Model::open(testdata::path("stories260K/hf"));
        const RunResult run = storiesRun(model);
        QTemporaryDir dir;
        const std::string out = dir.filePath("gptq").toStdString();
        Progress p;
        const GptqExportReport report = exportGptq(model, run, out, {}, p);
        QCOMPARE(report.written.size(), size_t(4));
        QCOMPARE(report.bits, 4);
        QCOMPARE(report.groupSize, 32);
        QVERIFY(report.descAct);
        checkReadBack(model, run, out);

        // Attention layers (64 × 64, 32 × 64) pack; the MLP (172 wide) cannot and is float.
        for (const auto& l : report.layers) {
            const std::string& n = l.layer;
            if (n == "model.layers.1.self_attn.v_proj") {
                QCOMPARE(l.status, GptqLayerStatus::Requantized);
                QVERIFY(l.relativeWeightErrorAfter > 0 && l.relativeWeightErrorBefore > 0);
            } else if (n.find("self_attn") != std::string::npos) {
                QVERIFY2(l.status == GptqLayerStatus::Lossless || l.status == GptqLayerStatus::Clipped, n.c_str());
                if (l.status == GptqLayerStatus::Lossless)
                    QCOMPARE(l.relativeWeightErrorAfter, l.relativeWeightErrorBefore);
            } else if (n.find("mlp") != std::string::npos) {
                QCOMPARE(l.status, GptqLayerStatus::Float);
            }
        }

        // The tensors a GPTQ loader expects, with their dtypes and shapes.
        const SafetensorsReader st(out + "/model.safetensors");
        const auto check = [&](const std::string& name, const char* dtype, std::vector<int64_t> shape) {
            const TensorInfo* t = st.find(name);
            QVERIFY2(t, name.c_str());
            QCOMPARE(t->dtype, std::string(dtype));
            QCOMPARE(t->shape, shape);
        };
        const std::string k = "model.layers.2.self_attn.k_proj";
        check(k + ".qweight", "I32", {64 * 4 / 32, 32});
        check(k + ".qzeros", "I32", {2, 32 * 4 / 32});
        check(k + ".scales", "F16", {2, 32});
        check(k + ".g_idx", "I32", {64});
        check("model.layers.2.mlp.down_proj.weight", "F32", {64, 172});
        check("model.embed_tokens.weight", "F32", {512, 64});
        QVERIFY(!st.find(k + ".weight"));
        // g_idx of a plain layer is column / 32; of the act-order layer, the group of its position.
        const RawTensorView g = st.raw(k + ".g_idx");
        const auto* gIdx = reinterpret_cast<const int32_t*>(g.data);
        QCOMPARE(gIdx[31], 0);
        QCOMPARE(gIdx[32], 1);
        const RawTensorView g0 = st.raw("model.layers.0.self_attn.q_proj.g_idx");
        const auto& perm = run.find("model.layers.0.self_attn.q_proj")->quantized->permutation;
        for (int i = 0; i < 64; ++i)
            QCOMPARE(reinterpret_cast<const int32_t*>(g0.data)[perm[size_t(i)]], i / 32);

        // config.json: the source's fields plus quantization_config.
        const auto config = readJson(out + "/config.json");
        QCOMPARE(config["hidden_size"].get<int>(), 64);
        const auto& q = config["quantization_config"];
        QCOMPARE(q["quant_method"].get<std::string>(), std::string("gptq"));
        QCOMPARE(q["bits"].get<int>(), 4);
        QCOMPARE(q["group_size"].get<int>(), 32);
        QCOMPARE(q["desc_act"].get<bool>(), true);
        QCOMPARE(q["sym"].get<bool>(), false);
        QCOMPARE(q["checkpoint_format"].get<std::string>(), std::string("gptq"));
        // The metadata says what made the layers: "gptq" names the packing only; no damping is
        // claimed where no GPTQ layer recorded one.
        std::vector<std::string> methods = q["meta"]["methods"].get<std::vector<std::string>>();
        std::sort(methods.begin(), methods.end());
        QVERIFY2(methods == std::vector<std::string>({"gptq", "rtn"}), q["meta"].dump().c_str());
        QVERIFY(!q.contains("damp_percent"));
        QCOMPARE(q["static_groups"].get<bool>(), false);
        GptqExportReport tuned = report;
        tuned.damp = 0.05;
        tuned.staticGroups = true;
        QCOMPARE(gptqQuantizationConfig(tuned)["damp_percent"].get<double>(), 0.05);
        QCOMPARE(gptqQuantizationConfig(tuned)["static_groups"].get<bool>(), true);
        // The float MLP layers are excluded for optimum and GPTQModel.
        const auto& packed = q["modules_in_block_to_quantize"][0];
        QVERIFY(std::find(packed.begin(), packed.end(), "model.layers.0.self_attn.q_proj") != packed.end());
        QVERIFY(std::find(packed.begin(), packed.end(), "model.layers.0.mlp.up_proj") == packed.end());
        QVERIFY(q["dynamic"].contains("-:^model\\.layers\\.0\\.mlp\\.up_proj$"));
        QVERIFY(readJson(out + "/quantize_config.json") == q);
        const auto exportReport = readJson(out + "/gptq_export.json");
        QCOMPARE(exportReport["summary"]["requantized"].get<int>(), 1);
        QCOMPARE(exportReport["summary"]["float"].get<int>(), 15);
    }

    void ggufSourceInHfLayout()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        const Model model = Model::open(testdata::path("stories260K/stories260K.gguf"));
        const RunResult run = storiesRun(model);
        QTemporaryDir dir;
        const std::string out = dir.filePath("gptq").toStdString();
        Progress p;
        GptqExportOptions options;
        options.format = GptqFormat::V2;
        exportGptq(model, run, out, options, p);
        checkReadBack(model, run, out);
        QCOMPARE(readJson(out + "/config.json")["quantization_config"]["checkpoint_format"].get<std::string>(),
                 std::string("gptq_v2"));
        // The classifier (output.weight) is a layer here; GPTQ keeps lm_head in float.
        const SafetensorsReader st(out + "/model.safetensors");
        QVERIFY(st.find("lm_head.weight"));
        QVERIFY(st.find("model.layers.4.self_attn.o_proj.qweight"));
    }

    void demoModelRoundTrips()
    {
        // The demo (dim 128, hidden 344): attention layers pack, the MLP (344 is not a multiple
        // of 32) stays float; every layer reads back as the run dequantizes it.
        const DemoModel demo = makeDemoModel();
        Recipe r;
        r.bits = 4;
        r.groupSize = 32;
        Progress p;
        const RunResult run = runPlan(demo.model, QuantPlan::uniform(r), nullptr, RunOptions{}, p);
        QTemporaryDir dir;
        const std::string out = dir.filePath("demo-gptq").toStdString();
        const GptqExportReport report = exportGptq(demo.model, run, out, {}, p);
        const Model back = Model::open(out);
        int packed = 0;
        for (const auto& l : report.layers) {
            const LayerResult* result = run.find(l.layer);
            if (!result || !result->quantized)
                continue;
            const Matrix hat = result->quantized->dequantize();
            const Matrix written = back.weight(l.layer);
            if (l.status == GptqLayerStatus::Lossless) {
                QVERIFY2(written == hat, l.layer.c_str());
                ++packed;
            } else {
                QCOMPARE(int(l.status), int(GptqLayerStatus::Float));
                QVERIFY2((written - hat).cwiseAbs().maxCoeff() <= 1e-6f * (1 + hat.cwiseAbs().maxCoeff()), l.layer.c_str());
            }
        }
        QCOMPARE(packed, 4 * 4); // q, k, v, o of the 4 blocks
    }

    void cancelLeavesNothingAndExistingFilesAreKept()
    {
        const DemoModel demo = makeDemoModel();
        RunResult run;
        const Matrix w = demo.model.weight("model.layers.0.self_attn.q_proj");
        run.layers.push_back(resultFor("model.layers.0.self_attn.q_proj", w, quantizeRtn(w, grid4g32()), 4, 32));
        QTemporaryDir dir;
        const std::string out = dir.filePath("cancelled").toStdString();
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, exportGptq(demo.model, run, out, {}, cancelled));
        QVERIFY(!std::filesystem::exists(out));

        const std::string kept = dir.filePath("kept").toStdString();
        Progress p;
        exportGptq(demo.model, run, kept, {}, p);
        const auto before = std::filesystem::last_write_time(kept + "/model.safetensors");
        QVERIFY_THROWS_EXCEPTION(InputError, exportGptq(demo.model, run, kept, {}, p));
        QCOMPARE(std::filesystem::last_write_time(kept + "/model.safetensors"), before);
        GptqExportOptions overwrite;
        overwrite.overwrite = true;
        exportGptq(demo.model, run, kept, overwrite, p);
        QCOMPARE(Model::open(kept).weight("model.layers.0.self_attn.q_proj"), run.layers[0].quantized->dequantize());
        // A file name is refused: the export is a directory.
        QVERIFY_THROWS_EXCEPTION(InputError, exportGptq(demo.model, run, dir.filePath("x.safetensors").toStdString(), {}, p));
    }

    void readerRefusesInconsistentCheckpoints()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        std::ofstream(d + "/config.json") << R"({"model_type": "llama"})";
        std::ofstream(d + "/model.safetensors") << "";
        QVERIFY_THROWS_EXCEPTION(InputError, GptqReader{d}); // empty safetensors
        // A valid export whose config claims 3 bits: qweight rows no longer match.
        const DemoModel demo = makeDemoModel();
        RunResult run;
        const Matrix w = demo.model.weight("model.layers.0.self_attn.q_proj");
        run.layers.push_back(resultFor("model.layers.0.self_attn.q_proj", w, quantizeRtn(w, grid4g32()), 4, 32));
        const std::string out = dir.filePath("bad").toStdString();
        Progress p;
        exportGptq(demo.model, run, out, {}, p);
        auto config = readJson(out + "/config.json");
        config["quantization_config"]["bits"] = 3;
        std::ofstream(out + "/config.json") << config.dump();
        QVERIFY_THROWS_EXCEPTION(InputError, GptqReader{out});
        config["quantization_config"]["bits"] = 5;
        std::ofstream(out + "/config.json") << config.dump();
        QVERIFY_THROWS_EXCEPTION(InputError, GptqReader{out});
    }
};

QTEST_GUILESS_MAIN(TestGptqExport)
#include "test_gptqexport.moc"
