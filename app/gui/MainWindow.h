#pragma once
// Salience's main window: the layer tree (left), the tabs of the selected layer (centre), the
// recipe editor (right) and the model overview (bottom), with menus and toolbar actions,
// background jobs with progress and Cancel in the status bar, undoable plan edits, and
// recent files and window state kept in QSettings.
#include "CaptureDialog.h"
#include "ComparisonView.h"
#include "JobController.h"
#include "LatestOnlyRunner.h"
#include "SensitivityView.h"
#include "Workspace.h"

#include "analysis/LayerAnalysis.h"
#include "export/ExportRun.h"
#include "run/LayerPreview.h"
#include "run/Perplexity.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace salience::widgets {
class LayerTree;
class OverviewPanel;
class RecipeEditor;
enum class PlotTheme;
} // namespace salience::widgets

namespace salience::gui {

class ActivationsTab;
class QuantizationTab;
class SpectrumTab;
class WeightsTab;

// The last Run ▸ Evaluate Perplexity: the float and the quantized model on one text.
struct Evaluation {
    PerplexityResult base;
    PerplexityResult quantized;
    QString textName;
    bool stale = false; // the plan, activations or model changed since
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class Tab { Weights, Activations, Spectrum, Quantization };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Each returns false and shows the reason when opening fails; the previous model stays.
    bool openModel(const QString& path, const QString& activationsPath = {});
    bool openActivations(const QString& path);
    // A run record (.h5): its model (unless open), its plan, and its results: metrics for every
    // layer, the quantized weights too where the record holds them (written with codes).
    bool openRunRecord(const QString& path);
    void openDemo();
    bool loadPlan(const QString& path);
    // Plan ▸ Apply llama-quantize Mix: the plan becomes the mix's (export/LlamaQuantizePlan.h),
    // each layer onto the type llama-quantize gives it, by the current layer's method (the plan's
    // default method when that is none); one undoable step. False, with the reason shown, when
    // the method cannot quantize onto llama.cpp's block formats.
    bool applyLlamaQuantizeMix(const QString& preset);
    // The presets Plan ▸ Apply llama-quantize Mix lists: the quantized ones, Q4_K_M first.
    static QStringList mixPresets();
    bool savePlan(const QString& path);
    // Opens the most recent model of the last session, or the demo when there is none.
    void openStartupModel();

    void selectLayer(const QString& layer);
    void showTab(Tab tab);
    void quantizeAll();
    void quantizeSelected();
    void cancelJob();
    bool exportFakeQuantized(const QString& path);
    // What the File ▸ Export actions start after their dialogs (which asked about replacing):
    // each runs the plan first unless the workspace holds a complete run, and replaces files.
    // An empty ggmlType writes each layer in the type its recipe asks for; a preset (Q4_K_M, ...)
    // gives every tensor the plan does not quantize llama-quantize's type (export/ExportRun.h).
    bool exportGguf(const QString& path, const QString& ggmlType, const QString& preset = QString());
    bool exportGptq(const QString& directory);
    bool exportLlama2c(const QString& path);
    bool exportRunRecord(const QString& path, bool includeCodes);
    // Run ▸ Capture Activations after its dialog: the captured activations replace the open ones.
    bool captureActivations(const CaptureSettings& settings);
    // Run ▸ Evaluate Perplexity after its file dialog: float and quantized model on the text; the
    // run's results become the workspace's.
    bool evaluatePerplexity(const QString& textPath, qint64 tokens = 2048, qint64 window = 256);
    const Evaluation* evaluation() const { return m_evaluation ? &*m_evaluation : nullptr; }
    // Analyze ▸ Sensitivity and Analyze ▸ Compare Methods at Equal Budget: each shows its view, a
    // dock beside the model overview, raised and given room.
    void showSensitivityView();
    void showComparisonView();
    // What the views' Run buttons start (MainWindowAnalyze.cpp): the end-to-end sensitivity of
    // each layer to each candidate on the text (reopened from its cache file when it was measured
    // before on the same inputs), the allocation of the target and its check; and the methods
    // compared at one budget. False when no model is open or another job runs.
    bool runSensitivity(const SensitivitySettings& settings);
    bool runComparison(const ComparisonSettings& settings);
    // The sensitivity view's "Apply as plan": the plan becomes its allocation, as one undoable
    // step. False when there is nothing to apply.
    bool applySensitivityPlan();
    SensitivityView* sensitivityView() const { return m_sensitivityView; }
    ComparisonView* comparisonView() const { return m_comparisonView; }
    // The last export's per-layer summary, as the status bar showed it.
    QString lastExportSummary() const { return m_lastExportSummary; }

    // The window as a picture, every plot redrawn at its final size first.
    QImage renderToImage();

    // Waits (processing events) until background work is done; false on timeout.
    bool waitUntilIdle(int timeoutMs = 30000);

    Workspace* workspace() const { return m_workspace; }
    JobController* jobs() const { return m_jobs; }
    widgets::LayerTree* layerTree() const { return m_tree; }
    widgets::RecipeEditor* recipeEditor() const { return m_editor; }
    widgets::OverviewPanel* overview() const { return m_overview; }
    ActivationsTab* activationsTab() const { return m_activationsTab; }
    QuantizationTab* quantizationTab() const { return m_quantizationTab; }
    SpectrumTab* spectrumTab() const { return m_spectrumTab; }
    QTabWidget* tabs() const { return m_tabs; }
    QString lastError() const { return m_lastError; }
    QString currentLayer() const { return m_currentLayer; }
    const QuantPreview* currentPreview() const { return m_preview ? &*m_preview : nullptr; }
    QAction* action(const QString& objectName) const;
    // The first-run size on a screen whose available area is `available`: 1440 × 900, or the
    // whole available area where that is smaller (a 1366 × 768 laptop, a 1280 × 720 projector).
    static QSize defaultWindowSize(const QSize& available);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void createStatusBar();
    void createAnalysisDocks();
    void showAnalysisDock(QDockWidget* dock);
    void updateSensitivityDiff();
    void connectWorkspace();

    void onModelChanged();
    void onPlanChanged(const QStringList& layers);
    void onResultsChanged();
    void onSelectionChanged(const QStringList& layers);
    void onRecipeEdited(const Recipe& recipe);
    void requestInspection();
    // For a large layer first inspected with its largest singular values only.
    void requestFullSpectrum(std::shared_ptr<const LayerInspection> inspection);
    void requestPreview();
    void updateEditor();
    void updateTitle();
    void updateActions();
    void applyToLayers(const QStringList& layers, const QString& description);
    QStringList layersOfCurrentBlock() const;
    QStringList layersOfCurrentRole() const;

    void addRecentModel(const QString& path);
    void rebuildRecentMenu();
    void setPlotTheme(widgets::PlotTheme theme);
    void showError(const QString& title, const QString& message);
    bool maybeSavePlan();
    void resetLayout();

    // False (and a note in the status bar) when the workspace changed since `generation`.
    bool applies(uint64_t generation);
    QString saveFileDialog(const QString& title, const QString& settingsKey, const QString& filter,
                           const QString& suffix);
    void openModelDialog();
    void openActivationsDialog();
    void openRunRecordDialog();
    void loadPlanDialog();
    bool savePlanAs();
    void exportFakeQuantizedDialog();
    void exportGgufDialog();
    void exportGptqDialog();
    void exportLlama2cDialog();
    void exportRunRecordDialog();
    void captureDialog();
    void evaluateDialog();
    // Runs `write` on the workspace's complete run, or on a fresh run of the plan when there is
    // none (whose results then become the workspace's); `write` returns the summary to show.
    bool startExport(const QString& title, const ExportRequest& request);
    // Starts `request` (its out and format set; overwrite is set here) under the format's title.
    bool exportAs(ExportRequest request);
    // The status-bar line for an export report (export/ExportRun.h).
    static QString exportSummary(const nlohmann::json& report);
    // The workspace's results as one run, when every layer has its result for the current plan.
    std::shared_ptr<const RunResult> completeRun() const;
    void markPerplexityStale(const QString& reason);
    void showGlossary();
    void showAbout();

    Workspace* m_workspace;
    JobController* m_jobs;
    LatestOnlyRunner* m_inspectRunner;
    LatestOnlyRunner* m_spectrumRunner;
    LatestOnlyRunner* m_previewRunner;

    widgets::LayerTree* m_tree = nullptr;
    widgets::RecipeEditor* m_editor = nullptr;
    widgets::OverviewPanel* m_overview = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_layerHeader = nullptr;
    WeightsTab* m_weightsTab = nullptr;
    ActivationsTab* m_activationsTab = nullptr;
    SpectrumTab* m_spectrumTab = nullptr;
    QuantizationTab* m_quantizationTab = nullptr;
    QDockWidget* m_treeDock = nullptr;
    QDockWidget* m_editorDock = nullptr;
    QDockWidget* m_overviewDock = nullptr;
    SensitivityView* m_sensitivityView = nullptr;
    QDockWidget* m_sensitivityDock = nullptr;
    ComparisonView* m_comparisonView = nullptr;
    QDockWidget* m_comparisonDock = nullptr;

    QLabel* m_jobLabel = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QMenu* m_recentMenu = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QByteArray m_defaultState;

    QString m_currentLayer;
    QStringList m_selection;
    OutlierThresholds m_thresholds;
    std::optional<QuantPreview> m_preview;
    QString m_lastError;
    QString m_lastExportSummary;
    QString m_jobOutcome; // what a finished job's delivery wants the status bar to say instead of "done"
    std::optional<Evaluation> m_evaluation;
};

} // namespace salience::gui
