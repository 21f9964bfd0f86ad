#include "tensorbox/kernels/cpu/softmax.h"

#include <cmath>
#include <vector>

#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/layout.h"

namespace tb::kernels::cpu {
namespace {

// Runs f(r) for each row r of a [rows, C] view, in parallel when the view is large.
template <class F>
void for_rows(int64_t rows, int64_t C, F&& f) {
  parallel_for_each(rows, rows * C, f);
}

// The max of one row and the sum of exp(x - max); the exponentials are kept in `exps`.
template <class T>
std::pair<T, T> max_and_sum_exp(const T* in, int64_t C, T* exps) {
  T m = -INFINITY;
  for (int64_t j = 0; j < C; ++j) m = in[j] > m ? in[j] : m;
  T s = 0;
  for (int64_t j = 0; j < C; ++j) s += (exps[j] = std::exp(in[j] - m));
  return {m, s};
}

template <class T>
void softmax_rows(const T* x, T* y, int64_t rows, int64_t C, bool log) {
  for_rows(rows, C, [&](int64_t r) {
    const T* in = x + r * C;
    T* out = y + r * C;
    const auto [m, s] = max_and_sum_exp(in, C, out);
    if (log) {
      const T ls = std::log(s);
      for (int64_t j = 0; j < C; ++j) out[j] = in[j] - m - ls;
    } else {
      for (int64_t j = 0; j < C; ++j) out[j] /= s;
    }
  });
}

// Either labels are class indices (sparse) or rows of probabilities.
template <class T>
void xent_rows(const Tensor* sparse, const T* dense, const T* x, T* loss, T* back, int64_t rows,
               int64_t C) {
  for_rows(rows, C, [&](int64_t r) {
    const T* in = x + r * C;
    T* g = back + r * C;
    const auto [m, s] = max_and_sum_exp(in, C, g);
    const T lse = m + std::log(s);
    if (sparse) {
      const int64_t k = index_at(*sparse, r);
      for (int64_t j = 0; j < C; ++j) g[j] /= s;
      g[k] -= T(1);
      loss[r] = lse - in[k];
    } else {
      const T* p = dense + r * C;
      T l = 0;
      for (int64_t j = 0; j < C; ++j) {
        if (p[j] != T(0)) l += p[j] * (lse - in[j]);
        g[j] = g[j] / s - p[j];
      }
      loss[r] = l;
    }
  });
}

template <class Fn>
auto in_compute_type(const Tensor& x, Fn&& fn) {
  const bool f64 = x.dtype() == DType::float64;
  return f64 ? fn(double{}, x) : fn(float{}, cast(x, DType::float32));
}

}  // namespace

Tensor softmax(const Tensor& x, bool log) {
  ensure_runtime_initialized();
  const int64_t C = x.rank() ? x.dim(-1) : 1;
  const int64_t rows = C ? x.size() / C : 0;
  Tensor y = in_compute_type(x, [&](auto tag, const Tensor& xc) {
    using T = decltype(tag);
    Tensor out = Tensor::empty(x.shape(), dtype_of<T>());
    softmax_rows<T>(xc.template data<T>(), out.template data<T>(), rows, C, log);
    return out;
  });
  return cast(y, x.dtype());
}

std::pair<Tensor, Tensor> sparse_softmax_xent(const Tensor& labels, const Tensor& logits) {
  ensure_runtime_initialized();
  const int64_t rows = logits.dim(0), C = logits.dim(1);
  auto r = in_compute_type(logits, [&](auto tag, const Tensor& xc) {
    using T = decltype(tag);
    Tensor loss = Tensor::empty({rows}, dtype_of<T>());
    Tensor back = Tensor::empty(logits.shape(), dtype_of<T>());
    xent_rows<T>(&labels, nullptr, xc.template data<T>(), loss.template data<T>(),
                 back.template data<T>(), rows, C);
    return std::make_pair(loss, back);
  });
  return {cast(r.first, logits.dtype()), cast(r.second, logits.dtype())};
}

std::pair<Tensor, Tensor> softmax_xent(const Tensor& labels, const Tensor& logits) {
  ensure_runtime_initialized();
  const int64_t rows = logits.dim(0), C = logits.dim(1);
  auto r = in_compute_type(logits, [&](auto tag, const Tensor& xc) {
    using T = decltype(tag);
    const Tensor lc = cast(labels, dtype_of<T>());
    Tensor loss = Tensor::empty({rows}, dtype_of<T>());
    Tensor back = Tensor::empty(logits.shape(), dtype_of<T>());
    xent_rows<T>(nullptr, lc.template data<T>(), xc.template data<T>(), loss.template data<T>(),
                 back.template data<T>(), rows, C);
    return std::make_pair(loss, back);
  });
  return {cast(r.first, logits.dtype()), cast(r.second, logits.dtype())};
}

}  // namespace tb::kernels::cpu
