// Runner: the plan over every layer equals quantizing each layer alone, whatever the thread
// count; totals add up; cancellation leaves no result.
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"
#include "run/Runner.h"

#include "TestData.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>


using namespace salience;

class TestRunner : public QObject {
    Q_OBJECT
    DemoModel m_demo = makeDemoModel();

private slots:
    void eachLayerEqualsRtnAlone()
    {
        Recipe r;
        r.bits = 3;
        r.groupSize = 32;
        Progress progress;
        const RunResult run = runPlan(m_demo.model, QuantPlan::uniform(r), &m_demo.activations, {}, progress);
        QCOMPARE(run.layers.size(), m_demo.model.layers().size());
        for (const auto& res : run.layers) {
            const LinearLayer& l = m_demo.model.layer(res.layer);
            if (l.role == LayerRole::Embedding) {
                QVERIFY(!res.quantized);
                continue;
            }
            QVERIFY(res.quantized);
            const Matrix w = m_demo.model.weight(l);
            const Matrix expected = quantizeRtn(w, r.grid()).dequantize();
            QCOMPARE(res.quantized->dequantize(), expected);
            QCOMPARE(res.metrics.relativeWeightError, relativeWeightError(w, expected));
            // Every demo layer has inputs, so the output error is measured on them.
            QVERIFY(res.metrics.relativeOutputError.has_value());
            const Matrix& x = m_demo.activations.inputs(res.layer);
            QCOMPARE(*res.metrics.relativeOutputError, relativeOutputError(w, expected, x));
        }
        QCOMPARE(progress.fraction(), 1.0);
    }

    void resultsDoNotDependOnThreads()
    {
        Progress p1, p2;
        const QuantPlan plan = QuantPlan::uniform(Recipe{});
        const RunResult one = runPlan(m_demo.model, plan, nullptr, RunOptions{.threads = 1, .onlyLayers = {}}, p1);
        const RunResult four = runPlan(m_demo.model, plan, nullptr, RunOptions{.threads = 4, .onlyLayers = {}}, p2);
        QCOMPARE(one.layers.size(), four.layers.size());
        for (size_t i = 0; i < one.layers.size(); ++i) {
            QCOMPARE(one.layers[i].layer, four.layers[i].layer);
            QCOMPARE(one.layers[i].quantized.has_value(), four.layers[i].quantized.has_value());
            if (one.layers[i].quantized) {
                QVERIFY(one.layers[i].quantized->codes == four.layers[i].quantized->codes);
                QVERIFY(one.layers[i].quantized->scales == four.layers[i].quantized->scales);
            }
        }
        QCOMPARE(one.summary.quantizedBits, four.summary.quantizedBits);
    }

    void totalsAddUpByHand()
    {
        // 4-bit asymmetric per-channel: per row 16 bits of scale and 4 of zero point.
        Recipe r;
        r.groupSize = 0;
        Progress progress;
        const RunResult run = runPlan(m_demo.model, QuantPlan::uniform(r), nullptr, {}, progress);
        double original = 0, quantized = 0, weights = 0, layerBits = 0;
        for (const auto& t : m_demo.model.reader().tensors()) {
            original += 32.0 * double(t.numel());
            const LinearLayer* l = m_demo.model.findLayer(t.name);
            if (l && l->role != LayerRole::Embedding) {
                const double bits = 4.0 * double(l->numel()) + 20.0 * double(l->outFeatures);
                quantized += bits;
                layerBits += bits;
                weights += double(l->numel());
            } else {
                quantized += 32.0 * double(t.numel());
            }
        }
        QCOMPARE(run.summary.originalBits, original);
        QCOMPARE(run.summary.quantizedBits, quantized);
        QCOMPARE(run.summary.averageBitsPerWeight, layerBits / weights);
        QCOMPARE(run.summary.layersQuantized, int64_t(28));
    }

    void runOverAFileKeepsNoInputsCached()
    {
        // A run over a lazily loaded file holds one layer's inputs per thread, never all of them.
        const DemoModel demo = makeDemoModel();
        QTemporaryDir dir;
        const std::string path = dir.filePath("acts.h5").toStdString();
        Progress p;
        demo.activations.save(path, p);
        const ActivationStore loaded = ActivationStore::load(path);
        QCOMPARE(loaded.cachedBytes(), int64_t(0));
        Recipe r;
        r.bits = 4;
        r.groupSize = 32;
        const RunResult fromFile = runPlan(demo.model, QuantPlan::uniform(r), &loaded, RunOptions{}, p);
        QCOMPARE(loaded.cachedBytes(), int64_t(0));
        const RunResult inMemory = runPlan(demo.model, QuantPlan::uniform(r), &demo.activations, RunOptions{}, p);
        int measured = 0;
        for (size_t i = 0; i < fromFile.layers.size(); ++i) {
            const auto& a = fromFile.layers[i].metrics.relativeOutputError;
            const auto& b = inMemory.layers[i].metrics.relativeOutputError;
            QCOMPARE(a.has_value(), b.has_value());
            if (a) {
                QVERIFY(std::abs(*a - *b) < 1e-6);
                ++measured;
            }
        }
        QCOMPARE(measured, 28); // every linear layer of the 4 demo blocks
    }

    void cancelStopsTheRun()
    {
        // The first layer's report cancels the run; the runner must stop and return nothing.
        Progress progress;
        Progress* self = &progress;
        int reports = 0;
        progress = Progress([self, &reports](double, const std::string&) {
            ++reports;
            self->requestCancel();
        });
        QVERIFY_THROWS_EXCEPTION(CancelledError, runPlan(m_demo.model, QuantPlan::uniform(Recipe{}), nullptr,
                                                          RunOptions{.threads = 1, .onlyLayers = {}}, progress));
        QCOMPARE(reports, 1); // no layer after the cancel was quantized
    }

    void onlyLayersAndUnknownNames()
    {
        Progress progress;
        const RunResult run = runPlan(m_demo.model, QuantPlan::uniform(Recipe{}), nullptr,
                                      RunOptions{.onlyLayers = {"model.layers.1.mlp.up_proj"}}, progress);
        QCOMPARE(run.layers.size(), size_t(1));
        QVERIFY_THROWS_EXCEPTION(InputError, runPlan(m_demo.model, QuantPlan::uniform(Recipe{}), nullptr,
                                                     RunOptions{.onlyLayers = {"model.layers.7.mlp.up_proj"}}, progress));
    }

    void realModelLayersQuantize()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model m = Model::open(testdata::path("stories260K/stories260K.bin"));
        Recipe r4, r8;
        r8.bits = 8;
        Progress p;
        const RunResult four = runPlan(m, QuantPlan::uniform(r4), nullptr, {}, p);
        const RunResult eight = runPlan(m, QuantPlan::uniform(r8), nullptr, {}, p);
        for (size_t i = 0; i < four.layers.size(); ++i) {
            if (!four.layers[i].quantized)
                continue;
            QVERIFY(eight.layers[i].metrics.relativeWeightError < four.layers[i].metrics.relativeWeightError);
            QVERIFY(eight.layers[i].metrics.relativeWeightError < 0.01);
        }
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "test_runner.moc"
