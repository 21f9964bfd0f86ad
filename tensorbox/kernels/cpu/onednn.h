// What every oneDNN-backed kernel shares: the CPU engine, one stream per thread, dtype
// mapping, and a process-wide cache of primitives keyed by their geometry (creating a
// primitive JIT-compiles code and costs milliseconds; executing a cached one costs nothing).
//
//   auto p = onednn::cached<MyPrim>("conv|" + key, [&] { return MyPrim{...}; });
//   p->prim.execute(onednn::stream(), args);
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <oneapi/dnnl/dnnl.hpp>

#include "tensorbox/core/tensor.h"

namespace tb::kernels::cpu::onednn {

dnnl::engine& engine();
// This thread's stream: creating one per call costs as much as a small GEMM.
dnnl::stream& stream();
dnnl::memory::data_type data_type(DType t);
// A oneDNN memory over a tensor's storage (no copy).
dnnl::memory memory(const dnnl::memory::desc& md, const Tensor& t);
// Runs one primitive and waits for it.
void execute(const dnnl::primitive& p, const std::unordered_map<int, dnnl::memory>& args);
// `src` reordered into `want` (a new buffer) unless it already has that layout.
dnnl::memory reorder_to(const dnnl::memory& src, const dnnl::memory::desc& want);
// Whether the primitive runs JIT code rather than oneDNN's reference loops (for tests).
std::string impl_name(const dnnl::primitive_desc_base& pd);

namespace detail {
std::mutex& cache_mutex();
}

// The primitive for `key`, made once by `make` and shared by all threads.
template <class P>
std::shared_ptr<P> cached(const std::string& key, const std::function<P()>& make) {
  static std::unordered_map<std::string, std::shared_ptr<P>> cache;
  std::lock_guard<std::mutex> lock(detail::cache_mutex());
  auto& slot = cache[key];
  if (!slot) slot = std::make_shared<P>(make());
  return slot;
}

}  // namespace tb::kernels::cpu::onednn
