#include "tensorbox/core/allocator.h"

#include <sys/mman.h>

#include <bit>
#include <cstdlib>
#include <new>

namespace tb {

size_t CachingAllocator::round_size(size_t bytes) {
  if (bytes <= 4096) return std::max<size_t>(kAlignment, (bytes + kAlignment - 1) & ~(kAlignment - 1));
  // Four size classes per power of two: at most 25% waste, few distinct lists.
  const size_t pow2 = std::bit_floor(bytes);
  const size_t quarter = pow2 / 4;
  const size_t rounded = (bytes + quarter - 1) / quarter * quarter;
  // aligned_alloc wants a size that is a multiple of the alignment: whole huge pages up there.
  return rounded >= kHugePage ? (rounded + kHugePage - 1) / kHugePage * kHugePage : rounded;
}

void* CachingAllocator::allocate(size_t bytes) {
  const size_t size = round_size(bytes);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = free_.find(size);
    if (it != free_.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      cached_ -= size;
      return p;
    }
  }
  // Large blocks (weights, optimizer slots, big activations) are streamed through by GEMMs
  // and optimizer updates every step: back them with transparent huge pages where the kernel
  // offers them on request (THP "madvise" mode), which saves TLB misses on every pass.
  const bool huge = size >= kHugePage;
  void* p = std::aligned_alloc(huge ? kHugePage : kAlignment, size);
  if (!p) {
    release_cached();
    p = std::aligned_alloc(huge ? kHugePage : kAlignment, size);
    if (!p) throw std::bad_alloc();
  }
  if (huge) ::madvise(p, size, MADV_HUGEPAGE);  // advice only: failure changes nothing
  return p;
}

void CachingAllocator::deallocate(void* p, size_t bytes) {
  if (!p) return;
  const size_t size = round_size(bytes);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_ + size <= kMaxCachedBytes) {
      free_[size].push_back(p);
      cached_ += size;
      return;
    }
  }
  std::free(p);
}

void CachingAllocator::release_cached() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [size, blocks] : free_)
    for (void* p : blocks) std::free(p);
  free_.clear();
  cached_ = 0;
}

size_t CachingAllocator::cached_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cached_;
}

CachingAllocator::~CachingAllocator() { release_cached(); }

CachingAllocator& cpu_allocator() {
  // Leaked on purpose: tensors in static objects may be freed after main returns.
  static CachingAllocator* a = new CachingAllocator();
  return *a;
}

}  // namespace tb
