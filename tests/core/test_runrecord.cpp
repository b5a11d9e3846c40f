// HDF5 run record: what is written reads back field for field (metrics, spectrum, outliers,
// codes), a cancel leaves no file and an existing file is only replaced when asked.
#include "base/Error.h"
#include "export/RunRecord.h"
#include "io/Hdf5.h"
#include "demo/DemoModel.h"
#include "quant/Rtn.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <numeric>

using namespace salience;

namespace {

struct Fixture {
    DemoModel demo = makeDemoModel();
    QuantPlan plan;
    RunResult run;
    RunRecordInput input;

    Fixture()
    {
        Recipe r;
        r.bits = 3;
        r.groupSize = 32;
        plan = QuantPlan::uniform(r);
        RunOptions options;
        options.onlyLayers = {"model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj",
                              "model.layers.2.self_attn.o_proj"};
        Progress p;
        run = runPlan(demo.model, plan, &demo.activations, options, p);
        // An act-order layer made by hand, so the permutation is recorded too.
        QuantizedLinear& q = *run.layers[2].quantized;
        q.permutation.resize(size_t(q.inFeatures));
        std::iota(q.permutation.rbegin(), q.permutation.rend(), 0);
        input.model = "demo";
        input.plan = plan.toJson();
        input.run = &run;
        for (const auto& name : {"model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj"}) {
            Progress ap;
            input.analyses[name] = analyzeLayer(demo.model, demo.model.layer(name), &demo.activations, {}, ap);
        }
    }
};

} // namespace

class TestRunRecord : public QObject {
    Q_OBJECT
private slots:
    void roundTrip()
    {
        const Fixture f;
        QTemporaryDir dir;
        const std::string path = dir.filePath("run.h5").toStdString();
        Progress p;
        writeRunRecord(path, f.input, {.includeCodes = true}, p);
        const RunRecord record = readRunRecord(path);
        QCOMPARE(record.schema, std::string("salience-run/1"));
        QCOMPARE(record.model, std::string("demo"));
        QVERIFY(record.plan == f.plan.toJson());
        QCOMPARE(record.summary.layersQuantized, f.run.summary.layersQuantized);
        QCOMPARE(record.layers.size(), f.run.layers.size());
        for (size_t i = 0; i < f.run.layers.size(); ++i) {
            const LayerResult& r = f.run.layers[i];
            const RunRecordLayer& l = record.layers[i];
            QCOMPARE(l.name, r.layer);
            QCOMPARE(l.method, std::string("rtn"));
            QCOMPARE(l.recipe, r.recipe.summary());
            QCOMPARE(Recipe::fromJson(l.recipeJson, "record"), r.recipe);
            QVERIFY(l.quantized);
            QCOMPARE(l.bits, 3);
            QCOMPARE(l.groupSize, 32);
            QCOMPARE(l.relativeWeightError, r.metrics.relativeWeightError);
            QVERIFY(l.relativeOutputError && r.metrics.relativeOutputError);
            QCOMPARE(*l.relativeOutputError, *r.metrics.relativeOutputError);
            QCOMPARE(l.sqnrDb, r.metrics.sqnrDb);
            QCOMPARE(l.bitsPerWeight, r.metrics.bitsPerWeight);
            const QuantizedLinear& q = *r.quantized;
            QCOMPARE(l.outFeatures, q.outFeatures);
            QCOMPARE(l.inFeatures, q.inFeatures);
            QCOMPARE(l.codes, q.codes);
            QCOMPARE(l.scales, q.scales);
            QCOMPARE(l.zeroPoints, q.zeroPoints);
            QCOMPARE(l.scaleShape, (std::vector<int64_t>{q.outFeatures, q.grid.groupsPerRow(q.inFeatures)}));
            QCOMPARE(l.permutation, q.permutation);
            const auto it = f.input.analyses.find(r.layer);
            if (it == f.input.analyses.end()) {
                QVERIFY(l.singularValues.empty());
                continue;
            }
            QCOMPARE(l.singularValues, it->second.spectrum.singularValues);
            QCOMPARE(*l.effectiveRank, it->second.spectrum.effectiveRank);
            QVERIFY(it->second.inputOutliers);
            std::vector<int64_t> channels;
            for (const auto& o : it->second.inputOutliers->outliers)
                channels.push_back(o.channel);
            QCOMPARE(l.outlierChannels, channels);
            QCOMPARE(l.outlierCriterion, std::string("channel"));
        }
        // q_proj's inputs carry the demo's planted outlier channels.
        QVERIFY(!record.layers[0].outlierChannels.empty());
        QVERIFY(record.layers[2].permutation.front() == int32_t(record.layers[2].inFeatures - 1));

        // The codes are stored as uint8, as the schema says.
        const auto file = hdf5::File::openReadOnly(path);
        const auto codes = file.root().openGroup("layers").openGroup("model.layers.0.self_attn.q_proj").openDataset("codes");
        QCOMPARE(codes.type().name, std::string("uint8"));
    }

    void codesOnlyWhenAsked()
    {
        const Fixture f;
        QTemporaryDir dir;
        const std::string path = dir.filePath("small.h5").toStdString();
        Progress p;
        writeRunRecord(path, f.input, {}, p);
        const RunRecord record = readRunRecord(path);
        QVERIFY(record.layers[0].codes.empty());
        QVERIFY(record.layers[0].scales.empty());
        QVERIFY(!record.layers[0].singularValues.empty());
    }

    void cancelAndOverwrite()
    {
        const Fixture f;
        QTemporaryDir dir;
        const std::string path = dir.filePath("run.h5").toStdString();
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, writeRunRecord(path, f.input, {}, cancelled));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
        Progress p;
        writeRunRecord(path, f.input, {}, p);
        QVERIFY_THROWS_EXCEPTION(InputError, writeRunRecord(path, f.input, {}, p));
        writeRunRecord(path, f.input, {.overwrite = true}, p);
        QCOMPARE(readRunRecord(path).layers.size(), size_t(3));
        // Not a run record.
        const std::string other = dir.filePath("acts.h5").toStdString();
        f.demo.activations.save(other, p);
        QVERIFY_THROWS_EXCEPTION(InputError, readRunRecord(other));
        QVERIFY_THROWS_EXCEPTION(InputError, writeRunRecord(dir.filePath("n.h5").toStdString(), RunRecordInput{}, {}, p));
    }
};

QTEST_GUILESS_MAIN(TestRunRecord)
#include "test_runrecord.moc"
