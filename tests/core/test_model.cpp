// Model: format detection, layer discovery, the canonical weight convention across the three
// copies of stories260K, and the demo model's planted phenomena.
#include "analysis/Outliers.h"
#include "analysis/Spectrum.h"
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "io/MemoryReader.h"
#include "model/Model.h"

#include "TestData.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace salience;

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void ggufAndBinAgreeOnAll48Tensors()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model gguf = Model::open(testdata::path("stories260K/stories260K.gguf"));
        const Model bin = Model::open(testdata::path("stories260K/stories260K.bin"));
        QCOMPARE(gguf.canonicalTensors().size(), size_t(48));
        QCOMPARE(bin.canonicalTensors().size(), size_t(47));
        int compared = 0;
        for (const auto& t : gguf.canonicalTensors()) {
            // The GGUF stores the tied classifier as its own copy of the embedding.
            const std::string other = t.name == "lm_head" ? "model.embed_tokens" : t.name;
            const FloatTensor a = gguf.canonicalTensor(t.name);
            const FloatTensor b = bin.canonicalTensor(other);
            QVERIFY2(a.shape == b.shape, t.name.c_str());
            QVERIFY2(a.data == b.data, t.name.c_str()); // bit-exact
            ++compared;
        }
        QCOMPARE(compared, 48);
    }

    void hfAgreesWithBinAfterUnpermutation()
    {
        REQUIRE_TEST_DATA("stories260K/hf/model.safetensors");
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Model hf = Model::open(testdata::path("stories260K/hf"));
        const Model bin = Model::open(testdata::path("stories260K/stories260K.bin"));
        QCOMPARE(hf.format(), std::string("safetensors"));
        QCOMPARE(hf.canonicalTensors().size(), size_t(47));
        for (const auto& t : bin.canonicalTensors())
            QVERIFY2(hf.canonicalTensor(t.name).data == bin.canonicalTensor(t.name).data, t.name.c_str());
        // The stored q_proj really is permuted: without undoing it, it would differ.
        const LinearLayer& q = hf.layer("model.layers.0.self_attn.q_proj");
        QCOMPARE(q.layout, WeightLayout::HfRotaryPermuted);
        QCOMPARE(q.rotaryHeads, int64_t(8));
        QCOMPARE(hf.layer("model.layers.0.self_attn.k_proj").rotaryHeads, int64_t(4));
        QVERIFY(hf.reader().readFloat(q.tensorName).data != bin.canonicalTensor(q.name).data);
    }

    void discoversLayersWithRolesAndShapes()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        const Model m = Model::open(testdata::path("stories260K/stories260K.gguf"));
        QCOMPARE(m.config().dim, int64_t(64));
        QCOMPARE(m.config().hiddenDim, int64_t(172));
        QCOMPARE(m.config().nLayers, int64_t(5));
        QCOMPARE(m.config().nHeads, int64_t(8));
        QCOMPARE(m.config().nKvHeads, int64_t(4));
        QCOMPARE(m.config().vocabSize, int64_t(512));
        QCOMPARE(m.layers().size(), size_t(37)); // 5 x 7 + embedding + classifier
        QCOMPARE(m.layers().front().role, LayerRole::Embedding);
        QCOMPARE(m.layers().back().role, LayerRole::Classifier);
        const LinearLayer& down = m.layer("model.layers.4.mlp.down_proj");
        QCOMPARE(down.tensorName, std::string("blk.4.ffn_down.weight"));
        QCOMPARE(down.inFeatures, int64_t(172));
        QCOMPARE(down.outFeatures, int64_t(64));
        QCOMPARE(down.block, 4);
        const LinearLayer& k = m.layer("model.layers.2.self_attn.k_proj");
        QCOMPARE(k.outFeatures, int64_t(32));
        // Any scheme's name for the same (block, role) finds the layer.
        QCOMPARE(m.findLayer("blk.2.attn_k.weight"), &k);
        QCOMPARE(m.findLayer("layers.2.attention.wk.weight"), &k);
        QCOMPARE(m.findLayer("blk.2.attn_k"), &k);
        QVERIFY(m.findLayer("model.layers.9.self_attn.q_proj") == nullptr);
        QVERIFY_THROWS_EXCEPTION(InputError, m.layer("nonsense"));
        const Matrix w = m.weight(down);
        QCOMPARE(w.rows(), 64);
        QCOMPARE(w.cols(), 172);
    }

    void rotaryPermutationMatchesTheConversionFormula()
    {
        // SOURCES.md's conversion: W.reshape(heads, rows/heads/2, 2, cols).transpose(0,2,1,3).
        const int64_t heads = 2, rows = 8, cols = 3;
        Matrix canonical(rows, cols);
        for (int64_t i = 0; i < canonical.size(); ++i)
            canonical.data()[i] = float(i);
        Matrix hf(rows, cols);
        const int64_t half = rows / heads / 2;
        for (int64_t h = 0; h < heads; ++h)
            for (int64_t i = 0; i < half; ++i)
                for (int64_t a = 0; a < 2; ++a)
                    // element [h][i][a] of the reshaped tensor lands at [h][a][i] after the transpose
                    hf.row(h * 2 * half + a * half + i) = canonical.row(h * 2 * half + i * 2 + a);
        QCOMPARE(permuteRotaryRows(canonical, heads), hf);
        QCOMPARE(unpermuteRotaryRows(hf, heads), canonical);
        QVERIFY_THROWS_EXCEPTION(Error, unpermuteRotaryRows(Matrix::Zero(6, 2), 4));
    }

    void ggufOfNeoxArchitecturesKeepsHfRotaryOrder()
    {
        // llama.cpp permutes q/k to the interleaved order for llama, but leaves qwen2's in HF
        // order: the same stored rows mean different canonical weights.
        auto reader = std::make_shared<MemoryReader>("synthetic.gguf");
        Matrix q(8, 3);
        for (int64_t i = 0; i < q.size(); ++i)
            q.data()[i] = float(i);
        reader->add("blk.0.attn_q.weight", q);
        ArchConfig config;
        config.dim = 3;
        config.nHeads = 2;
        config.nKvHeads = 2;
        config.headDim = 4;
        config.nLayers = 1;
        config.architecture = "llama";
        QCOMPARE(Model::fromReader(reader, config).weight("model.layers.0.self_attn.q_proj"), q);
        config.architecture = "qwen2";
        const Model qwen = Model::fromReader(reader, config);
        QCOMPARE(qwen.layer("model.layers.0.self_attn.q_proj").layout, WeightLayout::HfRotaryPermuted);
        QCOMPARE(qwen.weight("model.layers.0.self_attn.q_proj"), unpermuteRotaryRows(q, 2));
    }

    void openRejectsWhatIsNotAModel()
    {
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        try {
            Model::open(base + "/missing.gguf");
            QFAIL("no exception");
        } catch (const InputError& e) {
            QVERIFY(std::string(e.what()).find("missing.gguf") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(InputError, Model::open(base)); // a directory without config.json
        std::ofstream(base + "/notes.txt") << "hello";
        try {
            Model::open(base + "/notes.txt");
            QFAIL("no exception");
        } catch (const InputError& e) {
            QVERIFY(std::string(e.what()).find("unknown model format") != std::string::npos);
        }
    }

    void demoIsDeterministic()
    {
        const DemoModel a = makeDemoModel();
        const DemoModel b = makeDemoModel();
        const DemoModel c = makeDemoModel(DemoOptions{.seed = 7});
        const auto& l = a.model.layer("model.layers.2.mlp.up_proj");
        QCOMPARE(a.model.weight(l), b.model.weight(l));
        QVERIFY(a.model.weight(l) != c.model.weight(l));
        QCOMPARE(a.activations.site(1, "resid_in"), b.activations.site(1, "resid_in"));
        QCOMPARE(a.model.layers().size(), size_t(1 + 4 * 7));
    }

    void demoCarriesThePlantedPhenomena()
    {
        const DemoModel demo = makeDemoModel();
        const auto& p = demo.planted;
        // Massive activations: none before the first massive block, then at token 0 in the planted dims.
        QVERIFY(massiveActivations(demo.activations.site(0, "resid_in")).massive.empty());
        for (int b = p.firstMassiveBlock; b < 4; ++b) {
            const auto report = massiveActivations(demo.activations.site(b, "resid_in"));
            QCOMPARE(report.massiveDims, p.massiveDims);
            for (const auto& m : report.massive)
                QCOMPARE(m.token, p.massiveToken);
        }
        // Channel-wise outliers in the inputs of q/k/v and gate/up, exactly the planted channels.
        for (const char* site : {"attn_in", "mlp_in"}) {
            const auto report = channelOutliers(demo.activations.site(0, site));
            std::vector<int64_t> flagged;
            for (const auto& f : report.outliers)
                flagged.push_back(f.channel);
            QCOMPARE(flagged, p.outlierChannels);
        }
        // Spectra from flat to sharply decaying: the effective rank falls block after block.
        double previous = 1e9;
        for (int b = 0; b < 4; ++b) {
            const double r =
                spectrum(demo.model.weight("model.layers." + std::to_string(b) + ".self_attn.o_proj")).effectiveRank;
            QVERIFY2(r < previous, qPrintable(QString("block %1 effective rank %2").arg(b).arg(r)));
            previous = r;
        }
    }

    void demoWrittenToDiskReadsBackTheSame()
    {
        QTemporaryDir dir;
        const DemoModel demo = makeDemoModel();
        Progress progress;
        writeDemoModel(demo, dir.path().toStdString(), progress);
        const Model onDisk = Model::open(dir.path().toStdString());
        QCOMPARE(onDisk.layers().size(), demo.model.layers().size());
        QCOMPARE(onDisk.config().nHeads, demo.model.config().nHeads);
        for (const auto& l : demo.model.layers())
            QCOMPARE(onDisk.weight(l.name), demo.model.weight(l));
        const ActivationStore acts = ActivationStore::load(dir.filePath("activations.h5").toStdString());
        QCOMPARE(acts.site(2, "resid_mid"), demo.activations.site(2, "resid_mid"));
        QCOMPARE(acts.inputs("model.layers.3.mlp.down_proj"), demo.activations.inputs("model.layers.3.mlp.down_proj"));
        QCOMPARE(acts.tokens(), demo.activations.tokens());
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
