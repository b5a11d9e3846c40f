// salience-cli end to end: each command on the demo and the real model, its JSON, and its
// exit codes (0 success, 1 usage, 2 bad input) with one clear line on stderr.
#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

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
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QJsonObject parseObject(const QByteArray& bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const char* const kText = "text/tinystories_valid_head.txt";

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void versionAndHelp()
    {
        const Run v = cli({"--version"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.contains(SALIENCE_VERSION));
        QCOMPARE(cli({"--help"}).exitCode, 0);
    }

    void usageErrorsExitWithOne()
    {
        QCOMPARE(cli({}).exitCode, 1);
        QCOMPARE(cli({"inspect", "--no-such-flag"}).exitCode, 1);
        QCOMPARE(cli({"quantize", "--bits", "4"}).exitCode, 1); // -o is required
        QCOMPARE(cli({"frobnicate"}).exitCode, 1);
    }

    // A bad option value is a usage error (exit 1, one line naming the option), and nothing is
    // written: negative counts, a bit width no method has, an output name whose extension names
    // no format.
    void badOptionValuesExitWithOne()
    {
        QTemporaryDir dir;
        const QString text = QString::fromStdString(testdata::path(kText));
        const auto expectUsage = [&](const QStringList& args, const char* mention) {
            const Run r = cli(args);
            QVERIFY2(r.exitCode == 1, qPrintable(args.join(' ') + ": exit " + QString::number(r.exitCode) + " " + r.err));
            QVERIFY2(r.err.contains(mention), qPrintable(args.join(' ') + ": " + r.err));
            QCOMPARE(r.err.trimmed().count('\n'), 0);
        };
        expectUsage({"eval", "--text", text, "--tokens", "-5"}, "--tokens");
        expectUsage({"eval", "--text", text, "--tokens", "100", "--threads", "-3"}, "--threads");
        expectUsage({"capture", "--text", text, "--window", "0", "-o", dir.filePath("a.h5")}, "--window");
        expectUsage({"quantize", "--bits", "0", "-o", dir.filePath("q.safetensors")}, "bits");
        expectUsage({"quantize", "--bits", "4294967304", "-o", dir.filePath("q.safetensors")}, "--bits");
        expectUsage({"export", "-o", dir.filePath("out.xyz")}, "out.xyz");
        QVERIFY(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
    }

    // Text that is not UTF-8 (Latin-1 here) is refused, naming the file, the byte and the line.
    void textThatIsNotUtf8IsRefused()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        QTemporaryDir dir;
        const QString latin1 = dir.filePath("latin1.txt");
        QFile l1(latin1);
        QVERIFY(l1.open(QIODevice::WriteOnly));
        l1.write("Once upon a time\nthere was a caf\xe9.\n");
        l1.close();
        const Run notUtf8 =
            cli({"eval", QString::fromStdString(testdata::path("stories260K/stories260K.bin")), "--text", latin1});
        QCOMPARE(notUtf8.exitCode, 2);
        QVERIFY2(notUtf8.err.contains("latin1.txt") && notUtf8.err.contains("byte 32 (line 2)"), notUtf8.err.constData());
    }

    // Activations of another model are refused by name and size, not read as this model's
    // (stories260K's 64-wide inputs once gave the demo model "outlier channels 77 and 110").
    void activationsOfAnotherModelAreRefused()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA(kText);
        QTemporaryDir dir;
        const QString acts = dir.filePath("stories.h5");
        const Run captured = cli({"capture", QString::fromStdString(testdata::path("stories260K/stories260K.bin")),
                                  "--text", QString::fromStdString(testdata::path(kText)), "--tokens", "64", "-o", acts});
        QVERIFY2(captured.exitCode == 0, captured.err.constData());
        const Run other = cli({"analyze", "--acts", acts});
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains("stories.h5") && other.err.contains("input channels in the model but 64") &&
                     other.err.contains("another model"),
                 other.err.constData());
        QCOMPARE(other.err.count('\n'), 1);
    }

    void badInputExitsWithTwoAndNamesTheFile()
    {
        QTemporaryDir dir;
        const QString truncated = dir.filePath("cut.gguf");
        QFile f(truncated);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("GGUF\x03\x00\x00\x00", 8);
        f.close();
        const Run r = cli({"inspect", truncated});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cut.gguf"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);

        const Run bits = cli({"quantize", "--bits", "11", "-o", dir.filePath("x")});
        QCOMPARE(bits.exitCode, 1); // a bad option value: usage
        QVERIFY(bits.err.contains("bits"));
        QVERIFY(!QFile::exists(dir.filePath("x")));

        const Run layer = cli({"analyze", "--layer", "model.layers.99.mlp.up_proj"});
        QCOMPARE(layer.exitCode, 2);
        QVERIFY(layer.err.contains("model.layers.99.mlp.up_proj"));
    }

    void inspectJsonOfTheRealGguf()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        const Run r = cli({"inspect", QString::fromStdString(testdata::path("stories260K/stories260K.gguf")), "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = parseObject(r.out);
        QCOMPARE(j["format"].toString(), QString("gguf"));
        QCOMPARE(j["architecture"].toString(), QString("llama"));
        QCOMPARE(j["config"].toObject()["dim"].toInt(), 64);
        QCOMPARE(j["tensors"].toArray().size(), 48);
        const QJsonArray layers = j["layers"].toArray();
        QCOMPARE(layers.size(), 37);
        const QJsonObject q0 = layers[1].toObject();
        QCOMPARE(q0["name"].toString(), QString("model.layers.0.self_attn.q_proj"));
        QCOMPARE(q0["role"].toString(), QString("q"));
        QCOMPARE(q0["block"].toInt(), 0);
        QCOMPARE(q0["in_features"].toInt(), 64);
        QCOMPARE(q0["out_features"].toInt(), 64);
        const QJsonObject tokEmbd = j["tensors"].toArray()[0].toObject();
        QVERIFY(tokEmbd.contains("dtype") && tokEmbd.contains("shape") && tokEmbd.contains("name"));
    }

    void analyzeFindsTheDemoPhenomena()
    {
        const Run r = cli({"analyze", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = parseObject(r.out);
        QCOMPARE(j["layers"].toArray().size(), 28);
        bool massiveSeen = false;
        for (const auto& s : j["sites"].toArray()) {
            const QJsonObject site = s.toObject();
            if (site["site"].toString() == "resid_in" && site["block"].toInt() >= 1) {
                QVERIFY(!site["massive"].toArray().isEmpty());
                massiveSeen = true;
            }
        }
        QVERIFY(massiveSeen);
        const Run one = cli({"analyze", "--layer", "model.layers.0.mlp.up_proj", "--json"});
        QCOMPARE(one.exitCode, 0);
        const QJsonObject layer = parseObject(one.out)["layers"].toArray()[0].toObject();
        QCOMPARE(layer["spectrum"].toObject()["singular_values"].toArray().size(), 128);
        QVERIFY(layer.contains("scaled_spectrum"));
        QVERIFY(!layer["input_outliers"].toObject()["channels"].toArray().isEmpty());
    }

    void quantizeTheRealModelWithAReport()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        QTemporaryDir dir;
        const QString out = dir.filePath("q4");
        const QString report = dir.filePath("report.json");
        const Run r = cli({"quantize", QString::fromStdString(testdata::path("stories260K/stories260K.bin")), "--method",
                           "rtn", "--bits", "4", "--group", "32", "-o", out, "--report", report});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFile::exists(out + "/model.safetensors"));
        QVERIFY(QFile::exists(out + "/config.json"));
        QFile rf(report);
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const QJsonObject j = parseObject(rf.readAll());
        const QJsonArray layers = j["layers"].toArray();
        QCOMPARE(layers.size(), 36);
        const QJsonObject down = layers[7].toObject();
        QCOMPARE(down["name"].toString(), QString("model.layers.0.mlp.down_proj"));
        QCOMPARE(down["bits"].toInt(), 4);
        QCOMPARE(down["group_size"].toInt(), 32);
        // 172 inputs in groups of 32: 6 groups per row, each 16 bits of scale and 4 of zero point.
        QCOMPARE(down["bits_per_weight"].toDouble(), 4.0 + 6.0 * 20.0 / 172.0);
        QVERIFY(down["rel_weight_error"].toDouble() > 0.0 && down["rel_weight_error"].toDouble() < 0.2);
        QVERIFY(j["summary"].toObject().contains("average_bits_per_weight"));
        // The same output again is refused without --force, then replaced with it.
        QCOMPARE(cli({"quantize", "-o", out}).exitCode, 2);
        QCOMPARE(cli({"quantize", "-o", out, "--force"}).exitCode, 0);
    }

    void demoWritesTheModelAndItsActivations()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("demo");
        QCOMPARE(cli({"demo", "-o", out}).exitCode, 0);
        for (const char* f : {"model.safetensors", "config.json", "activations.h5"})
            QVERIFY2(QFile::exists(out + "/" + f), f);
        const Run r = cli({"analyze", out, "--acts", out + "/activations.h5", "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(parseObject(r.out)["sites"].toArray().size(), 28);
    }

    // export --preset: llama-quantize's mix, each tensor's type and why in the report; with a
    // method, the method rounds onto the mix's types (allocate --preset writes that plan).
    // (core_llamaquantize compares the types and bytes with llama.cpp's own llama_model_quantize.)
    // A grid-based method onto a ggml format: its base is the file's blocks, and what the file has no
    // place for (here Hadamard's rotation) is named where the layer is rounded again.
    void exportSaysWhatAGgufCannotHold()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const QString model = QString::fromStdString(testdata::path("stories260K/stories260K.bin"));
        QTemporaryDir dir;
        for (const QString method : {"rtn", "hadamard"}) {
            const Run r = cli({"export", model, "-o", dir.filePath(method + ".gguf"), "--method", method, "--grid-type",
                               "Q4_0", "--json"});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            int blockLayers = 0;
            for (const auto& v : parseObject(r.out)["layers"].toArray()) {
                const QJsonObject l = v.toObject();
                if (!l["name"].toString().contains("q_proj"))
                    continue;
                ++blockLayers;
                QCOMPARE(l["type"].toString(), QString("Q4_0"));
                if (method == "rtn") {
                    QCOMPARE(l["status"].toString(), QString("lossless"));
                    QVERIFY(!l.contains("reason"));
                } else {
                    QCOMPARE(l["status"].toString(), QString("requantized"));
                    QVERIFY2(l["reason"].toString().contains("hadamard's rotation"), qPrintable(l["reason"].toString()));
                    QVERIFY(l["error_after"].toDouble() > l["error_before"].toDouble());
                }
            }
            QCOMPARE(blockLayers, 5);
        }
    }

    void exportWithALlamaQuantizePreset()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        REQUIRE_TEST_DATA(kText);
        const QString model = QString::fromStdString(testdata::path("stories260K/stories260K.gguf"));
        QTemporaryDir dir;
        const Run r = cli({"export", model, "-o", dir.filePath("q4km.gguf"), "--preset", "q4_k_m", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = parseObject(r.out);
        QCOMPARE(report["preset"].toString(), QString("Q4_K_M"));
        const QJsonArray layers = report["layers"].toArray();
        QVERIFY(!layers.isEmpty());
        for (const auto& l : layers) {
            QVERIFY2(l.toObject()["why"].toString().contains("Q4_K_M") || l.toObject()["why"].toString().contains("upgrade") ||
                         l.toObject()["why"].toString().contains("output"),
                     qPrintable(l.toObject()["why"].toString()));
            QVERIFY(l.toObject()["type"].toString() != "F32");
        }

        // With a method, the method rounds each layer onto the type the mix gives it: rtn without
        // activations is llama-quantize itself, so every tensor has the preset's type and bytes.
        QMap<QString, QString> presetTypes;
        for (const auto& l : layers)
            presetTypes[l.toObject()["name"].toString()] = l.toObject()["type"].toString();
        const Run mixed = cli({"export", model, "-o", dir.filePath("mixed.gguf"), "--preset", "Q4_K_M", "--method", "rtn",
                               "--token-embedding-type", "Q8_0", "--json"});
        QVERIFY2(mixed.exitCode == 0, mixed.err.constData());
        int fromRun = 0;
        for (const auto& v : parseObject(mixed.out)["layers"].toArray()) {
            const QJsonObject l = v.toObject();
            if (l["name"].toString() == "model.embed_tokens") {
                QCOMPARE(l["type"].toString(), QString("Q8_0"));
                QVERIFY(l["why"].toString().contains("--token-embedding-type"));
            } else {
                QCOMPARE(l["type"].toString(), presetTypes[l["name"].toString()]);
                fromRun += l["from_result"].toBool();
            }
        }
        QVERIFY(fromRun > 0);
        QVERIFY(cli({"export", model, "-o", dir.filePath("rtn-mix.gguf"), "--preset", "Q4_K_M", "--method", "rtn"})
                    .exitCode == 0);
        QCOMPARE(fileBytes(dir.filePath("rtn-mix.gguf")), fileBytes(dir.filePath("q4km.gguf")));

        // The mix as a plan file (allocate --preset), edited like any plan, gives the same file.
        const Run planned = cli({"allocate", model, "--preset", "Q4_K_M", "--method", "rtn", "-o",
                                 dir.filePath("q4km.json"), "--json"});
        QVERIFY2(planned.exitCode == 0, planned.err.constData());
        const QJsonObject plan = parseObject(planned.out)["plan"].toObject();
        QCOMPARE(plan["default"].toObject()["grid_type"].toString(), QString("Q4_K"));
        QVERIFY(!plan["overrides"].toArray().isEmpty());
        QVERIFY(cli({"export", model, "-o", dir.filePath("planned.gguf"), "--plan", dir.filePath("q4km.json"),
                     "--preset", "Q4_K_M"})
                    .exitCode == 0);
        QCOMPARE(fileBytes(dir.filePath("planned.gguf")), fileBytes(dir.filePath("q4km.gguf")));
        // The preset decides every layer's grid: a grid option beside it is refused by name.
        const Run contradiction = cli({"export", model, "-o", dir.filePath("c.gguf"), "--preset", "Q4_K_M", "--method",
                                       "rtn", "--bits", "8"});
        QCOMPARE(contradiction.exitCode, 1); // options that contradict each other: usage
        QVERIFY2(contradiction.err.contains("--bits") && contradiction.err.contains("Q4_K_M"),
                 contradiction.err.constData());
        // eval --preset: the mix in memory, rtn by default.
        const Run evaluated = cli({"eval", model, "--text", QString::fromStdString(testdata::path(kText)), "--tokens",
                                   "600", "--preset", "Q4_K_M", "--json"});
        QVERIFY2(evaluated.exitCode == 0, evaluated.err.constData());
        QVERIFY(parseObject(evaluated.out)["quantized"].toObject()["layers_quantized"].toInt() > 0);

        Run bad = cli({"export", model, "-o", dir.filePath("q.safetensors"), "--preset", "Q4_K_M"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("--preset") && bad.err.contains("GGUF only"), bad.err.constData());
        bad = cli({"export", model, "-o", dir.filePath("x.gguf"), "--preset", "Q4_K_X"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("--preset") && bad.err.contains("Q4_K_M") && bad.err.contains("Q3_K_S"),
                 bad.err.constData());
        bad = cli({"export", model, "-o", dir.filePath("y.gguf"), "--preset", "Q4_K_M", "--gguf-type", "Q8_0"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("--gguf-type"), bad.err.constData());
        bad = cli({"export", model, "-o", dir.filePath("z.gguf"), "--output-tensor-type", "Q9_9"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("--output-tensor-type"), bad.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("x.gguf")) && !QFile::exists(dir.filePath("y.gguf")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
