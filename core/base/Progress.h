#pragma once
// One progress type for all long work in core: a fraction, a message and a cancel flag that
// the work checks between steps. A child maps its [0,1] into a sub-range of its parent and
// shares the parent's cancel flag, so nested steps report into one bar.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace salience {

class Progress {
public:
    using Callback = std::function<void(double fraction, const std::string& message)>;

    Progress();
    explicit Progress(Callback callback);

    // A view of this progress that maps [0,1] to [from,to] of this one's range.
    Progress child(double from, double to) const;
    // A view that shares the cancel flag but reports nothing: for work running beside other
    // work on the same bar (one layer among many threads).
    Progress silent() const;

    void report(double fraction, const std::string& message = {}) const;
    void requestCancel() const;
    bool isCancelled() const;
    // Throws CancelledError when cancellation was requested.
    void throwIfCancelled() const;

    double fraction() const;
    std::string message() const;

private:
    struct State {
        std::atomic<bool> cancelled{false};
        std::atomic<double> fraction{0.0};
        std::mutex mutex;
        std::string message;
        // Shared, not copied per report, so a callback's own state (a mutable lambda) persists.
        std::shared_ptr<Callback> callback;
    };
    std::shared_ptr<State> m_state;
    double m_from = 0.0;
    double m_to = 1.0;
    bool m_silent = false;
};

} // namespace salience
