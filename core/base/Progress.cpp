#include "base/Progress.h"

#include "base/Error.h"

#include <algorithm>

namespace salience {

Progress::Progress() : m_state(std::make_shared<State>()) {}

Progress::Progress(Callback callback) : Progress()
{
    if (callback)
        m_state->callback = std::make_shared<Callback>(std::move(callback));
}

Progress Progress::child(double from, double to) const
{
    Progress p(*this);
    const double span = m_to - m_from;
    p.m_from = m_from + span * std::clamp(from, 0.0, 1.0);
    p.m_to = m_from + span * std::clamp(to, 0.0, 1.0);
    return p;
}

Progress Progress::silent() const
{
    Progress p(*this);
    p.m_silent = true;
    return p;
}

void Progress::report(double fraction, const std::string& message) const
{
    if (m_silent)
        return;
    const double f = m_from + (m_to - m_from) * std::clamp(fraction, 0.0, 1.0);
    m_state->fraction.store(f);
    std::shared_ptr<Callback> cb;
    {
        std::lock_guard lock(m_state->mutex);
        if (!message.empty())
            m_state->message = message;
        cb = m_state->callback;
    }
    if (cb)
        (*cb)(f, message);
}

void Progress::requestCancel() const { m_state->cancelled.store(true); }

bool Progress::isCancelled() const { return m_state->cancelled.load(); }

void Progress::throwIfCancelled() const
{
    if (isCancelled())
        throw CancelledError();
}

double Progress::fraction() const { return m_state->fraction.load(); }

std::string Progress::message() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->message;
}

} // namespace salience
