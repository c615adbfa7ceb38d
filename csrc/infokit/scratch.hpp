// Large temporary arrays recycled between calls. The 1-D KSG kernel needs about 150 bytes of
// temporaries a point; the system allocator hands blocks this large back to the kernel when
// they are freed, so every call would fault in (and zero) each of their pages again, a
// quarter of the time of an estimate at 1e5 points. Freed blocks of at least kMinBytes are
// kept instead, up to kKeptBytes in all, and handed out again to a request of the same size
// (repeated calls on data of one size make the same requests). Internal to the core.
#pragma once
#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace infokit::detail {

inline constexpr std::size_t kScratchMinBytes = std::size_t{1} << 16;
inline constexpr std::size_t kScratchKeptBytes = std::size_t{64} << 20;

// A block of `bytes` bytes: a kept one of that size where there is one.
void* scratch_allocate(std::size_t bytes);
// Keeps the block (oldest kept blocks go back to the system first when over the bound).
void scratch_release(void* p, std::size_t bytes) noexcept;
// The bytes kept now (for the tests of the bound).
std::size_t scratch_kept_bytes();

// An allocator over scratch_allocate that leaves elements default-initialised: the arrays
// it serves are written in full before they are read, so zeroing them would only cost a
// pass over their memory. Only for trivial element types.
template <class T>
struct ScratchAllocator {
    using value_type = T;
    ScratchAllocator() noexcept = default;
    template <class U>
    ScratchAllocator(const ScratchAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
        return static_cast<T*>(scratch_allocate(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept { scratch_release(p, n * sizeof(T)); }
    template <class U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
    template <class U>
    friend bool operator==(const ScratchAllocator&, const ScratchAllocator<U>&) noexcept {
        return true;
    }
    template <class U>
    friend bool operator!=(const ScratchAllocator&, const ScratchAllocator<U>&) noexcept {
        return false;
    }
};

// A vector of scratch memory whose elements start uninitialised (see ScratchAllocator).
template <class T>
using ScratchVector = std::vector<T, ScratchAllocator<T>>;

}  // namespace infokit::detail
