// GGUF export against the real stories260K files: an F32 export of stories260K.gguf reproduces
// every tensor and the metadata of the original; a Q8_0 export holds exactly what the reference
// quantizer makes of each weight; the llama2.c .bin gets the real GGUF's vocabulary and weights;
// results that Q8_0/Q4_0 hold exactly are written losslessly; bad options, cancel and existing
// files behave.
#include "base/Error.h"
#include "export/GgufExport.h"
#include "io/GgmlDequant.h"
#include "io/GgufReader.h"
#include "demo/DemoModel.h"
#include "model/Model.h"
#include "quant/GgmlQuantize.h"
#include "quant/Hadamard.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <set>

using namespace salience;

namespace {

const char* const kGguf = "stories260K/stories260K.gguf";
const char* const kBin = "stories260K/stories260K.bin";

QStringList entries(const QTemporaryDir& dir)
{
    return QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

bool sameValue(const GgufValue& a, const GgufValue& b)
{
    if (a.type() != b.type())
        return false;
    const GgufArray* x = a.array();
    const GgufArray* y = b.array();
    if (!x)
        return std::visit(
            [&b](const auto& va) {
                using T = std::decay_t<decltype(va)>;
                if constexpr (std::is_same_v<T, GgufArray>)
                    return false;
                else
                    return va == std::get<T>(b.storage());
            },
            a.storage());
    if (x->elementType != y->elementType || x->items.size() != y->items.size())
        return false;
    for (size_t i = 0; i < x->items.size(); ++i)
        if (!sameValue(x->items[i], y->items[i]))
            return false;
    return true;
}

bool sameBytes(const GgufReader& a, const GgufReader& b, const std::string& name)
{
    const auto x = a.rawBytes(name);
    const auto y = b.rawBytes(name);
    return x.size == y.size && std::memcmp(x.data, y.data, x.size) == 0;
}

GgufExportReport exportTo(const Model& m, const std::string& out, const std::string& type,
                          const std::map<std::string, QuantizedLinear>& results = {},
                          std::map<std::string, std::string> layerTypes = {})
{
    GgufExportOptions o;
    o.defaultType = type;
    o.layerTypes = std::move(layerTypes);
    Progress p;
    return exportGguf(m, results, out, o, p);
}

const GgufLayerExport* entryFor(const GgufExportReport& r, const std::string& layer)
{
    for (const auto& e : r.layers)
        if (e.layer == layer)
            return &e;
    return nullptr;
}

} // namespace

class TestGgufExport : public QObject {
    Q_OBJECT
private slots:
    void f32ExportReproducesTheRealGguf()
    {
        REQUIRE_TEST_DATA(kGguf);
        QTemporaryDir dir;
        const std::string out = dir.filePath("f32.gguf").toStdString();
        const Model model = Model::open(testdata::path(kGguf));
        const auto report = exportTo(model, out, "F32");
        QVERIFY(report.warnings.empty());

        const GgufReader orig(testdata::path(kGguf));
        const GgufReader ours(out);
        QCOMPARE(ours.version(), 3u);
        QCOMPARE(ours.tensors().size(), orig.tensors().size()); // 48
        for (const auto& t : orig.ggufTensors()) {
            const GgufTensorInfo* o = ours.tensorInfo(t.info.name);
            QVERIFY2(o, t.info.name.c_str());
            QCOMPARE(o->typeId, t.typeId);
            QCOMPARE(o->ne, t.ne);
            QVERIFY2(sameBytes(orig, ours, t.info.name), t.info.name.c_str());
        }
        // Every key of the original, with the same type and value; ours adds only the keys the
        // converter of 2023 did not write.
        for (const auto& key : orig.keys()) {
            QVERIFY2(ours.metadata(key), key.c_str());
            QVERIFY2(sameValue(*ours.metadata(key), *orig.metadata(key)), key.c_str());
        }
        std::set<std::string> extra;
        for (const auto& key : ours.keys())
            if (!orig.metadata(key))
                extra.insert(key);
        QCOMPARE(extra, (std::set<std::string>{"general.file_type", "general.quantization_version",
                                               "llama.rope.freq_base"}));
        QCOMPARE(*ours.getInt("general.file_type"), int64_t(0));
        QCOMPARE(*ours.getInt("general.quantization_version"), int64_t(2));
        QCOMPARE(*ours.getFloat("llama.rope.freq_base"), 10000.0);
        // Every linear layer reported, lossless.
        QCOMPARE(report.layers.size(), size_t(2 + 5 * 7));
        for (const auto& e : report.layers) {
            QCOMPARE(e.type, std::string("F32"));
            QVERIFY(e.lossless && !e.fromResult && !e.fallback);
            QCOMPARE(e.errorVsOriginal, 0.0);
        }
    }

    void q8_0ExportHoldsTheReferenceQuantization()
    {
        REQUIRE_TEST_DATA(kGguf);
        QTemporaryDir dir;
        const std::string out = dir.filePath("q8.gguf").toStdString();
        const Model model = Model::open(testdata::path(kGguf));
        const auto report = exportTo(model, out, "q8_0");
        const GgufReader orig(testdata::path(kGguf));
        const GgufReader ours(out);
        QCOMPARE(*ours.getInt("general.file_type"), int64_t(7));
        for (const auto& t : orig.ggufTensors()) {
            const std::string& name = t.info.name;
            const GgufTensorInfo* o = ours.tensorInfo(name);
            QVERIFY2(o, name.c_str());
            QCOMPARE(o->ne, t.ne);
            const FloatTensor source = orig.readFloat(name);
            GgmlType expected = GgmlType::Q8_0;
            if (t.ne.size() == 1 || name == "token_embd.weight")
                expected = GgmlType::F32; // norms and the embedding stay F32
            else if (t.ne[0] % 32 != 0)
                expected = GgmlType::F16; // ffn_down: rows of 172 are not whole Q8_0 blocks
            QCOMPARE(o->typeId, uint32_t(expected));
            const std::vector<uint8_t> want = quantizeRows(expected, source.data.data(), t.ne.size() == 1 ? 1 : t.ne[1],
                                                           t.ne[0]);
            const auto raw = ours.rawBytes(name);
            QCOMPARE(raw.size, uint64_t(want.size()));
            QVERIFY2(std::memcmp(raw.data, want.data(), want.size()) == 0, name.c_str());
        }
        const GgufLayerExport* down = entryFor(report, "model.layers.0.mlp.down_proj");
        QVERIFY(down && down->fallback && down->type == "F16" && down->requestedType == "Q8_0");
        const GgufLayerExport* q = entryFor(report, "model.layers.0.self_attn.q_proj");
        QVERIFY(q && q->type == "Q8_0" && !q->lossless && !q->fallback);
        // Q8_0 of a trained weight: well under 1% error, and vs Ŵ the same (no result given).
        QVERIFY(q->errorVsOriginal > 0 && q->errorVsOriginal < 0.01);
        QCOMPARE(q->errorVsResult, q->errorVsOriginal);
    }

    void llama2cSourceGetsTheRealVocabularyAndWeights()
    {
        REQUIRE_TEST_DATA(kBin);
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        REQUIRE_TEST_DATA(kGguf);
        QTemporaryDir dir;
        const std::string out = dir.filePath("bin.gguf").toStdString();
        const Model model = Model::open(testdata::path(kBin));
        exportTo(model, out, "F32"); // finds tok512.bin beside the model
        const GgufReader orig(testdata::path(kGguf));
        const GgufReader ours(out);
        for (const auto& key : orig.keys())
            if (key.rfind("tokenizer.", 0) == 0) {
                QVERIFY2(ours.metadata(key), key.c_str());
                QVERIFY2(sameValue(*ours.metadata(key), *orig.metadata(key)), key.c_str());
            }
        QCOMPARE(ours.getStringArray("tokenizer.ggml.tokens").size(), size_t(512));
        // The weights: bit-identical to the converter's (SOURCES.md), tied classifier omitted.
        QVERIFY(!ours.tensorInfo("output.weight"));
        QCOMPARE(ours.tensors().size(), orig.tensors().size() - 1);
        for (const auto& t : ours.ggufTensors())
            QVERIFY2(sameBytes(orig, ours, t.info.name), t.info.name.c_str());
        QCOMPARE(*ours.getInt("llama.context_length"), int64_t(512)); // the .bin's seq_len
    }

    void exactResultsAreWrittenLosslessly()
    {
        REQUIRE_TEST_DATA(kGguf);
        QTemporaryDir dir;
        const Model model = Model::open(testdata::path(kGguf));
        const std::string q = "model.layers.1.self_attn.q_proj", k = "model.layers.1.self_attn.k_proj",
                          v = "model.layers.1.self_attn.v_proj", o = "model.layers.1.self_attn.o_proj",
                          gate = "model.layers.2.mlp.gate_proj", up = "model.layers.2.mlp.up_proj";
        std::map<std::string, QuantizedLinear> results;
        // 8-bit symmetric g=32: q = code - 128 in [-128, 127], d = the group's scale → Q8_0.
        results[q] = quantizeRtn(model.weight(q), QuantGrid{8, true, Granularity::PerGroup, 32});
        // 4-bit asymmetric g=32: q = code - zero in [-15, 15] also fits Q8_0 exactly.
        results[k] = quantizeRtn(model.weight(k), QuantGrid{4, false, Granularity::PerGroup, 32});
        // 4-bit symmetric per channel (one scale per 64-value row) → Q4_0: nibble = code.
        results[v] = quantizeRtn(model.weight(v), QuantGrid{4, true, Granularity::PerChannel, 0});
        // Groups of 16: a 32-value block has two scales, so no single d: requantized.
        results[o] = quantizeRtn(model.weight(o), QuantGrid{8, true, Granularity::PerGroup, 16});
        // 8-bit codes do not fit Q4_0's 16 levels: requantized.
        results[gate] = quantizeRtn(model.weight(gate), QuantGrid{8, true, Granularity::PerGroup, 32});
        // A rotation makes Ŵ leave the grid: requantized.
        QuantizedLinear rotated = quantizeRtn(model.weight(up), QuantGrid{8, true, Granularity::PerGroup, 32});
        rotated.rotation = HadamardRotation::randomized(rotated.inFeatures, 1234);
        results[up] = rotated;

        const std::string out = dir.filePath("exact.gguf").toStdString();
        const auto report = exportTo(model, out, "Q8_0", results, {{v, "Q4_0"}, {gate, "Q4_0"}});
        const GgufReader ours(out);
        const auto check = [&](const std::string& layer, const char* type, bool lossless) {
            const GgufLayerExport* e = entryFor(report, layer);
            QVERIFY2(e, layer.c_str());
            QCOMPARE(e->type, std::string(type));
            QVERIFY(e->fromResult);
            QCOMPARE(e->lossless, lossless);
            const Matrix hat = results.at(layer).dequantize();
            const FloatTensor written = ours.readFloat(e->tensorName);
            const bool identical = std::memcmp(written.data.data(), hat.data(), size_t(hat.size()) * 4) == 0;
            QCOMPARE(identical, lossless);
            if (lossless) {
                QCOMPARE(e->errorVsResult, 0.0);
            } else {
                QVERIFY(e->errorVsResult > 0);
                // Requantized from Ŵ with the reference quantizer.
                const auto want = quantizeRows(GgmlType(ours.tensorInfo(e->tensorName)->typeId), hat.data(),
                                               hat.rows(), hat.cols());
                QVERIFY(std::memcmp(ours.rawBytes(e->tensorName).data, want.data(), want.size()) == 0);
            }
            QVERIFY(e->errorVsOriginal > 0);
        };
        check(q, "Q8_0", true);
        check(k, "Q8_0", true);
        check(v, "Q4_0", true);
        check(o, "Q8_0", false);
        check(gate, "Q4_0", false);
        check(up, "Q8_0", false);
    }

    void demoModelRoundTrips()
    {
        // The built-in demo (dim 128, hidden 344): every result whose rows are whole Q4_0 blocks
        // reads back through Salience's own reader exactly as the method dequantizes it.
        const DemoModel demo = makeDemoModel();
        std::map<std::string, QuantizedLinear> results;
        for (const auto& layer : demo.model.layers())
            if (layer.isQuantizable())
                results[layer.name] = quantizeRtn(demo.model.weight(layer), QuantGrid{4, true, Granularity::PerGroup, 32});
        QTemporaryDir dir;
        const std::string out = dir.filePath("demo.gguf").toStdString();
        const auto report = exportTo(demo.model, out, "Q4_0", results, {});
        const Model back = Model::open(out);
        int lossless = 0;
        for (const auto& [name, result] : results) {
            const GgufLayerExport* e = entryFor(report, name);
            QVERIFY2(e, name.c_str());
            const Matrix written = back.weight(name);
            const Matrix hat = result.dequantize();
            QCOMPARE(written.rows(), hat.rows());
            const bool wholeBlocks = result.inFeatures % 32 == 0;
            QCOMPARE(e->lossless, wholeBlocks);
            if (wholeBlocks) {
                QCOMPARE(e->type, std::string("Q4_0"));
                QVERIFY2(written == hat, name.c_str());
                ++lossless;
            } else {
                QVERIFY(e->fallback);
                QVERIFY((written - hat).cwiseAbs().maxCoeff() < 1e-2f * hat.cwiseAbs().maxCoeff());
            }
        }
        QCOMPARE(lossless, 4 * 6); // q, k, v, o, gate, up of the 4 blocks (the classifier is tied)
    }

    void badOptionsAreNamed()
    {
        REQUIRE_TEST_DATA(kGguf);
        QTemporaryDir dir;
        const std::string out = dir.filePath("bad.gguf").toStdString();
        const Model model = Model::open(testdata::path(kGguf));
        VERIFY_INPUT_ERROR(exportTo(model, out, "Q9_9"), "defaultType", "Q9_9");
        VERIFY_INPUT_ERROR(exportTo(model, out, "IQ2_XXS"), "defaultType", "cannot be written");
        VERIFY_INPUT_ERROR(exportTo(model, out, "Q8_0", {}, {{"model.layers.0.mlp.up_proj", "Q3_X"}}),
                           "model.layers.0.mlp.up_proj", "Q3_X");
        VERIFY_INPUT_ERROR(exportTo(model, out, "Q8_0", {}, {{"model.layers.9.mlp.up_proj", "Q4_0"}}),
                           "model.layers.9.mlp.up_proj", "names no layer");
        std::map<std::string, QuantizedLinear> wrongShape;
        wrongShape["model.layers.0.mlp.up_proj"] =
            quantizeRtn(model.weight("model.layers.0.self_attn.q_proj"), QuantGrid{8, true, Granularity::PerGroup, 32});
        VERIFY_INPUT_ERROR(exportTo(model, out, "Q8_0", wrongShape), "model.layers.0.mlp.up_proj", "its result is");
        QVERIFY(entries(dir).isEmpty());
    }

    void cancelAndExistingFiles()
    {
        REQUIRE_TEST_DATA(kGguf);
        QTemporaryDir dir;
        const std::string out = dir.filePath("c.gguf").toStdString();
        const Model model = Model::open(testdata::path(kGguf));
        // Cancel once a few tensors are written.
        int reports = 0;
        Progress progress([&](double, const std::string&) {
            if (++reports == 5)
                progress.requestCancel();
        });
        GgufExportOptions o;
        QVERIFY_THROWS_EXCEPTION(CancelledError, exportGguf(model, {}, out, o, progress));
        QVERIFY(reports >= 5);
        QVERIFY(entries(dir).isEmpty());

        {
            QFile f(QString::fromStdString(out));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old");
        }
        VERIFY_INPUT_ERROR(exportTo(model, out, "Q8_0"), out, "already exists");
        QFile kept(QString::fromStdString(out));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("old"));
        kept.close();
        o.overwrite = true;
        Progress p;
        exportGguf(model, {}, out, o, p);
        QCOMPARE(GgufReader(out).tensors().size(), size_t(48));
        QCOMPARE(entries(dir), QStringList{"c.gguf"});
    }
};

QTEST_GUILESS_MAIN(TestGgufExport)
#include "test_ggufexport.moc"
