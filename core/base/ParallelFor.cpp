#include "base/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace salience {

namespace {
thread_local bool t_insideTask = false; // this thread runs a task of parallelFor

struct InsideTask {
    bool previous = t_insideTask;
    InsideTask() { t_insideTask = true; }
    ~InsideTask() { t_insideTask = previous; }
};
} // namespace

int threadCountFor(int requested, int64_t tasks)
{
    const int hw = t_insideTask ? 1 : int(std::max(1u, std::thread::hardware_concurrency()));
    const int64_t wanted = requested > 0 ? requested : hw;
    return int(std::clamp<int64_t>(wanted, 1, std::max<int64_t>(1, tasks)));
}

void parallelFor(int64_t count, int threads, const std::function<void(int64_t task)>& task)
{
    std::atomic<int64_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr firstError;
    std::mutex errorMutex;
    auto work = [&] {
        const InsideTask inside;
        while (!failed.load()) {
            const int64_t i = next.fetch_add(1);
            if (i >= count)
                return;
            try {
                task(i);
            } catch (...) {
                std::lock_guard lock(errorMutex);
                if (!firstError)
                    firstError = std::current_exception();
                failed.store(true);
            }
        }
    };
    const int n = threadCountFor(threads, count);
    std::vector<std::thread> pool;
    for (int t = 1; t < n; ++t)
        pool.emplace_back(work);
    work();
    for (auto& t : pool)
        t.join();
    if (firstError)
        std::rethrow_exception(firstError);
}

void parallelRanges(int64_t count, int64_t grain, const std::function<void(int64_t begin, int64_t end)>& range,
                    int threads)
{
    if (count <= 0)
        return;
    grain = std::max<int64_t>(1, grain);
    const int n = threadCountFor(threads, count / grain);
    if (n <= 1) {
        range(0, count);
        return;
    }
    // A few ranges per thread, so one slow thread (another process on its core) holds up less.
    const int64_t pieces = std::min<int64_t>(count / grain, int64_t(n) * 4);
    parallelFor(pieces, n, [&](int64_t piece) { range(count * piece / pieces, count * (piece + 1) / pieces); });
}

} // namespace salience
