// Run ▸ Capture Activations and Run ▸ Evaluate Perplexity: the model's own forward pass.
#include "MainWindow.h"
#include "OverviewPanel.h"

#include "eval/TokenizerLookup.h"
#include "run/Capture.h"
#include "run/QuantizedForward.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>

#include <cmath>

namespace salience::gui {

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

} // namespace salience::gui
