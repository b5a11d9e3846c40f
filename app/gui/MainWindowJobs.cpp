// Quantize All / Selected as background jobs, and the complete run that exports reuse.
#include "MainWindow.h"
#include <QStatusBar>

namespace salience::gui {

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

} // namespace salience::gui
