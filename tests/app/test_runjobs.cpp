// The main window's long jobs on the real stories260K model, driven like a user would: Run ▸
// Capture Activations through its dialog (and cancelled midway), Run ▸ Evaluate Perplexity
// into the overview (and marked stale when the plan changes), the File ▸ Export formats read
// back by independent readers, and a choice parameter of the recipe editor with undo.
#include "ActivationsTab.h"
#include "CaptureDialog.h"
#include "ExportDialogs.h"
#include "MainWindow.h"
#include "OverviewPanel.h"
#include "RecipeEditor.h"
#include "SpectrumTab.h"

#include "acts/ActivationStore.h"
#include "demo/ShapedCheckpoint.h"
#include "eval/ByteLevel.h"
#include "export/RunRecord.h"
#include "io/GgufReader.h"
#include "quant/MethodRegistry.h"

#include "TestData.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <functional>

using namespace salience;
using salience::gui::CaptureDialog;
using salience::gui::CaptureSettings;
using salience::gui::MainWindow;

namespace {

constexpr int kJobTimeoutMs = 300000;

QString modelPath(const char* file) { return QString::fromStdString(testdata::path(file)); }

QString textPath()
{
    return QFileInfo(QString::fromStdString(testdata::path("text/tinystories_valid_head.txt"))).canonicalFilePath();
}

// The layers the forward pass runs: every linear layer but the embedding lookup and the classifier.
QStringList blockLayers(const Model& model)
{
    QStringList out;
    for (const auto& l : model.layers())
        if (l.role != LayerRole::Embedding && l.role != LayerRole::Classifier)
            out << QString::fromStdString(l.name);
    return out;
}

// The first number after `label` in `text`, or -1.
int numberBefore(const QString& text, const QString& label)
{
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("(\\d+) ") + QRegularExpression::escape(label)).match(text);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

// Answers the modal dialogs an action opens, one after the other, as a user would: each
// handler gets the dialog then on screen and accepts or fills it.
class DialogDriver : public QObject {
public:
    using Handler = std::function<bool(QWidget* dialog)>; // true: handled, go to the next
    explicit DialogDriver(QList<Handler> handlers) : m_handlers(std::move(handlers))
    {
        connect(&m_timer, &QTimer::timeout, this, [this] {
            QWidget* modal = QApplication::activeModalWidget();
            if (modal && !m_handlers.isEmpty() && m_handlers.front()(modal))
                m_handlers.removeFirst();
        });
        m_timer.start(20);
    }
    bool done() const { return m_handlers.isEmpty(); }

private:
    QList<Handler> m_handlers;
    QTimer m_timer;
};

// Picks `path` in the QFileDialog on screen; when the dialog refuses, the driver tries again on
// its next tick.
bool chooseFile(QWidget* dialog, const QString& path)
{
    // A "file not found" box the file dialog raised while its folder was still loading.
    if (auto* box = qobject_cast<QMessageBox*>(dialog); box && qobject_cast<QFileDialog*>(box->parentWidget())) {
        box->accept();
        return false;
    }
    auto* files = qobject_cast<QFileDialog*>(dialog);
    if (!files)
        return false;
    // Type the full path into the file name box, as a user may, and press OK.
    auto* name = files->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
    if (!name)
        return false;
    name->setText(path);
    static_cast<QDialog*>(files)->accept(); // QFileDialog::accept, as the OK button calls it
    return files->result() == QDialog::Accepted;
}

// A small byte-level BPE tokenizer.json in the style of Qwen's (the 256 byte symbols, a few
// English merges, a special BOS named by tokenizer_config.json), written beside nothing else.
void writeByteLevelTokenizer(const QString& dir)
{
    using nlohmann::json;
    json vocab = json::object();
    for (int b = 0; b < 256; ++b)
        vocab[bytelevel::encode(std::string(1, char(b)))] = b;
    const std::vector<std::pair<std::string, std::string>> merges{
        {"\xc4\xa0", "t"}, {"h", "e"}, {"\xc4\xa0t", "he"}, {"i", "n"}, {"e", "r"}, {"a", "n"},
        {"\xc4\xa0", "a"}, {"o", "n"}, {"r", "e"}, {"\xc4\xa0", "s"}, {"e", "d"}, {"n", "d"}};
    json mergeList = json::array();
    for (const auto& [left, right] : merges) {
        if (!vocab.contains(left + right))
            vocab[left + right] = int(vocab.size());
        mergeList.push_back(left + " " + right);
    }
    const int bos = int(vocab.size());
    const json tokenizer{
        {"version", "1.0"},
        {"added_tokens", json::array({json{{"id", bos}, {"content", "<|bos|>"}, {"single_word", false},
                                           {"lstrip", false}, {"rstrip", false}, {"normalized", false},
                                           {"special", true}}})},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         json{{"type", "Sequence"},
              {"pretokenizers",
               json::array({json{{"type", "Split"},
                                 {"pattern", json{{"Regex", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
                                                            "\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
                                                            "\\s+(?!\\S)|\\s+"}}},
                                 {"behavior", "Isolated"},
                                 {"invert", false}},
                            json{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false},
                                 {"use_regex", false}}})}}},
        {"post_processor", nullptr},
        {"decoder", json{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}}},
        {"model", json{{"type", "BPE"}, {"vocab", vocab}, {"merges", mergeList}}}};
    std::ofstream(QDir(dir).filePath("tokenizer.json").toStdString()) << tokenizer.dump();
    std::ofstream(QDir(dir).filePath("tokenizer_config.json").toStdString()) << json{{"bos_token", "<|bos|>"}}.dump();
}

} // namespace

class TestRunJobs : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
        QApplication::setOrganizationName("SalienceTest");
        QApplication::setApplicationName("SalienceTestRunJobs");
        QSettings().clear();
    }

    void menusCarryTheNewActions()
    {
        MainWindow w;
        QMenu* run = nullptr;
        QMenu* exportMenu = nullptr;
        for (QAction* top : w.menuBar()->actions()) {
            if (!top->menu())
                continue;
            if (top->menu()->actions().contains(w.action("runQuantizeAll")))
                run = top->menu();
            for (QAction* a : top->menu()->actions())
                if (a->menu() && a->menu()->actions().contains(w.action("fileExportFakeQuant")))
                    exportMenu = a->menu();
        }
        QVERIFY(run && exportMenu);
        QVERIFY(run->actions().contains(w.action("runCapture")));
        QVERIFY(run->actions().contains(w.action("runEvaluate")));
        QCOMPARE(w.action("runEvaluate")->shortcut(), QKeySequence(QStringLiteral("Ctrl+E")));
        for (const char* name : {"fileExportGguf", "fileExportGptq", "fileExportLlama2c", "fileExportRunRecord"})
            QVERIFY2(w.action(name) && exportMenu->actions().contains(w.action(name)), name);
        // No two actions share a shortcut: an ambiguous one fires neither.
        QMap<QString, QString> seen;
        for (QAction* a : w.findChildren<QAction*>())
            if (!a->shortcut().isEmpty()) {
                const QString key = a->shortcut().toString();
                QVERIFY2(!seen.contains(key), qPrintable(key + ": " + seen.value(key) + ", " + a->objectName()));
                seen.insert(key, a->objectName());
            }
        // Without a model nothing can run.
        QVERIFY(!w.action("runCapture")->isEnabled());
        QVERIFY(!w.action("fileExportGguf")->isEnabled());
        w.openDemo();
        QVERIFY(w.action("runCapture")->isEnabled());
        QVERIFY(w.action("runEvaluate")->isEnabled());
        QVERIFY(w.action("fileExportRunRecord")->isEnabled());
    }

    void captureDialogCarriesItsValues()
    {
        QSettings().setValue("capture/text", QStringLiteral("/somewhere/remembered.txt"));
        {
            CaptureDialog d;
            QCOMPARE(d.textEdit()->text(), QStringLiteral("/somewhere/remembered.txt"));
            QCOMPARE(d.tokensBox()->value(), 4096);
            QCOMPARE(d.windowBox()->value(), 256);
            QCOMPARE(d.keepInputsBox()->value(), 512);
            QVERIFY(d.tokenizerEdit()->text().isEmpty());
            QVERIFY(d.saveEdit()->text().isEmpty());

            d.textEdit()->clear(); // no text: nothing to capture on
            QVERIFY(!d.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
            d.textEdit()->setText(QStringLiteral(" /data/story.txt "));
            QVERIFY(d.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
            d.tokensBox()->setValue(300);
            d.windowBox()->setValue(128);
            d.keepInputsBox()->setValue(64);
            d.tokenizerEdit()->setText(QStringLiteral("/data/tok512.bin"));
            d.saveEdit()->setText(QStringLiteral("/tmp/out.h5"));
            const CaptureSettings s = d.settings();
            QCOMPARE(s.textPath, QStringLiteral("/data/story.txt"));
            QCOMPARE(s.tokens, qint64(300));
            QCOMPARE(s.window, qint64(128));
            QCOMPARE(s.keepInputs, qint64(64));
            QCOMPARE(s.tokenizerPath, QStringLiteral("/data/tok512.bin"));
            QCOMPARE(s.savePath, QStringLiteral("/tmp/out.h5"));
            d.remember();
        }
        // The next dialog starts where this one ended, except the per-capture output paths.
        CaptureDialog next;
        QCOMPARE(next.textEdit()->text(), QStringLiteral("/data/story.txt"));
        QCOMPARE(next.tokensBox()->value(), 300);
        QCOMPARE(next.windowBox()->value(), 128);
        QCOMPARE(next.keepInputsBox()->value(), 64);
        QVERIFY(next.saveEdit()->text().isEmpty());
        QSettings().clear();
    }

    void captureThroughTheActionReplacesTheActivations()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        QTemporaryDir dir;
        const QString saved = dir.filePath("captured.h5");
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.openModel(modelPath("stories260K/stories260K.bin")));
        QVERIFY(w.waitUntilIdle());
        QVERIFY(!w.workspace()->activations());

        // The action opens the dialog; the user fills it in and presses OK.
        bool sawDialog = false;
        QTimer::singleShot(0, &w, [&] {
            auto* d = qobject_cast<CaptureDialog*>(QApplication::activeModalWidget());
            if (!d)
                return;
            sawDialog = true;
            d->textEdit()->setText(textPath());
            d->tokensBox()->setValue(300);
            d->keepInputsBox()->setValue(100);
            d->saveEdit()->setText(saved);
            d->buttons()->button(QDialogButtonBox::Ok)->click();
        });
        w.action("runCapture")->trigger();
        QVERIFY(sawDialog);
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));

        const auto acts = w.workspace()->activations();
        QVERIFY(acts);
        QCOMPARE(w.workspace()->activationsName(), QStringLiteral("captured.h5"));
        QVERIFY(w.windowTitle().contains("captured.h5"));
        // 300 text tokens in BOS-led windows of 256 (255 text tokens each): 2 windows, 302 rows.
        const int64_t rows = 300 + 2;
        const QStringList layers = blockLayers(w.workspace()->model());
        QCOMPARE(layers.size(), 35); // 5 blocks × q, k, v, o, gate, up, down
        for (const QString& layer : layers) {
            QVERIFY2(acts->hasStats(layer.toStdString()), qPrintable(layer));
            QCOMPARE(acts->stats(layer.toStdString()).count, rows);
        }
        QCOMPARE(acts->nTokens(), int64_t(100)); // raw inputs of the first 100 rows only
        // q, k and v read the same normalized residual: identical statistics.
        const ChannelStats q = acts->stats("model.layers.2.self_attn.q_proj");
        const ChannelStats v = acts->stats("model.layers.2.self_attn.v_proj");
        QCOMPARE(q.sumSq, v.sumSq);
        QCOMPARE(q.absMax, v.absMax);
        // The dialog remembered the text for next time, and the file holds what the window shows.
        QCOMPARE(QSettings().value("capture/text").toString(), textPath());
        const ActivationStore reread = ActivationStore::load(saved.toStdString());
        QCOMPARE(reread.layerNames(), acts->layerNames());
        QCOMPARE(reread.stats("model.layers.4.mlp.down_proj").sumSq, acts->stats("model.layers.4.mlp.down_proj").sumSq);
        // Every tab follows: the activations tab shows the selected layer's captured input.
        w.showTab(MainWindow::Tab::Activations);
        QVERIFY(w.waitUntilIdle());
        QVERIFY(!w.activationsTab()->currentSite().isEmpty());
        QSettings().clear();
    }

    void cancelledCaptureKeepsThePreviousActivations()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        MainWindow w;
        w.show();
        QVERIFY(w.openModel(modelPath("stories260K/stories260K.bin")));
        CaptureSettings first;
        first.textPath = textPath();
        first.tokens = 300;
        QVERIFY(w.captureActivations(first));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        const auto before = w.workspace()->activations();
        QVERIFY(before);
        const QString beforeName = w.workspace()->activationsName();

        // The whole text (about 200k tokens) takes long: cancel at the first progress report.
        CaptureSettings all = first;
        all.tokens = 0;
        QSignalSpy cancelled(w.jobs(), &gui::JobController::cancelled);
        QSignalSpy finished(w.jobs(), &gui::JobController::finished);
        bool asked = false;
        connect(w.jobs(), &gui::JobController::progressChanged, &w, [&](double fraction) {
            if (fraction > 0 && !asked) {
                asked = true;
                w.cancelJob();
            }
        });
        QVERIFY(w.captureActivations(all));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(w.workspace()->activations(), before);
        QCOMPARE(w.workspace()->activationsName(), beforeName);
    }

    void captureErrorsAreShown()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        QTemporaryDir dir;
        MainWindow w;
        w.show();
        QVERIFY(w.openModel(modelPath("stories260K/stories260K.bin")));
        CaptureSettings missing;
        missing.textPath = dir.filePath("no-such-text.txt");
        QVERIFY(w.captureActivations(missing));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().contains("no-such-text.txt"), qPrintable(w.lastError()));
        QVERIFY(!w.workspace()->activations());

        // The demo model has no tokenizer: the error says so instead of capturing anything.
        w.openDemo();
        const auto demoActs = w.workspace()->activations();
        CaptureSettings demo;
        demo.textPath = textPath();
        QVERIFY(w.captureActivations(demo));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY(!w.lastError().contains("no-such-text.txt"));
        QVERIFY(w.lastError().contains("tokenizer", Qt::CaseInsensitive));
        QCOMPARE(w.workspace()->activations(), demoActs);
    }

    void evaluateShowsPerplexityInTheOverview()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.openModel(modelPath("stories260K/stories260K.bin")));
        QVERIFY(w.waitUntilIdle());
        QVERIFY(!w.evaluation());
        // Run ▸ Evaluate Perplexity asks for the text, remembers it, and evaluates 2048 tokens.
        DialogDriver driver({[](QWidget* d) { return chooseFile(d, textPath()); }});
        w.action("runEvaluate")->trigger();
        QVERIFY(driver.done());
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QCOMPARE(QFileInfo(QSettings().value("evaluate/text").toString()).canonicalFilePath(),
                 QFileInfo(textPath()).canonicalFilePath());
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));

        const gui::Evaluation* e = w.evaluation();
        QVERIFY(e);
        QCOMPARE(e->base.tokens, int64_t(2048));
        QCOMPARE(e->quantized.tokens, int64_t(2048));
        QCOMPARE(e->base.windows, int64_t(9)); // ⌈2048 / 255⌉
        // stories260K on TinyStories: a mean negative log-likelihood near 1.3 nats.
        QVERIFY2(e->base.nll > 1.0 && e->base.nll < 1.6, qPrintable(QString::number(e->base.nll)));
        QVERIFY(std::abs(e->base.perplexity - std::exp(e->base.nll)) < 1e-9 * e->base.perplexity);
        // 4-bit RTN costs a little, never a collapse.
        QVERIFY2(e->quantized.nll > e->base.nll - 0.05 && e->quantized.nll < e->base.nll + 1.0,
                 qPrintable(QString::number(e->quantized.nll)));
        QVERIFY(!e->stale);
        qInfo("float nll %.4f ppl %.3f, quantized nll %.4f ppl %.3f", e->base.nll, e->base.perplexity, e->quantized.nll,
              e->quantized.perplexity);

        const QString shown = w.overview()->perplexityText();
        QVERIFY2(shown.contains(QString::number(e->base.perplexity, 'f', 2)), qPrintable(shown));
        QVERIFY2(shown.contains(QString::number(e->quantized.perplexity, 'f', 2)), qPrintable(shown));
        QVERIFY(shown.contains("tinystories_valid_head.txt"));
        QVERIFY(shown.contains("2048 tokens"));
        QVERIFY(!w.overview()->isPerplexityStale());
        // The run behind the quantized number is the workspace's run now, as after Quantize All.
        QVERIFY(w.workspace()->hasSummary());
        QCOMPARE(w.workspace()->results().size(), w.workspace()->model().layers().size());

        // A plan edit makes the numbers stale; they stay visible with the note.
        w.recipeEditor()->bitsBox()->setValue(3);
        QVERIFY(w.waitUntilIdle());
        QVERIFY(w.evaluation()->stale);
        QVERIFY(w.overview()->isPerplexityStale());
        QVERIFY2(w.overview()->perplexityText().contains("plan changed"), qPrintable(w.overview()->perplexityText()));
        QVERIFY(w.overview()->perplexityText().startsWith(shown));

        // Evaluating again at 3 bits: fresh numbers, worse than 4 bits.
        const double nll4 = e->quantized.nll;
        QVERIFY(w.evaluatePerplexity(textPath(), 2048, 256));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY(!w.overview()->isPerplexityStale());
        QVERIFY(w.evaluation()->quantized.nll > nll4);

        // A new model: stale again, saying why.
        w.openDemo();
        QVERIFY(w.overview()->isPerplexityStale());
        QVERIFY2(w.overview()->perplexityText().contains("model changed"), qPrintable(w.overview()->perplexityText()));
        const QImage image = w.renderToImage();
        QVERIFY(image.save(QStringLiteral(SALIENCE_BINARY_DIR "/screenshot-test-evaluate.png")));
    }

    // A Hugging Face folder (Qwen3 layout: per-head q/k norms, sharded bf16 safetensors) with its
    // own tokenizer.json: capture and perplexity run with that tokenizer, and a layer too large
    // for an interactive SVD shows its largest singular values first and the full spectrum after.
    void huggingFaceFolderRunsWithItsOwnTokenizer()
    {
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeByteLevelTokenizer(dir.path());
        CheckpointShape shape = checkpointShape("tiny-qwen3");
        shape.dim = 1088; // above the 1024 singular values the GUI computes at once
        shape.hiddenDim = 1152;
        shape.heads = 8;
        shape.kvHeads = 4;
        shape.headDim = 136;
        ShapedCheckpointOptions options;
        options.layers = 2;
        options.vocab = 288;
        options.tokenizerJson = dir.path().toStdString();
        const QString hf = dir.filePath("qwen3-like");
        Progress progress;
        writeShapedCheckpoint(shape, hf.toStdString(), options, progress);

        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.openModel(hf));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        QCOMPARE(w.workspace()->model().config().architecture, std::string("qwen3"));

        // The largest values first (a randomized estimate), then the full spectrum.
        w.showTab(MainWindow::Tab::Spectrum);
        w.selectLayer(QStringLiteral("model.layers.1.mlp.up_proj"));
        QDeadlineTimer first(60000);
        while (!w.spectrumTab()->summaryText().contains(QStringLiteral("largest 64 of 1088")) && !first.hasExpired())
            QApplication::processEvents(QEventLoop::AllEvents, 20);
        QVERIFY2(w.spectrumTab()->summaryText().contains(QStringLiteral("computing the full spectrum")),
                 qPrintable(w.spectrumTab()->summaryText()));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(!w.spectrumTab()->summaryText().contains(QStringLiteral("largest")),
                 qPrintable(w.spectrumTab()->summaryText()));
        QVERIFY2(w.spectrumTab()->summaryText().contains(QStringLiteral("effective rank")),
                 qPrintable(w.spectrumTab()->summaryText()));

        // Capture with the folder's tokenizer: BOS-led windows (its config names <|bos|>).
        CaptureSettings capture;
        capture.textPath = textPath();
        capture.tokens = 300;
        capture.window = 128;
        capture.keepInputs = 64;
        QVERIFY(w.captureActivations(capture));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        const auto acts = w.workspace()->activations();
        QVERIFY(acts);
        // 300 tokens in windows of 127 text tokens after the BOS: 3 windows, 303 rows.
        QCOMPARE(acts->stats("model.layers.1.mlp.down_proj").count, int64_t(303));

        QVERIFY(w.evaluatePerplexity(textPath(), 512, 128));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        const gui::Evaluation* e = w.evaluation();
        QVERIFY(e);
        QCOMPARE(e->base.tokens, int64_t(512));
        QCOMPARE(e->base.windows, int64_t(5)); // ⌈512 / 127⌉
        QVERIFY(std::isfinite(e->base.nll) && e->base.nll > 0);
        QVERIFY(std::isfinite(e->quantized.nll));
        QVERIFY(w.overview()->perplexityText().contains(QStringLiteral("512 tokens")));
    }

    void exportGgufRunsThePlanAndReadsBack()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        QTemporaryDir dir;
        const QString out = dir.filePath("stories-q8.gguf");
        MainWindow w;
        w.show();
        QVERIFY(w.openModel(modelPath("stories260K/stories260K.gguf")));
        QVERIFY(w.waitUntilIdle());
        QVERIFY(w.workspace()->results().empty());
        // File ▸ Export ▸ GGUF: the type, then the file name.
        DialogDriver driver({[](QWidget* d) {
                                 auto* options = qobject_cast<gui::GgufOptionsDialog*>(d);
                                 if (!options)
                                     return false;
                                 options->setType(QStringLiteral("Q8_0"));
                                 options->accept();
                                 return true;
                             },
                             [&](QWidget* d) { return chooseFile(d, out); }});
        w.action("fileExportGguf")->trigger();
        QVERIFY(driver.done());
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        // With no results, the export ran the plan first; its results are the workspace's now.
        QVERIFY(w.workspace()->hasSummary());
        QCOMPARE(w.workspace()->results().size(), w.workspace()->model().layers().size());

        // llama.cpp's own conversion of the model holds the same tensors as the export.
        const GgufReader source(testdata::path("stories260K/stories260K.gguf"));
        const GgufReader written(out.toStdString());
        QCOMPARE(written.tensors().size(), source.tensors().size());
        for (const auto& t : source.tensors())
            QVERIFY2(written.tensorInfo(t.name), t.name.c_str());
        QCOMPARE(written.tensorInfo("blk.0.attn_q.weight")->info.dtype, std::string("Q8_0"));

        // The summary counts every quantized layer once, as lossless or requantized.
        const QString summary = w.lastExportSummary();
        qInfo("%s", qPrintable(summary));
        QVERIFY2(summary.contains(out), qPrintable(summary));
        const int lossless = numberBefore(summary, "lossless");
        const int requantized = numberBefore(summary, "requantized");
        QVERIFY2(lossless >= 0 && requantized >= 0, qPrintable(summary));
        QCOMPARE(int64_t(lossless + requantized), w.workspace()->summary().layersQuantized);
        QVERIFY(w.statusBar()->currentMessage().contains("lossless"));

        // Again over the same file, now from the workspace's complete run (the dialog asked).
        const auto resultsBefore = w.workspace()->results().size();
        QSignalSpy results(w.workspace(), &gui::Workspace::resultsChanged);
        QVERIFY(w.exportGguf(out, QStringLiteral("Q4_0")));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        QCOMPARE(results.count(), 0); // nothing recomputed
        QCOMPARE(w.workspace()->results().size(), resultsBefore);
        QCOMPARE(GgufReader(out.toStdString()).tensorInfo("blk.0.attn_q.weight")->info.dtype, std::string("Q4_0"));
    }

    void exportOtherFormats()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        QTemporaryDir dir;
        MainWindow w;
        w.show();
        QVERIFY(w.openModel(modelPath("stories260K/stories260K.bin")));
        QVERIFY(w.waitUntilIdle());
        w.quantizeAll();
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));

        // llama2.c: the same layout as the source file (shared classifier), so the same size.
        const QString bin = dir.filePath("stories-q.bin");
        QVERIFY(w.exportLlama2c(bin));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        QCOMPARE(QFileInfo(bin).size(), QFileInfo(modelPath("stories260K/stories260K.bin")).size());
        QVERIFY(w.lastExportSummary().contains(bin));

        // Run record, with codes: one entry per layer, codes of the layer's shape.
        const QString record = dir.filePath("run.h5");
        QVERIFY(w.exportRunRecord(record, true));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        const RunRecord r = readRunRecord(record.toStdString());
        QCOMPARE(r.layers.size(), w.workspace()->model().layers().size());
        const RunRecordLayer* q = r.find("model.layers.0.self_attn.q_proj");
        QVERIFY(q && q->quantized);
        QCOMPARE(q->codes.size(), size_t(64 * 64));
        QCOMPARE(r.summary.layersQuantized, w.workspace()->summary().layersQuantized);

        // GPTQ: a directory with the packed checkpoint and its config.
        const QString gptq = dir.filePath("stories-gptq");
        QVERIFY(w.exportGptq(gptq));
        QVERIFY(w.waitUntilIdle(kJobTimeoutMs));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        QVERIFY(QFileInfo::exists(gptq + "/model.safetensors"));
        QVERIFY(QFileInfo::exists(gptq + "/config.json"));
        QVERIFY2(w.lastExportSummary().contains("GPTQ 4-bit"), qPrintable(w.lastExportSummary()));
        qInfo("%s", qPrintable(w.lastExportSummary()));
    }

    void ggufOptionsDialogOffersTheTypes()
    {
        QSettings().clear();
        gui::GgufOptionsDialog d;
        using Kind = gui::GgufOptionsDialog::Kind;
        QCOMPARE(d.kind(), Kind::Plan); // as the plan says: each layer's type from its recipe
        QCOMPARE(d.type(), QString());
        QCOMPARE(d.preset(), QString());
        QVERIFY(!d.typeBox()->isEnabled());
        QVERIFY(!d.presetBox()->isEnabled());
        // One type: every type Salience writes.
        QCOMPARE(d.typeBox()->count(), 14);
        for (const char* t : {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL",
                              "F16", "BF16", "F32"})
            QVERIFY2(d.typeBox()->findData(QString::fromLatin1(t)) >= 0, t);
        QVERIFY(d.typeBox()->itemText(d.typeBox()->findData("Q4_K")).contains("4.5 bits/weight"));
        // llama-quantize's mixes, Q4_K_M first and chosen by default.
        QCOMPARE(d.presetBox()->itemData(0).toString(), QStringLiteral("Q4_K_M"));
        for (const char* p : {"Q4_K_S", "Q5_K_M", "Q5_K_S", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q2_K", "Q6_K", "Q8_0", "Q4_0"})
            QVERIFY2(d.presetBox()->findData(QString::fromLatin1(p)) >= 0, p);
        QCOMPARE(d.presetBox()->findData(QStringLiteral("Q4_K")), -1); // an alias of Q4_K_M
        QCOMPARE(d.presetBox()->count(), gui::GgufOptionsDialog::presets().size());
        QTest::mouseClick(d.kindButton(Kind::Preset), Qt::LeftButton);
        QCOMPARE(d.kind(), Kind::Preset);
        QCOMPARE(d.preset(), QStringLiteral("Q4_K_M"));
        QCOMPARE(d.type(), QString());
        QVERIFY(d.presetBox()->isEnabled());
        QVERIFY(!d.typeBox()->isEnabled());

        d.setType("Q6_K");
        QCOMPARE(d.kind(), Kind::SingleType);
        QVERIFY(d.typeBox()->isEnabled());
        QCOMPARE(d.preset(), QString());
        d.accept();
        QCOMPARE(gui::GgufOptionsDialog().type(), QStringLiteral("Q6_K")); // remembered
        {
            gui::GgufOptionsDialog mix;
            mix.setPreset("q3_k_l");
            mix.accept();
        }
        gui::GgufOptionsDialog again;
        QCOMPARE(again.kind(), Kind::Preset);
        QCOMPARE(again.preset(), QStringLiteral("Q3_K_L"));
        again.setKind(Kind::SingleType);
        QCOMPARE(again.type(), QStringLiteral("Q6_K")); // the type is remembered beside the preset
        again.setKind(Kind::Plan);
        again.accept();
        QCOMPARE(gui::GgufOptionsDialog().kind(), Kind::Plan);
        gui::RunRecordOptionsDialog r;
        QVERIFY(!r.includeCodes());
        r.codesBox()->setChecked(true);
        r.accept();
        QVERIFY(gui::RunRecordOptionsDialog().includeCodes());
        QSettings().clear();
    }

    void choiceParameterInTheWindowWithUndo()
    {
        const MethodInfo* method = nullptr;
        const ParamSpec* choice = nullptr;
        for (const MethodInfo& m : methodRegistry())
            for (const ParamSpec& p : m.params)
                if (!choice && p.isChoice() && p.choices.size() >= 2) {
                    method = &m;
                    choice = &p;
                }
        if (!choice)
            QSKIP("no registered method has a choice parameter yet");
        MainWindow w;
        w.show();
        w.openDemo(); // brings activations, for the methods that need them
        QVERIFY(w.waitUntilIdle());
        const QString layer = w.currentLayer();
        const QString name = QString::fromStdString(choice->name);
        QUndoStack* undo = w.workspace()->undoStack();

        const int methodIndex = w.recipeEditor()->methodBox()->findData(QString::fromStdString(method->name));
        QVERIFY(methodIndex >= 0);
        w.recipeEditor()->methodBox()->setCurrentIndex(methodIndex);
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.workspace()->recipeFor(layer).method, method->name);
        QCOMPARE(undo->count(), 1);

        QComboBox* combo = w.recipeEditor()->paramChoiceBox(name);
        QVERIFY(combo);
        const int other = choice->defaultValue == 0 ? 1 : 0;
        combo->setCurrentIndex(other);
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(undo->count(), 2);
        QCOMPARE(w.workspace()->recipeFor(layer).param(choice->name), double(other));
        QVERIFY(w.currentPreview());
        QCOMPARE(w.currentPreview()->result.recipe.param(choice->name), double(other));

        undo->undo();
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.workspace()->recipeFor(layer).param(choice->name), choice->defaultValue);
        QVERIFY(w.recipeEditor()->paramChoiceBox(name));
        QCOMPARE(double(w.recipeEditor()->paramChoiceBox(name)->currentIndex()), choice->defaultValue);
        QCOMPARE(w.currentPreview()->result.recipe.param(choice->name), choice->defaultValue);
        undo->redo();
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.recipeEditor()->paramChoiceBox(name)->currentIndex(), other);
        QCOMPARE(w.workspace()->recipeFor(layer).param(choice->name), double(other));
    }
};

QTEST_MAIN(TestRunJobs)
#include "test_runjobs.moc"
