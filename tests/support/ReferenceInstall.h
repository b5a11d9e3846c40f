#pragma once
// Installing an independent reference (tests/reference/install*.sh) into the build tree, for the
// suites that compare with llama.cpp or Hugging Face's tokenizers. The scripts return at once when
// the install is already there; exit code 3 means the reference cannot be had here (no node, no
// npm registry), which a suite turns into a skip.
#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>

namespace testsupport {

struct ReferenceInstall {
    enum class Outcome { Ready, Unavailable, Failed };
    Outcome outcome = Outcome::Failed;
    QString message; // the script's output (tail) when not Ready
};

inline ReferenceInstall installReference(const QString& scriptsDir, const QString& script, const QString& installDir,
                                         const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                                         int timeoutMs = 300'000)
{
    QProcess install;
    install.setProcessEnvironment(environment);
    install.setProcessChannelMode(QProcess::MergedChannels);
    install.start("bash", {QDir(scriptsDir).filePath(script), installDir});
    if (!install.waitForStarted(10'000))
        return {ReferenceInstall::Outcome::Failed, "cannot start bash for tests/reference/" + script};
    if (!install.waitForFinished(timeoutMs)) {
        install.kill();
        install.waitForFinished(5'000);
        return {ReferenceInstall::Outcome::Failed,
                QString("tests/reference/%1 did not finish within %2 s").arg(script).arg(timeoutMs / 1000)};
    }
    const QString output = QString::fromUtf8(install.readAll()).trimmed();
    if (install.exitStatus() == QProcess::NormalExit && install.exitCode() == 3)
        return {ReferenceInstall::Outcome::Unavailable, "the reference cannot be installed here: " + output.right(2000)};
    if (install.exitStatus() != QProcess::NormalExit || install.exitCode() != 0)
        return {ReferenceInstall::Outcome::Failed, "tests/reference/" + script + " failed: " + output.right(4000)};
    return {ReferenceInstall::Outcome::Ready, {}};
}

} // namespace testsupport

// In a Qt Test slot: skips when the reference cannot be had here, fails when its install broke.
#define REQUIRE_REFERENCE(install)                                                                   \
    do {                                                                                             \
        const testsupport::ReferenceInstall salienceInstall_ = (install);                           \
        if (salienceInstall_.outcome == testsupport::ReferenceInstall::Outcome::Unavailable)        \
            QSKIP(qPrintable(salienceInstall_.message));                                             \
        QVERIFY2(salienceInstall_.outcome == testsupport::ReferenceInstall::Outcome::Ready,           \
                 qPrintable(salienceInstall_.message));                                              \
    } while (false)
