// Activation files of both kinds open through one call, and a llama.cpp imatrix's statistics
// reach the right layer of a model whatever its naming scheme.
#include "acts/LayerActivations.h"
#include "acts/OpenActivations.h"
#include "analysis/LayerAnalysis.h"
#include "base/Error.h"
#include "demo/DemoModel.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdint>
#include <fstream>

using namespace salience;

namespace {
// llama.cpp's legacy imatrix layout: n_entries, then per entry name, ncall, nval, values.
void writeLegacyImatrix(const std::string& path, const std::string& name, int32_t ncall, const std::vector<float>& values)
{
    std::ofstream out(path, std::ios::binary);
    auto i32 = [&](int32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    i32(1);
    i32(int32_t(name.size()));
    out.write(name.data(), std::streamsize(name.size()));
    i32(ncall);
    i32(int32_t(values.size()));
    out.write(reinterpret_cast<const char*>(values.data()), std::streamsize(values.size() * 4));
}
} // namespace

class TestOpenActivations : public QObject {
    Q_OBJECT
private slots:
    void imatrixStatisticsReachTheLayer()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("imatrix.dat").toStdString();
        std::vector<float> values(128);
        for (size_t j = 0; j < values.size(); ++j)
            values[j] = float(j % 7 + 1) * 3.0f;
        values[42] = 3.0e4f; // one loud channel
        writeLegacyImatrix(path, "blk.1.attn_q.weight", 3, values);

        const ActivationStore store = openActivations(path);
        QCOMPARE(store.path(), path);
        const DemoModel demo = makeDemoModel();
        const LinearLayer& q1 = demo.model.layer("model.layers.1.self_attn.q_proj");
        const auto name = activationNameFor(store, q1);
        QVERIFY(name.has_value());
        QCOMPARE(*name, std::string("blk.1.attn_q"));
        QVERIFY(!activationNameFor(store, demo.model.layer("model.layers.0.self_attn.q_proj")));
        // The stored value is the mean square times ncall, so the RMS is sqrt(value / ncall).
        const auto rms = store.stats(*name).rms();
        for (size_t j = 0; j < values.size(); ++j)
            QVERIFY(std::abs(rms[j] - std::sqrt(double(values[j]) / 3.0)) < 1e-9 * (1 + rms[j]));

        Progress progress;
        const LayerAnalysis a = analyzeLayer(demo.model, q1, &store, OutlierThresholds{}, progress);
        QVERIFY(a.scaledSpectrum.has_value());
        QVERIFY(a.inputStatsOutliers.has_value());
        QCOMPARE(a.inputStatsOutliers->outliers.size(), size_t(1));
        QCOMPARE(a.inputStatsOutliers->outliers[0].channel, int64_t(42));
    }

    void hdf5FilesAndGarbage()
    {
        QTemporaryDir dir;
        const DemoModel demo = makeDemoModel();
        Progress progress;
        const std::string h5 = dir.filePath("a.h5").toStdString();
        demo.activations.save(h5, progress);
        const ActivationStore store = openActivations(h5);
        QCOMPARE(store.sites().size(), demo.activations.sites().size());

        const std::string text = dir.filePath("notes.h5").toStdString();
        std::ofstream(text) << "not activations";
        try {
            openActivations(text);
            QFAIL("no exception");
        } catch (const InputError& e) {
            QVERIFY(std::string(e.what()).find("notes.h5") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(InputError, openActivations(dir.filePath("missing.h5").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestOpenActivations)
#include "test_openactivations.moc"
