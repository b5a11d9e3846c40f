// The main window: its tabs, docks, actions, menus, status bar and window state. What the
// actions do lives beside it: MainWindowFiles, MainWindowPreview, MainWindowJobs,
// MainWindowExports and MainWindowRuns, one idea each.
#include "MainWindow.h"

#include "ActivationsTab.h"
#include "QuantizationTab.h"
#include "SpectrumTab.h"
#include "WeightsTab.h"

#include "LayerTree.h"
#include "MethodGlossary.h"
#include "OverviewPanel.h"
#include "PlotTheme.h"
#include "RecipeEditor.h"

#include "base/Error.h"
#include "export/RunRecord.h"
#include "run/Capture.h"
#include "run/LayerPreview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStyle>
#include <QTabWidget>
#include <QThread>
#include <QToolBar>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <cmath>
#include <QMenuBar>
#include <QScreen>
#include <QStatusBar>

namespace salience::gui {

namespace {
constexpr int kPreviewDebounceMs = 120;
// A full SVD of a large layer takes a minute and LAPACK cannot be interrupted: it starts only
// once the user has stayed on the layer for a moment.
constexpr int kFullSpectrumDebounceMs = 1500;
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName("MainWindow");
    setWindowIcon(QIcon(":/salience/icons/salience.svg"));
    m_workspace = new Workspace(this);
    m_jobs = new JobController(this);
    m_inspectRunner = new LatestOnlyRunner(0, this);
    m_previewRunner = new LatestOnlyRunner(kPreviewDebounceMs, this);
    m_spectrumRunner = new LatestOnlyRunner(kFullSpectrumDebounceMs, this);

    m_tabs = new QTabWidget(this);
    m_weightsTab = new WeightsTab(m_tabs);
    m_activationsTab = new ActivationsTab(m_tabs);
    m_spectrumTab = new SpectrumTab(m_tabs);
    m_quantizationTab = new QuantizationTab(m_tabs);
    m_tabs->addTab(m_weightsTab, tr("Weights"));
    m_tabs->addTab(m_activationsTab, tr("Activations"));
    m_tabs->addTab(m_spectrumTab, tr("Spectrum"));
    m_tabs->addTab(m_quantizationTab, tr("Quantization"));
    m_layerHeader = new QLabel(this);
    m_layerHeader->setTextFormat(Qt::RichText);
    m_layerHeader->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* centre = new QWidget(this);
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(4, 4, 4, 0);
    centreLayout->addWidget(m_layerHeader);
    centreLayout->addWidget(m_tabs, 1);
    setCentralWidget(centre);

    createDocks();
    createActions();
    createMenus();
    createStatusBar();
    connectWorkspace();
    m_defaultState = saveState();

    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    if (settings.value("view/theme").toString() == "dark")
        action("viewDarkPlots")->trigger();
    if (!settings.contains("window/geometry"))
        resize(defaultWindowSize(screen() ? screen()->availableGeometry().size() : QSize()));
    rebuildRecentMenu();
    updateTitle();
    updateActions();
}

MainWindow::~MainWindow() = default;

QSize MainWindow::defaultWindowSize(const QSize& available)
{
    const QSize preferred(1440, 900);
    if (!available.isValid() || available.isEmpty())
        return preferred;
    return preferred.boundedTo(available);
}

QAction* MainWindow::action(const QString& objectName) const { return findChild<QAction*>(objectName); }

void MainWindow::createDocks()
{
    m_tree = new widgets::LayerTree(this);
    m_treeDock = new QDockWidget(tr("Layers"), this);
    m_treeDock->setObjectName("LayersDock");
    m_treeDock->setWidget(m_tree);
    addDockWidget(Qt::LeftDockWidgetArea, m_treeDock);

    m_editor = new widgets::RecipeEditor(this);
    m_editorDock = new QDockWidget(tr("Recipe"), this);
    m_editorDock->setObjectName("RecipeDock");
    m_editorDock->setWidget(m_editor);
    addDockWidget(Qt::RightDockWidgetArea, m_editorDock);

    m_overview = new widgets::OverviewPanel(this);
    m_overviewDock = new QDockWidget(tr("Model overview"), this);
    m_overviewDock->setObjectName("OverviewDock");
    m_overviewDock->setWidget(m_overview);
    addDockWidget(Qt::BottomDockWidgetArea, m_overviewDock);
    createAnalysisDocks();
    resizeDocks({m_treeDock, m_editorDock}, {520, 300}, Qt::Horizontal);
    resizeDocks({m_overviewDock}, {230}, Qt::Vertical);

    connect(m_tree, &widgets::LayerTree::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_editor, &widgets::RecipeEditor::recipeEdited, this, &MainWindow::onRecipeEdited);
    connect(m_overview, &widgets::OverviewPanel::layerActivated, this, &MainWindow::selectLayer);
    connect(m_spectrumTab, &SpectrumTab::useRankRequested, this, [this](int k) {
        Recipe r = m_editor->recipe();
        r.rank = k;
        m_workspace->applyRecipe(m_selection, r, tr("Set rank budget to %1").arg(k));
    });
    connect(m_activationsTab, &ActivationsTab::thresholdsChanged, this, [this](const OutlierThresholds& t) {
        m_thresholds = t;
        requestInspection();
    });
}

void MainWindow::createActions()
{
    auto make = [this](const char* name, const QString& text, const QKeySequence& shortcut, auto slot) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        if (!shortcut.isEmpty())
            a->setShortcut(shortcut);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    auto icon = [this](QAction* a, QStyle::StandardPixmap p) { a->setIcon(style()->standardIcon(p)); };

    icon(make("fileOpenModel", tr("&Open Model…"), QKeySequence::Open, &MainWindow::openModelDialog),
         QStyle::SP_DialogOpenButton);
    make("fileOpenActivations", tr("Open &Activations…"), QKeySequence(tr("Ctrl+Shift+O")),
         &MainWindow::openActivationsDialog);
    icon(make("fileOpenDemo", tr("Open &Demo Model"), QKeySequence(tr("Ctrl+D")), &MainWindow::openDemo),
         QStyle::SP_ComputerIcon);
    make("fileOpenRunRecord", tr("Open Run &Record…"), QKeySequence(), &MainWindow::openRunRecordDialog);
    make("fileLoadPlan", tr("&Load Plan…"), QKeySequence(tr("Ctrl+L")), &MainWindow::loadPlanDialog);
    icon(make("fileSavePlan", tr("&Save Plan"), QKeySequence::Save,
              [this] {
                  if (m_workspace->planPath().isEmpty())
                      savePlanAs();
                  else
                      savePlan(m_workspace->planPath());
              }),
         QStyle::SP_DialogSaveButton);
    make("fileSavePlanAs", tr("Save Plan &As…"), QKeySequence::SaveAs, [this] { savePlanAs(); });
    make("fileExportFakeQuant", tr("&Fake-quantized safetensors…"), QKeySequence(tr("Ctrl+Shift+E")),
         &MainWindow::exportFakeQuantizedDialog);
    make("fileExportGguf", tr("&GGUF…"), QKeySequence(), &MainWindow::exportGgufDialog);
    make("fileExportGptq", tr("GPTQ &Safetensors…"), QKeySequence(), &MainWindow::exportGptqDialog);
    make("fileExportLlama2c", tr("&llama2.c Checkpoint…"), QKeySequence(), &MainWindow::exportLlama2cDialog);
    make("fileExportRunRecord", tr("&Run Record (HDF5)…"), QKeySequence(), &MainWindow::exportRunRecordDialog);
    make("fileQuit", tr("&Quit"), QKeySequence::Quit, &QWidget::close);

    QAction* undo = m_workspace->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName("editUndo");
    undo->setShortcut(QKeySequence::Undo);
    icon(undo, QStyle::SP_ArrowBack);
    QAction* redo = m_workspace->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName("editRedo");
    redo->setShortcut(QKeySequence::Redo);
    icon(redo, QStyle::SP_ArrowForward);
    make("editApplySelection", tr("Apply Recipe to &Selection"), QKeySequence(tr("Ctrl+Return")),
         [this] { applyToLayers(m_selection, tr("Apply recipe to selection")); });
    make("editApplyBlock", tr("Apply Recipe to &Block"), QKeySequence(tr("Ctrl+B")),
         [this] { applyToLayers(layersOfCurrentBlock(), tr("Apply recipe to block")); });
    make("editApplyRole", tr("Apply Recipe to All Layers of This &Role"), QKeySequence(tr("Ctrl+Shift+R")),
         [this] { applyToLayers(layersOfCurrentRole(), tr("Apply recipe to role")); });
    make("editResetLayer", tr("Reset &Layer"), QKeySequence(tr("Ctrl+Backspace")),
         [this] { m_workspace->resetLayers(m_selection); });

    make("viewResetLayout", tr("&Reset Layout"), QKeySequence(), &MainWindow::resetLayout);
    m_themeGroup = new QActionGroup(this);
    QAction* light = make("viewLightPlots", tr("&Light Plots"), QKeySequence(),
                          [this] { setPlotTheme(widgets::PlotTheme::Light); });
    QAction* dark = make("viewDarkPlots", tr("&Dark Plots"), QKeySequence(),
                         [this] { setPlotTheme(widgets::PlotTheme::Dark); });
    for (QAction* a : {light, dark}) {
        a->setCheckable(true);
        m_themeGroup->addAction(a);
    }
    light->setChecked(true);

    icon(make("runQuantizeSelected", tr("Quantize &Selected"), QKeySequence(tr("Ctrl+R")), &MainWindow::quantizeSelected),
         QStyle::SP_MediaPlay);
    icon(make("runQuantizeAll", tr("Quantize &All"), QKeySequence(tr("Ctrl+Shift+A")), &MainWindow::quantizeAll),
         QStyle::SP_MediaSeekForward);
    icon(make("runCancel", tr("&Cancel"), QKeySequence(Qt::Key_Escape), &MainWindow::cancelJob), QStyle::SP_MediaStop);
    make("runCapture", tr("Capture &Activations…"), QKeySequence(tr("Ctrl+Shift+C")), &MainWindow::captureDialog);
    make("runEvaluate", tr("&Evaluate Perplexity…"), QKeySequence(tr("Ctrl+E")), &MainWindow::evaluateDialog);

    make("analyzeSensitivity", tr("&Sensitivity…"), QKeySequence(tr("Ctrl+Shift+K")), &MainWindow::showSensitivityView);
    make("analyzeCompare", tr("&Compare Methods at Equal Budget…"), QKeySequence(tr("Ctrl+Shift+M")),
         &MainWindow::showComparisonView);

    make("helpGlossary", tr("Method &Glossary"), QKeySequence::HelpContents, &MainWindow::showGlossary);
    make("helpAbout", tr("&About Salience"), QKeySequence(), &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(action("fileOpenModel"));
    file->addAction(action("fileOpenActivations"));
    file->addAction(action("fileOpenDemo"));
    file->addAction(action("fileOpenRunRecord"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(action("fileLoadPlan"));
    file->addAction(action("fileSavePlan"));
    file->addAction(action("fileSavePlanAs"));
    file->addSeparator();
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    exportMenu->addAction(action("fileExportFakeQuant"));
    exportMenu->addAction(action("fileExportGguf"));
    exportMenu->addAction(action("fileExportGptq"));
    exportMenu->addAction(action("fileExportLlama2c"));
    exportMenu->addSeparator();
    exportMenu->addAction(action("fileExportRunRecord"));
    file->addSeparator();
    file->addAction(action("fileQuit"));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(action("editUndo"));
    edit->addAction(action("editRedo"));
    edit->addSeparator();
    edit->addAction(action("editApplySelection"));
    edit->addAction(action("editApplyBlock"));
    edit->addAction(action("editApplyRole"));
    edit->addAction(action("editResetLayer"));

    QMenu* plan = menuBar()->addMenu(tr("&Plan"));
    QMenu* mixes = plan->addMenu(tr("Apply llama-quantize &Mix"));
    mixes->setObjectName("planMixMenu");
    mixes->setToolTipsVisible(true);
    for (const QString& preset : mixPresets()) {
        auto* a = mixes->addAction(preset, this, [this, preset] { applyLlamaQuantizeMix(preset); });
        a->setObjectName(QStringLiteral("planMix_") + preset);
        a->setToolTip(tr("Round each layer onto the type llama-quantize's %1 gives it, with the current method "
                         "(any method with a grid: rtn, GPTQ, AWQ, ...)")
                          .arg(preset));
    }

    QMenu* analyze = menuBar()->addMenu(tr("&Analyze"));
    analyze->addAction(action("analyzeSensitivity"));
    analyze->addAction(action("analyzeCompare"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_treeDock->toggleViewAction());
    view->addAction(m_editorDock->toggleViewAction());
    view->addAction(m_overviewDock->toggleViewAction());
    view->addAction(m_sensitivityDock->toggleViewAction());
    view->addAction(m_comparisonDock->toggleViewAction());
    view->addSeparator();
    view->addAction(action("viewResetLayout"));
    view->addSeparator();
    view->addAction(action("viewLightPlots"));
    view->addAction(action("viewDarkPlots"));

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(action("runQuantizeSelected"));
    run->addAction(action("runQuantizeAll"));
    run->addSeparator();
    run->addAction(action("runCapture"));
    run->addAction(action("runEvaluate"));
    run->addSeparator();
    run->addAction(action("runCancel"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action("helpGlossary"));
    help->addAction(action("helpAbout"));

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName("MainToolBar");
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(action("fileOpenModel"));
    bar->addAction(action("fileOpenDemo"));
    bar->addAction(action("fileSavePlan"));
    bar->addSeparator();
    bar->addAction(action("editUndo"));
    bar->addAction(action("editRedo"));
    bar->addSeparator();
    bar->addAction(action("runQuantizeSelected"));
    bar->addAction(action("runQuantizeAll"));
    bar->addAction(action("runCancel"));
}

void MainWindow::createStatusBar()
{
    m_jobLabel = new QLabel(this);
    m_progressBar = new QProgressBar(this);
    m_progressBar->setRange(0, 1000);
    m_progressBar->setMaximumWidth(240);
    m_progressBar->setTextVisible(true);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName("statusCancel");
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelJob);
    statusBar()->addPermanentWidget(m_jobLabel);
    statusBar()->addPermanentWidget(m_progressBar);
    statusBar()->addPermanentWidget(m_cancelButton);
    m_progressBar->hide();
    m_cancelButton->hide();

    connect(m_jobs, &JobController::started, this, [this](const QString& title) {
        m_jobLabel->setText(title);
        m_progressBar->setValue(0);
        m_progressBar->show();
        m_cancelButton->show();
        m_cancelButton->setEnabled(true);
    });
    connect(m_jobs, &JobController::progressChanged, this, [this](double fraction, const QString& message) {
        m_progressBar->setValue(int(std::lround(fraction * 1000)));
        m_progressBar->setFormat(QStringLiteral("%1%").arg(int(fraction * 100)));
        if (!message.isEmpty())
            m_jobLabel->setText(m_jobs->title() + QStringLiteral(": ") + message);
    });
    auto done = [this](const QString& text) {
        m_progressBar->hide();
        m_cancelButton->hide();
        m_jobLabel->clear();
        statusBar()->showMessage(text, 8000);
        updateActions();
    };
    connect(m_jobs, &JobController::finished, this, [done, this](const QString& title) {
        done(m_jobOutcome.isEmpty() ? tr("%1: done").arg(title) : m_jobOutcome);
        m_jobOutcome.clear();
    });
    connect(m_jobs, &JobController::cancelled, this,
            [done, this](const QString& title) { done(tr("%1: cancelled, nothing was applied").arg(title)); });
    connect(m_jobs, &JobController::failed, this, [done, this](const QString& title, const QString& error) {
        done(tr("%1 failed").arg(title));
        showError(title, error);
    });
    connect(m_jobs, &JobController::busyChanged, this, [this](bool busy) {
        updateActions();
        m_sensitivityView->setBusy(busy);
        m_comparisonView->setBusy(busy);
    });
    connect(m_inspectRunner, &LatestOnlyRunner::failed, this,
            [this](const QString& e) { showError(tr("Cannot analyze the layer"), e); });
    connect(m_spectrumRunner, &LatestOnlyRunner::failed, this,
            [this](const QString& e) { showError(tr("Cannot compute the spectrum"), e); });
    connect(m_previewRunner, &LatestOnlyRunner::failed, this, [this](const QString& e) {
        statusBar()->showMessage(tr("Preview failed: %1").arg(e), 10000);
        m_lastError = e;
    });
}

void MainWindow::connectWorkspace()
{
    connect(m_workspace, &Workspace::modelChanged, this, &MainWindow::onModelChanged);
    connect(m_workspace, &Workspace::planChanged, this, &MainWindow::onPlanChanged);
    connect(m_workspace, &Workspace::resultsChanged, this, &MainWindow::onResultsChanged);
    connect(m_workspace, &Workspace::activationsChanged, this, [this] {
        m_editor->setActivationsAvailable(m_workspace->activations() != nullptr);
        requestInspection();
        requestPreview();
        markPerplexityStale(tr("activations changed — evaluate again"));
    });
    // The first change decides the note: a new model also brings new activations and a new plan.
    connect(m_workspace, &Workspace::modelChanged, this, [this] { markPerplexityStale(tr("model changed — evaluate again")); });
    connect(m_workspace, &Workspace::planChanged, this, [this] { markPerplexityStale(tr("plan changed — evaluate again")); });
    connect(m_workspace, &Workspace::modifiedChanged, this, [this] { updateTitle(); });
}

QImage MainWindow::renderToImage()
{
    QApplication::processEvents();
    for (QCustomPlot* plot : findChildren<QCustomPlot*>()) {
        plot->setViewport(plot->rect()); // offscreen, a plot laid out while hidden keeps its first size
        plot->replot(QCustomPlot::rpImmediateRefresh);
    }
    return grab().toImage();
}

bool MainWindow::waitUntilIdle(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    const auto busy = [this] {
        return m_inspectRunner->isBusy() || m_spectrumRunner->isBusy() || m_previewRunner->isBusy() || m_jobs->isBusy();
    };
    while (busy() && !deadline.hasExpired()) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    QApplication::processEvents();
    return !busy();
}

void MainWindow::showGlossary()
{
    auto* glossary = new widgets::MethodGlossary(this);
    glossary->setAttribute(Qt::WA_DeleteOnClose);
    glossary->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Salience"),
                       tr("<h3>Salience %1</h3><p>A workbench for looking inside a language model and quantizing it: "
                          "massive activations, outlier channels and singular spectra, layer by layer, with a "
                          "recipe per layer and a live preview.</p>")
                           .arg(QStringLiteral(SALIENCE_VERSION)));
}

void MainWindow::showError(const QString& title, const QString& message)
{
    m_lastError = message;
    statusBar()->showMessage(title + QStringLiteral(": ") + message, 15000);
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName("errorBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal and non-blocking: background jobs keep running
}

void MainWindow::updateTitle()
{
    const QString model = m_workspace->hasModel() ? m_workspace->modelName() : tr("no model");
    QString title = QStringLiteral("%1[*]").arg(model);
    if (!m_workspace->activationsName().isEmpty())
        title += QStringLiteral(" + ") + m_workspace->activationsName();
    if (!m_workspace->planPath().isEmpty())
        title += QStringLiteral(" · ") + QFileInfo(m_workspace->planPath()).fileName();
    setWindowTitle(title + QStringLiteral(" — Salience"));
    setWindowModified(m_workspace->isModified());
}

void MainWindow::updateActions()
{
    const bool busy = m_jobs->isBusy();
    const bool model = m_workspace->hasModel();
    const bool selection = !m_selection.isEmpty();
    action("runQuantizeAll")->setEnabled(model && !busy);
    action("runQuantizeSelected")->setEnabled(model && selection && !busy);
    action("runCancel")->setEnabled(busy);
    for (const char* name : {"fileExportFakeQuant", "fileExportGguf", "fileExportGptq", "fileExportLlama2c",
                             "fileExportRunRecord", "runCapture", "runEvaluate"})
        action(name)->setEnabled(model && !busy);
    action("analyzeSensitivity")->setEnabled(model);
    action("analyzeCompare")->setEnabled(model);
    action("editApplySelection")->setEnabled(selection);
    action("editApplyBlock")->setEnabled(selection);
    action("editApplyRole")->setEnabled(selection);
    action("editResetLayer")->setEnabled(selection);
    for (const QString& preset : mixPresets())
        action(QStringLiteral("planMix_") + preset)->setEnabled(model);
}

void MainWindow::setPlotTheme(widgets::PlotTheme theme)
{
    m_weightsTab->setTheme(theme);
    m_activationsTab->setTheme(theme);
    m_spectrumTab->setTheme(theme);
    m_quantizationTab->setTheme(theme);
    m_sensitivityView->setTheme(theme);
    m_comparisonView->setTheme(theme);
    QSettings().setValue("view/theme", theme == widgets::PlotTheme::Dark ? "dark" : "light");
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultState);
    for (QDockWidget* d : {m_treeDock, m_editorDock, m_overviewDock})
        d->show();
}

void MainWindow::showTab(Tab tab) { m_tabs->setCurrentIndex(int(tab)); }

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSavePlan()) {
        event->ignore();
        return;
    }
    m_jobs->cancel();
    m_jobs->waitForFinished();
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    event->accept();
}

} // namespace salience::gui
