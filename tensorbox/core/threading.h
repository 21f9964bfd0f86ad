// One threading runtime for the whole engine: the OpenMP pool that Debian's oneDNN also uses,
// so matmuls and our own kernels never spin two pools against each other.
//
// Denormals are flushed to zero (FTZ/DAZ), as TensorFlow does: Adam's second moments decay
// into the denormal range and would otherwise run about 2x slower. The mode is per thread,
// so it is set on every pool thread whenever the pool is (re)sized. Worker threads are also
// pinned one per allowed CPU (unless OMP_PROC_BIND, OMP_PLACES or GOMP_CPU_AFFINITY say
// otherwise); the calling thread is left free.
//
// parallel_for is the one way the engine's own loops go parallel (oneDNN has its own): chunks
// of one grain size, kParallelGrain elements of unit cost, on that pool.
//
//   tb::set_num_threads(2);
//   int n = tb::get_num_threads();
//   tb::parallel_for(n, [&](int64_t begin, int64_t end) { for (...) y[i] = x[i] + 1; });
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace tb {

void set_num_threads(int n);  // n >= 1; throws InvalidArgumentError otherwise
int get_num_threads();
// Makes sure FTZ/DAZ is on in every pool thread; called by the engine on first use.
void ensure_runtime_initialized();
// Work below this many elements runs on one thread: waking the pool costs more.
inline constexpr int64_t kParallelGrain = 32768;

namespace detail {
void parallel_chunks(int64_t n, int64_t grain, void (*run)(void* body, int64_t begin, int64_t end), void* body);
void parallel_items(int64_t items, void (*run)(void* body, int64_t item), void* body);
}

// Runs body(begin, end) over [0, n) in chunks of kParallelGrain / cost elements on the pool
// (`cost`: the work of one element relative to a copy, e.g. 4 for a transcendental function),
// or as one call on this thread when n fits in one chunk. The body must not throw.
template <class Body>
void parallel_for(int64_t n, Body&& body, int64_t cost = 1) {
  ensure_runtime_initialized();  // FTZ/DAZ on this thread too, however small the work
  const int64_t grain = std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(1, cost));
  if (n <= grain) {
    if (n > 0) body(int64_t(0), n);
    return;
  }
  using B = std::remove_reference_t<Body>;
  detail::parallel_chunks(n, grain, [](void* b, int64_t begin, int64_t end) { (*static_cast<B*>(b))(begin, end); },
                          const_cast<void*>(static_cast<const void*>(&body)));
}

// Runs body(i) for each of `items` work items (rows, planes, blocks) that together touch `work`
// elements: on the pool, items split evenly over the threads, when the work exceeds one grain;
// otherwise in a plain loop on this thread (small work never enters an OpenMP region, whose
// entry alone costs more than a small eager op). The body must not throw.
template <class Body>
void parallel_for_each(int64_t items, int64_t work, Body&& body) {
  ensure_runtime_initialized();
  if (work <= kParallelGrain || items <= 1) {
    for (int64_t i = 0; i < items; ++i) body(i);
    return;
  }
  using B = std::remove_reference_t<Body>;
  detail::parallel_items(items, [](void* b, int64_t i) { (*static_cast<B*>(b))(i); },
                         const_cast<void*>(static_cast<const void*>(&body)));
}

}  // namespace tb
