// The machine's limits, measured in the benchmark's own process: oneDNN sgemm GFLOP/s at a
// given GEMM shape and STREAM-triad bandwidth. Shared by the training harnesses.
//
//   const double peak = tb::bench::sgemm_gflops(1024, 1024, 1024, false, false);
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

#include "tensorbox/core/random.h"
#include "tensorbox/kernels/cpu/matmul.h"

namespace tb::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// GFLOP/s of C[M,N] = A[M,K] @ B[K,N] (with the given transposes), median-free best of a few.
inline double sgemm_gflops(int64_t M, int64_t K, int64_t N, bool ta, bool tb) {
  const Tensor a = random::uniform(ta ? Shape{K, M} : Shape{M, K});
  const Tensor b = random::uniform(tb ? Shape{N, K} : Shape{K, N});
  kernels::cpu::matmul(a, b, ta, tb);  // JIT + cache warm-up
  int reps = int(std::max<int64_t>(3, 2'000'000'000 / std::max<int64_t>(1, 2 * M * K * N)));
  reps = std::min(reps, 2000);
  double best = 1e30;
  for (int trial = 0; trial < 3; ++trial) {
    const auto t0 = Clock::now();
    for (int r = 0; r < reps; ++r) kernels::cpu::matmul(a, b, ta, tb);
    best = std::min(best, seconds_since(t0) / reps);
  }
  return 2.0 * double(M) * double(K) * double(N) / best / 1e9;
}

// Memory bandwidth in GB/s: STREAM's triad a = b + s*c over three arrays of n floats, counted as
// STREAM counts it (12 bytes per element), on the engine's thread count; best of several passes
// after one that faults the pages in. n = 32M (384 MB) measures DRAM; n = the model's parameter
// count measures the cache level the optimizer's state really streams from (3 x 3.3 MB here).
inline double triad_gbps(int threads, int64_t n) {
  std::vector<float> a(size_t(n), 0.0f), b(size_t(n), 1.0f), c(size_t(n), 2.0f);
  const int passes = int(std::max<int64_t>(5, (int64_t(1) << 28) / n));
  double best = 1e30;
  for (int pass = 0; pass <= passes; ++pass) {
    const auto t0 = Clock::now();
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t i = 0; i < n; ++i) a[size_t(i)] = b[size_t(i)] + 3.0f * c[size_t(i)];
    if (pass > 0) best = std::min(best, seconds_since(t0));
  }
  return 12.0 * double(n) / best / 1e9;
}


}  // namespace tb::bench
