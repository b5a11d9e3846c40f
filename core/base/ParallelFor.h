#pragma once
// The one way core runs work on several threads: tasks 0..count−1 taken in turn by a pool, the
// first exception (a CancelledError included) stops the others from starting new tasks and is
// rethrown to the caller. Whatever each task writes goes to its own slot, so results never
// depend on the thread count.
#include <cstdint>
#include <functional>

namespace salience {

// threads ≤ 0: one per hardware thread. Never more threads than tasks.
int threadCountFor(int requested, int64_t tasks);

void parallelFor(int64_t count, int threads, const std::function<void(int64_t task)>& task);

} // namespace salience
