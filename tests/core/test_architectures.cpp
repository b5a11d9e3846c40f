// The Llama-family variants the forward pass runs (Llama 3's rotary scaling, Mistral's sliding
// window, Qwen2's biases, Qwen3's per-head norms), what it refuses by name, and the random-weight
// checkpoints of published shapes that tests and benchmarks use instead of downloads. llama.cpp
// checks the same models' logits in core_llamacpp.
#include "base/Error.h"
#include "demo/ShapedCheckpoint.h"
#include "eval/Transformer.h"
#include "eval/Windows.h"
#include "io/SafetensorsReader.h"
#include "model/ArchConfig.h"
#include "model/Model.h"

#include "InputErrorCheck.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace salience;
namespace fs = std::filesystem;

namespace {

std::string writeShape(const QTemporaryDir& dir, const char* shape, const char* folder = "model")
{
    Progress progress;
    const std::string out = dir.filePath(folder).toStdString();
    writeShapedCheckpoint(checkpointShape(shape), out, ShapedCheckpointOptions{}, progress);
    return out;
}

// config.json of a written checkpoint, changed by `edit`.
void editConfig(const std::string& dir, const std::function<void(nlohmann::json&)>& edit)
{
    nlohmann::json config = nlohmann::json::parse(std::ifstream(fs::path(dir) / "config.json"));
    edit(config);
    std::ofstream(fs::path(dir) / "config.json") << config.dump(2);
}

std::vector<int32_t> someTokens(size_t n)
{
    std::vector<int32_t> t;
    for (size_t i = 0; i < n; ++i)
        t.push_back(int32_t(3 + (i * 37) % 500));
    return t;
}

double maxDifference(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b)
{
    return (a - b).cwiseAbs().maxCoeff();
}

} // namespace

class TestArchitectures : public QObject {
    Q_OBJECT
private slots:
    void llama3RotaryScalingByHand()
    {
        ArchConfig c;
        c.headDim = 128;
        c.ropeTheta = 500000;
        QCOMPARE(c.ropeFrequencyFactors(), std::vector<float>(64, 1.0f)); // no scaling: all 1
        c.ropeScalingType = "llama3";
        c.ropeScalingFactor = 8;
        c.ropeLowFreqFactor = 1;
        c.ropeHighFreqFactor = 4;
        c.ropeOriginalContext = 8192;
        const std::vector<float> f = c.ropeFrequencyFactors();
        QCOMPARE(f.size(), size_t(64));
        // Short wavelengths (< 8192 / 4 = 2048 positions) keep their frequency, long ones
        // (> 8192) are divided by the factor, the band between is blended monotonically.
        for (size_t i = 0; i < f.size(); ++i) {
            const double wavelength = 2 * M_PI * std::pow(500000.0, double(2 * i) / 128.0);
            if (wavelength < 2048)
                QCOMPARE(f[i], 1.0f);
            else if (wavelength > 8192)
                QCOMPARE(f[i], 8.0f);
            else {
                const double smooth = (8192.0 / wavelength - 1.0) / 3.0;
                QVERIFY(std::abs(f[i] - 1.0 / ((1 - smooth) / 8 + smooth)) < 1e-5);
                QVERIFY(f[i] > 1.0f && f[i] < 8.0f);
            }
            if (i > 0)
                QVERIFY(f[i] >= f[i - 1]);
        }
        c.ropeScalingType = "linear";
        c.ropeScalingFactor = 4;
        QCOMPARE(c.ropeFrequencyFactors(), std::vector<float>(64, 4.0f));
    }

    void unsupportedArchitecturesAreRefusedByName()
    {
        const auto gapOf = [](nlohmann::json config) {
            config.merge_patch({{"hidden_size", 64}, {"num_hidden_layers", 1}, {"num_attention_heads", 4}});
            return ArchConfig::fromHfConfig(config, "config.json").forwardPassGap();
        };
        QVERIFY(gapOf({{"model_type", "llama"}}).empty());
        QVERIFY(gapOf({{"model_type", "qwen3"}}).empty());
        QVERIFY(gapOf({{"model_type", "gemma2"}}).find("Gemma") != std::string::npos);
        QVERIFY(gapOf({{"model_type", "gemma3_text"}}).find("soft-capping") != std::string::npos);
        QVERIFY(gapOf({{"model_type", "phi3"}}).find("'phi3'") != std::string::npos);
        QVERIFY(gapOf({{"model_type", "llama"}, {"rope_scaling", {{"rope_type", "yarn"}, {"factor", 4}}}}).find("yarn") !=
                std::string::npos);
        QVERIFY(gapOf({{"model_type", "qwen2"}, {"use_sliding_window", true}, {"sliding_window", 4096}})
                    .find("use_sliding_window") != std::string::npos);
        QVERIFY(gapOf({{"model_type", "qwen2"}, {"use_sliding_window", false}, {"sliding_window", 4096}}).empty());
        VERIFY_INPUT_ERROR(ArchConfig::fromHfConfig({{"model_type", "llama"}, {"rope_scaling", 3}}, "cfg.json"),
                           std::string("cfg.json"), "rope_scaling");

        // The forward pass refuses such a model with the same words, naming the file.
        QTemporaryDir dir;
        const std::string path = writeShape(dir, "tiny-llama3");
        editConfig(path, [](nlohmann::json& c) { c["model_type"] = "gemma2"; });
        Progress p;
        VERIFY_INPUT_ERROR(Transformer::load(Model::open(path), p), path, "Gemma");
    }

    void shapedCheckpointsAreShardedHuggingFaceModels()
    {
        QTemporaryDir dir;
        for (const CheckpointShape& shape : checkpointShapes()) {
            if (!shape.name.starts_with("tiny-"))
                continue;
            const std::string path = writeShape(dir, shape.name.c_str(), shape.name.c_str());
            QVERIFY2(fs::exists(fs::path(path) / "model.safetensors.index.json"), shape.name.c_str());
            const Model model = Model::open(path);
            QCOMPARE(model.config().architecture, shape.modelType);
            QCOMPARE(model.config().headDim, shape.headDim);
            QCOMPARE(model.parameterCount(), shape.parameterCount());
            QCOMPARE(int64_t(model.layers().size()), shape.layers * 7 + (shape.tiedEmbeddings ? 1 : 2));
            QCOMPARE(model.layer("model.layers.0.self_attn.q_proj").dtype, std::string("BF16"));
            QCOMPARE(bool(model.findCanonical("model.layers.1.self_attn.q_proj.bias")), shape.attentionBias);
            QCOMPARE(bool(model.findCanonical("model.layers.1.self_attn.k_norm")), shape.qkNorm);
            Progress p;
            const Matrix logits = Transformer::load(model, p).forward(someTokens(8));
            QVERIFY(logits.allFinite());
        }
        // The same seed writes the same bytes; --layers cuts the depth.
        Progress p;
        ShapedCheckpointOptions options;
        options.layers = 1;
        const std::string one = dir.filePath("one").toStdString();
        writeShapedCheckpoint(checkpointShape("tiny-qwen2"), one, options, p);
        QCOMPARE(Model::open(one).config().nLayers, int64_t(1));
        options.layers = 3;
        VERIFY_INPUT_ERROR(writeShapedCheckpoint(checkpointShape("tiny-qwen2"), dir.filePath("x").toStdString(), options, p),
                           std::string("--layers"), "outside");
        VERIFY_INPUT_ERROR(checkpointShape("llama-9b"), std::string("--shape"), "llama-3.1-8b");
        // Published shapes have their published sizes.
        QVERIFY(std::abs(double(checkpointShape("llama-3.2-1b").parameterCount()) - 1.236e9) < 0.01e9);
        QVERIFY(std::abs(double(checkpointShape("llama-3.1-8b").parameterCount()) - 8.03e9) < 0.01e9);
        QVERIFY(std::abs(double(checkpointShape("qwen2.5-0.5b").parameterCount()) - 0.494e9) < 0.01e9);
    }

    void biasesAndHeadNormsMoveWithTheirRows()
    {
        QTemporaryDir dir;
        Progress p;
        for (const char* shape : {"tiny-qwen2", "tiny-qwen3"}) {
            const Model model = Model::open(writeShape(dir, shape, shape));
            QVERIFY(Transformer::load(model, p).forward(someTokens(12)).allFinite());
            // Salience's canonical order holds the bias and the norm weights with their rows:
            // reading them back into Hugging Face order gives the file's values.
            const std::string name = std::string(shape) == "tiny-qwen2" ? "model.layers.0.self_attn.q_proj.bias"
                                                                        : "model.layers.0.self_attn.q_norm";
            const CanonicalTensor* c = model.findCanonical(name);
            QVERIFY(c);
            QCOMPARE(c->layout, WeightLayout::HfRotaryPermuted);
            const FloatTensor canonical = model.canonicalTensor(name);
            const FloatTensor stored = model.reader().readFloat(c->tensorName);
            const Matrix back = permuteRotaryRows(Eigen::Map<const Matrix>(canonical.data.data(), canonical.numel(), 1),
                                                  c->rotaryHeads);
            for (int64_t i = 0; i < stored.numel(); ++i)
                QCOMPARE(back(i, 0), stored.data[size_t(i)]);
        }
    }

    void slidingWindowLimitsWhatAPositionSees()
    {
        QTemporaryDir dir;
        const std::string path = writeShape(dir, "tiny-mistral");
        constexpr int64_t window = 5;
        editConfig(path, [&](nlohmann::json& c) { c["sliding_window"] = window; });
        const Model model = Model::open(path);
        QCOMPARE(model.config().slidingWindow, window);
        Progress p;
        const Transformer t = Transformer::load(model, p);
        // Each block widens what the last position sees by window − 1 tokens; rotary embeddings
        // depend on relative positions only, so those tokens alone give the same logits.
        const int64_t blocks = model.config().nLayers;
        QCOMPARE(blocks, int64_t(2));
        const auto tokens = someTokens(20);
        const Matrix all = t.forward(tokens);
        const int64_t seen = blocks * (window - 1) + 1;
        const std::vector<int32_t> tail(tokens.end() - seen, tokens.end());
        const Matrix alone = t.forward(tail);
        QVERIFY2(maxDifference(all.bottomRows(1), alone.bottomRows(1)) < 1e-4,
                 std::to_string(maxDifference(all.bottomRows(1), alone.bottomRows(1))).c_str());
        // Without the window the earlier tokens count.
        editConfig(path, [](nlohmann::json& c) { c["sliding_window"] = nullptr; });
        const Transformer full = Transformer::load(Model::open(path), p);
        QVERIFY(maxDifference(full.forward(tokens).bottomRows(1), alone.bottomRows(1)) > 1e-3);
    }

    void windowsWithoutBos()
    {
        const std::vector<int32_t> text{5, 6, 7, 8, 9, 10, 11};
        const auto withBos = tokenWindows(text, 4, 1);
        QCOMPARE(withBos.size(), size_t(3));
        QCOMPARE(withBos[0], (std::vector<int32_t>{1, 5, 6, 7}));
        const auto without = tokenWindows(text, 4, -1);
        QCOMPARE(without.size(), size_t(2)); // the lone last token predicts nothing
        QCOMPARE(without[0], (std::vector<int32_t>{5, 6, 7, 8}));
        QCOMPARE(without[1], (std::vector<int32_t>{9, 10, 11}));
    }
};

QTEST_GUILESS_MAIN(TestArchitectures)
#include "test_architectures.moc"
