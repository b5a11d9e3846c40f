#include "MainWindow.h"

#include "ActivationsTab.h"
#include "ExportDialogs.h"
#include "QuantizationTab.h"
#include "SpectrumTab.h"
#include "WeightsTab.h"

#include "LayerTree.h"
#include "MethodGlossary.h"
#include "OverviewPanel.h"
#include "PlotTheme.h"
#include "RecipeEditor.h"

#include "acts/LayerActivations.h"
#include "acts/OpenActivations.h"
#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "demo/DemoModel.h"
#include "export/RunRecord.h"
#include "run/Capture.h"
#include "run/LayerPreview.h"
#include "run/QuantizedForward.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDeadlineTimer>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QThread>
#include <QToolBar>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <cmath>

namespace salience::gui {

namespace {
constexpr int kMaxRecent = 8;
constexpr int kPreviewDebounceMs = 120;

QString layerDisplayName(const Model& model, const QString& path)
{
    Q_UNUSED(model);
    return QFileInfo(path).fileName().isEmpty() ? path : QFileInfo(path).fileName();
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName("MainWindow");
    setWindowIcon(QIcon(":/salience/icons/salience.svg"));
    m_workspace = new Workspace(this);
    m_jobs = new JobController(this);
    m_inspectRunner = new LatestOnlyRunner(0, this);
    m_previewRunner = new LatestOnlyRunner(kPreviewDebounceMs, this);

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
        resize(1440, 900);
    rebuildRecentMenu();
    updateTitle();
    updateActions();
}

MainWindow::~MainWindow() = default;

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

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_treeDock->toggleViewAction());
    view->addAction(m_editorDock->toggleViewAction());
    view->addAction(m_overviewDock->toggleViewAction());
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
    connect(m_jobs, &JobController::busyChanged, this, [this] { updateActions(); });
    connect(m_inspectRunner, &LatestOnlyRunner::failed, this,
            [this](const QString& e) { showError(tr("Cannot analyze the layer"), e); });
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

// ---- Opening ---------------------------------------------------------------------------------

bool MainWindow::openModel(const QString& path, const QString& activationsPath)
{
    if (!maybeSavePlan())
        return false;
    try {
        Model model = Model::open(path.toStdString());
        std::shared_ptr<const ActivationStore> acts;
        if (!activationsPath.isEmpty())
            acts = std::make_shared<ActivationStore>(salience::openActivations(activationsPath.toStdString()));
        m_workspace->setModel(std::move(model), acts, layerDisplayName(model, path),
                              activationsPath.isEmpty() ? QString() : QFileInfo(activationsPath).fileName());
        addRecentModel(QFileInfo(path).absoluteFilePath());
        QSettings().setValue("session/lastModel", QFileInfo(path).absoluteFilePath());
        statusBar()->showMessage(tr("Opened %1").arg(path), 5000);
        return true;
    } catch (const std::exception& e) {
        showError(tr("Cannot open the model"), QString::fromStdString(e.what()));
        return false;
    }
}

bool MainWindow::openActivations(const QString& path)
{
    if (!m_workspace->hasModel())
        return false;
    try {
        auto acts = std::make_shared<ActivationStore>(salience::openActivations(path.toStdString()));
        int matched = 0;
        for (const auto& l : m_workspace->model().layers())
            if (activationNameFor(*acts, l))
                ++matched;
        m_workspace->setActivations(acts, QFileInfo(path).fileName());
        statusBar()->showMessage(tr("Opened activations %1 (%2 layers matched)").arg(path).arg(matched), 8000);
        updateTitle();
        return true;
    } catch (const std::exception& e) {
        showError(tr("Cannot open the activations"), QString::fromStdString(e.what()));
        return false;
    }
}

bool MainWindow::openRunRecord(const QString& path)
{
    try {
        const RunRecord record = readRunRecord(path.toStdString());
        const RunResult run = runResultOf(record, path.toStdString());
        const auto fits = [&] {
            if (!m_workspace->hasModel())
                return false;
            for (const RunRecordLayer& l : record.layers)
                if (!m_workspace->model().findLayer(l.name))
                    return false;
            return true;
        };
        // The record's own model, unless the open one is it (or has every recorded layer).
        const QString recorded = QString::fromStdString(record.model);
        const bool same = m_workspace->hasModel() && m_workspace->model().path() == record.model;
        if (!same) {
            QString modelPath = recorded;
            if (!recorded.startsWith(QStringLiteral("demo:")) && QFileInfo(recorded).isRelative())
                modelPath = QFileInfo(path).dir().filePath(recorded);
            if (recorded.startsWith(QStringLiteral("demo:")))
                openDemo();
            else if (QFileInfo::exists(modelPath))
                openModel(modelPath);
            else if (!fits()) {
                showError(tr("Cannot open the run record"),
                          tr("%1 was recorded on the model %2, which is not found. Open that model first, then the "
                             "record.").arg(path, recorded));
                return false;
            }
        }
        if (!fits()) {
            showError(tr("Cannot open the run record"),
                      tr("%1 names layers the open model does not have: it was recorded on %2.").arg(path, recorded));
            return false;
        }
        if (!record.plan.is_null())
            m_workspace->setPlan(QuantPlan::fromJson(record.plan, path.toStdString()), QString());
        m_workspace->setResults(run);
        int whole = 0;
        for (const LayerResult& r : run.layers)
            whole += r.quantized ? 1 : 0;
        statusBar()->showMessage(tr("Opened the run record %1: %2 layers, %3 with their quantized weights")
                                     .arg(path)
                                     .arg(run.layers.size())
                                     .arg(whole),
                                 8000);
        updateTitle();
        return true;
    } catch (const std::exception& e) {
        showError(tr("Cannot open the run record"), QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::openDemo()
{
    if (!maybeSavePlan())
        return;
    DemoModel demo = makeDemoModel();
    auto acts = std::make_shared<ActivationStore>(std::move(demo.activations));
    m_workspace->setModel(std::move(demo.model), acts, tr("demo model"), tr("planted activations"));
    QSettings().setValue("session/lastModel", QString());
}

void MainWindow::openStartupModel()
{
    const QString last = QSettings().value("session/lastModel").toString();
    if (!last.isEmpty() && QFileInfo::exists(last) && openModel(last))
        return;
    openDemo();
}

void MainWindow::onModelChanged()
{
    const Model& model = m_workspace->model();
    m_preview.reset();
    m_currentLayer.clear();
    m_selection.clear();
    m_tree->setModel(model);
    m_weightsTab->clear();
    m_activationsTab->clear();
    m_spectrumTab->clear();
    m_quantizationTab->clear();
    m_editor->setActivationsAvailable(m_workspace->activations() != nullptr);
    onPlanChanged({});
    // Start on a layer worth looking at: block 1's q projection sees the massive activations
    // that block 0 writes into the residual stream.
    QString first;
    for (const auto& l : model.layers())
        if (l.isQuantizable() && first.isEmpty())
            first = QString::fromStdString(l.name);
    if (model.findLayer("model.layers.1.self_attn.q_proj"))
        first = "model.layers.1.self_attn.q_proj";
    if (!first.isEmpty())
        selectLayer(first);
    updateTitle();
    updateActions();
}

// ---- Selection, inspection and preview -------------------------------------------------------

void MainWindow::selectLayer(const QString& layer)
{
    m_tree->selectLayers({layer});
    if (m_selection != QStringList{layer})
        onSelectionChanged({layer});
}

void MainWindow::onSelectionChanged(const QStringList& layers)
{
    m_selection = layers;
    const QString current = m_tree->currentLayer().isEmpty() || !layers.contains(m_tree->currentLayer())
                                ? (layers.isEmpty() ? QString() : layers.front())
                                : m_tree->currentLayer();
    const bool changed = current != m_currentLayer;
    m_currentLayer = current;
    if (const LinearLayer* l = m_workspace->model().findLayer(current.toStdString()))
        m_layerHeader->setText(tr("<b>%1</b> &nbsp; %2 × %3 · block %4 · %5%6")
                                   .arg(current.toHtmlEscaped())
                                   .arg(l->outFeatures)
                                   .arg(l->inFeatures)
                                   .arg(l->block)
                                   .arg(QString::fromStdString(std::string(roleName(l->role))))
                                   .arg(layers.size() > 1 ? tr(" · %n layers selected", nullptr, int(layers.size()))
                                                          : QString()));
    else
        m_layerHeader->clear();
    updateEditor();
    updateActions();
    if (changed) {
        requestInspection();
        requestPreview();
    }
}

void MainWindow::requestInspection()
{
    if (m_currentLayer.isEmpty() || !m_workspace->hasModel())
        return;
    const Model model = m_workspace->model();
    const auto acts = m_workspace->activations();
    const std::string name = m_currentLayer.toStdString();
    const OutlierThresholds thresholds = m_thresholds;
    m_inspectRunner->request([this, model, acts, name, thresholds](Progress& progress) -> LatestOnlyRunner::Deliver {
        const LinearLayer& layer = model.layer(name);
        auto inspection = std::make_shared<LayerInspection>(inspectLayer(model, layer, acts.get(), thresholds, progress));
        return [this, model, name, inspection] {
            if (m_currentLayer.toStdString() != name)
                return;
            const LinearLayer& l = model.layer(name);
            m_weightsTab->showInspection(l, *inspection);
            m_activationsTab->showInspection(l, *inspection);
            m_spectrumTab->showInspection(l, *inspection);
            // The marker shows the recipe's rank budget, or where 90% of the energy is kept.
            const int rank = m_workspace->recipeFor(m_currentLayer).rank;
            m_spectrumTab->setRank(rank > 0 ? rank : int(inspection->analysis.spectrum.rankForEnergy(0.9)));
        };
    });
}

void MainWindow::requestPreview()
{
    if (m_currentLayer.isEmpty() || !m_workspace->hasModel())
        return;
    const Model model = m_workspace->model();
    const auto acts = m_workspace->activations();
    const std::string name = m_currentLayer.toStdString();
    const Recipe recipe = m_workspace->recipeFor(m_currentLayer);
    m_previewRunner->request([this, model, acts, name, recipe](Progress& progress) -> LatestOnlyRunner::Deliver {
        auto preview = std::make_shared<QuantPreview>(previewLayer(model, model.layer(name), recipe, acts.get(), progress));
        return [this, model, name, preview] {
            if (m_currentLayer.toStdString() != name)
                return;
            m_preview = *preview;
            m_quantizationTab->showPreview(*preview);
        };
    });
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
    while ((m_inspectRunner->isBusy() || m_previewRunner->isBusy() || m_jobs->isBusy()) && !deadline.hasExpired()) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    QApplication::processEvents();
    return !(m_inspectRunner->isBusy() || m_previewRunner->isBusy() || m_jobs->isBusy());
}

// ---- Recipes ---------------------------------------------------------------------------------

void MainWindow::updateEditor()
{
    m_editor->setSelectionCount(int(m_selection.size()));
    m_editor->setEnabledEditing(!m_selection.isEmpty());
    if (m_currentLayer.isEmpty())
        return;
    const Recipe current = m_workspace->recipeFor(m_currentLayer);
    bool mixed = false;
    for (const auto& l : m_selection)
        mixed = mixed || !(m_workspace->recipeFor(l) == current);
    m_editor->setRecipe(current);
    m_editor->setMixed(mixed);
}

void MainWindow::onRecipeEdited(const Recipe& recipe)
{
    if (m_selection.isEmpty())
        return;
    try {
        recipe.validate("recipe");
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromStdString(e.what()), 8000);
        return;
    }
    m_workspace->applyRecipe(m_selection, recipe,
                             m_selection.size() == 1
                                 ? tr("Set %1 to %2").arg(m_selection.front(), QString::fromStdString(recipe.summary()))
                                 : tr("Set %n layers to %1", nullptr, int(m_selection.size()))
                                       .arg(QString::fromStdString(recipe.summary())));
}

void MainWindow::applyToLayers(const QStringList& layers, const QString& description)
{
    m_workspace->applyRecipe(layers, m_editor->recipe(), description);
}

QStringList MainWindow::layersOfCurrentBlock() const
{
    QStringList out;
    const LinearLayer* current = m_workspace->model().findLayer(m_currentLayer.toStdString());
    if (!current)
        return out;
    for (const auto& l : m_workspace->model().layers())
        if (l.block == current->block && l.isQuantizable())
            out << QString::fromStdString(l.name);
    return out;
}

QStringList MainWindow::layersOfCurrentRole() const
{
    QStringList out;
    const LinearLayer* current = m_workspace->model().findLayer(m_currentLayer.toStdString());
    if (!current)
        return out;
    for (const auto& l : m_workspace->model().layers())
        if (l.role == current->role && l.isQuantizable())
            out << QString::fromStdString(l.name);
    return out;
}

void MainWindow::onPlanChanged(const QStringList& layers)
{
    const Model& model = m_workspace->model();
    for (const auto& l : model.layers()) {
        const QString name = QString::fromStdString(l.name);
        if (layers.isEmpty() || layers.contains(name))
            m_tree->setRecipe(name, QString::fromStdString(m_workspace->plan().recipeFor(l).summary()));
    }
    updateEditor();
    if (layers.isEmpty() || layers.contains(m_currentLayer)) {
        requestPreview();
        if (const int rank = m_workspace->recipeFor(m_currentLayer).rank; rank > 0)
            m_spectrumTab->setRank(rank);
    }
    onResultsChanged();
}

void MainWindow::onResultsChanged()
{
    const Model& model = m_workspace->model();
    m_tree->clearResults();
    QVector<widgets::OverviewRow> rows;
    double originalBits = 0, quantizedBits = 0, quantizedWeights = 0, layerBits = 0;
    int quantizedLayers = 0, totalLayers = 0;
    for (const auto& l : model.layers()) {
        const QString name = QString::fromStdString(l.name);
        const Recipe recipe = m_workspace->plan().recipeFor(l);
        widgets::OverviewRow row;
        row.layer = name;
        row.block = l.block;
        row.role = QString::fromStdString(std::string(roleName(l.role)));
        row.method = QString::fromStdString(recipe.method);
        row.bits = recipe.bits;
        const double stored = storedBitsPerElement(l.dtype);
        row.bitsPerWeight = stored;
        if (l.isQuantizable())
            ++totalLayers;
        originalBits += stored * double(l.numel());
        if (const LayerResult* r = m_workspace->result(name); r && r->quantized) {
            row.quantized = true;
            row.bitsPerWeight = r->metrics.bitsPerWeight;
            row.weightError = r->metrics.relativeWeightError;
            row.outputError = r->metrics.relativeOutputError;
            m_tree->setResult(name, r->metrics.bitsPerWeight,
                              r->metrics.relativeOutputError.value_or(r->metrics.relativeWeightError));
            ++quantizedLayers;
            quantizedBits += r->metrics.bitsPerWeight * double(l.numel());
            layerBits += r->metrics.bitsPerWeight * double(l.numel());
            quantizedWeights += double(l.numel());
        } else {
            quantizedBits += stored * double(l.numel());
        }
        rows.push_back(row);
    }
    m_overview->setRows(rows);
    if (m_workspace->hasSummary()) {
        const RunSummary& s = m_workspace->summary();
        m_overview->setTotals(s.originalBits / 8, s.quantizedBits / 8, s.averageBitsPerWeight, int(s.layersQuantized),
                              totalLayers);
    } else {
        m_overview->setTotals(originalBits / 8, quantizedBits / 8, quantizedWeights > 0 ? layerBits / quantizedWeights : 0,
                              quantizedLayers, totalLayers);
    }
}

// ---- Jobs ------------------------------------------------------------------------------------

void MainWindow::quantizeAll()
{
    if (!m_workspace->hasModel() || m_jobs->isBusy())
        return;
    const Model model = m_workspace->model();
    const auto acts = m_workspace->activations();
    const QuantPlan plan = m_workspace->plan();
    const uint64_t generation = m_workspace->generation();
    m_jobs->start(tr("Quantize all layers"), [this, model, acts, plan, generation](Progress& progress) -> JobController::Deliver {
        auto run = std::make_shared<RunResult>(runPlan(model, plan, acts.get(), {}, progress));
        return [this, run, generation] {
            if (applies(generation))
                m_workspace->setResults(*run);
        };
    });
}

void MainWindow::quantizeSelected()
{
    if (!m_workspace->hasModel() || m_jobs->isBusy() || m_selection.isEmpty())
        return;
    const Model model = m_workspace->model();
    const auto acts = m_workspace->activations();
    const QuantPlan plan = m_workspace->plan();
    RunOptions options;
    for (const auto& l : m_selection)
        options.onlyLayers.push_back(l.toStdString());
    const uint64_t generation = m_workspace->generation();
    m_jobs->start(tr("Quantize selected layers"), [this, model, acts, plan, options, generation](Progress& progress) -> JobController::Deliver {
        auto run = std::make_shared<RunResult>(runPlan(model, plan, acts.get(), options, progress));
        return [this, run, generation] {
            if (!applies(generation))
                return;
            for (const auto& r : run->layers)
                m_workspace->setResult(r);
        };
    });
}

void MainWindow::cancelJob() { m_jobs->cancel(); }

bool MainWindow::applies(uint64_t generation)
{
    if (m_workspace->generation() == generation)
        return true;
    statusBar()->showMessage(tr("The model or plan changed while the job ran: its results were not applied"), 10000);
    return false;
}

std::shared_ptr<const RunResult> MainWindow::completeRun() const
{
    if (!m_workspace->hasSummary())
        return nullptr;
    auto run = std::make_shared<RunResult>();
    for (const auto& l : m_workspace->model().layers()) {
        const LayerResult* r = m_workspace->result(QString::fromStdString(l.name));
        if (!r)
            return nullptr;
        run->layers.push_back(*r);
    }
    run->summary = m_workspace->summary();
    return run;
}

bool MainWindow::startExport(const QString& title, const ExportRequest& request)
{
    if (!m_workspace->hasModel() || m_jobs->isBusy())
        return false;
    const Model model = m_workspace->model();
    const auto acts = m_workspace->activations();
    const QuantPlan plan = m_workspace->plan();
    const std::shared_ptr<const RunResult> existing = completeRun();
    const uint64_t generation = m_workspace->generation();
    return m_jobs->start(title, [this, model, acts, plan, existing, generation,
                                 request](Progress& progress) -> JobController::Deliver {
        std::shared_ptr<const RunResult> run = existing;
        const double runShare = existing ? 0.0 : 0.7;
        if (!run) {
            Progress runProgress = progress.child(0.0, runShare);
            run = std::make_shared<RunResult>(runPlan(model, plan, acts.get(), {}, runProgress));
        }
        Progress exportProgress = progress.child(runShare, 1.0);
        // The same call as salience-cli's: the same plan gives the same bytes.
        const nlohmann::json report = exportRun(model, *run, plan.toJson(), request, exportProgress);
        const QString summary = exportSummary(report);
        return [this, run, fresh = !existing, summary, generation] {
            if (fresh && m_workspace->generation() == generation)
                m_workspace->setResults(*run);
            m_lastExportSummary = summary;
            m_jobOutcome = summary;
        };
    });
}

bool MainWindow::exportAs(ExportFormat format, const QString& path, const QString& ggmlType, bool includeCodes)
{
    ExportRequest request;
    request.out = path.toStdString();
    request.format = format;
    request.ggufType = ggmlType.toStdString();
    request.recordCodes = includeCodes;
    request.overwrite = true; // the file dialog asked already
    static const QMap<ExportFormat, const char*> titles{
        {ExportFormat::FakeQuant, QT_TR_NOOP("Export fake-quantized safetensors")},
        {ExportFormat::Gguf, QT_TR_NOOP("Export GGUF")},
        {ExportFormat::Gptq, QT_TR_NOOP("Export GPTQ safetensors")},
        {ExportFormat::Llama2c, QT_TR_NOOP("Export llama2.c checkpoint")},
        {ExportFormat::Record, QT_TR_NOOP("Export run record")}};
    return startExport(tr(titles.value(format)), request);
}

bool MainWindow::exportFakeQuantized(const QString& path) { return exportAs(ExportFormat::FakeQuant, path); }
bool MainWindow::exportGguf(const QString& path, const QString& ggmlType)
{
    return exportAs(ExportFormat::Gguf, path, ggmlType);
}
bool MainWindow::exportGptq(const QString& directory) { return exportAs(ExportFormat::Gptq, directory); }
bool MainWindow::exportLlama2c(const QString& path) { return exportAs(ExportFormat::Llama2c, path); }
bool MainWindow::exportRunRecord(const QString& path, bool includeCodes)
{
    return exportAs(ExportFormat::Record, path, QString(), includeCodes);
}

QString MainWindow::exportSummary(const nlohmann::json& report)
{
    const QString out = QString::fromStdString(report.value("output", std::string()));
    QString format = QString::fromStdString(report.value("format", std::string()));
    if (report.contains("bits"))
        format = tr("GPTQ %1-bit, group %2").arg(report["bits"].get<int>()).arg(report["group_size"].get<int>());
    // Quantized layers by how they reached the file; the others were written from the source.
    int lossless = 0, requantized = 0, other = 0, fromSource = 0, withReason = 0;
    for (const auto& layer : report["layers"]) {
        const std::string status = layer.value("status", std::string());
        if (!layer.value("from_result", true) || status == "not-quantized")
            ++fromSource;
        else if (status == "lossless")
            ++lossless;
        else if (status == "requantized")
            ++requantized;
        else
            ++other;
        withReason += layer.contains("reason") ? 1 : 0;
    }
    QString summary = tr("Exported %1 (%2)").arg(out, format);
    if (!report["layers"].empty()) {
        summary += tr(": %1 lossless, %2 requantized").arg(lossless).arg(requantized);
        if (other > 0)
            summary += tr(", %1 clipped or kept as float").arg(other);
        summary += tr(", %1 from the source weights").arg(fromSource);
    }
    if (withReason > 0)
        summary += tr("; %1 with a note in the report (fallback type, not packable)").arg(withReason);
    if (report.contains("note"))
        summary += QStringLiteral(" · ") + QString::fromStdString(report["note"].get<std::string>());
    for (const auto& warning : report["warnings"])
        summary += QStringLiteral(" · ") + QString::fromStdString(warning.get<std::string>());
    return summary;
}

bool MainWindow::captureActivations(const CaptureSettings& settings)
{
    if (!m_workspace->hasModel() || m_jobs->isBusy())
        return false;
    const Model model = m_workspace->model();
    const uint64_t generation = m_workspace->generation();
    const std::string modelName = m_workspace->modelName().toStdString();
    return m_jobs->start(tr("Capture activations"), [this, model, settings, generation,
                                                      modelName](Progress& progress) -> JobController::Deliver {
        const Tokenizer tokenizer = tokenizerFor(model, settings.tokenizerPath.toStdString());
        const std::vector<int32_t> tokens =
            tokenizeText(tokenizer, readTextFile(settings.textPath.toStdString()), settings.tokens);
        progress.throwIfCancelled();
        Progress loading = progress.child(0.0, 0.05);
        const Transformer transformer = Transformer::load(model, loading);
        CaptureOptions options;
        options.window = settings.window;
        options.keepInputs = settings.keepInputs;
        const bool save = !settings.savePath.isEmpty();
        Progress captureProgress = progress.child(0.05, save ? 0.85 : 1.0);
        auto store = std::make_shared<ActivationStore>(
            salience::captureActivations(transformer, tokens, tokenizer.bosId(), options, captureProgress));
        store->attributes().model = modelName;
        store->attributes().source = settings.textPath.toStdString();
        if (save) {
            Progress saveProgress = progress.child(0.85, 1.0);
            store->save(settings.savePath.toStdString(), saveProgress);
        }
        const auto textTokens = qint64(tokens.size());
        return [this, store, settings, generation, textTokens] {
            if (!applies(generation))
                return;
            const QString text = QFileInfo(settings.textPath).fileName();
            m_workspace->setActivations(store, settings.savePath.isEmpty()
                                                   ? tr("captured from %1").arg(text)
                                                   : QFileInfo(settings.savePath).fileName());
            updateTitle();
            m_jobOutcome = tr("Captured %1 tokens of %2: statistics of %3 layers, raw inputs of the first %4 tokens")
                               .arg(textTokens)
                               .arg(text)
                               .arg(store->layerNames().size())
                               .arg(store->nTokens());
        };
    });
}

bool MainWindow::evaluatePerplexity(const QString& textPath, qint64 tokens, qint64 window)
{
    if (!m_workspace->hasModel() || m_jobs->isBusy())
        return false;
    const Model model = m_workspace->model();
    const auto acts = m_workspace->activations();
    const QuantPlan plan = m_workspace->plan();
    const uint64_t generation = m_workspace->generation();
    return m_jobs->start(tr("Evaluate perplexity"), [this, model, acts, plan, textPath, tokens, window,
                                                      generation](Progress& progress) -> JobController::Deliver {
        const Tokenizer tokenizer = tokenizerFor(model, {});
        const std::vector<int32_t> text = tokenizeText(tokenizer, readTextFile(textPath.toStdString()), tokens);
        progress.throwIfCancelled();
        Progress loading = progress.child(0.0, 0.05);
        const Transformer transformer = Transformer::load(model, loading);
        PerplexityOptions options;
        options.window = window;
        Progress baseProgress = progress.child(0.05, 0.35);
        const PerplexityResult base = salience::evaluatePerplexity(transformer, text, tokenizer.bosId(), options, baseProgress);
        Progress runProgress = progress.child(0.35, 0.65);
        auto run = std::make_shared<RunResult>(runPlan(model, plan, acts.get(), {}, runProgress));
        Progress applyProgress = progress.child(0.65, 0.7);
        const Transformer quantized = quantizedTransformer(transformer, *run, applyProgress);
        Progress quantizedProgress = progress.child(0.7, 1.0);
        Evaluation evaluation;
        evaluation.base = base;
        evaluation.quantized = salience::evaluatePerplexity(quantized, text, tokenizer.bosId(), options, quantizedProgress);
        evaluation.textName = QFileInfo(textPath).fileName();
        return [this, run, evaluation, generation] {
            if (!applies(generation))
                return;
            m_workspace->setResults(*run);
            m_evaluation = evaluation;
            widgets::PerplexityComparison shown;
            shown.floatPerplexity = evaluation.base.perplexity;
            shown.quantizedPerplexity = evaluation.quantized.perplexity;
            shown.textName = evaluation.textName;
            shown.tokens = evaluation.base.tokens;
            m_overview->setPerplexity(shown);
            m_jobOutcome = tr("Perplexity on %1: %2 (float) → %3 (quantized)")
                               .arg(evaluation.textName)
                               .arg(evaluation.base.perplexity, 0, 'f', 3)
                               .arg(evaluation.quantized.perplexity, 0, 'f', 3);
        };
    });
}

void MainWindow::markPerplexityStale(const QString& reason)
{
    if (!m_evaluation || m_evaluation->stale)
        return;
    m_evaluation->stale = true;
    m_overview->setPerplexityStale(reason);
}

// ---- Plans -----------------------------------------------------------------------------------

bool MainWindow::loadPlan(const QString& path)
{
    try {
        m_workspace->setPlan(QuantPlan::load(path.toStdString()), path);
        statusBar()->showMessage(tr("Loaded plan %1").arg(path), 5000);
        updateTitle();
        return true;
    } catch (const std::exception& e) {
        showError(tr("Cannot load the plan"), QString::fromStdString(e.what()));
        return false;
    }
}

bool MainWindow::savePlan(const QString& path)
{
    try {
        m_workspace->plan().save(path.toStdString());
        m_workspace->markSaved(path);
        statusBar()->showMessage(tr("Saved plan %1").arg(path), 5000);
        updateTitle();
        return true;
    } catch (const std::exception& e) {
        showError(tr("Cannot save the plan"), QString::fromStdString(e.what()));
        return false;
    }
}

bool MainWindow::maybeSavePlan()
{
    if (!m_workspace->isModified() || QApplication::platformName() == "offscreen")
        return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved plan"),
                                              tr("The plan has unsaved changes. Save them first?"),
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return m_workspace->planPath().isEmpty() ? savePlanAs() : savePlan(m_workspace->planPath());
    return true;
}

// ---- Dialogs ---------------------------------------------------------------------------------

void MainWindow::openModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Model"), QSettings().value("dialogs/modelDir").toString(),
        tr("Models (*.safetensors *.gguf *.bin *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QSettings().setValue("dialogs/modelDir", QFileInfo(path).absolutePath());
    // A config.json picked in a Hugging Face directory opens the directory.
    openModel(QFileInfo(path).fileName() == "config.json" ? QFileInfo(path).absolutePath() : path);
}

void MainWindow::openActivationsDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Activations"),
                                                      QSettings().value("dialogs/actsDir").toString(),
                                                      tr("Activation files (*.h5 *.hdf5);;llama.cpp imatrix (*.dat *.gguf);;All files (*)"));
    if (path.isEmpty())
        return;
    QSettings().setValue("dialogs/actsDir", QFileInfo(path).absolutePath());
    openActivations(path);
}

void MainWindow::openRunRecordDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Run Record"),
                                                      QSettings().value("dialogs/exportDir").toString(),
                                                      tr("Run records (*.h5 *.hdf5);;All files (*)"));
    if (!path.isEmpty())
        openRunRecord(path);
}

void MainWindow::loadPlanDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Plan"), QSettings().value("dialogs/planDir").toString(),
                                                      tr("Plans (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QSettings().setValue("dialogs/planDir", QFileInfo(path).absolutePath());
    loadPlan(path);
}

bool MainWindow::savePlanAs()
{
    const QString path = saveFileDialog(tr("Save Plan"), "dialogs/planDir", tr("Plans (*.json)"), "json");
    return !path.isEmpty() && savePlan(path);
}

QString MainWindow::saveFileDialog(const QString& title, const QString& settingsKey, const QString& filter,
                                   const QString& suffix)
{
    // The dialog adds the suffix itself, so its overwrite question covers the real file name.
    QFileDialog dialog(this, title, QSettings().value(settingsKey).toString(), filter);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(suffix);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    const QString path = dialog.selectedFiles().front();
    QSettings().setValue(settingsKey, QFileInfo(path).absolutePath());
    return path;
}

void MainWindow::exportFakeQuantizedDialog()
{
    const QString path = saveFileDialog(tr("Export Fake-quantized Safetensors"), "dialogs/exportDir",
                                        tr("Safetensors (*.safetensors)"), "safetensors");
    if (!path.isEmpty())
        exportFakeQuantized(path);
}

void MainWindow::exportGgufDialog()
{
    GgufOptionsDialog options(this);
    if (options.exec() != QDialog::Accepted)
        return;
    const QString path = saveFileDialog(tr("Export GGUF"), "dialogs/exportDir", tr("GGUF (*.gguf)"), "gguf");
    if (!path.isEmpty())
        exportGguf(path, options.type());
}

void MainWindow::exportGptqDialog()
{
    const QString path = saveFileDialog(tr("Export GPTQ Safetensors (a directory)"), "dialogs/exportDir",
                                        tr("Directories (*)"), QString());
    if (path.isEmpty())
        return;
    // The file dialog asks about files only: a directory with files in it gets its own question.
    if (QDir(path).exists() && !QDir(path).isEmpty() &&
        QMessageBox::question(this, tr("Export GPTQ Safetensors"),
                              tr("%1 is not empty. Replace the GPTQ files in it?").arg(path)) != QMessageBox::Yes)
        return;
    exportGptq(path);
}

void MainWindow::exportLlama2cDialog()
{
    const QString path = saveFileDialog(tr("Export llama2.c Checkpoint"), "dialogs/exportDir",
                                        tr("llama2.c checkpoints (*.bin)"), "bin");
    if (!path.isEmpty())
        exportLlama2c(path);
}

void MainWindow::exportRunRecordDialog()
{
    RunRecordOptionsDialog options(this);
    if (options.exec() != QDialog::Accepted)
        return;
    const QString path = saveFileDialog(tr("Export Run Record"), "dialogs/exportDir", tr("HDF5 (*.h5)"), "h5");
    if (!path.isEmpty())
        exportRunRecord(path, options.includeCodes());
}

void MainWindow::captureDialog()
{
    CaptureDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        captureActivations(dialog.settings());
}

void MainWindow::evaluateDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Evaluate Perplexity on a Text"),
                                                      QSettings().value("evaluate/text").toString(),
                                                      tr("Text files (*.txt *.raw *.md);;All files (*)"));
    if (path.isEmpty())
        return;
    QSettings().setValue("evaluate/text", path);
    evaluatePerplexity(path);
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

// ---- Window state ----------------------------------------------------------------------------

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
    action("editApplySelection")->setEnabled(selection);
    action("editApplyBlock")->setEnabled(selection);
    action("editApplyRole")->setEnabled(selection);
    action("editResetLayer")->setEnabled(selection);
}

void MainWindow::addRecentModel(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value("recentModels").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue("recentModels", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value("recentModels").toStringList();
    for (const auto& path : recent) {
        QAction* a = m_recentMenu->addAction(QFileInfo(path).fileName() + QStringLiteral("  —  ") + path);
        connect(a, &QAction::triggered, this, [this, path] { openModel(path); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::setPlotTheme(widgets::PlotTheme theme)
{
    m_weightsTab->setTheme(theme);
    m_activationsTab->setTheme(theme);
    m_spectrumTab->setTheme(theme);
    m_quantizationTab->setTheme(theme);
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
