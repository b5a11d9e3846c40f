// File ▸ Export: each dialog, then one call to core's exportRun (the same as salience-cli's).
#include "MainWindow.h"

#include "ExportDialogs.h"

#include "export/RunRecord.h"

#include <QDir>
#include <QMessageBox>

#include <cmath>

namespace salience::gui {

bool MainWindow::startExport(const QString& title, const ExportRequest& request)
{
    if (!m_workspace->hasModel() || m_jobs->isBusy())
        return false;
    const Model model = m_workspace->model();
    const auto acts = m_workspace->activations();
    const QuantPlan plan = m_workspace->plan();
    const std::shared_ptr<const RunResult> existing = completeRun();
    const uint64_t generation = m_workspace->generation();
    return m_jobs->start(title, [this, model, acts, plan, existing, generation,
                                 request](Progress& progress) -> JobController::Deliver {
        std::shared_ptr<const RunResult> run = existing;
        const double runShare = existing ? 0.0 : 0.7;
        if (!run) {
            Progress runProgress = progress.child(0.0, runShare);
            run = std::make_shared<RunResult>(runPlan(model, plan, acts.get(), {}, runProgress));
        }
        Progress exportProgress = progress.child(runShare, 1.0);
        // The same call as salience-cli's: the same plan gives the same bytes.
        const nlohmann::json report = exportRun(model, *run, plan.toJson(), request, exportProgress);
        const QString summary = exportSummary(report);
        return [this, run, fresh = !existing, summary, generation] {
            if (fresh && m_workspace->generation() == generation)
                m_workspace->setResults(*run);
            m_lastExportSummary = summary;
            m_jobOutcome = summary;
        };
    });
}

namespace {

ExportRequest requestFor(ExportFormat format, const QString& path)
{
    ExportRequest request;
    request.out = path.toStdString();
    request.format = format;
    return request;
}

} // namespace

bool MainWindow::exportAs(ExportRequest request)
{
    request.overwrite = true; // the file dialog asked already
    static const QMap<ExportFormat, const char*> titles{
        {ExportFormat::FakeQuant, QT_TR_NOOP("Export fake-quantized safetensors")},
        {ExportFormat::Gguf, QT_TR_NOOP("Export GGUF")},
        {ExportFormat::Gptq, QT_TR_NOOP("Export GPTQ safetensors")},
        {ExportFormat::Llama2c, QT_TR_NOOP("Export llama2.c checkpoint")},
        {ExportFormat::Record, QT_TR_NOOP("Export run record")}};
    return startExport(tr(titles.value(request.format)), request);
}

bool MainWindow::exportFakeQuantized(const QString& path) { return exportAs(requestFor(ExportFormat::FakeQuant, path)); }

bool MainWindow::exportGguf(const QString& path, const QString& ggmlType, const QString& preset)
{
    ExportRequest request = requestFor(ExportFormat::Gguf, path);
    request.ggufType = ggmlType.toStdString();
    request.preset = preset.toStdString();
    return exportAs(request);
}

bool MainWindow::exportGptq(const QString& directory) { return exportAs(requestFor(ExportFormat::Gptq, directory)); }

bool MainWindow::exportLlama2c(const QString& path) { return exportAs(requestFor(ExportFormat::Llama2c, path)); }

bool MainWindow::exportRunRecord(const QString& path, bool includeCodes)
{
    ExportRequest request = requestFor(ExportFormat::Record, path);
    request.recordCodes = includeCodes;
    return exportAs(request);
}

QString MainWindow::exportSummary(const nlohmann::json& report)
{
    const QString out = QString::fromStdString(report.value("output", std::string()));
    QString format = QString::fromStdString(report.value("format", std::string()));
    if (report.contains("bits"))
        format = tr("GPTQ %1-bit, group %2").arg(report["bits"].get<int>()).arg(report["group_size"].get<int>());
    if (report.contains("preset"))
        format = tr("%1, llama-quantize mix %2").arg(format, QString::fromStdString(report["preset"].get<std::string>()));
    // Quantized layers by how they reached the file; the others were written from the source.
    int lossless = 0, requantized = 0, other = 0, fromSource = 0, withReason = 0;
    for (const auto& layer : report["layers"]) {
        const std::string status = layer.value("status", std::string());
        if (!layer.value("from_result", true) || status == "not-quantized")
            ++fromSource;
        else if (status == "lossless")
            ++lossless;
        else if (status == "requantized")
            ++requantized;
        else
            ++other;
        withReason += layer.contains("reason") ? 1 : 0;
    }
    QString summary = tr("Exported %1 (%2)").arg(out, format);
    if (!report["layers"].empty()) {
        summary += tr(": %1 lossless, %2 requantized").arg(lossless).arg(requantized);
        if (other > 0)
            summary += tr(", %1 clipped or kept as float").arg(other);
        summary += tr(", %1 from the source weights").arg(fromSource);
    }
    if (withReason > 0)
        summary += tr("; %1 with a note in the report (fallback type, not packable)").arg(withReason);
    if (report.contains("note"))
        summary += QStringLiteral(" · ") + QString::fromStdString(report["note"].get<std::string>());
    for (const auto& warning : report["warnings"])
        summary += QStringLiteral(" · ") + QString::fromStdString(warning.get<std::string>());
    return summary;
}

void MainWindow::exportFakeQuantizedDialog()
{
    const QString path = saveFileDialog(tr("Export Fake-quantized Safetensors"), "dialogs/exportDir",
                                        tr("Safetensors (*.safetensors)"), "safetensors");
    if (!path.isEmpty())
        exportFakeQuantized(path);
}

void MainWindow::exportGgufDialog()
{
    GgufOptionsDialog options(this);
    if (options.exec() != QDialog::Accepted)
        return;
    const QString path = saveFileDialog(tr("Export GGUF"), "dialogs/exportDir", tr("GGUF (*.gguf)"), "gguf");
    if (!path.isEmpty())
        exportGguf(path, options.type(), options.preset());
}

void MainWindow::exportGptqDialog()
{
    const QString path = saveFileDialog(tr("Export GPTQ Safetensors (a directory)"), "dialogs/exportDir",
                                        tr("Directories (*)"), QString());
    if (path.isEmpty())
        return;
    // The file dialog asks about files only: a directory with files in it gets its own question.
    if (QDir(path).exists() && !QDir(path).isEmpty() &&
        QMessageBox::question(this, tr("Export GPTQ Safetensors"),
                              tr("%1 is not empty. Replace the GPTQ files in it?").arg(path)) != QMessageBox::Yes)
        return;
    exportGptq(path);
}

void MainWindow::exportLlama2cDialog()
{
    const QString path = saveFileDialog(tr("Export llama2.c Checkpoint"), "dialogs/exportDir",
                                        tr("llama2.c checkpoints (*.bin)"), "bin");
    if (!path.isEmpty())
        exportLlama2c(path);
}

void MainWindow::exportRunRecordDialog()
{
    RunRecordOptionsDialog options(this);
    if (options.exec() != QDialog::Accepted)
        return;
    const QString path = saveFileDialog(tr("Export Run Record"), "dialogs/exportDir", tr("HDF5 (*.h5)"), "h5");
    if (!path.isEmpty())
        exportRunRecord(path, options.includeCodes());
}

} // namespace salience::gui
