// Allocators: the interface each device's memory comes through, and the caching allocator
// behind every CPU tensor's storage.
//
// Blocks are 64-byte aligned (a cache line, one AVX-512 vector). Freed blocks are kept in
// per-size free lists and handed out again, because a training step allocates the same
// large temporaries every time and glibc would return them to the OS and page-fault them
// back in on every step. Sizes are rounded up so that near-equal requests share a list.
//
//   void* p = tb::cpu_allocator().allocate(1 << 20);
//   tb::cpu_allocator().deallocate(p, 1 << 20);
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

namespace tb {

// Memory of one device. `deallocate` gets the size that was allocated.
class Allocator {
 public:
  virtual ~Allocator() = default;
  // Throws std::bad_alloc when the device is out of memory.
  virtual void* allocate(size_t bytes) = 0;
  virtual void deallocate(void* p, size_t bytes) = 0;
  // Bytes held for reuse, and handing them back (tf.config.experimental memory queries).
  virtual size_t cached_bytes() const { return 0; }
  virtual void release_cached() {}
};

class CachingAllocator final : public Allocator {
 public:
  static constexpr size_t kAlignment = 64;
  // Blocks kept for reuse stay below this many bytes; beyond it frees go to the OS.
  static constexpr size_t kMaxCachedBytes = size_t(2) << 30;
  static constexpr size_t kHugePage = size_t(2) << 20;

  void* allocate(size_t bytes) override;
  void deallocate(void* p, size_t bytes) override;
  // Returns every cached block to the OS.
  void release_cached() override;
  size_t cached_bytes() const override;
  ~CachingAllocator() override;

  static size_t round_size(size_t bytes);

 private:
  mutable std::mutex mu_;
  std::map<size_t, std::vector<void*>> free_;
  size_t cached_ = 0;
};

// The CPU's allocator (registered for DeviceType::CPU in core/device).
CachingAllocator& cpu_allocator();

}  // namespace tb
