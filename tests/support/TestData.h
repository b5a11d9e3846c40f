#pragma once
// Where the tests find the real stories260K model and text (CMake cache variable
// SALIENCE_TEST_DATA), and a skip with a clear message where it is absent.
#include <QDir>
#include <QFileInfo>
#include <QString>
#include <QTest>

#include <string>

namespace testdata {

inline QString dir() { return QString::fromUtf8(SALIENCE_TEST_DATA); }

inline std::string path(const char* relative)
{
    return QDir(dir()).filePath(QString::fromUtf8(relative)).toStdString();
}

inline bool has(const char* relative) { return QFileInfo::exists(QString::fromStdString(path(relative))); }

} // namespace testdata

// Skips the current test when a real data file is missing, saying which and where to set it.
#define REQUIRE_TEST_DATA(relative)                                                              \
    do {                                                                                         \
        if (!testdata::has(relative))                                                            \
            QSKIP(qPrintable(QStringLiteral("real test data %1 not found in %2 "                 \
                                            "(set the CMake cache variable SALIENCE_TEST_DATA)") \
                                 .arg(QString::fromUtf8(relative), testdata::dir())));           \
    } while (0)
