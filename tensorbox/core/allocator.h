// The caching allocator behind every tensor's storage.
//
// Blocks are 64-byte aligned (a cache line, one AVX-512 vector). Freed blocks are kept in
// per-size free lists and handed out again, because a training step allocates the same
// large temporaries every time and glibc would return them to the OS and page-fault them
// back in on every step. Sizes are rounded up so that near-equal requests share a list.
//
//   void* p = tb::allocator().allocate(1 << 20);
//   tb::allocator().deallocate(p, 1 << 20);
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

namespace tb {

class CachingAllocator {
 public:
  static constexpr size_t kAlignment = 64;
  // Blocks kept for reuse stay below this many bytes; beyond it frees go to the OS.
  static constexpr size_t kMaxCachedBytes = size_t(2) << 30;
  static constexpr size_t kHugePage = size_t(2) << 20;

  void* allocate(size_t bytes);
  void deallocate(void* p, size_t bytes);
  // Returns every cached block to the OS.
  void release_cached();
  size_t cached_bytes() const;
  ~CachingAllocator();

  static size_t round_size(size_t bytes);

 private:
  mutable std::mutex mu_;
  std::map<size_t, std::vector<void*>> free_;
  size_t cached_ = 0;
};

CachingAllocator& allocator();

}  // namespace tb
