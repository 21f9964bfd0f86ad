#include "tensorbox/core/threading.h"

#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <xmmintrin.h>

#include <cstdlib>
#include <vector>

#include <mutex>
#include <string>

#include "tensorbox/core/errors.h"

namespace tb {
namespace {

// The CPUs this process may run on, in order.
std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  return cpus;
}

// Whether the user chose thread placement; then we leave it alone.
bool placement_chosen_by_user() {
  for (const char* v : {"OMP_PROC_BIND", "OMP_PLACES", "GOMP_CPU_AFFINITY", "KMP_AFFINITY"})
    if (std::getenv(v)) return true;
  return false;
}

// Runs once per pool size on every pool thread: flushes denormals (the MXCSR is per thread)
// and pins worker thread i to the i-th allowed CPU when there are enough of them. Without
// pinning, the scheduler now and then parks both threads of a 2-thread pool on one CPU and
// every parallel region then waits for a context switch: measured 2.5x slower epochs at
// batch 32 (bench/mlp_train, OMP_PROC_BIND unset vs set). The calling thread stays unpinned,
// so threads the application starts later keep every CPU.
void prepare_pool_threads() {
  constexpr unsigned kFtzDaz = 0x8040;
  const std::vector<int> cpus = allowed_cpus();
  const bool pin = !placement_chosen_by_user();
#pragma omp parallel
  {
    _mm_setcsr(_mm_getcsr() | kFtzDaz);
    const int t = omp_get_thread_num(), n = omp_get_num_threads();
    if (pin && t > 0 && n <= int(cpus.size())) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpus[size_t(t) % cpus.size()], &one);
      pthread_setaffinity_np(pthread_self(), sizeof one, &one);
    }
  }
  _mm_setcsr(_mm_getcsr() | kFtzDaz);
}

std::once_flag g_init;

}  // namespace

void ensure_runtime_initialized() {
  std::call_once(g_init, [] { prepare_pool_threads(); });
}

void set_num_threads(int n) {
  if (n < 1)
    throw InvalidArgumentError("set_num_threads: the thread count must be >= 1, got " +
                               std::to_string(n));
  omp_set_num_threads(n);
  prepare_pool_threads();
}

int get_num_threads() { return omp_get_max_threads(); }

namespace detail {
void parallel_chunks(int64_t n, int64_t grain, void (*run)(void*, int64_t, int64_t), void* body) {
  const int64_t chunks = (n + grain - 1) / grain;
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < chunks; ++c) run(body, c * grain, std::min(n, (c + 1) * grain));
}

void parallel_items(int64_t items, void (*run)(void*, int64_t), void* body) {
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < items; ++i) run(body, i);
}
}  // namespace detail

}  // namespace tb
