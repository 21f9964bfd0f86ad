// One threading runtime for the whole engine: the OpenMP pool that Debian's oneDNN also uses,
// so matmuls and our own kernels never spin two pools against each other.
//
// Denormals are flushed to zero (FTZ/DAZ), as TensorFlow does: Adam's second moments decay
// into the denormal range and would otherwise run about 2x slower. The mode is per thread,
// so it is set on every pool thread whenever the pool is (re)sized. Worker threads are also
// pinned one per allowed CPU (unless OMP_PROC_BIND, OMP_PLACES or GOMP_CPU_AFFINITY say
// otherwise); the calling thread is left free.
//
//   tb::set_num_threads(2);
//   int n = tb::get_num_threads();
#pragma once

#include <cstdint>

namespace tb {

void set_num_threads(int n);  // n >= 1; throws InvalidArgumentError otherwise
int get_num_threads();
// Makes sure FTZ/DAZ is on in every pool thread; called by the engine on first use.
void ensure_runtime_initialized();
// Work below this many elements runs on one thread: waking the pool costs more.
inline constexpr int64_t kParallelGrain = 32768;

}  // namespace tb
