// AtomicFile: a committed file appears whole under its name, an uncommitted one leaves
// nothing, and an existing target is only replaced when asked.
#include "base/Error.h"
#include "io/AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace salience;

namespace {

QStringList entries(const QTemporaryDir& dir)
{
    return QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System |
                                      QDir::NoDotAndDotDot);
}

QByteArray contents(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "<unreadable>";
    return f.readAll();
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private slots:
    void commitRenamesIntoPlace()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string target = dir.filePath("out.bin").toStdString();
        std::string temp;
        {
            AtomicFile f(target);
            temp = f.tempPath();
            // The temporary file lives beside the target, so rename stays on one filesystem.
            QCOMPARE(QFileInfo(QString::fromStdString(temp)).absolutePath(),
                     QFileInfo(dir.path()).absoluteFilePath());
            QVERIFY(QFile::exists(QString::fromStdString(temp)));
            QVERIFY(!QFile::exists(QString::fromStdString(target)));
            f.stream() << "hello " << 42;
            f.stream().write("\0\1", 2);
            f.commit();
            QVERIFY(f.committed());
        }
        QCOMPARE(contents(QString::fromStdString(target)), QByteArray("hello 42\0\1", 10));
        QCOMPARE(entries(dir), QStringList{"out.bin"});
        QVERIFY(!QFile::exists(QString::fromStdString(temp)));
    }

    void permissionsFollowUmask()
    {
        QTemporaryDir dir;
        const mode_t mask = ::umask(022);
        ::umask(mask); // restore; the test only reads it
        const std::string target = dir.filePath("p.bin").toStdString();
        AtomicFile f(target);
        f.stream() << "x";
        f.commit();
        struct stat st {};
        QCOMPARE(::stat(target.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0666 & ~mask);
    }

    void noCommitLeavesNothing()
    {
        QTemporaryDir dir;
        {
            AtomicFile f(dir.filePath("never.bin").toStdString());
            f.stream() << std::string(100000, 'x');
            QCOMPARE(entries(dir).size(), 1); // the temporary file, while writing
        }
        QVERIFY(entries(dir).isEmpty());
    }

    // A killed writer's temporary file (its process gone) is removed by the next write to the
    // same target; a live writer's, and other targets' temporaries, are left alone.
    void temporariesOfKilledWritersAreRemoved()
    {
        QTemporaryDir dir;
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        QVERIFY(child > 0);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child); // reaped: no process has this id now
        const QString stale = dir.filePath(QString(".out.gguf.tmp-%1-0-0badf00d").arg(child));
        const QString live = dir.filePath(QString(".out.gguf.tmp-%1-7-0badf00d").arg(::getpid()));
        const QString other = dir.filePath(QString(".other.gguf.tmp-%1-0-0badf00d").arg(child));
        for (const QString& p : {stale, live, other})
            writeFile(p, "partial");
        salience::AtomicFile f(dir.filePath("out.gguf").toStdString());
        f.stream() << "complete";
        f.commit();
        QVERIFY(!QFile::exists(stale));
        QVERIFY(QFile::exists(live));
        QVERIFY(QFile::exists(other));
    }

    void exceptionMidWriteLeavesNothing()
    {
        QTemporaryDir dir;
        try {
            AtomicFile f(dir.filePath("x.bin").toStdString());
            f.stream() << "partial";
            throw CancelledError();
        } catch (const CancelledError&) {
        }
        QVERIFY(entries(dir).isEmpty());
    }

    void refusesToReplaceWithoutOverwrite()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath("exists.bin");
        writeFile(target, "old");
        try {
            AtomicFile f(target.toStdString(), false);
            QFAIL("an existing target was accepted without overwrite");
        } catch (const InputError& e) {
            QVERIFY(QString(e.what()).contains(target));
            QVERIFY(QString(e.what()).contains("already exists"));
        }
        QCOMPARE(contents(target), QByteArray("old"));
        QCOMPARE(entries(dir), QStringList{"exists.bin"});
    }

    void overwriteReplaces()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath("exists.bin");
        writeFile(target, "old contents");
        AtomicFile f(target.toStdString(), true);
        f.stream() << "new";
        QCOMPARE(contents(target), QByteArray("old contents")); // untouched until commit
        f.commit();
        QCOMPARE(contents(target), QByteArray("new"));
        QCOMPARE(entries(dir), QStringList{"exists.bin"});
    }

    void targetAppearingBeforeCommitIsNotReplaced()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath("race.bin");
        AtomicFile f(target.toStdString(), false);
        f.stream() << "mine";
        writeFile(target, "theirs");
        QVERIFY_THROWS_EXCEPTION(InputError, f.commit());
        QCOMPARE(contents(target), QByteArray("theirs"));
        QCOMPARE(entries(dir), QStringList{"race.bin"});
    }

    void missingDirectoryIsAnInputError()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath("no/such/dir/out.bin");
        try {
            AtomicFile f(target.toStdString());
            QFAIL("a file in a missing directory was accepted");
        } catch (const InputError& e) {
            QVERIFY(QString(e.what()).contains(target));
        }
        QVERIFY(entries(dir).isEmpty());
    }

    void directoryTargetIsAnInputError()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("sub"));
        QVERIFY_THROWS_EXCEPTION(InputError, AtomicFile(dir.filePath("sub").toStdString(), true));
    }

    void twoWritersGetDistinctTemporaries()
    {
        QTemporaryDir dir;
        const std::string target = dir.filePath("same.bin").toStdString();
        AtomicFile a(target, true);
        AtomicFile b(target, true);
        QVERIFY(a.tempPath() != b.tempPath());
        a.stream() << "a";
        b.stream() << "b";
        a.commit();
        b.commit(); // last one wins, whole
        QCOMPARE(contents(QString::fromStdString(target)), QByteArray("b"));
        QCOMPARE(entries(dir), QStringList{"same.bin"});
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "test_atomicfile.moc"
