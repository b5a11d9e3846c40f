#pragma once
// Background work where only the newest request matters: the live preview of a recipe and the
// inspection of the selected layer. A new request cancels the one in flight; a result that
// arrives after a newer request was made is dropped, so the view never goes backwards.
// Requests are debounced so dragging a slider does not start a job per pixel.
#include "base/Progress.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

namespace salience::gui {

class LatestOnlyRunner : public QObject {
    Q_OBJECT
public:
    using Deliver = std::function<void()>;
    using Work = std::function<Deliver(Progress& progress)>;

    explicit LatestOnlyRunner(int debounceMs, QObject* parent = nullptr);
    ~LatestOnlyRunner() override;

    // Replaces any pending or running request.
    void request(Work work);
    // Drops the pending request and cancels the running one (its result is never delivered).
    void cancel();
    // True while a request is pending, running, or delivering.
    bool isBusy() const { return m_pending || m_running > 0; }
    // Processes events until idle or the timeout passes; true when idle (tests, screenshots).
    bool waitUntilIdle(int timeoutMs);

signals:
    void failed(const QString& error);
    void idle();

private:
    void launch();

    QTimer m_debounce;
    Work m_next;
    bool m_pending = false;
    int m_running = 0;
    uint64_t m_generation = 0;
    Progress m_current;
};

} // namespace salience::gui
