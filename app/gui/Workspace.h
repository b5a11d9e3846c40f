#pragma once
// The document the main window edits: the open model, its activations, the quantization plan
// (with undo) and the results of the last run. Widgets and tabs read it; changes come back
// as signals. It computes nothing itself: jobs do, and hand their results to it.
#include "acts/ActivationStore.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "run/Runner.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUndoStack>

#include <map>
#include <memory>

namespace salience::gui {

class Workspace : public QObject {
    Q_OBJECT
public:
    explicit Workspace(QObject* parent = nullptr);

    bool hasModel() const { return m_model.isOpen(); }
    const Model& model() const { return m_model; }
    QString modelName() const { return m_modelName; }
    std::shared_ptr<const ActivationStore> activations() const { return m_activations; }
    QString activationsName() const { return m_activationsName; }

    const QuantPlan& plan() const { return m_plan; }
    QString planPath() const { return m_planPath; }
    QUndoStack* undoStack() { return &m_undo; }
    bool isModified() const { return !m_undo.isClean(); }

    Recipe recipeFor(const QString& layer) const;

    // A new model replaces everything: plan overrides that name its layers would not fit,
    // so the plan keeps only its default recipe; results and undo history are cleared.
    void setModel(Model model, std::shared_ptr<const ActivationStore> activations, const QString& name,
                  const QString& activationsName);
    void setActivations(std::shared_ptr<const ActivationStore> activations, const QString& name);
    // Loading a plan is not undoable: it clears the history.
    void setPlan(QuantPlan plan, const QString& path);
    void markSaved(const QString& path);

    // Undoable edits.
    void applyRecipe(const QStringList& layers, const Recipe& recipe, const QString& description);
    void resetLayers(const QStringList& layers);
    // The whole plan replaced by another (a llama-quantize mix), as one undoable step.
    void replacePlan(QuantPlan plan, const QString& description);
    // What the undo commands call: swaps the whole plan (plans are small).
    void restorePlan(const QuantPlan& plan, const QStringList& changedLayers);

    // Bumped by every change of model, activations or plan: a job started at one generation
    // must not apply its results to another.
    uint64_t generation() const { return m_generation; }

    const std::map<std::string, LayerResult>& results() const { return m_results; }
    const LayerResult* result(const QString& layer) const;
    void setResults(const RunResult& run);
    void setResult(const LayerResult& result);
    const RunSummary& summary() const { return m_summary; }
    bool hasSummary() const { return m_hasSummary; }

signals:
    void modelChanged();
    void activationsChanged();
    void planChanged(const QStringList& layers); // empty: every layer may have changed
    void resultsChanged();
    void modifiedChanged(bool modified);

private:
    Model m_model;
    QString m_modelName;
    std::shared_ptr<const ActivationStore> m_activations;
    QString m_activationsName;
    QuantPlan m_plan;
    QString m_planPath;
    QUndoStack m_undo;
    std::map<std::string, LayerResult> m_results;
    RunSummary m_summary;
    bool m_hasSummary = false;
    uint64_t m_generation = 0;
};

} // namespace salience::gui
