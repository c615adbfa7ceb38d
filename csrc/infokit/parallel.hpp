// OpenMP helpers: the thread count rule, and a parallel loop that never lets an exception
// cross the parallel region. Work is always split into items fixed by the caller (never by
// the thread count), so every result is the same at any number of threads.
#pragma once
#include <cstddef>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace infokit {

inline int cpu_count() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

inline int default_threads() {
#if defined(_OPENMP)
    return omp_get_max_threads();
#else
    return 1;
#endif
}

// scikit-learn's rule: 0 means the OpenMP default (None in Python), negative counts back from
// the CPU count (-1 = all CPUs, -2 = all but one), never fewer than one.
inline int resolve_threads(int n_threads) {
    if (n_threads == 0) return default_threads();
    if (n_threads < 0) {
        const int n = cpu_count() + 1 + n_threads;
        return n < 1 ? 1 : n;
    }
    return n_threads;
}

// Below this many elements of work a parallel region costs more than it saves.
inline constexpr std::size_t kMinParallelWork = 1 << 15;

// Calls body(i) for i in [0, n_items) on up to `threads` threads (static schedule, or with
// kDynamic one item at a time to whichever thread is free: for few, large items, such as the
// coders' blocks, so that a thread the OS preempts on a shared machine does not leave the
// others waiting at the barrier with its whole static share still to do). The first
// exception thrown by any body is rethrown on the calling thread after the region.
template <bool kDynamic = false, class Body>
void parallel_for(std::size_t n_items, int threads, Body&& body) {
    if (threads <= 1 || n_items <= 1) {
        for (std::size_t i = 0; i < n_items; ++i) body(i);
        return;
    }
#if defined(_OPENMP)
    std::exception_ptr error;
    std::mutex error_mutex;
    const long long n = static_cast<long long>(n_items);
    auto run = [&](long long i) {
        try {
            body(static_cast<std::size_t>(i));
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (!error) error = std::current_exception();
        }
    };
    if (kDynamic) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (long long i = 0; i < n; ++i) run(i);
    } else {
#pragma omp parallel for schedule(static) num_threads(threads)
        for (long long i = 0; i < n; ++i) run(i);
    }
    if (error) std::rethrow_exception(error);
#else
    for (std::size_t i = 0; i < n_items; ++i) body(i);
#endif
}

inline const char* openmp_runtime() {
#if defined(_OPENMP)
#if defined(__clang__)
    return "OpenMP (libomp)";
#elif defined(__GNUC__)
    return "OpenMP (libgomp)";
#else
    return "OpenMP";
#endif
#else
    return "none (built without OpenMP)";
#endif
}

}  // namespace infokit
