// The proof in the real client: on tinystories-d256 (tests/data/tinystories-d256, a small trained
// Llama whose rows are whole K-quant super-blocks), llama.cpp itself (npm's node-llama-cpp,
// tests/reference/llamacpp_reference.mjs perplexity) scores what Salience writes.
//   - llama-quantize's mixes Q4_K_M, Q3_K_M and Q2_K: the file `export --preset` writes (what
//     llama-quantize makes without an importance matrix: ggml's rounding onto the mix's types)
//     and the file GPTQ writes onto the same types (`--method gptq --preset --damp 0.1`, calibrated
//     on the second half of tinystories_valid_head.txt, the half the model was trained on) have the same
//     size, and in llama.cpp, on the held-out first half, GPTQ's KL divergence from the float
//     model is the lower one (and its top token more often the float model's); its perplexity
//     is not worse beyond the paired error of the tokens scored (see the README for why the
//     perplexity alone does not separate them).
//   - every type Salience writes, F16 included: a plan onto that block format exports
//     losslessly, the file loads in llama.cpp, and llama.cpp's perplexity of it is Salience's
//     own perplexity of the plan's result in memory (run/QuantizedForward.h) within 0.5%, over
//     the same windows (llama-perplexity's: -c 256, second halves scored).
// Skips when the model, the text, node or the npm registry is missing.
#include "acts/ActivationStore.h"
#include "eval/Tokenizer.h"
#include "eval/TokenizerLookup.h"
#include "eval/Transformer.h"
#include "export/ExportRun.h"
#include "export/LlamaQuantizeMix.h"
#include "export/LlamaQuantizePlan.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "run/Capture.h"
#include "run/Perplexity.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"

#include "ReferenceInstall.h"
#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <optional>

#ifndef SALIENCE_LLAMACPP_DIR
#error "tests/CMakeLists.txt defines SALIENCE_LLAMACPP_DIR and SALIENCE_REFERENCE_SCRIPTS for this suite"
#endif

using namespace salience;

namespace {

const char* const kText = "text/tinystories_valid_head.txt";
const char* const kTokenizer = "stories260K/tok512.bin";
constexpr int64_t kWindow = 256;          // llama-perplexity's -c
constexpr int64_t kEvaluationWindows = 16; // 16 × 256 tokens of the held-out half, 2032 scored
constexpr int64_t kCalibrationTokens = 8192;
constexpr double kPerplexityTolerance = 0.005; // llama.cpp against Salience's in-memory pass
constexpr int kInstallTimeoutMs = 300'000;
constexpr int kRunTimeoutMs = 300'000;

QString modelDir() { return QStringLiteral(SALIENCE_SOURCE_DIR "/tests/data/tinystories-d256"); }

// train.py's split: the text after the last newline before the middle character (Python's
// len(text) // 2, in code points) is the half the model was trained on.
std::pair<std::string, std::string> halves(const std::string& text)
{
    size_t characters = 0;
    for (unsigned char c : text)
        characters += (c & 0xC0) != 0x80;
    size_t middle = 0; // the byte where character characters / 2 starts
    for (size_t seen = 0; middle < text.size(); ++middle)
        if ((static_cast<unsigned char>(text[middle]) & 0xC0) != 0x80 && seen++ == characters / 2)
            break;
    const size_t newline = middle == 0 ? std::string::npos : text.rfind('\n', middle - 1);
    const size_t cut = newline == std::string::npos ? 0 : newline + 1;
    return {text.substr(0, cut), text.substr(cut)};
}

// One model's line of the reference's answer.
struct LlamaCppScore {
    QString path;
    double perplexity = 0;
    double klMean = 0, klP99 = 0, sameTop = 0;
    double lnRatioError = 0; // standard error of ln(PPL/PPL_float), paired per token
};

} // namespace

class TestLlamaCppQuality : public QObject {
    Q_OBJECT

    QString m_node;
    QString m_scripts = QString::fromUtf8(SALIENCE_REFERENCE_SCRIPTS);
    QString m_installDir = QString::fromUtf8(SALIENCE_LLAMACPP_DIR);
    QTemporaryDir m_dir;
    std::optional<Model> m_model;
    std::optional<Tokenizer> m_tokenizer;
    std::optional<Transformer> m_float;
    std::optional<ActivationStore> m_calibration;
    std::vector<int32_t> m_evaluation; // text tokens (no BOS) of exactly kEvaluationWindows windows
    QString m_tokensFile;              // BOS + m_evaluation as JSON, for llama.cpp
    QString m_floatGguf;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SALIENCE_LLAMACPP_DIR", m_installDir);
        env.insert("NODE_LLAMA_CPP_SKIP_DOWNLOAD", "true");
        return env;
    }

    // llamacpp_reference.mjs perplexity over the evaluation tokens; false (with the script's
    // complaint) when llama.cpp failed.
    bool llamaCppPerplexity(const QStringList& models, const QString& base, QJsonObject& result)
    {
        QStringList arguments{QDir(m_scripts).filePath("llamacpp_reference.mjs"), "perplexity",
                              QString::number(kWindow), m_tokensFile};
        if (!base.isEmpty())
            arguments << "--base" << base;
        arguments << models;
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(m_node, arguments);
        if (!process.waitForStarted(10'000) || !process.waitForFinished(kRunTimeoutMs)) {
            process.kill();
            process.waitForFinished(5'000);
            qWarning("llamacpp_reference.mjs perplexity did not run or finish: %s", qPrintable(process.errorString()));
            return false;
        }
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            qWarning("llamacpp_reference.mjs perplexity failed (exit %d): %s", process.exitCode(),
                     process.readAllStandardError().constData());
            return false;
        }
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(process.readAllStandardOutput(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            qWarning("llamacpp_reference.mjs printed no JSON object: %s", qPrintable(error.errorString()));
            return false;
        }
        result = doc.object();
        return true;
    }

    static std::vector<LlamaCppScore> scores(const QJsonObject& result)
    {
        std::vector<LlamaCppScore> out;
        for (const QJsonValue& v : result["models"].toArray()) {
            const QJsonObject m = v.toObject();
            LlamaCppScore s;
            s.path = m["path"].toString();
            s.perplexity = m["perplexity"].toDouble();
            s.klMean = m["kl"].toObject()["mean"].toDouble(-1);
            s.klP99 = m["kl"].toObject()["p99"].toDouble(-1);
            s.sameTop = m["same_top_share"].toDouble(-1);
            s.lnRatioError = m["ln_ppl_ratio"].toObject()["stderr"].toDouble(-1);
            out.push_back(s);
        }
        return out;
    }

    ExportRequest ggufRequest(const QString& name, const std::string& preset = {}) const
    {
        ExportRequest request;
        request.out = m_dir.filePath(name).toStdString();
        request.format = ExportFormat::Gguf;
        request.preset = preset;
        request.tokenizer = testdata::path(kTokenizer); // the folder has no tokenizer.json
        request.overwrite = true;
        return request;
    }

    // Writes the run as GGUF; the report's JSON.
    nlohmann::json exportGguf(const RunResult& run, const ExportRequest& request)
    {
        Progress progress;
        return exportRun(*m_model, run, nlohmann::json(nullptr), request, progress);
    }

    RunResult run(const QuantPlan& plan, const ActivationStore* activations)
    {
        Progress progress;
        return runPlan(*m_model, plan, activations, RunOptions{}, progress);
    }

    // Salience's own llama-perplexity score of a run, in memory.
    PerplexityResult inMemoryPerplexity(const RunResult& run)
    {
        Progress progress;
        const Transformer quantized = quantizedTransformer(*m_float, run, progress);
        PerplexityOptions options;
        options.window = kWindow;
        options.scheme = WindowScheme::LlamaPerplexity;
        return evaluatePerplexity(quantized, m_evaluation, m_tokenizer->bosId(), options, progress);
    }

private slots:
    void initTestCase()
    {
        if (!QFileInfo::exists(modelDir() + "/model.safetensors") || !QFileInfo::exists(modelDir() + "/config.json"))
            QSKIP(qPrintable("the trained test model is not in " + modelDir() +
                             " (tests/data/tinystories-d256/train.py makes it)"));
        REQUIRE_TEST_DATA(kText);
        REQUIRE_TEST_DATA(kTokenizer);
        QVERIFY(m_dir.isValid());
        REQUIRE_REFERENCE(testsupport::installReference(m_scripts, "install.sh", m_installDir, environment(),
                                                        kInstallTimeoutMs));
        m_node = QStandardPaths::findExecutable("node");
        QVERIFY2(!m_node.isEmpty(), "install.sh succeeded but node is not on PATH");

        m_model = Model::open(modelDir().toStdString());
        m_tokenizer = tokenizerFor(*m_model, testdata::path(kTokenizer));
        Progress progress;
        m_float = Transformer::load(*m_model, progress);

        const auto [heldOut, training] = halves(readTextFile(testdata::path(kText)));
        // Exactly kEvaluationWindows windows of BOS + text: llama-perplexity drops an incomplete one.
        m_evaluation = tokenizeText(*m_tokenizer, heldOut, kEvaluationWindows * kWindow);
        QVERIFY(int64_t(m_evaluation.size()) >= kEvaluationWindows * kWindow - 1);
        m_evaluation.resize(size_t(kEvaluationWindows * kWindow - 1));
        QJsonArray ids{m_tokenizer->bosId()};
        for (int32_t id : m_evaluation)
            ids.append(id);
        m_tokensFile = m_dir.filePath("evaluation.json");
        QFile tokens(m_tokensFile);
        QVERIFY(tokens.open(QIODevice::WriteOnly));
        tokens.write(QJsonDocument(ids).toJson(QJsonDocument::Compact));
        tokens.close();

        const std::vector<int32_t> calibration = tokenizeText(*m_tokenizer, training, kCalibrationTokens);
        QCOMPARE(int64_t(calibration.size()), kCalibrationTokens);
        CaptureOptions capture;
        capture.window = kWindow;
        capture.keepInputs = kCalibrationTokens; // GPTQ's Hessian is formed from the kept inputs
        capture.sites = false;
        m_calibration = captureActivations(*m_float, calibration, m_tokenizer->bosId(), capture, progress);

        // The float model as llama.cpp reads it: the source's F16 weights, the embedding F32.
        m_floatGguf = m_dir.filePath("float.gguf");
        exportGguf(RunResult{}, ggufRequest("float.gguf"));
        QVERIFY(QFileInfo::exists(m_floatGguf));
    }

    // llama-quantize's mixes: GPTQ onto the mix's types against ggml's plain rounding onto the
    // same types, at the same file size, scored by llama.cpp against the float model.
    void gptqIsCloserToTheFloatModelThanLlamaQuantize()
    {
        const std::vector<std::string> presets{"Q4_K_M", "Q3_K_M", "Q2_K"};
        QStringList files;
        for (const std::string& preset : presets) {
            const QString name = QString::fromStdString(preset);
            // llama-quantize without an importance matrix: no run, the preset decides every tensor.
            exportGguf(RunResult{}, ggufRequest("rtn-" + name + ".gguf", preset));
            // The same mix as a plan, by GPTQ; the embedding (never in a plan) takes the preset's type.
            LlamaQuantizeOptions options;
            options.importanceMatrix = true;
            const LlamaQuantizeMix mix = llamaQuantizeMix(*m_model, preset, options);
            Recipe gptq;
            gptq.method = "gptq";
            // Stronger damping than the default 0.01: the calibration half is the model's own
            // training text, and at 0.01 GPTQ follows its Hessians too closely (README).
            gptq.params["damp"] = 0.1;
            const QuantPlan plan = llamaQuantizeMixPlan(*m_model, mix, gptq);
            const RunResult result = run(plan, &*m_calibration);
            const nlohmann::json report = exportGguf(result, ggufRequest("gptq-" + name + ".gguf", preset));
            int64_t fromRun = 0;
            for (const auto& l : report["layers"]) {
                const std::string layer = l["name"].get<std::string>();
                const auto it = mix.layers.find(layer);
                QVERIFY2(it != mix.layers.end(), layer.c_str());
                // llama-quantize's type for every tensor, and the run's blocks written unchanged.
                QCOMPARE(l["type"].get<std::string>(), it->second.type);
                if (l["from_result"].get<bool>()) {
                    QCOMPARE(l["status"].get<std::string>(), std::string("lossless"));
                    ++fromRun;
                }
            }
            QCOMPARE(fromRun, int64_t(m_model->config().nLayers * 7 + 1)); // every block layer and the classifier
            const QString rtnPath = m_dir.filePath("rtn-" + name + ".gguf");
            const QString gptqPath = m_dir.filePath("gptq-" + name + ".gguf");
            QCOMPARE(QFileInfo(gptqPath).size(), QFileInfo(rtnPath).size());
            files << rtnPath << gptqPath;
        }
        QJsonObject result;
        QVERIFY2(llamaCppPerplexity(files, m_floatGguf, result), "llama.cpp did not score the mixes");
        QCOMPARE(result["windows"].toInt(), int(kEvaluationWindows));
        QCOMPARE(result["scored"].toInt(), int(kEvaluationWindows * (kWindow / 2 - 1)));
        const double floatPerplexity = result["base"].toObject()["perplexity"].toDouble();
        const std::vector<LlamaCppScore> s = scores(result);
        QCOMPARE(s.size(), size_t(files.size()));
        for (size_t i = 0; i < presets.size(); ++i) {
            const LlamaCppScore& rtn = s[2 * i];
            const LlamaCppScore& gptq = s[2 * i + 1];
            qInfo("%s, %lld bytes: llama-quantize perplexity %.4f KL %.5f (p99 %.4f, same top %.1f%%); GPTQ %.4f KL "
                  "%.5f (p99 %.4f, same top %.1f%%); float %.4f",
                  presets[i].c_str(), (long long)QFileInfo(files[qsizetype(2 * i)]).size(), rtn.perplexity, rtn.klMean,
                  rtn.klP99, 100 * rtn.sameTop, gptq.perplexity, gptq.klMean, gptq.klP99, 100 * gptq.sameTop,
                  floatPerplexity);
            QVERIFY(rtn.klMean > 0 && gptq.klMean > 0);
            // Closer to the float model: GPTQ's KL divergence is the lower one, by far more than
            // its standard error (about 2% of the mean here).
            QVERIFY2(gptq.klMean < rtn.klMean, presets[i].c_str());
            QVERIFY2(gptq.sameTop > rtn.sameTop, presets[i].c_str());
            // Perplexity on held-out text moves far less than either perplexity's own error: at
            // Q4_K_M and Q3_K_M quantizing changes it by 0.1-0.8%, and GPTQ against llama-quantize
            // by less than the paired error of 2032 tokens (README: measured on the whole half, it
            // is not lower at every mix). GPTQ must not be worse beyond twice that paired error.
            const double allowed = 2 * rtn.lnRatioError;
            QVERIFY2(std::log(gptq.perplexity / rtn.perplexity) < allowed,
                     qPrintable(QString("%1: GPTQ %2, llama-quantize %3, paired error %4")
                                    .arg(presets[i].c_str())
                                    .arg(gptq.perplexity)
                                    .arg(rtn.perplexity)
                                    .arg(rtn.lnRatioError)));
        }
    }

    // rtn onto the mix's types without activations is llama-quantize itself: the same bytes as
    // the preset alone, so the comparison above is GPTQ against llama-quantize and nothing else.
    void rtnOntoAMixIsLlamaQuantize()
    {
        const LlamaQuantizeMix mix = llamaQuantizeMix(*m_model, "Q4_K_M");
        Recipe rtn;
        rtn.method = "rtn";
        const RunResult result = run(llamaQuantizeMixPlan(*m_model, mix, rtn), nullptr);
        exportGguf(result, ggufRequest("rtn-plan-Q4_K_M.gguf", "Q4_K_M"));
        exportGguf(RunResult{}, ggufRequest("preset-Q4_K_M.gguf", "Q4_K_M"));
        QFile a(m_dir.filePath("rtn-plan-Q4_K_M.gguf")), b(m_dir.filePath("preset-Q4_K_M.gguf"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY(a.size() > 0);
        QVERIFY2(a.readAll() == b.readAll(), "rtn onto Q4_K_M's types differs from --preset Q4_K_M");
    }

    // Every type Salience writes: lossless, loaded by llama.cpp, and scored as Salience scores it.
    void everyTypeScoresInLlamaCppAsInSalience()
    {
        const QStringList types{"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K",
                                "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "F16"};
        QStringList files;
        std::vector<PerplexityResult> ours;
        for (const QString& type : types) {
            Recipe recipe;
            if (type == "F16")
                recipe.method = "none"; // the source's float16 weights, unrounded
            else
                recipe.gridType = type.toStdString();
            const RunResult result = run(QuantPlan::uniform(recipe), &*m_calibration);
            const QString file = "type-" + type + ".gguf";
            const nlohmann::json report = exportGguf(result, ggufRequest(file));
            for (const auto& l : report["layers"]) {
                const std::string layer = l["name"].get<std::string>();
                if (l["from_result"].get<bool>()) {
                    QVERIFY2(l["status"].get<std::string>() == "lossless", qPrintable(type + ": " + layer.c_str()));
                    QCOMPARE(QString::fromStdString(l["type"].get<std::string>()), type);
                }
            }
            ours.push_back(inMemoryPerplexity(result));
            QCOMPARE(ours.back().windows, kEvaluationWindows);
            files << m_dir.filePath(file);
        }
        QJsonObject result;
        QVERIFY2(llamaCppPerplexity(files, QString(), result), "llama.cpp did not load or score every type");
        QCOMPARE(result["tokens"].toInt(), int(m_evaluation.size() + 1));
        const std::vector<LlamaCppScore> s = scores(result);
        QCOMPARE(s.size(), size_t(types.size()));
        QStringList failures;
        for (qsizetype i = 0; i < types.size(); ++i) {
            const double salience = ours[size_t(i)].perplexity;
            const double llamaCpp = s[size_t(i)].perplexity;
            QCOMPARE(result["scored"].toInt(), int(ours[size_t(i)].tokens));
            const double relative = llamaCpp / salience - 1.0;
            qInfo("%-6s Salience %.4f, llama.cpp %.4f (%+.3f%%)", qPrintable(types[i]), salience, llamaCpp,
                  100 * relative);
            if (!(std::abs(relative) <= kPerplexityTolerance))
                failures << QString("%1: Salience %2, llama.cpp %3").arg(types[i]).arg(salience).arg(llamaCpp);
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("; ")));
    }
};

QTEST_GUILESS_MAIN(TestLlamaCppQuality)
#include "test_llamacppquality.moc"
