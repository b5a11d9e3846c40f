// llama2.c export: stories260K and the demo model written as version-0 .bin and read back with
// Llama2cReader to identical weights; models llama2.c cannot run are refused.
#include "base/Error.h"
#include "export/Llama2cExport.h"
#include "io/Llama2cReader.h"
#include "demo/DemoModel.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"

#include "TestData.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace salience;

namespace {

// RTN 4-bit g32 on every other quantizable layer.
RunResult someLayersQuantized(const Model& model)
{
    RunResult run;
    QuantGrid g;
    g.bits = 4;
    g.groupSize = 32;
    bool take = true;
    for (const auto& l : model.layers()) {
        if (!l.isQuantizable())
            continue;
        if (take) {
            LayerResult r;
            r.layer = l.name;
            const Matrix w = model.weight(l);
            r.quantized = quantizeRtn(w, g);
            r.metrics = measureLayer(w, *r.quantized);
            run.layers.push_back(std::move(r));
        }
        take = !take;
    }
    return run;
}

void checkSameWeights(const Model& source, const RunResult& run, const Model& back)
{
    QCOMPARE(back.layers().size(), source.layers().size());
    for (const auto& l : source.layers()) {
        const LayerResult* r = run.find(l.name);
        const Matrix expected = r && r->quantized ? r->quantized->dequantize() : source.weight(l);
        QCOMPARE(back.weight(l.name), expected);
    }
    // Norms and layers the run did not quantize are copied as they are.
    for (const auto& c : source.canonicalTensors()) {
        const LayerResult* r = run.find(c.name);
        if (!r || !r->quantized)
            QCOMPARE(back.canonicalTensor(c.name).data, source.canonicalTensor(c.name).data);
    }
}

std::vector<char> bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

class TestLlama2cExport : public QObject {
    Q_OBJECT
private slots:
    void storiesBinRoundTrip()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const std::string source = testdata::path("stories260K/stories260K.bin");
        const Model model = Model::open(source);
        QTemporaryDir dir;
        Progress p;

        // Nothing quantized: the header and every weight byte equal the original file's.
        const std::string plain = dir.filePath("plain.bin").toStdString();
        exportLlama2c(model, RunResult{}, plain, {}, p);
        const auto a = bytes(plain), b = bytes(source);
        QCOMPARE(a.size(), b.size());
        // Weights end where the RoPE tables begin: 28 + 4·(params before them).
        const size_t weightsEnd = 28 + 4 * size_t(512 * 64 + 5 * 64 + 5 * (64 * 64 * 2 + 32 * 64 * 2) + 5 * 64 +
                                                  5 * 172 * 64 * 3 + 64);
        QVERIFY(std::equal(a.begin(), a.begin() + std::ptrdiff_t(weightsEnd), b.begin()));
        // freq_cis_real at t = 1, i = 1: cos(1 · 10000^(−2/8)) = cos(0.1).
        float f;
        std::memcpy(&f, a.data() + weightsEnd + 4 * (4 + 1), 4);
        QVERIFY(std::abs(f - std::cos(0.1f)) < 1e-6f);

        const RunResult run = someLayersQuantized(model);
        const std::string out = dir.filePath("q.bin").toStdString();
        exportLlama2c(model, run, out, {}, p);
        const Llama2cReader reader(out);
        QCOMPARE(reader.config().version, 0);
        QVERIFY(reader.config().sharedClassifier);
        QCOMPARE(reader.config().dim, 64);
        QCOMPARE(reader.config().seqLen, 512);
        checkSameWeights(model, run, Model::open(out));
    }

    void ggufClassifierIsUnshared()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        const Model model = Model::open(testdata::path("stories260K/stories260K.gguf"));
        const RunResult run = someLayersQuantized(model);
        QTemporaryDir dir;
        const std::string out = dir.filePath("g.bin").toStdString();
        Progress p;
        exportLlama2c(model, run, out, {}, p);
        int32_t header[7];
        std::ifstream(out, std::ios::binary).read(reinterpret_cast<char*>(header), sizeof header);
        QCOMPARE(header[5], -512); // output.weight is its own tensor: negative vocab_size
        QCOMPARE(header[6], 2048);
        const Llama2cReader reader(out);
        QVERIFY(!reader.config().sharedClassifier);
        checkSameWeights(model, run, Model::open(out));
    }

    void demoModelRoundTrip()
    {
        const DemoModel demo = makeDemoModel();
        const RunResult run = someLayersQuantized(demo.model);
        QTemporaryDir dir;
        const std::string out = dir.filePath("demo.bin").toStdString();
        Progress p;
        exportLlama2c(demo.model, run, out, {}, p);
        // The demo's q/k are stored in HF order; the .bin holds the canonical (llama2.c) order.
        checkSameWeights(demo.model, run, Model::open(out));
    }

    void refusesWhatLlama2cCannotRun()
    {
        const DemoModel demo = makeDemoModel();
        QTemporaryDir dir;
        const std::string out = dir.filePath("x.bin").toStdString();
        Progress p;
        ArchConfig config = demo.model.config();
        config.ropeTheta = 500000.0;
        const Model theta = Model::fromReader(demo.model.readerPtr(), config);
        QVERIFY(llama2cIncompatibility(theta).find("rope theta") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(InputError, exportLlama2c(theta, RunResult{}, out, {}, p));
        config = demo.model.config();
        config.architecture = "qwen2";
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 exportLlama2c(Model::fromReader(demo.model.readerPtr(), config), RunResult{}, out, {}, p));
        QVERIFY(!std::filesystem::exists(out));
    }

    void cancelAndOverwrite()
    {
        const DemoModel demo = makeDemoModel();
        QTemporaryDir dir;
        const std::string out = dir.filePath("c.bin").toStdString();
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, exportLlama2c(demo.model, RunResult{}, out, {}, cancelled));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
        Progress p;
        exportLlama2c(demo.model, RunResult{}, out, {}, p);
        QVERIFY_THROWS_EXCEPTION(InputError, exportLlama2c(demo.model, RunResult{}, out, {}, p));
        exportLlama2c(demo.model, RunResult{}, out, {.overwrite = true}, p);
    }
};

QTEST_GUILESS_MAIN(TestLlama2cExport)
#include "test_llama2cexport.moc"
