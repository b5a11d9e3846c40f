#pragma once
// Telling the kernel how a large buffer is about to be used, so a layer's megabytes are not paged
// in 4 KiB at a time. Each first touch of a fresh page is a fault (and, for anonymous memory, a
// zeroed page); on a 1B model's export these were a fifth of the time, more in a virtual machine.
// Both calls are advice: where the kernel does not support them nothing changes, and nothing they
// do changes a value.
#include <cstddef>

namespace salience {

// Before the first write to a freshly allocated buffer of `bytes`: back its whole 2 MiB-aligned
// stretches with transparent huge pages (512 times fewer faults), where the system allows them
// (transparent_hugepage "madvise" or "always"). Buffers under 4 MiB are left alone.
void adviseHugePages(void* data, size_t bytes);

// Before reading a stretch of a memory-mapped file: map its pages in one call instead of one
// fault per page (MADV_POPULATE_READ, Linux 5.14 on).
void prefaultForReading(const void* data, size_t bytes);

} // namespace salience
