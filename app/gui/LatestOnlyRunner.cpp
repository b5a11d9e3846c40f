#include "LatestOnlyRunner.h"

#include "base/Error.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFutureWatcher>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

namespace salience::gui {

namespace {
struct Outcome {
    LatestOnlyRunner::Deliver deliver;
    QString error;
    bool cancelled = false;
};
} // namespace

LatestOnlyRunner::LatestOnlyRunner(int debounceMs, QObject* parent) : QObject(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(debounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &LatestOnlyRunner::launch);
}

LatestOnlyRunner::~LatestOnlyRunner()
{
    m_current.requestCancel();
}

void LatestOnlyRunner::request(Work work)
{
    m_next = std::move(work);
    m_pending = true;
    ++m_generation;
    m_current.requestCancel(); // the running one is stale now
    m_debounce.start();
}

void LatestOnlyRunner::cancel()
{
    m_debounce.stop();
    m_next = nullptr;
    m_pending = false;
    ++m_generation;
    m_current.requestCancel();
}

void LatestOnlyRunner::launch()
{
    if (!m_pending)
        return;
    m_pending = false;
    m_current = Progress();
    Progress progress = m_current;
    const uint64_t generation = m_generation;
    ++m_running;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation] {
        const Outcome outcome = watcher->result();
        watcher->deleteLater();
        --m_running;
        if (generation == m_generation && !outcome.cancelled) {
            if (!outcome.error.isEmpty())
                emit failed(outcome.error);
            else if (outcome.deliver)
                outcome.deliver();
        }
        if (!isBusy())
            emit idle();
    });
    watcher->setFuture(QtConcurrent::run([work = std::move(m_next), progress]() mutable {
        Outcome o;
        try {
            o.deliver = work(progress);
        } catch (const CancelledError&) {
            o.cancelled = true;
        } catch (const std::exception& e) {
            o.error = QString::fromStdString(e.what());
        } catch (...) {
            o.error = QStringLiteral("unknown error");
        }
        return o;
    }));
    m_next = nullptr;
}

bool LatestOnlyRunner::waitUntilIdle(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (isBusy() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return !isBusy();
}

} // namespace salience::gui
