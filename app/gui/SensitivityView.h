#pragma once
// Analyze ▸ Sensitivity: the end-to-end sensitivity of each layer (run/Sensitivity.h) on a
// calibration text as a heatmap of layers × candidates, the allocation of a bits-per-weight
// budget drawn on it (run/SensitivityAllocation.h), its predicted cost and what the end-to-end
// check measured for it and for the uniform plan of the same budget, and the plan it gives as a
// diff from the current plan, with "Apply as plan". The view only shows: the main window runs
// the job (MainWindowAnalyze.cpp) and applies the plan as one undoable step.
#include "PlanDiff.h"

#include "plan/QuantPlan.h"
#include "quant/Recipe.h"
#include "run/Sensitivity.h"
#include "run/SensitivityAllocation.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTreeWidget;

namespace salience::widgets {
class SensitivityHeatmap;
enum class PlotTheme;
} // namespace salience::widgets

namespace salience::gui {

class TextFileField;

struct SensitivitySettings {
    QString textPath;
    QString part = QStringLiteral("calibration"); // eval/TextHalves.h: calibration, held-out, whole
    qint64 tokens = 2048;                          // of that part (0: all)
    qint64 window = 256;                           // tokens per window, BOS included
    QString candidates;                            // empty: the defaults for the base method
    QString measure = QStringLiteral("kl");        // kl or nll
    double targetBits = 4.0;                       // average bits per weight to allocate
};

// What a sensitivity job found: the table, the allocation of the target and its check.
struct SensitivityOutcome {
    SensitivityTable table;
    SensitivityAllocation allocation;
    AllocationCheck check;
    QuantPlan plan;        // what "Apply as plan" sets: the allocation, or the uniform plan that measured better
    bool reused = false;   // the table was reopened from its cache file, not measured
    QString cacheFile;
};

class SensitivityView : public QWidget {
    Q_OBJECT
public:
    explicit SensitivityView(QWidget* parent = nullptr);

    // Starts from the remembered settings.
    SensitivitySettings settings() const;
    void setSettings(const SensitivitySettings& settings);
    // Keeps the settings for the next session.
    void remember() const;

    // The recipe the candidates change (the plan's default).
    void setBaseRecipe(const Recipe& recipe);
    void showOutcome(std::shared_ptr<const SensitivityOutcome> outcome);
    const SensitivityOutcome* outcome() const { return m_outcome.get(); }
    // The layers the outcome's plan would change in the current plan.
    void setDiff(const std::vector<PlanChange>& changes);
    const std::vector<PlanChange>& diff() const { return m_diff; }
    // While any job runs, Run and Apply wait.
    void setBusy(bool busy);
    // Drops the outcome (another model was opened).
    void clear();
    void setTheme(widgets::PlotTheme theme);

    // "The allocation beats uniform 3g32 on the calibration tokens" and the like.
    QString verdictText() const;
    TextFileField* textField() const { return m_text; }
    QComboBox* partBox() const { return m_part; }
    QSpinBox* tokensBox() const { return m_tokens; }
    QSpinBox* windowBox() const { return m_window; }
    QLineEdit* candidatesEdit() const { return m_candidates; }
    QComboBox* measureBox() const { return m_measure; }
    QDoubleSpinBox* targetBox() const { return m_target; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* applyButton() const { return m_apply; }
    QTableWidget* checkTable() const { return m_check; }
    QTreeWidget* diffList() const { return m_diffList; }
    widgets::SensitivityHeatmap* heatmap() const { return m_heatmap; }

signals:
    void runRequested(const SensitivitySettings& settings);
    void applyRequested();

private:
    void showCheck();
    void fitCheckTable();
    void updateButtons();

    TextFileField* m_text;
    QComboBox* m_part;
    QSpinBox* m_tokens;
    QSpinBox* m_window;
    QLineEdit* m_candidates;
    QComboBox* m_measure;
    QDoubleSpinBox* m_target;
    QLabel* m_base;
    QPushButton* m_run;
    QLabel* m_status;
    widgets::SensitivityHeatmap* m_heatmap;
    QLabel* m_verdict;
    QTableWidget* m_check;
    QLabel* m_diffHeader;
    QTreeWidget* m_diffList;
    QPushButton* m_apply;

    std::shared_ptr<const SensitivityOutcome> m_outcome;
    std::vector<PlanChange> m_diff;
    bool m_busy = false;
};

} // namespace salience::gui
