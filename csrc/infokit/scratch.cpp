#include "infokit/scratch.hpp"

#include <deque>
#include <mutex>

namespace infokit::detail {

namespace {

// Kept blocks, oldest first. One lock for all threads: blocks are freed on other threads
// than the ones that took them (a sort made on a worker thread, freed by the caller), and a
// call takes a few dozen blocks at most.
struct Pool {
    std::mutex mutex;
    std::deque<std::pair<std::size_t, void*>> blocks;
    std::size_t kept = 0;
};

// Never destroyed: a block freed during the interpreter's exit still finds it.
Pool& pool() {
    static Pool* p = new Pool;
    return *p;
}

}  // namespace

void* scratch_allocate(std::size_t bytes) {
    if (bytes >= kScratchMinBytes) {
        Pool& p = pool();
        std::lock_guard<std::mutex> lock(p.mutex);
        // The newest block of the size: the likeliest still in the cache.
        for (auto it = p.blocks.rbegin(); it != p.blocks.rend(); ++it) {
            if (it->first == bytes) {
                void* block = it->second;
                p.kept -= bytes;
                p.blocks.erase(std::next(it).base());
                return block;
            }
        }
    }
    return ::operator new(bytes);
}

void scratch_release(void* block, std::size_t bytes) noexcept {
    if (block == nullptr) return;
    if (bytes >= kScratchMinBytes && bytes <= kScratchKeptBytes) {
        Pool& p = pool();
        std::lock_guard<std::mutex> lock(p.mutex);
        try {
            p.blocks.emplace_back(bytes, block);
        } catch (...) {  // no room to record it: the block goes back to the system
            ::operator delete(block);
            return;
        }
        p.kept += bytes;
        while (p.kept > kScratchKeptBytes) {
            p.kept -= p.blocks.front().first;
            ::operator delete(p.blocks.front().second);
            p.blocks.pop_front();
        }
        return;
    }
    ::operator delete(block);
}

std::size_t scratch_kept_bytes() {
    Pool& p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    return p.kept;
}

}  // namespace infokit::detail
