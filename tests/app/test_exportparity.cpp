// One export path: the GUI's File ▸ Export and salience-cli write byte-identical files from the
// same model and plan, in every format; and a run record written by either opens again in the
// window as the run it was.
#include "MainWindow.h"
#include "Workspace.h"

#include "TestData.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using salience::gui::MainWindow;

namespace {

constexpr int kJobTimeoutMs = 300000;

QString modelPath() { return QString::fromStdString(testdata::path("stories260K/stories260K.bin")); }

// salience-cli ARGS; the test fails with its stderr unless it exits 0.
bool runCli(const QStringList& args, QString* error)
{
    QProcess p;
    p.start(QStringLiteral(SALIENCE_BINARY_DIR "/app/cli/salience-cli"), args);
    if (!p.waitForFinished(kJobTimeoutMs) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    return true;
}

QByteArray bytesOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file under a directory (or the one file), by relative path.
QMap<QString, QByteArray> contentsOf(const QString& path)
{
    QMap<QString, QByteArray> files;
    if (QFileInfo(path).isFile()) {
        files.insert(QStringLiteral("(the file)"), bytesOf(path));
        return files;
    }
    QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        files.insert(QDir(path).relativeFilePath(file), bytesOf(file));
    }
    return files;
}

const char* kPlan = R"({"format": "salience-plan", "version": 1,
  "default": {"method": "rtn", "bits": 4, "group_size": 32, "symmetric": true},
  "overrides": [{"role": "down", "set": {"bits": 8}},
                {"layer": "model.layers.2.self_attn.v_proj", "set": {"method": "none"}},
                {"layer": "model.layers.0.self_attn.o_proj", "set": {"method": "hadamard", "bits": 4}}]})";

// kPlan as plan.json in DIR; empty when it cannot be written.
QString writePlan(const QTemporaryDir& dir)
{
    const QString path = dir.filePath("plan.json");
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(kPlan) > 0 ? path : QString();
}

} // namespace

class TestExportParity : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void guiAndCliWriteTheSameBytes()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        QTemporaryDir dir;
        const QString planPath = writePlan(dir);
        QVERIFY(!planPath.isEmpty());
        MainWindow w;
        w.show();
        QVERIFY(w.openModel(modelPath()));
        QVERIFY(w.waitUntilIdle());
        QVERIFY(w.loadPlan(planPath));

        struct Case {
            const char* name;
            QStringList cliArgs;
            std::function<bool(const QString&)> gui;
        };
        const std::vector<Case> cases{
            {"q.gguf", {}, [&](const QString& out) { return w.exportGguf(out, QString()); }},
            {"q8.gguf", {"--gguf-type", "Q8_0"}, [&](const QString& out) { return w.exportGguf(out, "Q8_0"); }},
            {"q4km.gguf", {"--preset", "Q4_K_M"},
             [&](const QString& out) { return w.exportGguf(out, QString(), "Q4_K_M"); }},
            {"gptq", {"--format", "gptq"}, [&](const QString& out) { return w.exportGptq(out); }},
            {"fake.safetensors", {}, [&](const QString& out) { return w.exportFakeQuantized(out); }},
            {"q.bin", {}, [&](const QString& out) { return w.exportLlama2c(out); }},
            {"run.h5", {"--codes"}, [&](const QString& out) { return w.exportRunRecord(out, true); }},
        };
        for (const Case& c : cases) {
            const QString fromGui = dir.filePath(QStringLiteral("gui-") + c.name);
            const QString fromCli = dir.filePath(QStringLiteral("cli-") + c.name);
            QVERIFY(c.gui(fromGui));
            QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
            QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
            QString error;
            QVERIFY2(runCli(QStringList{"export", modelPath(), "-o", fromCli, "--plan", planPath} + c.cliArgs, &error),
                     qPrintable(QStringLiteral("%1: %2").arg(c.name, error)));
            const auto gui = contentsOf(fromGui);
            const auto cli = contentsOf(fromCli);
            QVERIFY2(!gui.isEmpty(), c.name);
            QCOMPARE(gui.keys(), cli.keys());
            for (auto it = gui.cbegin(); it != gui.cend(); ++it)
                QVERIFY2(it.value() == cli.value(it.key()), qPrintable(QStringLiteral("%1: %2 differs").arg(c.name, it.key())));
        }
        // The preset decided something: the layer the plan keeps and the embedding take its types.
        QVERIFY(bytesOf(dir.filePath("gui-q4km.gguf")) != bytesOf(dir.filePath("gui-q.gguf")));
        // The single-file fake-quant export writes its report beside it, the same from both.
        QCOMPARE(bytesOf(dir.filePath("gui-fake.report.json")), bytesOf(dir.filePath("cli-fake.report.json")));

        // A 3-bit layer has no GGUF type of its own: both refuse it by name rather than upgrade it
        // to Q8_0, and both write it when a type to requantize into is named.
        const QString threeBit = dir.filePath("three-bit.json");
        {
            QFile f(threeBit);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"format": "salience-plan", "version": 1,
                        "default": {"method": "rtn", "bits": 3, "group_size": 32}})");
        }
        QVERIFY(w.loadPlan(threeBit));
        QVERIFY(w.exportGguf(dir.filePath("gui-3.gguf"), QString()));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().contains("model.layers.0.self_attn.q_proj") && w.lastError().contains("--grid-type"),
                 qPrintable(w.lastError()));
        QVERIFY(!QFileInfo::exists(dir.filePath("gui-3.gguf")));
        QString refused;
        QVERIFY(!runCli({"export", modelPath(), "-o", dir.filePath("cli-3.gguf"), "--plan", threeBit}, &refused));
        QVERIFY2(refused.contains("model.layers.0.self_attn.q_proj"), qPrintable(refused));
        QVERIFY(!QFileInfo::exists(dir.filePath("cli-3.gguf")));
        QString error;
        QVERIFY2(runCli({"export", modelPath(), "-o", dir.filePath("cli-3.gguf"), "--plan", threeBit, "--gguf-type",
                         "Q3_K"},
                        &error),
                 qPrintable(error));
    }

    void runRecordOpensAsTheRunItWas()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        QTemporaryDir dir;
        const QString planPath = writePlan(dir);
        QVERIFY(!planPath.isEmpty());
        const QString record = dir.filePath("run.h5");
        QString error;
        QVERIFY2(runCli({"export", modelPath(), "-o", record, "--plan", planPath, "--codes"}, &error), qPrintable(error));

        // A fresh window on the demo model: opening the record brings its model, plan and results.
        MainWindow w;
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        QVERIFY(w.openRunRecord(record));
        QVERIFY(w.waitUntilIdle());
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        const salience::Model& model = w.workspace()->model();
        QCOMPARE(QString::fromStdString(model.path()), modelPath());
        QVERIFY(w.workspace()->hasSummary());
        const salience::LayerResult* v = w.workspace()->result("model.layers.2.self_attn.v_proj");
        QVERIFY(v && !v->quantized && v->recipe.method == "none");
        const salience::LayerResult* o = w.workspace()->result("model.layers.0.self_attn.o_proj");
        QVERIFY(o && o->quantized && o->quantized->rotation);
        QCOMPARE(o->recipe.bits, 4);
        const salience::LayerResult* down = w.workspace()->result("model.layers.1.mlp.down_proj");
        QVERIFY(down && down->quantized && down->quantized->grid.bits == 8);
        QCOMPARE(w.workspace()->plan().recipeFor(model.layer("model.layers.3.mlp.down_proj")).bits, 8);
        // An export from here writes the recorded results.
        QVERIFY(w.exportGguf(dir.filePath("again.gguf"), QString()));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        QVERIFY(QFileInfo::exists(dir.filePath("again.gguf")));

        // A record whose model is gone names it.
        QVERIFY(!w.openRunRecord(dir.filePath("missing.h5")));
        QVERIFY(w.lastError().contains("missing.h5"));
    }
};

QTEST_MAIN(TestExportParity)
#include "test_exportparity.moc"
