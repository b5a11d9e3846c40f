#pragma once
// Runs one long job at a time (Quantize All, capture, export) on a worker thread through
// QtConcurrent, with the core Progress bridged to signals on the main thread and a cancel
// that reaches the work between its steps. The work returns a closure that delivers its
// result on the main thread, so nothing is applied when a job fails or is cancelled.
#include "base/Progress.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>

namespace salience::gui {

class JobController : public QObject {
    Q_OBJECT
public:
    using Deliver = std::function<void()>;
    using Work = std::function<Deliver(Progress& progress)>;

    explicit JobController(QObject* parent = nullptr);
    ~JobController() override;

    bool isBusy() const { return m_busy; }
    QString title() const { return m_title; }

    // Returns false (and starts nothing) while another job runs.
    bool start(const QString& title, Work work);
    void cancel();
    // Blocks until the running job ends (for shutdown and tests); delivers or drops as usual.
    void waitForFinished();

signals:
    void started(const QString& title);
    void progressChanged(double fraction, const QString& message);
    void finished(const QString& title);
    void failed(const QString& title, const QString& error);
    void cancelled(const QString& title);
    void busyChanged(bool busy);

private:
    struct Outcome {
        Deliver deliver;
        QString error;
        bool cancelled = false;
    };
    void onFinished();

    QFutureWatcher<Outcome> m_watcher;
    Progress m_progress;
    QString m_title;
    bool m_busy = false;
    std::atomic<bool> m_reportQueued{false};
    // The newest report from the workers; the queued update shows this, not the report that
    // queued it, so the bar never lags behind.
    QMutex m_latestMutex;
    double m_latestFraction = 0.0;
    QString m_latestMessage;
};

} // namespace salience::gui
