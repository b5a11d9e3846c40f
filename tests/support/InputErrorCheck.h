#pragma once
// Checking that bad input fails the right way: an InputError (not another exception, not a
// crash, not silence) whose message names the file and the problem.
#include "base/Error.h"

#include <QString>
#include <QTest>

#include <exception>
#include <functional>

// The message of the InputError `f` throws, or a marker saying what happened instead.
inline QString inputErrorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const salience::InputError& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QStringLiteral("<not an InputError: %1>").arg(e.what());
    }
    return QStringLiteral("<no exception>");
}

#define VERIFY_INPUT_ERROR(call, path, fragment)                                                \
    do {                                                                                        \
        const QString msg_ = inputErrorOf([&] { call; });                                       \
        QVERIFY2(msg_.contains(QString::fromStdString(path)) && msg_.contains(fragment),        \
                 qPrintable(QStringLiteral("message: ") + msg_));                               \
    } while (0)
