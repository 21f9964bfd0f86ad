#include "tensorbox/core/allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <vector>

namespace tb {
namespace {

TEST(CachingAllocator, ReusesAFreedBlockOfTheSameSizeClass) {
  CachingAllocator a;
  void* p = a.allocate(10000);
  a.deallocate(p, 10000);
  EXPECT_EQ(a.cached_bytes(), CachingAllocator::round_size(10000));
  // A near-equal request falls in the same class and gets the same block back.
  EXPECT_EQ(a.allocate(10001), p);
  EXPECT_EQ(a.cached_bytes(), 0u);
  a.deallocate(p, 10001);
}

TEST(CachingAllocator, AlignsEveryBlockAndHugeOnesToHugePages) {
  CachingAllocator a;
  for (size_t bytes : {size_t(1), size_t(63), size_t(4097), size_t(3) << 20}) {
    void* p = a.allocate(bytes);
    const size_t align = bytes >= CachingAllocator::kHugePage ? CachingAllocator::kHugePage : CachingAllocator::kAlignment;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u) << bytes;
    a.deallocate(p, bytes);
  }
}

TEST(CachingAllocator, ReleaseCachedEmptiesTheFreeLists) {
  CachingAllocator a;
  std::vector<void*> blocks;
  for (int i = 0; i < 4; ++i) blocks.push_back(a.allocate(size_t(1000) << i));
  for (int i = 0; i < 4; ++i) a.deallocate(blocks[size_t(i)], size_t(1000) << i);
  EXPECT_GT(a.cached_bytes(), 0u);
  a.release_cached();
  EXPECT_EQ(a.cached_bytes(), 0u);
  a.deallocate(nullptr, 100);  // a no-op, as free(nullptr)
  EXPECT_EQ(a.cached_bytes(), 0u);
}

TEST(CachingAllocator, IsSafeToShareBetweenThreads) {
  CachingAllocator a;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&a, t] {
      for (int i = 0; i < 2000; ++i) {
        const size_t bytes = size_t(64 * (1 + (i + t) % 50));
        auto* p = static_cast<unsigned char*>(a.allocate(bytes));
        p[0] = p[bytes - 1] = 0xAB;  // the whole block is ours: ASan would catch a shared one
        a.deallocate(p, bytes);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_LE(a.cached_bytes(), CachingAllocator::kMaxCachedBytes);
}

}  // namespace
}  // namespace tb
