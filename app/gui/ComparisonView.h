#pragma once
// Analyze ▸ Compare Methods at Equal Budget: several methods over every layer of the model
// (run/Compare.h), each with its budget parameter set so that all store the same bits per weight
// (run/EqualBudget.h): a table of what was set, what each stores, its bits per weight, mean error
// and perplexity, the methods that cannot reach the budget marked, and each method's error per
// layer overlaid (widgets/MethodComparisonPlot). The main window runs the job.
#include "run/Compare.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace salience::widgets {
class MethodComparisonPlot;
enum class PlotTheme;
} // namespace salience::widgets

namespace salience::gui {

class TextFileField;

struct ComparisonSettings {
    QStringList methods{QStringLiteral("rtn"), QStringLiteral("awq"), QStringLiteral("gptq")};
    bool equalBudget = true; // each method's budget parameter set to reach targetBits
    double targetBits = 4.0;
    double tolerance = 0.05;
    QString textPath;                           // perplexity on it when set
    QString part = QStringLiteral("held-out");  // eval/TextHalves.h: held-out, calibration, whole
    qint64 tokens = 4096;                       // of that part (0: all)
    qint64 window = 256;
};

// What a comparison job found, and how the activation-aware methods got their activations.
struct ComparisonOutcome {
    CompareResult result;
    QString activationsNote; // "the open activations", "captured from ... (calibration half)", or empty
};

class ComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonView(QWidget* parent = nullptr);

    // Starts from the remembered settings.
    ComparisonSettings settings() const;
    void setSettings(const ComparisonSettings& settings);
    void remember() const;

    void showOutcome(std::shared_ptr<const ComparisonOutcome> outcome);
    const ComparisonOutcome* outcome() const { return m_outcome.get(); }
    void setBusy(bool busy);
    void clear();
    void setTheme(widgets::PlotTheme theme);

    // The numbers that decide first, what was set and stored after.
    enum Column { MethodColumn, BitsColumn, PerplexityColumn, RankColumn, ErrorColumn, SetColumn, StoresColumn, ColumnCount };
    QListWidget* methodList() const { return m_methods; }
    QCheckBox* equalBudgetBox() const { return m_equalBudget; }
    QDoubleSpinBox* targetBox() const { return m_target; }
    QDoubleSpinBox* toleranceBox() const { return m_tolerance; }
    TextFileField* textField() const { return m_text; }
    QSpinBox* tokensBox() const { return m_tokens; }
    QPushButton* runButton() const { return m_run; }
    QTableWidget* table() const { return m_table; }
    widgets::MethodComparisonPlot* plot() const { return m_plot; }
    QString noteText() const;

signals:
    void runRequested(const ComparisonSettings& settings);

private:
    void showTable();
    void updateButtons();

    QListWidget* m_methods;
    QCheckBox* m_equalBudget;
    QDoubleSpinBox* m_target;
    QDoubleSpinBox* m_tolerance;
    TextFileField* m_text;
    QComboBox* m_part;
    QSpinBox* m_tokens;
    QPushButton* m_run;
    QTableWidget* m_table;
    QLabel* m_note;
    QCheckBox* m_logY;
    widgets::MethodComparisonPlot* m_plot;

    std::shared_ptr<const ComparisonOutcome> m_outcome;
    bool m_busy = false;
};

} // namespace salience::gui
