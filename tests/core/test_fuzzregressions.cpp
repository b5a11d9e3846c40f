// Every seed of the fuzzers (tests/fuzz/corpus/<kind>/) and every input a fuzzer once found a
// problem with (tests/data/fuzz-regressions/<kind>/) read through the same public API the
// harnesses drive (tests/fuzz/FuzzTargets.h): each is read or refused with a salience::Error
// naming the file; nothing else may escape (and the suite runs under the sanitizers in an ASan
// build). A seed must be read without error, so the fuzzers start from valid files.
#include "../fuzz/FuzzTargets.h"

#include <QDir>
#include <QTest>

#include <filesystem>

namespace {

QStringList filesOf(const QString& root, const char* kind)
{
    QStringList files;
    for (const QFileInfo& f : QDir(root + "/" + kind).entryInfoList(QDir::Files, QDir::Name))
        files << f.absoluteFilePath();
    return files;
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    void seedsAreReadWithoutError()
    {
        int seeds = 0;
        for (const char* kind : salience::fuzz::kKinds) {
            const QStringList files = filesOf(SALIENCE_SOURCE_DIR "/tests/fuzz/corpus", kind);
            QVERIFY2(!files.isEmpty(), kind); // every harness has a seed
            for (const QString& f : files) {
                try {
                    salience::fuzz::exercise(kind, f.toStdString());
                } catch (const std::exception& e) {
                    QFAIL(qPrintable(f + ": " + e.what()));
                }
                ++seeds;
            }
        }
        qInfo("%d seeds read", seeds);
    }

    void findingsAreRefusedByName()
    {
        int findings = 0;
        for (const char* kind : salience::fuzz::kKinds)
            for (const QString& f : filesOf(SALIENCE_SOURCE_DIR "/tests/data/fuzz-regressions", kind)) {
                ++findings;
                try {
                    salience::fuzz::exercise(kind, f.toStdString());
                } catch (const salience::Error& e) {
                    const QString message = QString::fromStdString(e.what());
                    QVERIFY2(message.contains(QFileInfo(f).fileName()), qPrintable(f + ": " + message));
                } catch (const std::exception& e) {
                    QFAIL(qPrintable(f + ": not a salience::Error: " + e.what()));
                }
            }
        QVERIFY(findings > 0);
        qInfo("%d past findings refused or read", findings);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzzregressions.moc"
