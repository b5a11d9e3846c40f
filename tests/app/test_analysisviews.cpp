// Analyze ▸ Sensitivity and Analyze ▸ Compare Methods at Equal Budget on the real stories260K
// model, driven through their views as a user would: Run measures the sensitivity table (and
// reopens it from its cache file the second time), the allocation is drawn on the heatmap and
// checked against uniform, the diff names what Apply would change, Apply is one undoable step;
// a comparison at a target puts every method within the tolerance and marks the one that cannot.
// No Qt warning may be printed meanwhile.
#include "ComparisonView.h"
#include "MainWindow.h"
#include "MethodComparisonPlot.h"
#include "SensitivityHeatmap.h"
#include "SensitivityView.h"
#include "TextFileField.h"

#include "run/EqualBudget.h"
#include "run/SensitivityFile.h"

#include "TestData.h"

#include <qcustomplot.h>

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>
#include <QUndoStack>

#include <cmath>

using namespace salience;
using salience::gui::ComparisonSettings;
using salience::gui::MainWindow;
using salience::gui::SensitivitySettings;

namespace {

QStringList g_warnings;

void recordWarnings(QtMsgType type, const QMessageLogContext&, const QString& message)
{
    // The offscreen platform cannot resize or raise native windows and says so: not the views' doing.
    if (type != QtDebugMsg && type != QtInfoMsg && !message.startsWith(QLatin1String("This plugin does not support")))
        g_warnings << message;
    fprintf(stderr, "%s\n", qPrintable(message));
}

QString modelPath() { return QString::fromStdString(testdata::path("stories260K/stories260K.bin")); }
QString textPath() { return QString::fromStdString(testdata::path("text/tinystories_valid_head.txt")); }

// Small enough for seconds: 512 calibration tokens in windows of 128, two candidates.
SensitivitySettings smallSensitivity()
{
    SensitivitySettings s;
    s.textPath = textPath();
    s.part = QStringLiteral("calibration");
    s.tokens = 512;
    s.window = 128;
    s.candidates = QStringLiteral("3g128,4g32");
    s.targetBits = 3.9;
    return s;
}

// The window on screen with stories260K open.
bool openStories(MainWindow& w)
{
    w.resize(1500, 950);
    w.show();
    return w.openModel(modelPath()) && w.waitUntilIdle();
}

QDockWidget* dockOf(QWidget* view) { return qobject_cast<QDockWidget*>(view->parentWidget()); }

} // namespace

class TestAnalysisViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings and the sensitivity cache go to a test location
        QApplication::setOrganizationName("SalienceTest");
        QApplication::setApplicationName("SalienceTestAnalysisViews");
        QSettings().clear();
        QDir(QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation)).filePath("sensitivity")).removeRecursively();
        qInstallMessageHandler(recordWarnings);
    }

    void init() { g_warnings.clear(); }
    void cleanup() { QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join('\n'))); }

    // The Analyze menu's actions show the views, each a dock of the window.
    void menuActionsShowTheViews()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        QVERIFY(!dockOf(w.sensitivityView())->isVisible());
        w.action("analyzeSensitivity")->trigger();
        QApplication::processEvents();
        QVERIFY(dockOf(w.sensitivityView())->isVisible());
        QVERIFY(w.sensitivityView()->isVisible());
        w.action("analyzeCompare")->trigger();
        QApplication::processEvents();
        QVERIFY(w.comparisonView()->isVisible());
        // Tabbed with the model overview: the one shown last is raised.
        const QList<QDockWidget*> tabbed = w.tabifiedDockWidgets(dockOf(w.comparisonView()));
        QVERIFY(tabbed.contains(dockOf(w.sensitivityView())));
        // (A dock behind its tab is moved out of the window rather than hidden.)
        const QRect window(QPoint(0, 0), w.size());
        QTRY_VERIFY(window.contains(dockOf(w.comparisonView())->geometry()));
        QVERIFY(!window.intersects(dockOf(w.sensitivityView())->geometry()));
        QVERIFY(w.action("analyzeCompare")->text().contains("Equal Budget"));
        // With the views open the window still fits a 1280 × 720 projector.
        const QSize least = w.minimumSizeHint().expandedTo(w.minimumSize());
        QVERIFY2(least.width() <= 1280 && least.height() <= 720,
                 qPrintable(QString("the window cannot be smaller than %1 × %2").arg(least.width()).arg(least.height())));
    }

    void sensitivityAllocatesAndAppliesAsOneUndoableStep()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        MainWindow w;
        QVERIFY(openStories(w));
        w.showSensitivityView();
        gui::SensitivityView* view = w.sensitivityView();
        view->setSettings(smallSensitivity());
        QVERIFY(view->runButton()->isEnabled());
        QVERIFY(!view->applyButton()->isEnabled());
        const QuantPlan before = w.workspace()->plan();
        QUndoStack* undo = w.workspace()->undoStack();
        const int steps = undo->count();

        view->runButton()->click();
        QVERIFY(w.jobs()->isBusy());
        QVERIFY(!view->runButton()->isEnabled()); // one job at a time
        QVERIFY(w.waitUntilIdle(120000));
        const gui::SensitivityOutcome* outcome = view->outcome();
        QVERIFY2(outcome, qPrintable(w.lastError()));
        QVERIFY(!outcome->reused);
        const SensitivityTable& table = outcome->table;
        QCOMPARE(table.units.size(), size_t(35));
        QCOMPARE(table.candidates().size(), size_t(2));
        QCOMPARE(table.textPart, std::string("calibration"));
        QCOMPARE(table.key.window, int64_t(128));
        // The cache file holds the same table.
        QVERIFY(QFileInfo::exists(outcome->cacheFile));
        QVERIFY(sensitivityJson(loadSensitivity(outcome->cacheFile.toStdString())) == sensitivityJson(table));

        // The heatmap shows the table and marks the allocation's choice of every layer.
        const SensitivityAllocation& a = outcome->allocation;
        QVERIFY(a.achievedBitsPerWeight <= 3.9 + 1e-9);
        QVERIFY(view->heatmap()->hasData());
        QCOMPARE(view->heatmap()->colorMap()->data()->cell(1, 4), table.units[4].cells[1].kl);
        for (size_t u = 0; u < a.units.size(); ++u)
            QCOMPARE(view->heatmap()->chosen()[u], int(a.units[u].candidate));
        QVERIFY(a.uniform);
        QCOMPARE(view->heatmap()->uniformCandidate(), int(a.uniform->candidate));

        // The check: allocated and uniform measured, perplexity = exp(float NLL + NLL change).
        QTableWidget* check = view->checkTable();
        QCOMPARE(check->rowCount(), 3);
        QCOMPARE(check->item(0, 0)->text(), QStringLiteral("allocated"));
        QCOMPARE(check->item(0, 4)->text(), QString::number(std::exp(table.floatNll + outcome->check.allocated.nllDelta), 'f', 3));
        QCOMPARE(check->item(1, 0)->text(), QStringLiteral("uniform ") + QString::fromStdString(a.uniform->label));
        QCOMPARE(check->item(2, 4)->text(), QString::number(std::exp(table.floatNll), 'f', 3));
        QCOMPARE(check->item(0, 2)->text(), QString::number(a.predicted, 'f', 5));

        // The diff: every layer whose recipe the allocation changes, before and after.
        const Model& model = w.workspace()->model();
        QTreeWidget* diff = view->diffList();
        QVERIFY(diff->topLevelItemCount() > 0);
        int changed = 0;
        for (const LinearLayer& layer : model.layers())
            if (!(before.recipeFor(layer) == outcome->plan.recipeFor(layer))) {
                QTreeWidgetItem* row = diff->topLevelItem(changed++);
                QCOMPARE(row->text(0), QString::fromStdString(layer.name));
                QCOMPARE(row->text(1), QString::fromStdString(before.recipeFor(layer).summary()));
                QCOMPARE(row->text(2), QString::fromStdString(outcome->plan.recipeFor(layer).summary()));
            }
        QCOMPARE(diff->topLevelItemCount(), changed);

        // Apply: the plan is the allocation, layer by layer, in one undo step.
        QVERIFY(view->applyButton()->isEnabled());
        view->applyButton()->click();
        QVERIFY(w.waitUntilIdle());
        QCOMPARE(undo->count(), steps + 1);
        const std::vector<UnitChoice>& units = a.units;
        for (const UnitChoice& u : units) {
            const size_t c = outcome->check.uniformIsBetter ? a.uniform->candidate : u.candidate;
            const Recipe expected = table.candidates()[c].applyTo(table.key.base);
            for (const std::string& layer : u.layers)
                QCOMPARE(w.workspace()->recipeFor(QString::fromStdString(layer)), expected);
        }
        QCOMPARE(diff->topLevelItemCount(), 0);
        QVERIFY(!view->applyButton()->isEnabled());

        // Undo restores the plan exactly; the diff returns.
        undo->undo();
        QVERIFY(w.waitUntilIdle());
        QVERIFY(w.workspace()->plan().toJson() == before.toJson());
        QCOMPARE(diff->topLevelItemCount(), changed);
        QVERIFY(view->applyButton()->isEnabled());

        // Run again: the table comes from its cache file, the same to the last bit.
        const nlohmann::json first = sensitivityJson(table);
        view->runButton()->click();
        QVERIFY(w.waitUntilIdle(120000));
        QVERIFY(view->outcome()->reused);
        QVERIFY(sensitivityJson(view->outcome()->table) == first);

        // Cancel: nothing is applied, the last outcome stays.
        const gui::SensitivityOutcome* last = view->outcome();
        QSignalSpy cancelled(w.jobs(), &gui::JobController::cancelled);
        SensitivitySettings other = smallSensitivity();
        other.candidates = QStringLiteral("2g32,3g64,4g64");
        QVERIFY(w.runSensitivity(other));
        w.cancelJob();
        QVERIFY(w.waitUntilIdle(120000));
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(view->outcome(), last);

        // Another model drops the outcome.
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        QVERIFY(!view->outcome());
        QVERIFY(!view->heatmap()->hasData());
    }

    // Three methods at 4 bits per weight: those that can are set to within the tolerance, with
    // their perplexity on the held-out half; k-means cannot and is marked, not run.
    void comparisonAtTargetBits()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        MainWindow w;
        QVERIFY(openStories(w));
        w.action("analyzeCompare")->trigger();
        gui::ComparisonView* view = w.comparisonView();
        ComparisonSettings s;
        s.methods = {QStringLiteral("rtn"), QStringLiteral("awq"), QStringLiteral("kmeans")};
        s.targetBits = 4.0;
        s.tolerance = 0.05;
        s.textPath = textPath();
        s.tokens = 512;
        view->setSettings(s);
        QCOMPARE(view->settings().methods, s.methods);
        view->runButton()->click();
        QVERIFY(w.waitUntilIdle(120000));
        const gui::ComparisonOutcome* outcome = view->outcome();
        QVERIFY2(outcome, qPrintable(w.lastError()));
        const CompareResult& r = outcome->result;
        QCOMPARE(r.methods.size(), size_t(2));
        QVERIFY(r.floatPerplexity);
        // AWQ had no activations open: they were captured from the other half of the text.
        QVERIFY2(outcome->activationsNote.contains("calibration"), qPrintable(outcome->activationsNote));

        QTableWidget* table = view->table();
        QCOMPARE(table->rowCount(), 4); // float, rtn, awq, kmeans
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("float"));
        const Recipe base = w.workspace()->plan().defaultRecipe;
        for (int i = 0; i < 2; ++i) {
            const CompareSummary& m = r.methods[size_t(i)];
            QVERIFY2(std::abs(m.averageBitsPerWeight - 4.0) <= 0.05, qPrintable(QString::number(m.averageBitsPerWeight)));
            QVERIFY(m.perplexity && m.perplexity->perplexity > r.floatPerplexity->perplexity);
            const int row = i + 1;
            QCOMPARE(table->item(row, gui::ComparisonView::MethodColumn)->text(), QString::fromStdString(m.method));
            QCOMPARE(table->item(row, gui::ComparisonView::BitsColumn)->text(), QString::number(m.averageBitsPerWeight, 'f', 3));
            QCOMPARE(table->item(row, gui::ComparisonView::PerplexityColumn)->text(),
                     QString::number(m.perplexity->perplexity, 'f', 3));
            // What the view says was set is what the budget solver sets for that method.
            Recipe recipe = base;
            recipe.method = m.method;
            const BudgetFit fit = fitToBudget(w.workspace()->model(), recipe, BudgetTarget{4.0, 0.05});
            QVERIFY(fit.reached);
            QCOMPARE(table->item(row, gui::ComparisonView::SetColumn)->text(), QString::fromStdString(fit.describeSet()));
        }
        QCOMPARE(r.unreached.size(), size_t(1));
        QTableWidgetItem* kmeans = table->item(3, gui::ComparisonView::MethodColumn);
        QVERIFY(kmeans->text().startsWith("kmeans") && kmeans->text().contains("not run"));
        QVERIFY(kmeans->font().italic());
        QVERIFY(!kmeans->toolTip().isEmpty());
        QCOMPARE(table->item(3, gui::ComparisonView::PerplexityColumn)->text(), QStringLiteral("cannot reach the budget"));

        // The plot: one graph per method that ran, over the 35 layers.
        widgets::MethodComparisonPlot* plot = view->plot();
        QCOMPARE(plot->methodCount(), 2);
        QCOMPARE(plot->layerNames().size(), 35);
        QVERIFY(plot->showsOutputError());
        for (int m = 0; m < 2; ++m) {
            int l = 0;
            for (const CompareLayer* layer : r.layersOf(r.methods[size_t(m)].method)) {
                if (layer->role == LayerRole::Embedding) // kept in full precision: not drawn
                    continue;
                QCOMPARE(plot->layerNames()[l], QString::fromStdString(layer->name));
                QCOMPARE(plot->error(m, l++), *layer->relativeOutputError);
            }
            QCOMPARE(l, 35);
        }
        QVERIFY(!w.renderToImage().isNull());
    }

    // The views rendered with their results in the window, for a person to look at.
    void screenshotsOfTheViews()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        MainWindow w;
        QVERIFY(openStories(w));
        w.showSensitivityView();
        w.sensitivityView()->setSettings(smallSensitivity());
        QVERIFY(w.runSensitivity(smallSensitivity())); // the cache file of the test above
        QVERIFY(w.waitUntilIdle(120000));
        QVERIFY(w.sensitivityView()->outcome());
        const QImage image = w.renderToImage();
        QVERIFY(image.save(QStringLiteral(SALIENCE_BINARY_DIR "/screenshot-test-sensitivity.png")));
        const QRect heatmap(w.sensitivityView()->heatmap()->mapTo(&w, QPoint(0, 0)), w.sensitivityView()->heatmap()->size());
        QVERIFY(heatmap.width() > 300 && heatmap.height() > 200);
        QVERIFY(QRect(QPoint(0, 0), w.size()).contains(heatmap));
    }
};

QTEST_MAIN(TestAnalysisViews)
#include "test_analysisviews.moc"
