#include "tensorbox/core/threading.h"

#include <omp.h>
#include <xmmintrin.h>

#include <mutex>
#include <string>

#include "tensorbox/core/errors.h"

namespace tb {
namespace {

void flush_denormals_everywhere() {
  constexpr unsigned kFtzDaz = 0x8040;
#pragma omp parallel
  { _mm_setcsr(_mm_getcsr() | kFtzDaz); }
  _mm_setcsr(_mm_getcsr() | kFtzDaz);
}

std::once_flag g_init;

}  // namespace

void ensure_runtime_initialized() {
  std::call_once(g_init, [] { flush_denormals_everywhere(); });
}

void set_num_threads(int n) {
  if (n < 1)
    throw InvalidArgumentError("set_num_threads: the thread count must be >= 1, got " +
                               std::to_string(n));
  omp_set_num_threads(n);
  flush_denormals_everywhere();
}

int get_num_threads() { return omp_get_max_threads(); }

}  // namespace tb
