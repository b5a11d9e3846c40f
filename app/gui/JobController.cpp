#include "JobController.h"

#include "base/Error.h"

#include <QCoreApplication>
#include <QMutexLocker>

#include <algorithm>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

namespace salience::gui {

JobController::JobController(QObject* parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &JobController::onFinished);
}

JobController::~JobController()
{
    cancel();
    m_watcher.waitForFinished();
}

bool JobController::start(const QString& title, Work work)
{
    if (m_busy)
        return false;
    m_title = title;
    m_busy = true;
    {
        QMutexLocker lock(&m_latestMutex);
        m_latestFraction = 0.0;
        m_latestMessage.clear();
    }
    // Progress arrives from worker threads: forward at most one queued update at a time, so a
    // fast job cannot flood the event loop.
    m_progress = Progress([this](double fraction, const std::string& message) {
        {
            QMutexLocker lock(&m_latestMutex);
            m_latestFraction = std::max(m_latestFraction, fraction); // threads finish out of order
            if (!message.empty())
                m_latestMessage = QString::fromStdString(message);
        }
        if (m_reportQueued.exchange(true))
            return;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_reportQueued.store(false);
                double fraction;
                QString text;
                {
                    QMutexLocker lock(&m_latestMutex);
                    fraction = m_latestFraction;
                    text = m_latestMessage;
                }
                if (m_busy)
                    emit progressChanged(fraction, text);
            },
            Qt::QueuedConnection);
    });
    Progress progress = m_progress;
    m_watcher.setFuture(QtConcurrent::run([work = std::move(work), progress]() mutable {
        Outcome outcome;
        try {
            outcome.deliver = work(progress);
            if (progress.isCancelled())
                outcome.cancelled = true;
        } catch (const CancelledError&) {
            outcome.cancelled = true;
        } catch (const std::exception& e) {
            outcome.error = QString::fromStdString(e.what());
        } catch (...) {
            outcome.error = QStringLiteral("unknown error");
        }
        return outcome;
    }));
    emit started(title);
    emit busyChanged(true);
    emit progressChanged(0.0, QString());
    return true;
}

void JobController::cancel()
{
    if (m_busy)
        m_progress.requestCancel();
}

void JobController::waitForFinished()
{
    m_watcher.waitForFinished();
    onFinished(); // the watcher's own signal comes later and finds nothing left to do
}

void JobController::onFinished()
{
    if (!m_busy)
        return;
    const Outcome outcome = m_watcher.result();
    m_busy = false;
    const QString title = m_title;
    emit busyChanged(false);
    if (outcome.cancelled) {
        emit cancelled(title);
    } else if (!outcome.error.isEmpty()) {
        emit failed(title, outcome.error);
    } else {
        if (outcome.deliver)
            outcome.deliver();
        emit finished(title);
    }
}

} // namespace salience::gui
