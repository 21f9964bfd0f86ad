#include "tensorbox/core/threading.h"

#include <gtest/gtest.h>
#include <omp.h>
#include <xmmintrin.h>

#include <atomic>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "tensorbox/core/errors.h"

namespace tb {
namespace {

// The chunks parallel_for ran, collected under a lock.
struct Chunks {
  std::mutex mu;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  std::set<int> threads;
  void add(int64_t b, int64_t e) {
    std::lock_guard<std::mutex> lock(mu);
    ranges.emplace_back(b, e);
    threads.insert(omp_get_thread_num());
  }
};

TEST(ParallelFor, CoversTheRangeOnceInGrainSizedChunks) {
  const int64_t n = 5 * kParallelGrain + 17;
  std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
  Chunks chunks;
  parallel_for(n, [&](int64_t b, int64_t e) {
    chunks.add(b, e);
    for (int64_t i = b; i < e; ++i) hits[size_t(i)]++;
  });
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[size_t(i)], 1) << i;
  EXPECT_EQ(chunks.ranges.size(), 6u);
  for (const auto& [b, e] : chunks.ranges) EXPECT_LE(e - b, kParallelGrain);
}

TEST(ParallelFor, SmallWorkRunsAsOneCallOnTheCallingThread) {
  Chunks chunks;
  parallel_for(kParallelGrain, [&](int64_t b, int64_t e) { chunks.add(b, e); });
  ASSERT_EQ(chunks.ranges.size(), 1u);
  EXPECT_EQ(chunks.ranges[0], std::make_pair(int64_t(0), kParallelGrain));
  EXPECT_EQ(*chunks.threads.begin(), 0);
  int calls = 0;
  parallel_for(0, [&](int64_t, int64_t) { ++calls; });
  EXPECT_EQ(calls, 0);  // nothing to do: no call
}

TEST(ParallelFor, CostShrinksTheChunks) {
  Chunks chunks;
  parallel_for(kParallelGrain, [&](int64_t b, int64_t e) { chunks.add(b, e); }, /*cost=*/4);
  EXPECT_EQ(chunks.ranges.size(), 4u);
  for (const auto& [b, e] : chunks.ranges) EXPECT_EQ(e - b, kParallelGrain / 4);
}

TEST(ParallelForEach, RunsEveryItemOnceOnThePoolOnlyWhenTheWorkIsLarge) {
  set_num_threads(2);
  std::vector<std::atomic<int>> hits(100);
  Chunks small, large;
  parallel_for_each(100, kParallelGrain, [&](int64_t i) {
    hits[size_t(i)]++;
    small.add(i, i + 1);
  });
  EXPECT_EQ(small.threads, std::set<int>{0});  // one grain of work: a plain loop here
  parallel_for_each(100, 100 * kParallelGrain, [&](int64_t i) {
    hits[size_t(i)]++;
    large.add(i, i + 1);
  });
  for (const auto& h : hits) EXPECT_EQ(h, 2);
  EXPECT_EQ(large.threads.size(), 2u);  // split over the pool
}

TEST(ParallelFor, FlushesDenormalsOnEveryThreadItRuns) {
  set_num_threads(2);
  std::atomic<int> without{0};
  parallel_for(4 * kParallelGrain, [&](int64_t, int64_t) {
    const unsigned ftz_daz = 0x8040;
    if ((_mm_getcsr() & ftz_daz) != ftz_daz) ++without;
  });
  EXPECT_EQ(without, 0);
  EXPECT_EQ(get_num_threads(), 2);
  EXPECT_THROW(set_num_threads(0), InvalidArgumentError);
}

}  // namespace
}  // namespace tb
