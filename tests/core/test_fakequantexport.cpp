// Fake-quantized safetensors export: what is written reads back as the dequantized weights,
// untouched tensors byte for byte, and a failed or cancelled export leaves nothing.
#include "base/Error.h"
#include "export/FakeQuantExport.h"
#include "io/SafetensorsReader.h"
#include "demo/DemoModel.h"

#include "TestData.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace salience;

namespace {
RunResult quantizeAll(const Model& model, int bits)
{
    Recipe r;
    r.bits = bits;
    r.groupSize = 32;
    Progress p;
    return runPlan(model, QuantPlan::uniform(r), nullptr, {}, p);
}
} // namespace

class TestFakeQuantExport : public QObject {
    Q_OBJECT
private slots:
    void safetensorsSourceKeepsNamesAndLayout()
    {
        REQUIRE_TEST_DATA("stories260K/hf/model.safetensors");
        const Model model = Model::open(testdata::path("stories260K/hf"));
        const RunResult run = quantizeAll(model, 4);
        QTemporaryDir dir;
        const std::string out = dir.filePath("q").toStdString();
        Progress p;
        exportFakeQuantSafetensors(model, run, out, {}, p);

        const SafetensorsReader written(out + "/model.safetensors");
        const SafetensorsReader source(testdata::path("stories260K/hf/model.safetensors"));
        QCOMPARE(written.tensors().size(), source.tensors().size());
        for (size_t i = 0; i < source.tensors().size(); ++i) {
            const auto& t = source.tensors()[i];
            QCOMPARE(written.tensors()[i].name, t.name);
            QCOMPARE(written.tensors()[i].shape, t.shape);
            QCOMPARE(written.tensors()[i].dtype, t.dtype);
            const LinearLayer* l = model.findLayer(t.name);
            const LayerResult* r = l ? run.find(l->name) : nullptr;
            if (r && r->quantized) {
                // Reopened, the model serves exactly the dequantized weight (q/k permuted back and forth).
                QCOMPARE(Model::open(out).weight(l->name), r->quantized->dequantize());
            } else {
                const auto a = written.raw(t.name), b = source.raw(t.name);
                QCOMPARE(a.size, b.size);
                QVERIFY(std::equal(a.data, a.data + a.size, b.data));
            }
        }
        // config.json is the source's, and the report lists every layer.
        QVERIFY(QFile::exists(QString::fromStdString(out + "/config.json")));
        std::ifstream reportFile(out + "/quantization_report.json");
        const auto report = nlohmann::json::parse(reportFile);
        QCOMPARE(report["layers"].size(), model.layers().size());
        QCOMPARE(report["summary"]["layers_quantized"].get<int>(), 35);
        for (const char* key : {"name", "block", "role", "method", "bits", "group_size", "rel_weight_error",
                                "sqnr_db", "bits_per_weight"})
            QVERIFY2(report["layers"][1].contains(key), key);
    }

    void ggufSourceBecomesHuggingFaceLayout()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        const Model model = Model::open(testdata::path("stories260K/stories260K.gguf"));
        const RunResult run = quantizeAll(model, 3);
        QTemporaryDir dir;
        const std::string out = dir.filePath("hf").toStdString();
        Progress p;
        exportFakeQuantSafetensors(model, run, out, {}, p);
        const Model back = Model::open(out); // config.json + model.safetensors under HF names
        QCOMPARE(back.format(), std::string("safetensors"));
        QCOMPARE(back.layers().size(), model.layers().size());
        QVERIFY(back.reader().find("model.layers.0.self_attn.q_proj.weight") != nullptr);
        for (const auto& r : run.layers) {
            const Matrix expected = r.quantized ? r.quantized->dequantize() : model.weight(r.layer);
            QCOMPARE(back.weight(r.layer), expected);
        }
    }

    void singleFileOutputAndReportBeside()
    {
        const DemoModel demo = makeDemoModel();
        const RunResult run = quantizeAll(demo.model, 4);
        QTemporaryDir dir;
        const std::string out = dir.filePath("demo-q4.safetensors").toStdString();
        Progress p;
        const auto written = exportFakeQuantSafetensors(demo.model, run, out, {}, p);
        QCOMPARE(written.size(), size_t(2));
        QVERIFY(QFile::exists(dir.filePath("demo-q4.report.json")));
        const SafetensorsReader reader(out);
        QCOMPARE(reader.tensors().size(), demo.model.reader().tensors().size());
    }

    void refusesDirectoriesItWouldShadowOrClobber()
    {
        const DemoModel demo = makeDemoModel();
        const RunResult run = quantizeAll(demo.model, 4);
        QTemporaryDir dir;
        Progress p;
        // A sharded checkpoint's index would be opened instead of the exported file.
        const QString sharded = dir.filePath("sharded");
        QVERIFY(QDir().mkpath(sharded));
        std::ofstream((sharded + "/model.safetensors.index.json").toStdString()) << "{}";
        QVERIFY_THROWS_EXCEPTION(InputError, exportFakeQuantSafetensors(demo.model, run, sharded.toStdString(),
                                                                        ExportOptions{.overwrite = true}, p));
        QVERIFY(!QFile::exists(sharded + "/model.safetensors"));
        // Without permission to replace, an existing config.json stops the export before anything is written.
        const QString withConfig = dir.filePath("configured");
        QVERIFY(QDir().mkpath(withConfig));
        std::ofstream((withConfig + "/config.json").toStdString()) << "{\"mine\": true}";
        QVERIFY_THROWS_EXCEPTION(InputError, exportFakeQuantSafetensors(demo.model, run, withConfig.toStdString(), {}, p));
        QVERIFY(!QFile::exists(withConfig + "/model.safetensors"));
        std::ifstream in((withConfig + "/config.json").toStdString());
        std::string content((std::istreambuf_iterator<char>(in)), {});
        QCOMPARE(content, std::string("{\"mine\": true}"));
    }

    void refusesToReplaceAndLeavesNothingWhenCancelled()
    {
        const DemoModel demo = makeDemoModel();
        const RunResult run = quantizeAll(demo.model, 4);
        QTemporaryDir dir;
        const std::string out = dir.filePath("m.safetensors").toStdString();
        std::ofstream(out) << "precious";
        Progress p;
        QVERIFY_THROWS_EXCEPTION(InputError, exportFakeQuantSafetensors(demo.model, run, out, {}, p));
        std::ifstream in(out);
        std::string content;
        in >> content;
        QCOMPARE(content, std::string("precious"));

        const std::string fresh = dir.filePath("fresh").toStdString();
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, exportFakeQuantSafetensors(demo.model, run, fresh, {}, cancelled));
        QVERIFY(!QDir(QString::fromStdString(fresh)).exists());
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList{"m.safetensors"});
    }
};

QTEST_GUILESS_MAIN(TestFakeQuantExport)
#include "test_fakequantexport.moc"
