// A plan run while its file is written (StreamedRun, exportPlan): the same bytes and metrics as
// runPlan then exportRun, errors and cancels from the layers reach the writer and leave no file,
// results are taken in the writer's order only, and a stream dropped half-way stops cleanly.
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "export/ExportRun.h"
#include "run/StreamedRun.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace salience;

namespace {

std::string fileBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

QuantPlan rtnPlan(int bits, int group)
{
    Recipe r;
    r.bits = bits;
    r.groupSize = group;
    QuantPlan plan = QuantPlan::uniform(r);
    return plan;
}

} // namespace

class TestStreamedRun : public QObject {
    Q_OBJECT

    DemoModel m_demo = makeDemoModel();

private slots:
    void streamedExportEqualsHeldExport_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("threads");
        QTest::newRow("gguf, 1 thread") << QStringLiteral("q.gguf") << 1;
        QTest::newRow("gguf, 2 threads") << QStringLiteral("q.gguf") << 2;
        QTest::newRow("safetensors") << QStringLiteral("q.safetensors") << 2;
        QTest::newRow("folder") << QStringLiteral("hf") << 2;
    }

    void streamedExportEqualsHeldExport()
    {
        QFETCH(QString, file);
        QFETCH(int, threads);
        const Model& model = m_demo.model;
        // A mixed plan: the first block kept, the rest RTN 4-bit g32 (lossless in Q4_1).
        QuantPlan plan = rtnPlan(4, 32);
        PlanOverride keep;
        keep.blocks = std::make_pair(0, 0);
        keep.set = {{"method", "none"}};
        plan.overrides.push_back(keep);
        QTemporaryDir dir;
        RunOptions options;
        options.threads = threads;

        ExportRequest held;
        held.out = dir.filePath("held-" + file).toStdString();
        held.format = exportFormatFor(held.out, "");
        Progress p;
        const RunResult run = runPlan(model, plan, nullptr, options, p);
        const nlohmann::json heldReport = exportRun(model, run, plan.toJson(), held, p);

        ExportRequest streamed = held;
        streamed.out = dir.filePath("streamed-" + file).toStdString();
        const PlanExport exported = exportPlan(model, plan, nullptr, options, streamed, p);

        const bool folder = !file.contains('.');
        const std::string weights = folder ? "/model.safetensors" : "";
        const std::string a = fileBytes(held.out + weights), b = fileBytes(streamed.out + weights);
        QVERIFY(!a.empty());
        QVERIFY(a == b);
        // The reports differ only in the output's name.
        nlohmann::json h = heldReport, s = exported.report;
        h.erase("output"), s.erase("output"), h.erase("written"), s.erase("written");
        QCOMPARE(QString::fromStdString(s.dump()), QString::fromStdString(h.dump()));

        // Every layer's metrics and the totals are runPlan's; the codes were let go of.
        QCOMPARE(exported.run.layers.size(), run.layers.size());
        int dropped = 0;
        for (size_t i = 0; i < run.layers.size(); ++i) {
            const LayerResult& x = run.layers[i];
            const LayerResult& y = exported.run.layers[i];
            QCOMPARE(y.layer, x.layer);
            QCOMPARE(y.isQuantized(), x.isQuantized());
            QVERIFY(!y.quantized);
            dropped += y.resultDropped;
            QCOMPARE(y.metrics.relativeWeightError, x.metrics.relativeWeightError);
            QCOMPARE(y.metrics.bitsPerWeight, x.metrics.bitsPerWeight);
        }
        QVERIFY(dropped > 0 && dropped < int(run.layers.size()));
        QCOMPARE(exported.run.summary.layersQuantized, run.summary.layersQuantized);
        QCOMPARE(exported.run.summary.quantizedBits, run.summary.quantizedBits);
        QCOMPARE(exported.run.summary.averageBitsPerWeight, run.summary.averageBitsPerWeight);
    }

    void aLayersErrorReachesTheWriterAndLeavesNoFile()
    {
        // AWQ needs activations: every layer fails, and the first failure ends the export.
        Recipe awq;
        awq.method = "awq";
        awq.bits = 4;
        awq.groupSize = 32;
        QTemporaryDir dir;
        for (const char* name : {"q.gguf", "q.safetensors"}) {
            ExportRequest request;
            request.out = dir.filePath(name).toStdString();
            request.format = exportFormatFor(request.out, "");
            Progress p;
            bool threw = false;
            try {
                exportPlan(m_demo.model, QuantPlan::uniform(awq), nullptr, {}, request, p);
            } catch (const InputError&) {
                threw = true;
            }
            QVERIFY(threw);
            QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
        }
    }

    void aCancelStopsTheLayersAndTheWriter()
    {
        QTemporaryDir dir;
        ExportRequest request;
        request.out = dir.filePath("q.gguf").toStdString();
        request.format = ExportFormat::Gguf;
        int reports = 0;
        Progress p([&](double, const std::string&) {
            if (++reports == 3)
                p.requestCancel();
        });
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 exportPlan(m_demo.model, rtnPlan(4, 32), nullptr, {}, request, p));
        QVERIFY(!std::filesystem::exists(request.out));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    void resultsComeInTheExpectedOrderOnly()
    {
        const Model& model = m_demo.model;
        Progress p;
        StreamedRun stream(model, rtnPlan(4, 32), nullptr, {}, p);
        stream.setLookahead(1);
        std::vector<std::string> order;
        for (const auto& [name, recipe] : stream.quantizedRecipes())
            order.push_back(name);
        QVERIFY(order.size() > 2); // the embedding stays as it is by default
        std::reverse(order.begin(), order.end());
        QVERIFY_THROWS_EXCEPTION(Error, stream.expect({"no.such.layer"}));
        stream.expect(order);
        QVERIFY_THROWS_EXCEPTION(Error, stream.expect(order));
        QVERIFY_THROWS_EXCEPTION(Error, stream.take(order[1]));
        // Each taken result is the layer's own, as runLayer makes it.
        const auto first = stream.take(order[0]);
        Progress q;
        const LayerResult direct = runLayer(model, model.layer(order[0]), stream.quantizedRecipes().at(order[0]),
                                            nullptr, q);
        QCOMPARE(first->dequantize(), direct.quantized->dequantize());
        QVERIFY_THROWS_EXCEPTION(Error, stream.completed());
        // Dropped here with layers still to take: the destructor stops the pool without hanging.
    }
};

QTEST_GUILESS_MAIN(TestStreamedRun)
#include "test_streamedrun.moc"
