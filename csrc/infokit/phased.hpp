// Several dependent loops run in one parallel region: phase after phase, each a fixed list of
// items. Internal to the core.
//
// On a shared machine the OS runs another program on one of our cores for a few milliseconds
// at a time. With one parallel region (and its closing barrier) per loop, every loop can wait
// that long for a thread that was not running, and a kernel of a handful of loops at 2
// threads ends up slower than at 1. Here a thread claims the current phase's items one at a
// time; once none is left it waits only for the items other threads are still running (the
// next phase reads their results), then goes on. A thread that starts late finds the early
// phases done and skips them, so only the region's single closing barrier can wait for it.
// Items are fixed by the caller and write their own outputs, so the results do not depend on
// the thread count.
#pragma once
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "infokit/parallel.hpp"

namespace infokit::detail {

struct Phase {
    std::size_t n_items;
    std::function<void(std::size_t)> body;
};

// Runs the phases in order on up to `threads` threads (one: a plain loop); every item of a
// phase has finished before any item of the next starts. The first exception thrown by an
// item is rethrown on the calling thread after the region; the other items of its phase
// still run, and no later phase starts (they would read what the failed item left unset).
inline void run_phases(int threads, const std::vector<Phase>& phases) {
    if (threads <= 1) {
        for (const Phase& ph : phases)
            for (std::size_t i = 0; i < ph.n_items; ++i) ph.body(i);
        return;
    }
#if defined(_OPENMP)
    struct Counters {
        std::atomic<std::size_t> next{0}, done{0};
    };
    const std::unique_ptr<Counters[]> counters(new Counters[phases.size()]);
    std::exception_ptr error;
    std::mutex error_mutex;
    std::atomic<bool> failed{false};
#pragma omp parallel num_threads(threads)
    {
        for (std::size_t p = 0; p < phases.size() && !failed.load(std::memory_order_acquire); ++p) {
            const Phase& ph = phases[p];
            Counters& c = counters[p];
            for (std::size_t i; (i = c.next.fetch_add(1, std::memory_order_relaxed)) < ph.n_items;) {
                try {
                    ph.body(i);
                } catch (...) {
                    std::lock_guard<std::mutex> lock(error_mutex);
                    if (!error) error = std::current_exception();
                    failed.store(true, std::memory_order_release);
                }
                c.done.fetch_add(1, std::memory_order_release);
            }
            // The items still running elsewhere: a few spins, then the core goes to whoever
            // needs it (on two cores, possibly the very thread being waited for).
            for (int spin = 0; c.done.load(std::memory_order_acquire) < ph.n_items; ++spin)
                if (spin >= 64) std::this_thread::yield();
        }
    }
    if (error) std::rethrow_exception(error);
#else
    run_phases(1, phases);
#endif
}

}  // namespace infokit::detail
