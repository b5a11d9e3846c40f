// Every file Salience writes opens again in Salience: each export kind of the real stories260K
// reopens through Model::open (the run record through readRunRecord), lists the same layers,
// and evaluates to the perplexity of the same plan in memory (GGUF within what its report
// declares requantized).
#include "acts/ActivationStore.h"
#include "base/Error.h"
#include "demo/ShapedCheckpoint.h"
#include "io/GgufReader.h"
#include "quant/GgmlQuantize.h"
#include "eval/TokenizerLookup.h"
#include "eval/Transformer.h"
#include "export/ExportRun.h"
#include "export/RunRecord.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "run/Perplexity.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"
#include "run/Capture.h"
#include "quant/Metrics.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

using namespace salience;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    Model model;
    std::vector<int32_t> tokens;
    int32_t bos = 1;
};

Fixture storiesFixture()
{
    Fixture f;
    f.model = Model::open(testdata::path("stories260K/stories260K.bin"));
    const Tokenizer tok = tokenizerFor(f.model, "");
    f.tokens = tok.encode(readTextFile(testdata::path("text/tinystories_valid_head.txt")).substr(0, 6000), false);
    f.bos = tok.bosId();
    return f;
}

double perplexityOf(const Transformer& t, const Fixture& f)
{
    Progress p;
    PerplexityOptions o;
    o.window = 256;
    return evaluatePerplexity(t, f.tokens, f.bos, o, p).perplexity;
}

double perplexityOfModel(const Model& m, const Fixture& f)
{
    Progress p;
    return perplexityOf(Transformer::load(m, p), f);
}

std::set<std::string> layerNames(const Model& m)
{
    std::set<std::string> names;
    for (const auto& l : m.layers())
        names.insert(l.name);
    return names;
}

nlohmann::json exportAs(const Model& model, const RunResult& run, const QuantPlan& plan, const std::string& out,
                        ExportFormat format, bool codes = false)
{
    ExportRequest request;
    request.out = out;
    request.format = format;
    request.recordCodes = codes;
    Progress p;
    return exportRun(model, run, plan.toJson(), request, p);
}

QuantPlan plainPlan()
{
    Recipe r;
    r.method = "rtn";
    r.bits = 4;
    r.groupSize = 32;
    r.symmetric = true;
    return QuantPlan::uniform(r);
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream(path) << text;
}

// A one-block llama whose every linear layer has rows of whole K-quant super-blocks (256, 512).
Model wholeSuperBlockModel(const std::string& hf)
{
    CheckpointShape shape = checkpointShape("tiny-llama3");
    shape.dim = 256;
    shape.hiddenDim = 512;
    shape.heads = 4;
    shape.kvHeads = 2;
    shape.headDim = 64;
    ShapedCheckpointOptions options;
    options.layers = 1;
    Progress p;
    writeShapedCheckpoint(shape, hf, options, p);
    return Model::open(hf);
}

// The run's layers exported to GGUF through exportRun: every quantized layer is ggml blocks of
// `type` from `method`, "lossless", and the file's tensor bytes are the result's blocks.
void requireGgufHoldsResults(const Model& model, const RunResult& run, const QuantPlan& plan, const std::string& out,
                             GgmlType type, const std::string& method)
{
    const std::string name = ggmlTypeName(type);
    const nlohmann::json report = exportAs(model, run, plan, out, ExportFormat::Gguf);
    const GgufReader gguf(out);
    const Model reopened = Model::open(out);
    int checked = 0;
    for (const auto& entry : report["layers"]) {
        const LayerResult* r = run.find(entry["name"].get<std::string>());
        if (!r || !r->quantized)
            continue;
        const QuantizedLinear& q = *r->quantized;
        QCOMPARE(q.base, QuantBase::Ggml);
        QCOMPARE(q.ggmlType, type);
        QCOMPARE(q.bitsPerWeight(), ggmlBitsPerWeight(type));
        QCOMPARE(entry["type"].get<std::string>(), name);
        QCOMPARE(q.method, method);
        QVERIFY2(entry["status"] == "lossless", qPrintable(QString::fromStdString(entry.dump())));
        const auto raw = gguf.rawBytes(entry["tensor"].get<std::string>());
        QCOMPARE(raw.size, uint64_t(q.ggmlBlocks.size()));
        QVERIFY2(std::memcmp(raw.data, q.ggmlBlocks.data(), q.ggmlBlocks.size()) == 0, name.c_str());
        QVERIFY(reopened.weight(reopened.layer(r->layer)) == q.dequantize());
        ++checked;
    }
    QCOMPARE(checked, 7); // q, k, v, o, gate, up, down
}

} // namespace

class TestExportRoundTrip : public QObject {
    Q_OBJECT
private slots:
    void everyExportReopensWithTheSameLayersAndPerplexity()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Fixture f = storiesFixture();
        const QuantPlan plan = plainPlan();
        Progress p;
        const RunResult run = runPlan(f.model, plan, nullptr, RunOptions{}, p);
        const Transformer base = Transformer::load(f.model, p);
        const double inMemory = perplexityOf(quantizedTransformer(base, run, p), f);
        const double floatPpl = perplexityOf(base, f);
        QVERIFY2(inMemory > floatPpl, "4-bit costs something, so equality below means something");
        const std::set<std::string> layers = layerNames(f.model);
        QTemporaryDir dir;
        const auto out = [&](const char* name) { return dir.filePath(name).toStdString(); };

        // Formats that hold every quantized weight exactly: the same perplexity to the last bit.
        const std::vector<std::pair<ExportFormat, std::string>> exact{
            {ExportFormat::FakeQuant, out("fakequant")},
            {ExportFormat::Llama2c, out("stories-q.bin")},
            {ExportFormat::Gptq, out("gptq")}};
        for (const auto& [format, path] : exact) {
            const nlohmann::json report = exportAs(f.model, run, plan, path, format);
            const Model back = Model::open(path);
            QCOMPARE(layerNames(back), layers);
            const double reopened = perplexityOfModel(back, f);
            QVERIFY2(reopened == inMemory, (exportFormatName(format) + ": " + std::to_string(reopened) + " vs " +
                                            std::to_string(inMemory)).c_str());
        }
        // The GPTQ checkpoint holds packed layers (dims a multiple of 32) next to float ones.
        QVERIFY(Model::open(out("gptq")).format() == "gptq");

        // GGUF: lossless layers are exact; the report names the rest (rows of 172 are not whole
        // Q4_0 blocks, so those layers fall back to F16) and perplexity moves by no more than that.
        const nlohmann::json report = exportAs(f.model, run, plan, out("q.gguf"), ExportFormat::Gguf);
        int requantized = 0;
        for (const auto& l : report["layers"])
            if (l["status"] == "requantized") {
                ++requantized;
                QVERIFY2(l["error_after"].get<double>() - l["error_before"].get<double>() < 1e-3, l.dump().c_str());
            }
        QVERIFY(requantized > 0);
        const Model gguf = Model::open(out("q.gguf"));
        QCOMPARE(layerNames(gguf), layers);
        const double ggufPpl = perplexityOfModel(gguf, f);
        QVERIFY2(std::abs(ggufPpl - inMemory) / inMemory < 2e-3,
                 (std::to_string(ggufPpl) + " vs " + std::to_string(inMemory)).c_str());

        // Run record with codes: the run itself comes back, so the quantized forward pass is equal.
        exportAs(f.model, run, plan, out("run.h5"), ExportFormat::Record, true);
        const RunResult recorded = runResultOf(readRunRecord(out("run.h5")), out("run.h5"));
        QCOMPARE(recorded.layers.size(), run.layers.size());
        QCOMPARE(perplexityOf(quantizedTransformer(base, recorded, p), f), inMemory);
    }

    void runRecordHoldsEverySidePart()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        QuantPlan plan = plainPlan();
        const auto override = [&](const char* layer, const char* method, int rank = 0, double protect = 0) {
            PlanOverride o;
            o.layer = layer;
            o.set = {{"method", method}};
            if (rank > 0)
                o.set["rank"] = rank;
            if (protect > 0)
                o.set["protect"] = protect;
            plan.overrides.push_back(o);
        };
        override("model.layers.0.self_attn.q_proj", "hadamard");
        override("model.layers.0.self_attn.k_proj", "qer", 4);
        override("model.layers.1.self_attn.v_proj", "protect", 0, 2.0);
        override("model.layers.2.mlp.gate_proj", "kmeans");
        override("model.layers.3.mlp.up_proj", "prune-magnitude");
        Progress p;
        const RunResult run = runPlan(model, plan, nullptr, RunOptions{}, p);
        QTemporaryDir dir;
        const std::string path = dir.filePath("parts.h5").toStdString();
        exportAs(model, run, plan, path, ExportFormat::Record, true);
        const RunRecord record = readRunRecord(path);
        QVERIFY(QuantPlan::fromJson(record.plan, path).toJson() == plan.toJson());
        const RunResult back = runResultOf(record, path);
        QCOMPARE(back.layers.size(), run.layers.size());
        for (size_t i = 0; i < run.layers.size(); ++i) {
            const LayerResult& a = run.layers[i];
            const LayerResult& b = back.layers[i];
            QCOMPARE(b.layer, a.layer);
            QVERIFY2(b.recipe.toJson() == a.recipe.toJson(), a.layer.c_str());
            QCOMPARE(b.quantized.has_value(), a.quantized.has_value());
            QCOMPARE(b.metrics.relativeWeightError, a.metrics.relativeWeightError);
            if (a.quantized) {
                QVERIFY2(b.quantized->dequantize() == a.quantized->dequantize(), a.layer.c_str());
                QCOMPARE(b.quantized->bitsPerWeight(), a.quantized->bitsPerWeight());
                QCOMPARE(b.quantized->method, a.quantized->method);
            }
        }
        // Without codes the record keeps metrics only.
        const std::string lean = dir.filePath("lean.h5").toStdString();
        exportAs(model, run, plan, lean, ExportFormat::Record, false);
        for (const LayerResult& r : runResultOf(readRunRecord(lean), lean).layers)
            QVERIFY(!r.quantized);
    }

    void exportsAreDeterministic()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const QuantPlan plan = plainPlan();
        Progress p;
        const RunResult run = runPlan(model, plan, nullptr, RunOptions{}, p);
        QTemporaryDir dir;
        for (const char* name : {"a.h5", "b.h5"})
            exportAs(model, run, plan, dir.filePath(name).toStdString(), ExportFormat::Record, true);
        const auto bytes = [&](const char* name) {
            std::ifstream in(dir.filePath(name).toStdString(), std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        };
        QVERIFY(!bytes("a.h5").empty());
        QVERIFY2(bytes("a.h5") == bytes("b.h5"), "HDF5 records carry no timestamps");
    }

    void gptqCheckpointsOfOtherToolsOpen()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Fixture f = storiesFixture();
        const QuantPlan plan = plainPlan();
        Progress p;
        const RunResult run = runPlan(f.model, plan, nullptr, RunOptions{}, p);
        QTemporaryDir dir;
        const fs::path gptq = dir.filePath("gptq").toStdString();
        exportAs(f.model, run, plan, gptq.string(), ExportFormat::Gptq);
        const double ours = perplexityOfModel(Model::open(gptq.string()), f);

        // AutoGPTQ's layout: quantize_config.json alone, weights named after the settings.
        nlohmann::json config = nlohmann::json::parse(std::ifstream(gptq / "config.json"));
        config.erase("quantization_config");
        writeText(gptq / "config.json", config.dump(2));
        fs::rename(gptq / "model.safetensors", gptq / "gptq_model-4bit-32g.safetensors");
        const Model autoGptq = Model::open(gptq.string());
        QCOMPARE(autoGptq.format(), std::string("gptq"));
        QCOMPARE(layerNames(autoGptq), layerNames(f.model));
        QCOMPARE(perplexityOfModel(autoGptq, f), ours);

        // A checkpoint of another method is refused by name, not opened with layers missing.
        config["quantization_config"] = {{"quant_method", "awq"}, {"bits", 4}};
        writeText(gptq / "config.json", config.dump(2));
        fs::remove(gptq / "quantize_config.json");
        VERIFY_INPUT_ERROR(Model::open(gptq.string()), gptq.string(), "'awq'");
    }

    // A recipe onto a ggml block format (grid_type) gives ggml's own blocks, and the GGUF holds
    // them byte for byte: every type, on a model whose rows are whole K-quant super-blocks.
    void ggmlGridResultsAreWrittenUnchanged()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Progress p;
        const Model model = wholeSuperBlockModel(dir.filePath("hf").toStdString());
        for (const char* name : {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL"}) {
            const GgmlType type = *ggmlTypeFromName(name);
            Recipe recipe;
            recipe.gridType = name;
            const QuantPlan plan = QuantPlan::uniform(recipe);
            const RunResult run = runPlan(model, plan, nullptr, RunOptions{}, p);
            requireGgufHoldsResults(model, run, plan, dir.filePath(QString("%1.gguf").arg(name)).toStdString(), type,
                                    "rtn");
            if (QTest::currentTestFailed())
                return;
        }
        // A recipe may name a ggml format only for a method that quantizes onto it.
        Recipe kmeans;
        kmeans.method = "kmeans";
        kmeans.gridType = "Q4_K";
        QVERIFY_THROWS_EXCEPTION(InputError, kmeans.validate("plan"));
        Recipe unknown;
        unknown.gridType = "Q7_K";
        QVERIFY_THROWS_EXCEPTION(InputError, unknown.validate("plan"));
        Recipe roundTrip;
        roundTrip.gridType = "Q6_K";
        QCOMPARE(Recipe::fromJson(roundTrip.toJson(), "plan"), roundTrip);
        QCOMPARE(roundTrip.summary(), std::string("rtn Q6_K"));
    }

    // Without a run, --gguf-type with activations is llama-quantize --imatrix: each layer's
    // blocks are ggml's quantizer weighted by the mean squared input of each column.
    void floatLayersAreWeightedByTheImportanceMatrix()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Progress p;
        const Model model = wholeSuperBlockModel(dir.filePath("hf").toStdString());
        const LinearLayer& q = model.layer("model.layers.0.self_attn.q_proj");
        ActivationStore store;
        ChannelStats stats;
        stats.count = 10;
        for (int64_t j = 0; j < q.inFeatures; ++j)
            stats.sumSq.push_back(j % 17 == 0 ? 5000.0 : 1.0 + double(j % 5)); // a few heavy channels
        store.setStats(q.name, stats);

        ExportRequest request;
        request.out = dir.filePath("imatrix.gguf").toStdString();
        request.format = ExportFormat::Gguf;
        request.ggufType = "Q4_K";
        request.importance = &store;
        exportRun(model, RunResult{}, nullptr, request, p);
        const GgufReader gguf(request.out);
        const auto raw = gguf.rawBytes("blk.0.attn_q.weight");
        const Matrix w = model.weight(q);
        std::vector<float> importance;
        for (double v : stats.sumSq)
            importance.push_back(float(v / double(stats.count)));
        const auto weighted = quantizeRows(GgmlType::Q4_K, w.data(), w.rows(), w.cols(), importance.data());
        const auto plain = quantizeRows(GgmlType::Q4_K, w.data(), w.rows(), w.cols());
        QCOMPARE(raw.size, uint64_t(weighted.size()));
        QVERIFY(std::memcmp(raw.data, weighted.data(), weighted.size()) == 0);
        QVERIFY(weighted != plain);
        // A layer the statistics do not cover is written unweighted.
        const auto rawK = gguf.rawBytes("blk.0.attn_k.weight");
        const Matrix k = model.weight(model.layer("model.layers.0.self_attn.k_proj"));
        const auto plainK = quantizeRows(GgmlType::Q4_K, k.data(), k.rows(), k.cols());
        QVERIFY(std::memcmp(rawK.data, plainK.data(), plainK.size()) == 0);
    }

    // GPTQ onto a ggml format through the runner, with activations captured on the model itself,
    // and written by the real GGUF export: every layer lossless, the tensor bytes GPTQ's blocks,
    // and below RTN's output error onto the same format on those inputs.
    void ggmlGridGptqResultsAreWrittenUnchanged()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Progress p;
        const Model model = wholeSuperBlockModel(dir.filePath("hf").toStdString());
        const Transformer transformer = Transformer::load(model, p);
        std::vector<int32_t> tokens(384);
        for (size_t i = 0; i < tokens.size(); ++i)
            tokens[i] = int32_t((i * 7919 + 13) % 511) + 1;
        CaptureOptions capture;
        capture.window = 128;
        capture.keepInputs = 384;
        capture.sites = false;
        const ActivationStore activations = captureActivations(transformer, tokens, 1, capture, p);
        for (const char* name : {"Q4_K", "Q6_K", "Q3_K", "Q2_K", "Q5_K", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "IQ4_NL"}) {
            const GgmlType type = *ggmlTypeFromName(name);
            Recipe recipe;
            recipe.method = "gptq";
            recipe.gridType = name;
            recipe.params["act_order"] = 1;
            const QuantPlan plan = QuantPlan::uniform(recipe);
            const RunResult run = runPlan(model, plan, &activations, RunOptions{}, p);
            requireGgufHoldsResults(model, run, plan, dir.filePath(QString("gptq-%1.gguf").arg(name)).toStdString(),
                                    type, "gptq");
            if (QTest::currentTestFailed())
                return;
            Recipe rtn;
            rtn.gridType = name;
            const RunResult plain = runPlan(model, QuantPlan::uniform(rtn), &activations, RunOptions{}, p);
            double gptqError = 0, rtnError = 0;
            for (const LayerResult& r : run.layers) {
                if (!r.quantized)
                    continue;
                const Matrix& X = activations.inputs(r.layer);
                const Matrix W = model.weight(r.layer);
                gptqError += relativeOutputError(W, r.quantized->dequantize(), X);
                rtnError += relativeOutputError(W, plain.find(r.layer)->quantized->dequantize(), X);
            }
            qInfo("%s through the runner, summed relative output error: gptq %.5f, rtn %.5f", name, gptqError, rtnError);
            QVERIFY2(gptqError < rtnError, name);
        }
    }

    // Rows that are not whole blocks fall back as llama-quantize does, in the result itself:
    // stories260K's rows of 64 are no Q4_K super-block (Q5_0 then), its rows of 172 not even a
    // 32-block (float16). The GGUF still holds each result exactly.
    void ggmlGridFallsBackLikeLlamaQuantize()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        Recipe recipe;
        recipe.gridType = "Q4_K";
        const QuantPlan plan = QuantPlan::uniform(recipe);
        Progress p;
        const RunResult run = runPlan(model, plan, nullptr, RunOptions{}, p);
        const QuantizedLinear& q = *run.find("model.layers.0.self_attn.q_proj")->quantized;
        QCOMPARE(q.base, QuantBase::Ggml);
        QCOMPARE(q.ggmlType, GgmlType::Q5_0);
        QCOMPARE(q.parameters.at("fallback"), 1.0);
        const QuantizedLinear& down = *run.find("model.layers.0.mlp.down_proj")->quantized;
        QCOMPARE(down.base, QuantBase::Dense);
        QTemporaryDir dir;
        const std::string out = dir.filePath("q4k.gguf").toStdString();
        const nlohmann::json report = exportAs(model, run, plan, out, ExportFormat::Gguf);
        for (const auto& entry : report["layers"])
            if (entry["from_result"].get<bool>())
                QVERIFY2(entry["status"] == "lossless", qPrintable(QString::fromStdString(entry.dump())));
    }

    void noneLayersKeepTheirSourceTypeInGguf()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        const Model model = Model::open(testdata::path("stories260K/stories260K.gguf"));
        Progress p;
        QuantPlan plan = plainPlan();
        PlanOverride o;
        o.layer = "model.layers.1.mlp.down_proj";
        o.set = {{"method", "none"}};
        plan.overrides.push_back(o);
        const RunResult run = runPlan(model, plan, nullptr, RunOptions{}, p);
        // An explicit type for the quantized layers; lm_head (none by default) and the layer
        // kept by the plan stay as the source stored them.
        const auto types = ggufLayerTypes(model, run, "Q8_0");
        QCOMPARE(types.at("model.layers.0.self_attn.q_proj"), std::string("Q8_0"));
        QCOMPARE(types.at("model.layers.1.mlp.down_proj"), model.layer("model.layers.1.mlp.down_proj").dtype);
        const LinearLayer* head = model.findLayer("lm_head");
        if (head && head->tensorName != model.layer("model.embed_tokens").tensorName)
            QCOMPARE(types.at("lm_head"), head->dtype == "BF16" ? std::string("F16") : head->dtype);
        QVERIFY(!types.count("model.embed_tokens"));
        // Without a plan the one type goes to every linear layer, as llama-quantize does.
        const auto whole = ggufLayerTypes(model, RunResult{}, "Q8_0");
        for (const auto& [layer, type] : whole)
            QCOMPARE(type, std::string("Q8_0"));
    }
};

QTEST_GUILESS_MAIN(TestExportRoundTrip)
#include "test_exportroundtrip.moc"
