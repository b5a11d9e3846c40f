#include "base/MemoryUse.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace salience {

int64_t residentAnonymousBytes()
{
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    int64_t bytes = -1;
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, "RssAnon:", 8) == 0) {
            long long kib = 0;
            if (std::sscanf(line + 8, "%lld", &kib) == 1)
                bytes = int64_t(kib) * 1024;
            break;
        }
    std::fclose(f);
    return bytes;
}

PeakAnonymousMemory::PeakAnonymousMemory() : m_atStart(residentAnonymousBytes())
{
    m_peak = m_atStart;
    m_sampler = std::thread([this] {
        while (!m_stop.load()) {
            const int64_t now = residentAnonymousBytes();
            int64_t seen = m_peak.load();
            while (now > seen && !m_peak.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
}

PeakAnonymousMemory::~PeakAnonymousMemory()
{
    stop();
}

void PeakAnonymousMemory::stop()
{
    m_stop = true;
    if (m_sampler.joinable())
        m_sampler.join();
}

} // namespace salience
