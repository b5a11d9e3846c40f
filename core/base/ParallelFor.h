#pragma once
// The one way core runs work on several threads: tasks 0..count−1 taken in turn by a pool, the
// first exception (a CancelledError included) stops the others from starting new tasks and is
// rethrown to the caller. Whatever each task writes goes to its own slot, so results never
// depend on the thread count.
#include <cstdint>
#include <functional>

namespace salience {

// threads ≤ 0: one per hardware thread, or 1 inside a task of parallelFor (the pool already
// holds every core; nesting would only oversubscribe them). Never more threads than tasks.
int threadCountFor(int requested, int64_t tasks);

void parallelFor(int64_t count, int threads, const std::function<void(int64_t task)>& task);

// Splits [0, count) into contiguous ranges of at least `grain` items, one or a few per thread
// (threads as parallelFor), and calls range(begin, end) on each. For element-wise kernels over
// large arrays: below 2·grain items it runs inline, so small inputs pay no thread start.
void parallelRanges(int64_t count, int64_t grain, const std::function<void(int64_t begin, int64_t end)>& range,
                    int threads = 0);

} // namespace salience
