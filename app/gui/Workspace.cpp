#include "Workspace.h"

#include "PlanCommand.h"

namespace salience::gui {

Workspace::Workspace(QObject* parent) : QObject(parent)
{
    connect(&m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
}

Recipe Workspace::recipeFor(const QString& layer) const
{
    if (const LinearLayer* l = m_model.findLayer(layer.toStdString()))
        return m_plan.recipeFor(*l);
    return m_plan.defaultRecipe;
}

void Workspace::setModel(Model model, std::shared_ptr<const ActivationStore> activations, const QString& name,
                         const QString& activationsName)
{
    ++m_generation;
    m_model = std::move(model);
    m_modelName = name;
    m_activations = std::move(activations);
    m_activationsName = activationsName;
    const Recipe keep = m_plan.defaultRecipe;
    m_plan = QuantPlan::uniform(keep);
    m_planPath.clear();
    m_results.clear();
    m_hasSummary = false;
    m_undo.clear();
    emit modelChanged();
    emit activationsChanged();
    emit planChanged({});
    emit resultsChanged();
}

void Workspace::setActivations(std::shared_ptr<const ActivationStore> activations, const QString& name)
{
    ++m_generation;
    m_activations = std::move(activations);
    m_activationsName = name;
    // Output errors of earlier results were measured without these activations.
    m_results.clear();
    m_hasSummary = false;
    emit activationsChanged();
    emit resultsChanged();
}

void Workspace::setPlan(QuantPlan plan, const QString& path)
{
    ++m_generation;
    plan.validateAgainst(m_model, path.toStdString());
    m_plan = std::move(plan);
    m_planPath = path;
    m_results.clear();
    m_hasSummary = false;
    m_undo.clear();
    emit planChanged({});
    emit resultsChanged();
}

void Workspace::markSaved(const QString& path)
{
    m_planPath = path;
    m_undo.setClean();
}

void Workspace::applyRecipe(const QStringList& layers, const Recipe& recipe, const QString& description)
{
    if (layers.isEmpty())
        return;
    QuantPlan after = m_plan;
    for (const auto& layer : layers)
        after.setLayerRecipe(layer.toStdString(), recipe);
    m_undo.push(new PlanCommand(this, m_plan, std::move(after), layers, description));
}

void Workspace::resetLayers(const QStringList& layers)
{
    if (layers.isEmpty())
        return;
    QuantPlan after = m_plan;
    for (const auto& layer : layers)
        after.resetLayer(layer.toStdString());
    m_undo.push(new PlanCommand(this, m_plan, std::move(after), layers,
                                layers.size() == 1 ? tr("Reset %1").arg(layers.front())
                                                   : tr("Reset %n layers", nullptr, int(layers.size()))));
}

void Workspace::replacePlan(QuantPlan plan, const QString& description)
{
    QStringList layers;
    for (const auto& layer : m_model.layers())
        layers << QString::fromStdString(layer.name);
    m_undo.push(new PlanCommand(this, m_plan, std::move(plan), layers, description));
}

void Workspace::restorePlan(const QuantPlan& plan, const QStringList& changedLayers)
{
    ++m_generation;
    m_plan = plan;
    // Results of changed layers no longer match their recipe.
    bool dropped = false;
    for (const auto& layer : changedLayers)
        dropped = m_results.erase(layer.toStdString()) > 0 || dropped;
    if (dropped)
        m_hasSummary = false;
    emit planChanged(changedLayers);
    if (dropped)
        emit resultsChanged();
}

const LayerResult* Workspace::result(const QString& layer) const
{
    auto it = m_results.find(layer.toStdString());
    return it == m_results.end() ? nullptr : &it->second;
}

void Workspace::setResults(const RunResult& run)
{
    m_results.clear();
    for (const auto& r : run.layers)
        m_results[r.layer] = r;
    m_summary = run.summary;
    m_hasSummary = true;
    emit resultsChanged();
}

void Workspace::setResult(const LayerResult& result)
{
    m_results[result.layer] = result;
    m_hasSummary = false;
    emit resultsChanged();
}

} // namespace salience::gui
