// The selected layer: its inspection, the recipe editor and the live preview, and what the
// window shows when the model, plan or results change.
#include "MainWindow.h"
#include "WeightsTab.h"
#include "SpectrumTab.h"
#include "RecipeEditor.h"
#include "QuantizationTab.h"
#include "OverviewPanel.h"
#include "LayerTree.h"
#include "ActivationsTab.h"

#include "base/Error.h"
#include "run/LayerPreview.h"
#include <QLabel>
#include <QStatusBar>

namespace salience::gui {

namespace {
// Above this many singular values a layer's spectrum comes in two steps; the first holds this many.
constexpr int64_t kQuickSpectrumAbove = 1024;
constexpr int64_t kQuickSpectrumValues = 64;
} // namespace

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
    m_spectrumRunner->cancel();
    if (m_currentLayer.isEmpty() || !m_workspace->hasModel())
        return;
    const Model model = m_workspace->model();
    const auto acts = m_workspace->activations();
    const std::string name = m_currentLayer.toStdString();
    const OutlierThresholds thresholds = m_thresholds;
    // Layers the size of an LLM's (an 8B model's MLP is 14336 × 4096) show their largest singular
    // values within a second or two; the full spectrum follows (requestFullSpectrum).
    const LinearLayer& selected = model.layer(name);
    const int64_t topK =
        std::min(selected.outFeatures, selected.inFeatures) > kQuickSpectrumAbove ? kQuickSpectrumValues : 0;
    m_inspectRunner->request([this, model, acts, name, thresholds, topK](Progress& progress) -> LatestOnlyRunner::Deliver {
        const LinearLayer& layer = model.layer(name);
        auto inspection =
            std::make_shared<LayerInspection>(inspectLayer(model, layer, acts.get(), thresholds, progress, topK));
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
            if (inspection->analysis.spectrum.partial)
                requestFullSpectrum(inspection);
        };
    });
}

void MainWindow::requestFullSpectrum(std::shared_ptr<const LayerInspection> inspection)
{
    const Model model = m_workspace->model();
    const std::string name = m_currentLayer.toStdString();
    m_spectrumRunner->request([this, model, name, inspection](Progress& progress) -> LatestOnlyRunner::Deliver {
        auto spectra = std::make_shared<LayerSpectra>(
            layerSpectra(inspection->weight, inspection->analysis.inputStats, progress));
        return [this, model, name, spectra] {
            if (m_currentLayer.toStdString() != name)
                return;
            m_spectrumTab->showSpectra(model.layer(name), spectra->spectrum,
                                       spectra->scaledSpectrum ? &*spectra->scaledSpectrum : nullptr);
            const int rank = m_workspace->recipeFor(m_currentLayer).rank;
            m_spectrumTab->setRank(rank > 0 ? rank : int(spectra->spectrum.rankForEnergy(0.9)));
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

} // namespace salience::gui
