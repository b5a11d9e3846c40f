#include "base/PageAdvice.h"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace salience {

namespace {
constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
constexpr uintptr_t kPage = 4096;
} // namespace

void adviseHugePages(void* data, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes < 2 * kHugePage)
        return;
    const auto begin = (reinterpret_cast<uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
    const auto end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHugePage - 1);
    if (end > begin)
        (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

void prefaultForReading(const void* data, size_t bytes)
{
#if defined(__linux__) && defined(MADV_POPULATE_READ)
    if (bytes == 0)
        return;
    const auto begin = reinterpret_cast<uintptr_t>(data) & ~(kPage - 1);
    const auto end = reinterpret_cast<uintptr_t>(data) + bytes;
    (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_READ);
#else
    (void)data;
    (void)bytes;
#endif
}

} // namespace salience
