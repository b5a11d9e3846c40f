// Opening files, recent models and plans.
#include "MainWindow.h"

#include "acts/LayerActivations.h"
#include "acts/OpenActivations.h"
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "export/RunRecord.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

#include <cmath>
#include <QMenu>
#include <QStatusBar>

namespace salience::gui {

namespace {
constexpr int kMaxRecent = 8;

QString layerDisplayName(const Model& model, const QString& path)
{
    Q_UNUSED(model);
    return QFileInfo(path).fileName().isEmpty() ? path : QFileInfo(path).fileName();
}
} // namespace

bool MainWindow::openModel(const QString& path, const QString& activationsPath)
{
    if (!maybeSavePlan())
        return false;
    try {
        Model model = Model::open(path.toStdString());
        std::shared_ptr<const ActivationStore> acts;
        if (!activationsPath.isEmpty()) {
            acts = std::make_shared<ActivationStore>(salience::openActivations(activationsPath.toStdString()));
            checkActivationsFit(*acts, model.layers(), model.config().dim, activationsPath.toStdString());
        }
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
        const Model& model = m_workspace->model();
        checkActivationsFit(*acts, model.layers(), model.config().dim, path.toStdString());
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

} // namespace salience::gui
