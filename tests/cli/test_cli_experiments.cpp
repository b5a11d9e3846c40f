// salience-cli compare, export (and quantize -o by extension), allocate and bench, end to end:
// their JSON, the files they write read back by the core readers, and their exit codes.
#include "TestData.h"

#include "export/RunRecord.h"
#include "io/GgufReader.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Rtn.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace salience;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(SALIENCE_BINARY_DIR "/app/cli/salience-cli"), args);
    if (!p.waitForFinished(300000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QJsonObject parseObject(const QByteArray& bytes) { return QJsonDocument::fromJson(bytes).object(); }

QString data(const char* relative) { return QString::fromStdString(testdata::path(relative)); }

Recipe rtn4Sym32()
{
    Recipe r;
    r.bits = 4;
    r.symmetric = true;
    r.groupSize = 32;
    return r;
}

} // namespace

class TestCliExperiments : public QObject {
    Q_OBJECT
private slots:
    void compareOnTheDemoEqualsEachMethodAlone()
    {
        const Run r = cli({"compare", "--methods", "rtn,awq,gptq", "--bits", "4", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = parseObject(r.out);
        const QJsonArray layers = j["layers"].toArray();
        const QJsonArray summaries = j["summaries"].toArray();
        QCOMPARE(summaries.size(), 3);
        QVERIFY(!layers.isEmpty() && layers.size() % 3 == 0);
        for (const auto& v : layers) {
            const QJsonObject l = v.toObject();
            for (const char* key : {"method", "name", "block", "role", "rel_weight_error", "rel_output_error",
                                    "bits_per_weight"})
                QVERIFY2(l.contains(key), key);
        }
        for (const auto& v : summaries) {
            const QJsonObject s = v.toObject();
            for (const char* key : {"method", "mean_rel_weight_error", "mean_rel_output_error", "average_bits_per_weight"})
                QVERIFY2(s.contains(key), key);
        }
        // Each method's rows equal `quantize` with that method alone.
        QTemporaryDir dir;
        for (const char* method : {"rtn", "awq", "gptq"}) {
            const Run q = cli({"quantize", "--method", method, "--bits", "4", "-o",
                               dir.filePath(QString(method) + ".safetensors"), "--json"});
            QVERIFY2(q.exitCode == 0, q.err.constData());
            const QJsonObject report = parseObject(q.out);
            QJsonArray mine;
            for (const auto& v : layers)
                if (v.toObject()["method"].toString() == method)
                    mine.append(v);
            const QJsonArray alone = report["layers"].toArray();
            QCOMPARE(mine.size(), alone.size());
            for (qsizetype i = 0; i < mine.size(); ++i) {
                const QJsonObject a = mine[i].toObject(), b = alone[i].toObject();
                QCOMPARE(a["name"].toString(), b["name"].toString());
                QCOMPARE(a["rel_weight_error"].toDouble(), b["rel_weight_error"].toDouble());
                QCOMPARE(a["rel_output_error"].toDouble(), b["rel_output_error"].toDouble());
                QCOMPARE(a["bits_per_weight"].toDouble(), b["bits_per_weight"].toDouble());
            }
            for (const auto& v : summaries)
                if (v.toObject()["method"].toString() == method)
                    QCOMPARE(v.toObject()["average_bits_per_weight"].toDouble(),
                             report["summary"].toObject()["average_bits_per_weight"].toDouble());
        }
        // The table names every method.
        const Run table = cli({"compare", "--methods", "rtn,hadamard", "--bits", "3"});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("hadamard") && table.out.contains("mean rel.out"));
    }

    // Bad option values are usage errors (1); a model without what a method needs is bad input (2).
    void compareRefusesBadInput()
    {
        const Run unknown = cli({"compare", "--methods", "rtn,nosuch", "--bits", "4"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("nosuch") && unknown.err.contains("known: none, rtn"), unknown.err.constData());
        QCOMPARE(unknown.err.count('\n'), 1);
        const Run param = cli({"compare", "--methods", "rtn,gptq", "--alpha", "0.5"});
        QCOMPARE(param.exitCode, 1);
        QVERIFY(param.err.contains("alpha"));
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const Run noActs = cli({"compare", data("stories260K/stories260K.bin"), "--methods", "rtn,gptq", "--bits", "4"});
        QCOMPARE(noActs.exitCode, 2);
        QVERIFY2(noActs.err.contains("gptq") && noActs.err.contains("--acts"), noActs.err.constData());
    }

    void compareAtATargetBudget()
    {
        // The demo's rows are 128 and 344 wide: k-means stores 3.85 (3-bit) or 5.7 (4-bit) there.
        const Run r = cli({"compare", "--methods", "rtn,qer,kmeans", "--target-bits", "4.5", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = parseObject(r.out);
        QCOMPARE(j["target"].toObject()["bits_per_weight"].toDouble(), 4.5);
        QCOMPARE(j["target"].toObject()["tolerance"].toDouble(), 0.05);
        const QJsonArray summaries = j["summaries"].toArray();
        QCOMPARE(summaries.size(), 2);
        for (const auto& v : summaries) {
            const QJsonObject s = v.toObject();
            QVERIFY(qAbs(s["average_bits_per_weight"].toDouble() - 4.5) <= 0.05);
            const QJsonObject budget = s["budget"].toObject();
            QVERIFY(budget["reached"].toBool());
            QVERIFY(budget["set"].toObject().contains("bits"));
            QVERIFY(s["rank"].toInt() >= 1);
        }
        QVERIFY(summaries[1].toObject()["budget"].toObject()["set"].toObject().contains("rank"));
        const QJsonArray unreached = j["unreached"].toArray();
        QCOMPARE(unreached.size(), 1);
        QCOMPARE(unreached[0].toObject()["method"].toString(), QStringLiteral("kmeans"));
        QVERIFY(!unreached[0].toObject()["budget"].toObject()["reached"].toBool());

        const Run table = cli({"compare", "--methods", "rtn,kmeans", "--target-bits", "4.5"});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains("target 4.500 bits per weight, each method within ±0.050") &&
                     table.out.contains("not run") && table.out.contains("kmeans") && table.out.contains("rank"),
                 table.out.constData());

        // What the target sets cannot be given too; --tolerance needs a target.
        const Run rank = cli({"compare", "--methods", "rtn,qer", "--target-bits", "4.5", "--rank", "2"});
        QCOMPARE(rank.exitCode, 1);
        QVERIFY2(rank.err.contains("--rank") && rank.err.contains("--target-bits"), rank.err.constData());
        const Run tolerance = cli({"compare", "--methods", "rtn", "--tolerance", "0.1"});
        QCOMPARE(tolerance.exitCode, 1);
        QVERIFY(tolerance.err.contains("--tolerance"));
        const Run grid = cli({"compare", "--methods", "rtn", "--target-bits", "4.5", "--grid-type", "Q4_K"});
        QCOMPARE(grid.exitCode, 1);
        QVERIFY(grid.err.contains("--grid-type"));
    }

    void compareWithPerplexityOnTheRealModel()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Run r = cli({"compare", data("stories260K/stories260K.bin"), "--methods", "rtn,hadamard", "--bits", "4",
                           "--group", "32", "--text", data("text/tinystories_valid_head.txt"), "--tokens", "300",
                           "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = parseObject(r.out);
        const double floatPpl = j["float"].toObject()["perplexity"].toDouble();
        QVERIFY(floatPpl > 1.0);
        QCOMPARE(j["float"].toObject()["tokens"].toInt(), 300);
        for (const auto& v : j["summaries"].toArray()) {
            const QJsonObject s = v.toObject();
            QVERIFY(s["perplexity"].toDouble() > 1.0);
            QVERIFY(!s.contains("mean_rel_output_error")); // no activations: weight errors only
        }
    }

    void exportToGgufReadsBack()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        QTemporaryDir dir;
        const QString out = dir.filePath("q4.gguf");
        const Run r = cli({"export", data("stories260K/stories260K.bin"), "-o", out, "--method", "rtn", "--bits", "4",
                           "--sym", "--group", "32", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const GgufReader gguf(out.toStdString());
        QCOMPARE(gguf.tensorInfo("blk.0.attn_q.weight")->info.dtype, std::string("Q4_0"));
        QCOMPARE(gguf.tensorInfo("token_embd.weight")->info.dtype, std::string("F32"));
        const QJsonObject report = parseObject(r.out);
        QCOMPARE(report["format"].toString(), QString("gguf"));
        bool sawQ = false;
        for (const auto& v : report["layers"].toArray()) {
            const QJsonObject l = v.toObject();
            if (l["name"].toString() == "model.layers.0.self_attn.q_proj") {
                QCOMPARE(l["status"].toString(), QString("lossless"));
                QCOMPARE(l["error_before"].toDouble(), l["error_after"].toDouble());
                sawQ = true;
            }
        }
        QVERIFY(sawQ);
        // Lossless: the file decodes to RTN's Ŵ, computed here on its own.
        const Model source = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Model exported = Model::open(out.toStdString());
        const char* layer = "model.layers.2.self_attn.k_proj";
        QCOMPARE(exported.weight(layer), quantizeRtn(source.weight(layer), rtn4Sym32().grid()).dequantize());

        // An existing output is refused without --force, and replaced with it.
        const Run again = cli({"export", data("stories260K/stories260K.bin"), "-o", out, "--gguf-type", "Q8_0"});
        QCOMPARE(again.exitCode, 2);
        QVERIFY(again.err.contains("--force"));
        const Run forced =
            cli({"export", data("stories260K/stories260K.bin"), "-o", out, "--gguf-type", "Q8_0", "--force"});
        QVERIFY2(forced.exitCode == 0, forced.err.constData());
        QCOMPARE(GgufReader(out.toStdString()).tensorInfo("blk.0.attn_q.weight")->info.dtype, std::string("Q8_0"));
        QVERIFY(forced.out.contains("requantized") || forced.out.contains("lossless"));
        const Run badType = cli({"export", data("stories260K/stories260K.bin"), "-o", dir.filePath("x.gguf"),
                                 "--gguf-type", "Q9_9"});
        QCOMPARE(badType.exitCode, 2);
        QVERIFY(!QFile::exists(dir.filePath("x.gguf")));
    }

    void quantizeChoosesTheFormatByExtension()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        QTemporaryDir dir;
        const QString model = data("stories260K/stories260K.bin");
        const QStringList recipe{"--method", "rtn", "--bits", "4", "--sym", "--group", "32"};
        const Run bin = cli(QStringList{"quantize", model, "-o", dir.filePath("q.bin")} + recipe);
        QVERIFY2(bin.exitCode == 0, bin.err.constData());
        const Model source = Model::open(testdata::path("stories260K/stories260K.bin"));
        const char* layer = "model.layers.1.mlp.up_proj";
        QCOMPARE(Model::open(dir.filePath("q.bin").toStdString()).weight(layer),
                 quantizeRtn(source.weight(layer), rtn4Sym32().grid()).dequantize());

        const Run h5 = cli(QStringList{"quantize", model, "-o", dir.filePath("run.h5")} + recipe);
        QVERIFY2(h5.exitCode == 0, h5.err.constData());
        const RunRecord record = readRunRecord(dir.filePath("run.h5").toStdString());
        QVERIFY(record.find(layer) && record.find(layer)->bits == 4 && record.find(layer)->quantized);

        const Run gguf = cli(QStringList{"quantize", model, "-o", dir.filePath("q.gguf")} + recipe);
        QVERIFY2(gguf.exitCode == 0, gguf.err.constData());
        QCOMPARE(GgufReader(dir.filePath("q.gguf").toStdString()).tensorInfo("blk.1.ffn_up.weight")->info.dtype,
                 std::string("Q4_0"));

        const Run gptq = cli(QStringList{"quantize", model, "-o", dir.filePath("gptq"), "--format", "gptq"} + recipe);
        QVERIFY2(gptq.exitCode == 0, gptq.err.constData());
        QVERIFY(QFile::exists(dir.filePath("gptq/model.safetensors")));
        QVERIFY(QFile::exists(dir.filePath("gptq/quantize_config.json")));
        QCOMPARE(cli(QStringList{"quantize", model, "-o", dir.filePath("gptq"), "--format", "gptq"} + recipe).exitCode, 2);
        QCOMPARE(cli(QStringList{"quantize", model, "-o", dir.filePath("q.bin")} + recipe).exitCode, 2);
        // A run record needs a run.
        QCOMPARE(cli({"export", model, "-o", dir.filePath("none.h5")}).exitCode, 1); // usage: no --plan/--method
    }

    void allocateWritesAPlanThatRuns()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath("plan.json");
        const Run r = cli({"allocate", "--target-bits", "3.5", "--group", "64", "-o", plan, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = parseObject(r.out);
        const double achieved = j["achieved_bits_per_weight"].toDouble();
        QVERIFY(achieved <= 3.5 && achieved > 3.0);
        QCOMPARE(j["error"].toString(), QString("output"));
        QVERIFY(!j["layers"].toArray().isEmpty());
        const QuantPlan loaded = QuantPlan::load(plan.toStdString());
        QCOMPARE(loaded.overrides.size(), size_t(j["layers"].toArray().size()));
        const Run q = cli({"quantize", "--plan", plan, "-o", dir.filePath("q.safetensors"), "--json"});
        QVERIFY2(q.exitCode == 0, q.err.constData());
        QVERIFY(qAbs(parseObject(q.out)["summary"].toObject()["average_bits_per_weight"].toDouble() - achieved) < 1e-9);
        // The table comes with the candidates' errors; the plan file is not overwritten.
        const Run table = cli({"allocate", "--target-bits", "3.5", "--group", "64", "-o", plan});
        QCOMPARE(table.exitCode, 2);
        const Run shown = cli({"allocate", "--target-bits", "3.5", "--group", "64"});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY(shown.out.contains("err@8") && shown.out.contains("target 3.500"));
        QVERIFY(shown.out.contains("per-layer error (fast)"));
        QCOMPARE(j["allocation"].toString(), QString("per-layer error (fast)"));
        const Run rank = cli({"allocate", "--method", "qer", "--bits", "3", "--total-rank", "40", "--json"});
        QVERIFY2(rank.exitCode == 0, rank.err.constData());
        QCOMPARE(parseObject(rank.out)["total_rank"].toInt(), 40);
        QCOMPARE(cli({"allocate", "--target-bits", "3", "--total-rank", "4"}).exitCode, 1);
        QCOMPARE(cli({"allocate", "--target-bits", "1"}).exitCode, 2); // below what this model can spend
        QCOMPARE(cli({"allocate", "--target-bits", "three"}).exitCode, 1);
        // 'uniform' is what the recipe spends on every layer: the allocation can only match it.
        const Run same = cli({"allocate", "--target-bits", "uniform", "--bits", "3", "--group", "64", "--json"});
        QVERIFY2(same.exitCode == 0, same.err.constData());
        const Run uniform3 = cli({"quantize", "--bits", "3", "--group", "64", "-o", dir.filePath("u.safetensors"),
                                  "--json"});
        QCOMPARE(parseObject(same.out)["target"].toDouble(),
                 parseObject(uniform3.out)["summary"].toObject()["average_bits_per_weight"].toDouble());
        // Options of the end-to-end allocation need its text.
        const Run part = cli({"allocate", "--target-bits", "3.5", "--part", "calibration"});
        QCOMPARE(part.exitCode, 1);
        QVERIFY(part.err.contains("--text"));
        QCOMPARE(cli({"allocate", "--target-bits", "3.5", "--candidates", "3g128"}).exitCode, 1);
    }

    void sensitivityTableIsCachedAndFeedsAllocate()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        QTemporaryDir dir;
        const QString model = data("stories260K/stories260K.bin");
        const QString text = data("text/tinystories_valid_head.txt");
        const QString sens = dir.filePath("sens.json");
        const QStringList measure{"sensitivity", model, "--text", text, "--part", "calibration", "--tokens", "512",
                                  "--candidates", "3g128,4g32", "--bits", "3", "--group", "32", "--threads", "2",
                                  "-o", sens};
        const Run r = cli(measure + QStringList{"--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = parseObject(r.out);
        QCOMPARE(j["format"].toString(), QString("salience-sensitivity"));
        QCOMPARE(j["reused"].toBool(), false);
        QCOMPARE(j["candidates"].toArray().size(), 2);
        QCOMPARE(j["units"].toArray().size(), 35);
        QCOMPARE(j["calibration"].toObject()["part"].toString(), QString("calibration"));
        QVERIFY(j["model"].toObject()["fingerprint"].toString().startsWith("fnv1a64:"));
        const QJsonObject cell = j["units"].toArray()[0].toObject()["cells"].toArray()[1].toObject();
        QCOMPARE(cell["candidate"].toString(), QString("4g32"));
        QVERIFY(cell["kl"].toDouble() > 0 && cell["bits_per_weight"].toDouble() > 4);
        QVERIFY(QFile::exists(sens));

        // The same inputs reopen the file; other tokens are refused with the reason.
        const Run again = cli(measure);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY(again.out.contains("reused") && again.out.contains("4g32") && again.out.contains("mean KL"));
        QStringList fewer = measure;
        fewer.replaceInStrings("512", "256");
        const Run other = cli(fewer);
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains("other calibration tokens") && other.err.contains("--force"), other.err.constData());

        // allocate reads the file's recipe, candidates and text, and checks the plan end to end.
        const QString plan = dir.filePath("plan.json");
        const Run a = cli({"allocate", model, "--sensitivity", sens, "--target-bits", "uniform", "--threads", "2",
                           "-o", plan, "--json"});
        QVERIFY2(a.exitCode == 0, a.err.constData());
        const QJsonObject aj = parseObject(a.out);
        QCOMPARE(aj["allocation"].toString(), QString("end-to-end sensitivity"));
        QCOMPARE(aj["sensitivity_reused"].toBool(), true);
        QCOMPARE(aj["uniform"].toObject()["candidate"].toString(), QString("3g128"));
        const QJsonObject check = aj["check"].toObject();
        QVERIFY(check["allocated"].toObject()["kl"].toDouble() > 0);
        QVERIFY(check["uniform"].toObject()["kl"].toDouble() > 0);
        QCOMPARE(aj["plan_is_uniform"].toBool(), check["uniform_is_better"].toBool());
        const QuantPlan loaded = QuantPlan::load(plan.toStdString());
        QCOMPARE(loaded.defaultRecipe.bits, 3);
        // The written plan, evaluated on the same calibration tokens, is what the check measured.
        const Run e = cli({"eval", model, "--text", text, "--part", "calibration", "--tokens", "512", "--plan", plan,
                           "--json"});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const QJsonObject measured = aj["plan_is_uniform"].toBool() ? check["uniform"].toObject()
                                                                    : check["allocated"].toObject();
        QVERIFY(qAbs(parseObject(e.out)["quantized"].toObject()["kl_divergence"].toObject()["mean"].toDouble() -
                     measured["kl"].toDouble()) < 1e-12);
        const Run shown = cli({"allocate", model, "--sensitivity", sens, "--target-bits", "uniform"});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QVERIFY(shown.out.contains("end-to-end sensitivity") && shown.out.contains("measured end to end"));

        // A recipe other than the file's is refused; a missing file needs --text.
        const Run otherRecipe = cli({"allocate", model, "--sensitivity", sens, "--target-bits", "3.5", "--bits", "4"});
        QCOMPARE(otherRecipe.exitCode, 2);
        QVERIFY(otherRecipe.err.contains("rtn 3-bit g32"));
        QCOMPARE(cli({"allocate", model, "--sensitivity", dir.filePath("none.json"), "--target-bits", "3.5"}).exitCode,
                 2);
        QCOMPARE(cli({"sensitivity", model, "--text", text, "--unit", "head"}).exitCode, 1);
        QCOMPARE(cli({"sensitivity", model, "--text", text, "--candidates", "4x"}).exitCode, 1);
        QCOMPARE(cli({"sensitivity", model, "--text", text, "--part", "middle"}).exitCode, 1);
    }

    void evalReadsEitherHalf()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const QString model = data("stories260K/stories260K.bin");
        const QString text = data("text/tinystories_valid_head.txt");
        auto nll = [&](const char* part) {
            const Run r = cli({"eval", model, "--text", text, "--part", part, "--tokens", "512", "--json"});
            return r.exitCode == 0 ? parseObject(r.out)["nll"].toDouble() : -1.0;
        };
        const double whole = nll("whole"), heldOut = nll("held-out"), calibration = nll("calibration");
        QVERIFY(whole > 0 && calibration > 0);
        QCOMPARE(heldOut, whole); // the held-out half is the file's beginning
        QVERIFY(calibration != whole);
    }

    void benchRunsQuickly()
    {
        const Run r = cli({"bench", "--quick", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray kernels = parseObject(r.out)["kernels"].toArray();
        QCOMPARE(kernels.size(), 4);
        QStringList names;
        for (const auto& v : kernels) {
            const QJsonObject k = v.toObject();
            names << k["name"].toString();
            QVERIFY(k.contains("exponent") && k.contains("reference_exponent") && !k["reference"].toString().isEmpty());
            const QJsonArray points = k["points"].toArray();
            QCOMPARE(points.size(), 2);
            QCOMPARE(points[0].toObject()["size"].toInt(), 64);
            QCOMPARE(points[1].toObject()["size"].toInt(), 128);
            for (const auto& p : points) {
                QVERIFY(p.toObject()["seconds"].toDouble() > 0);
                QVERIFY(p.toObject()["reference_seconds"].toDouble() > 0);
                QVERIFY(p.toObject()["speedup"].toDouble() > 0);
            }
        }
        QCOMPARE(names, (QStringList{"svd", "gptq", "hadamard", "kmeans"}));
        const Run table = cli({"bench", "--quick", "--kernels", "hadamard"});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("speedup") && table.out.contains("scaling exponent"));
        QCOMPARE(cli({"bench", "--kernels", "fft", "--quick"}).exitCode, 2);
    }

    void benchModelReportsFiguresBesideAnchors()
    {
        QTemporaryDir dir;
        const QString model = dir.filePath("tiny");
        const Run demo = cli({"demo", "--shape", "tiny-llama3", "-o", model});
        QVERIFY2(demo.exitCode == 0, demo.err.constData());
        const Run r = cli({"bench", "--model", model, "--budget", "0.001", "--repeats", "1", "--scratch",
                           dir.filePath("scratch"), "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = parseObject(r.out);
        QVERIFY(o["parameters"].toDouble() > 0 && o["stored_bytes"].toDouble() > 0);
        QVERIFY(!o["largest_layer"].toObject()["name"].toString().isEmpty());
        auto names = [](const QJsonArray& figures) {
            QStringList n;
            for (const auto& f : figures)
                n << f.toObject()["name"].toString();
            return n;
        };
        const QJsonArray anchors = o["anchors"].toArray(), figures = o["figures"].toArray();
        QCOMPARE(names(anchors), (QStringList{"memory_copy", "disk_write", "sgemm", "sgesdd"}));
        QCOMPARE(names(figures), (QStringList{"load", "rtn_safetensors", "rtn_gguf", "gptq_block", "forward", "spectrum",
                                              "spectrum_top64"}));
        // One run each under a budget shorter than any run; every figure timed and set against its anchors.
        const std::map<QString, QStringList> expectedRatios{
            {"load", {"memory_copy"}},      {"rtn_safetensors", {"disk_write", "memory_copy"}},
            {"rtn_gguf", {"disk_write", "memory_copy"}}, {"gptq_block", {"sgemm"}}, {"forward", {"sgemm"}},
            {"spectrum", {"sgesdd"}},       {"spectrum_top64", {"sgesdd"}}};
        for (const auto& v : figures) {
            const QJsonObject f = v.toObject();
            const QString name = f["name"].toString();
            QCOMPARE(f["runs"].toInt(), 1);
            QVERIFY2(f["seconds"].toDouble() > 0, qPrintable(name));
            QCOMPARE(f["ratios"].toObject().keys(), expectedRatios.at(name));
            for (const auto& ratio : f["ratios"].toObject())
                QVERIFY2(ratio.toDouble() > 0, qPrintable(name));
        }
        for (const auto& v : anchors)
            QVERIFY(v.toObject()["seconds"].toDouble() > 0);
        QVERIFY(!QFileInfo::exists(dir.filePath("scratch") + "/rtn.safetensors")); // exports removed
        // Options that contradict each other are the command line's error: exit 1.
        QCOMPARE(cli({"bench", "--model", model, "--quick"}).exitCode, 1);
        QCOMPARE(cli({"bench", "--repeats", "2", "--quick"}).exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestCliExperiments)
#include "test_cli_experiments.moc"
