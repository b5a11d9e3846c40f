#pragma once
// How much memory this process holds, as Linux counts it: resident anonymous memory (RssAnon:
// heap, buffers, thread stacks), not the file pages of a memory-mapped model, which the kernel
// can drop and re-read at will. The figure a user's "will it fit" question is about.
#include <atomic>
#include <cstdint>
#include <thread>

namespace salience {

// RssAnon of this process in bytes; -1 where /proc/self/status does not say.
int64_t residentAnonymousBytes();

// Samples residentAnonymousBytes() every millisecond on a thread of its own from construction
// until stop() (or destruction), and keeps the highest. A short spike between samples can be
// missed; anything held for a millisecond is seen.
class PeakAnonymousMemory {
public:
    PeakAnonymousMemory();
    ~PeakAnonymousMemory();
    PeakAnonymousMemory(const PeakAnonymousMemory&) = delete;
    PeakAnonymousMemory& operator=(const PeakAnonymousMemory&) = delete;

    void stop();
    int64_t atStart() const { return m_atStart; }
    int64_t peak() const { return m_peak.load(); }
    // The peak above what was held at construction (0 where nothing can be read).
    int64_t peakAboveStart() const { return m_atStart < 0 ? 0 : peak() - m_atStart; }

private:
    int64_t m_atStart = -1;
    std::atomic<int64_t> m_peak{-1};
    std::atomic<bool> m_stop{false};
    std::thread m_sampler;
};

} // namespace salience
