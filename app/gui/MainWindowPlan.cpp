// The Plan menu: llama-quantize's mixes as plans.
#include "MainWindow.h"

#include "ExportDialogs.h"
#include "RecipeEditor.h"

#include "export/LlamaQuantizeMix.h"
#include "export/LlamaQuantizePlan.h"

#include <QStatusBar>

namespace salience::gui {

QStringList MainWindow::mixPresets()
{
    QStringList out;
    for (const QString& preset : GgufOptionsDialog::presets())
        if (preset != QLatin1String("F16") && preset != QLatin1String("BF16") && preset != QLatin1String("F32"))
            out << preset; // the float presets round nothing
    return out;
}

bool MainWindow::applyLlamaQuantizeMix(const QString& preset)
{
    if (!m_workspace->hasModel())
        return false;
    // The method the user is looking at, unless that layer is kept (the classifier, the embedding).
    Recipe base = m_currentLayer.isEmpty() ? m_workspace->plan().defaultRecipe : m_editor->recipe();
    if (base.method == "none")
        base = m_workspace->plan().defaultRecipe;
    base.gridType.clear();
    try {
        LlamaQuantizeOptions options;
        options.importanceMatrix = m_workspace->activations() != nullptr;
        const Model& model = m_workspace->model();
        const LlamaQuantizeMix mix = llamaQuantizeMix(model, preset.toStdString(), options);
        QuantPlan plan = llamaQuantizeMixPlan(model, mix, base);
        const QString method = QString::fromStdString(plan.defaultRecipe.method);
        m_workspace->replacePlan(std::move(plan), tr("Apply llama-quantize mix %1 (%2)").arg(preset, method));
        statusBar()->showMessage(tr("Plan: every layer onto the type llama-quantize's %1 gives it, by %2")
                                     .arg(QString::fromStdString(mix.preset), method),
                                 8000);
        return true;
    } catch (const std::exception& e) {
        showError(tr("Cannot apply the llama-quantize mix"), QString::fromStdString(e.what()));
        return false;
    }
}

} // namespace salience::gui
