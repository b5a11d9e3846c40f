// The main window driven like a user would: open the demo and stories260K, select layers,
// edit recipes with undo/redo, run and cancel jobs, save and reload plans, open a corrupt
// file, switch language, and render every tab to a picture that is not blank.
#include "ActivationsTab.h"
#include "LayerTree.h"
#include "MainWindow.h"
#include "MethodText.h"
#include "OverviewPanel.h"
#include "QuantizationTab.h"
#include "RecipeEditor.h"

#include "demo/DemoModel.h"
#include "export/LlamaQuantizeMix.h"
#include "plan/QuantPlan.h"
#include "quant/MethodRegistry.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"

#include "TestData.h"

#include <QAction>
#include <QComboBox>
#include <QMenu>
#include <QSpinBox>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTranslator>
#include <QUndoStack>

#include <fstream>

using namespace salience;
using salience::gui::MainWindow;

namespace {
// True when the image has at least two clearly different colours: not a blank window.
bool hasContent(const QImage& image)
{
    if (image.isNull())
        return false;
    const QRgb first = image.pixel(0, 0);
    int different = 0;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            if (qAbs(qGray(image.pixel(x, y)) - qGray(first)) > 40)
                ++different;
    return different > 200;
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
        QApplication::setOrganizationName("SalienceTest");
        QApplication::setApplicationName("SalienceTest");
    }

    void opensTheDemoAndPreviewsWhatCoreComputes()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.workspace()->model().layers().size(), size_t(29));
        QCOMPARE(w.currentLayer(), QString("model.layers.1.self_attn.q_proj"));

        // Change the recipe in the editor: the preview follows and matches core's result.
        // Edit the recipe through the editor's own fields, as a user does: each edit is one
        // undoable command.
        w.recipeEditor()->bitsBox()->setValue(3);
        QVERIFY(w.waitUntilIdle());
        const int group32 = w.recipeEditor()->groupBox()->findData(32);
        QVERIFY(group32 >= 0);
        w.recipeEditor()->groupBox()->setCurrentIndex(group32);
        QVERIFY(w.waitUntilIdle());
        Recipe r;
        r.bits = 3;
        r.groupSize = 32;
        const QuantPreview* preview = w.currentPreview();
        QVERIFY(preview);
        QCOMPARE(preview->result.recipe.bits, 3);
        const Matrix weight = w.workspace()->model().weight("model.layers.1.self_attn.q_proj");
        const Matrix expected = quantizeRtn(weight, r.grid()).dequantize();
        QCOMPARE(preview->dequantized, expected);
        QCOMPARE(preview->result.metrics.relativeWeightError, relativeWeightError(weight, expected));
        QVERIFY(w.quantizationTab()->metricsText().contains(QString::number(relativeWeightError(weight, expected), 'g', 4)));

        // Undo and redo go through the plan.
        QUndoStack* undo = w.workspace()->undoStack();
        QCOMPARE(undo->count(), 2);
        QVERIFY(w.isWindowModified());
        undo->undo();
        QCOMPARE(w.workspace()->recipeFor(w.currentLayer()).groupSize, 128);
        QCOMPARE(w.workspace()->recipeFor(w.currentLayer()).bits, 3);
        undo->undo();
        QCOMPARE(w.workspace()->recipeFor(w.currentLayer()).bits, 4);
        QCOMPARE(w.recipeEditor()->recipe().bits, 4); // the editor follows the undo
        QVERIFY(!w.isWindowModified());
        undo->redo();
        undo->redo();
        QCOMPARE(w.workspace()->recipeFor(w.currentLayer()).bits, 3);
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.currentPreview()->result.recipe.bits, 3);
    }

    // The recipe editor's Grid combo: a ggml block format is one undoable plan edit, the preview
    // quantizes onto it (falling back as llama-quantize does where rows are not whole blocks), and
    // a method that cannot take one switches the combo off.
    void gridTypeInTheEditorPreviewsAndUndoes()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        const QString layer = QStringLiteral("model.layers.1.self_attn.q_proj");
        QCOMPARE(w.currentLayer(), layer);
        QCOMPARE(w.workspace()->model().weight(layer.toStdString()).cols(), Eigen::Index(128));
        QComboBox* grid = w.recipeEditor()->gridTypeBox();
        QVERIFY(grid->isEnabled()); // the default method is rtn
        QUndoStack* undo = w.workspace()->undoStack();
        const int before = undo->count();
        const Recipe original = w.workspace()->recipeFor(layer);
        QVERIFY(original.gridType.empty());

        // Q4_K: rows of 128 are no whole 256-blocks, so Q5_0 (5.5 bits per weight), as llama-quantize.
        grid->setCurrentIndex(grid->findData(QStringLiteral("Q4_K")));
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(undo->count(), before + 1);
        QCOMPARE(w.workspace()->recipeFor(layer).gridType, std::string("Q4_K"));
        QVERIFY(!w.recipeEditor()->bitsBox()->isEnabled());
        const QuantPreview* preview = w.currentPreview();
        QVERIFY(preview);
        QCOMPARE(preview->result.recipe.gridType, std::string("Q4_K"));
        QCOMPARE(preview->result.metrics.bitsPerWeight, 5.5);
        QVERIFY2(w.quantizationTab()->metricsText().contains(QStringLiteral("5.500")),
                 qPrintable(w.quantizationTab()->metricsText()));

        // Q4_0 fits rows of 128: its own 4.5 bits per weight.
        grid->setCurrentIndex(grid->findData(QStringLiteral("Q4_0")));
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(undo->count(), before + 2);
        QCOMPARE(w.currentPreview()->result.metrics.bitsPerWeight, 4.5);
        QVERIFY(w.quantizationTab()->metricsText().contains(QStringLiteral("4.500")));

        // Undo: Q4_K, then the uniform grid, in the plan, the editor and the preview.
        undo->undo();
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.workspace()->recipeFor(layer).gridType, std::string("Q4_K"));
        undo->undo();
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.workspace()->recipeFor(layer), original);
        QCOMPARE(grid->currentData().toString(), QString());
        QVERIFY(w.recipeEditor()->bitsBox()->isEnabled());
        QCOMPARE(w.currentPreview()->result.recipe.gridType, std::string());
        QCOMPARE(w.currentPreview()->result.recipe.bits, original.bits);

        // A method without a grid (a codebook, pruning): the combo switches off and the plan's
        // recipe stays valid.
        undo->redo();
        QVERIFY(w.waitUntilIdle());
        QComboBox* method = w.recipeEditor()->methodBox();
        int other = -1;
        for (int i = 0; i < method->count() && other < 0; ++i) {
            const MethodInfo* m = findMethod(method->itemData(i).toString().toStdString());
            if (m && m->quantizes && !m->ggmlGrids && !m->needsActivations)
                other = i;
        }
        QVERIFY(other >= 0);
        method->setCurrentIndex(other);
        QVERIFY(w.waitUntilIdle());
        QVERIFY(!grid->isEnabled());
        const Recipe switched = w.workspace()->recipeFor(layer);
        QCOMPARE(switched.method, method->itemData(other).toString().toStdString());
        QVERIFY(switched.gridType.empty());
        switched.validate("test");
    }

    // Plan ▸ Apply llama-quantize Mix: every layer onto the type llama-quantize's mix gives it, by
    // the method in the editor, as one undoable step; a method that cannot round onto ggml's
    // block formats is refused with the plan untouched; the result is edited like any plan.
    void llamaQuantizeMixFromThePlanMenu()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        const Model& model = w.workspace()->model();

        // The menu lists the quantized mixes, Q4_K_M first.
        QMenu* mixes = w.findChild<QMenu*>("planMixMenu");
        QVERIFY(mixes);
        QCOMPARE(mixes->actions().front()->objectName(), QStringLiteral("planMix_Q4_K_M"));
        for (const char* preset : {"Q4_K_S", "Q5_K_M", "Q3_K_M", "Q2_K", "Q6_K", "Q8_0"})
            QVERIFY2(w.action(QStringLiteral("planMix_") + preset), preset);
        QVERIFY(!w.action("planMix_F16"));

        // GPTQ in the editor for the current layer, then the mix by the menu's action.
        QComboBox* method = w.recipeEditor()->methodBox();
        method->setCurrentIndex(method->findData(QStringLiteral("gptq")));
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.workspace()->recipeFor(w.currentLayer()).method, std::string("gptq"));
        QUndoStack* undo = w.workspace()->undoStack();
        const int before = undo->count();
        const QuantPlan edited = w.workspace()->plan();
        w.action("planMix_Q4_K_M")->trigger();
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(undo->count(), before + 1);
        QVERIFY(undo->undoText().contains("Q4_K_M"));

        LlamaQuantizeOptions options;
        options.importanceMatrix = true; // the demo's activations are open
        const LlamaQuantizeMix mix = llamaQuantizeMix(model, "Q4_K_M", options);
        const auto checkMix = [&](const LlamaQuantizeMix& m, const std::string& methodName) {
            int upgrades = 0;
            for (const LinearLayer& layer : model.layers()) {
                const Recipe r = w.workspace()->recipeFor(QString::fromStdString(layer.name));
                if (layer.role == LayerRole::Embedding) {
                    QCOMPARE(r.method, std::string("none"));
                    continue;
                }
                QCOMPARE(r.method, methodName);
                QCOMPARE(r.gridType, m.layers.at(layer.name).requested);
                upgrades += r.gridType != m.baseType;
            }
            QVERIFY(upgrades > 0); // attn_v and ffn_down of use_more_bits, and the classifier
        };
        checkMix(mix, "gptq");
        QCOMPARE(w.workspace()->recipeFor("model.layers.3.mlp.down_proj").gridType, std::string("Q6_K"));
        QCOMPARE(w.workspace()->recipeFor("model.layers.0.mlp.down_proj").gridType, std::string("Q4_K"));

        // Undo gives the plan back exactly; redo the mix again.
        undo->undo();
        QVERIFY(w.waitUntilIdle());
        QVERIFY(w.workspace()->plan().toJson() == edited.toJson());
        undo->redo();
        QVERIFY(w.waitUntilIdle());
        checkMix(mix, "gptq");

        // Another mix replaces this one, by the same method.
        w.action("planMix_Q2_K")->trigger();
        QVERIFY(w.waitUntilIdle());
        checkMix(llamaQuantizeMix(model, "Q2_K", options), "gptq");
        QCOMPARE(w.workspace()->recipeFor("model.layers.0.self_attn.o_proj").gridType, std::string("Q3_K"));

        // Editable like any plan: one layer changed, saved and loaded back.
        w.selectLayer("model.layers.0.self_attn.q_proj");
        QVERIFY(w.waitUntilIdle());
        QComboBox* grid = w.recipeEditor()->gridTypeBox();
        grid->setCurrentIndex(grid->findData(QStringLiteral("Q8_0")));
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.workspace()->recipeFor("model.layers.0.self_attn.q_proj").gridType, std::string("Q8_0"));
        QCOMPARE(w.workspace()->recipeFor("model.layers.1.self_attn.q_proj").gridType, std::string("Q2_K"));
        QTemporaryDir dir;
        const QString path = dir.filePath("mix.json");
        QVERIFY(w.savePlan(path));
        const QuantPlan saved = QuantPlan::load(path.toStdString());
        for (const LinearLayer& layer : model.layers())
            QCOMPARE(saved.recipeFor(layer), w.workspace()->recipeFor(QString::fromStdString(layer.name)));

        // A method that cannot round onto ggml's formats: refused by name, the plan untouched.
        method->setCurrentIndex(method->findData(QStringLiteral("kmeans")));
        QVERIFY(w.waitUntilIdle());
        const QuantPlan beforeRefusal = w.workspace()->plan();
        const int count = undo->count();
        QVERIFY(!w.applyLlamaQuantizeMix("Q4_K_M"));
        QVERIFY2(w.lastError().contains("kmeans"), qPrintable(w.lastError()));
        QCOMPARE(undo->count(), count);
        QVERIFY(w.workspace()->plan().toJson() == beforeRefusal.toJson());
        if (auto* box = w.findChild<QMessageBox*>("errorBox"))
            box->close();
    }

    void activationsTabHighlightsMassiveActivations()
    {
        MainWindow w;
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        w.showTab(MainWindow::Tab::Activations);
        QCOMPARE(w.activationsTab()->currentSite(), QString("resid_in"));
        QCOMPARE(w.activationsTab()->massiveRowCount(), 2); // the two planted at token 0
        // Raising γ above the planted values hides them at once.
        OutlierThresholds t = w.activationsTab()->thresholds();
        t.massiveGamma = 500;
        t.massiveEta = 1000;
        w.activationsTab()->setThresholds(t);
        emit w.activationsTab()->thresholdsChanged(t);
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.activationsTab()->massiveRowCount(), 1); // only 900 exceeds 1000 × mean|A| ≈ 708
    }

    void quantizeAllAndCancelMidway()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        MainWindow w;
        w.show();
        QVERIFY(w.openModel(QString::fromStdString(testdata::path("stories260K/stories260K.gguf"))));
        QVERIFY(w.waitUntilIdle());
        w.quantizeAll();
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(w.workspace()->results().size(), w.workspace()->model().layers().size());
        QVERIFY(w.overview()->totalsText().contains("35"));

        // Cancel a long run: GPTQ-free RTN on 37 small layers is fast, so use the demo with a
        // cancel on the first progress report and check nothing was applied while the event
        // loop kept running.
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
        ticker.start(1);
        connect(w.jobs(), &gui::JobController::started, &w, [&] { w.cancelJob(); });
        QSignalSpy cancelled(w.jobs(), &gui::JobController::cancelled);
        w.quantizeAll();
        QVERIFY(cancelled.wait(10000) || cancelled.count() == 1);
        QVERIFY(w.waitUntilIdle());
        QVERIFY(w.workspace()->results().empty());
        QVERIFY(ticks > 0);
    }

    void savesAndReloadsAPlan()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("plan.json");
        MainWindow w;
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        Recipe r;
        r.bits = 6;
        w.workspace()->applyRecipe({"model.layers.2.mlp.down_proj"}, r, "test");
        QVERIFY(w.savePlan(path));
        QVERIFY(!w.isWindowModified());
        w.workspace()->undoStack()->undo();
        QCOMPARE(w.workspace()->recipeFor("model.layers.2.mlp.down_proj").bits, 4);
        QVERIFY(w.loadPlan(path));
        QCOMPARE(w.workspace()->recipeFor("model.layers.2.mlp.down_proj").bits, 6);
        QCOMPARE(w.workspace()->recipeFor("model.layers.2.mlp.up_proj").bits, 4);
    }

    void corruptFileShowsTheErrorAndKeepsTheModel()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath("broken.safetensors");
        std::ofstream(bad.toStdString()) << "\xff\xff\xff\xff\xff\xff\xff\x7f{}";
        MainWindow w;
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        QVERIFY(!w.openModel(bad));
        QVERIFY(w.lastError().contains("broken.safetensors"));
        QVERIFY(w.findChild<QMessageBox*>("errorBox") != nullptr);
        QCOMPARE(w.workspace()->model().layers().size(), size_t(29)); // the demo is still open
        QVERIFY(!w.openActivations(dir.filePath("missing.h5")));
        QVERIFY(w.lastError().contains("missing.h5"));
    }

    void chineseTranslationLoads()
    {
        QTranslator translator;
        QVERIFY(translator.load(QLocale(QLocale::Chinese, QLocale::China), "salience", "_", ":/i18n"));
        QVERIFY(!translator.isEmpty());
        qApp->installTranslator(&translator);
        MainWindow w;
        QCOMPARE(w.tabs()->tabText(0), QString::fromUtf8("权重"));
        QVERIFY(w.action("runQuantizeAll")->text().contains(QString::fromUtf8("量化")));
        // The method registry's texts live in core as data; each must be in the translation.
        for (const MethodInfo& m : methodRegistry()) {
            QVERIFY2(widgets::methodTitle(m) != QString::fromStdString(m.title), m.title.c_str());
            QVERIFY2(widgets::methodDescription(m) != QString::fromStdString(m.description), m.name.c_str());
        }
        qApp->removeTranslator(&translator);
    }

    // Every message lupdate found has a real Chinese translation: none unfinished or empty,
    // none left in English, plural forms filled.
    void chineseTranslationIsComplete()
    {
        QFile file(QStringLiteral(SALIENCE_SOURCE_DIR "/translations/salience_zh_CN.ts"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QString source;
        int messages = 0;
        QStringList problems;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == u"source") {
                source = xml.readElementText();
            } else if (xml.name() == u"translation") {
                ++messages;
                const QString type = xml.attributes().value("type").toString();
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (type == "unfinished" || text.trimmed().isEmpty())
                    problems << source;
                // A sentence copied through unchanged is an English leftover (names like GGUF may stay).
                static const QRegularExpression english(QStringLiteral("\\b[a-z]{3,}\\b.*\\b[a-z]{3,}\\b"));
                if (type != "vanished" && text == source && source.contains(english))
                    problems << QStringLiteral("copied: ") + source;
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 300);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 10).join("\n")));
    }

    void screenshotsOfEveryTabAreNotBlank()
    {
        MainWindow w;
        w.resize(1500, 950);
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        QTemporaryDir dir;
        const QStringList names{"weights", "activations", "spectrum", "quantization"};
        for (int i = 0; i < names.size(); ++i) {
            w.showTab(MainWindow::Tab(i));
            QApplication::processEvents();
            const QImage image = w.renderToImage();
            const QString file = QStringLiteral(SALIENCE_BINARY_DIR "/screenshot-test-%1.png").arg(names[i]);
            QVERIFY(image.save(file));
            QVERIFY2(hasContent(image), qPrintable(names[i]));
        }
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
