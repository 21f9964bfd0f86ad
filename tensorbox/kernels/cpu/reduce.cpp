#include "tensorbox/kernels/cpu/reduce.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/layout.h"
#include "tensorbox/kernels/cpu/simd.h"

namespace tb::kernels::cpu {
namespace {

// Reduces [outer, R, inner] to [outer, inner].
template <class T>
void reduce_3d(ReduceOp op, const T* x, T* y, int64_t outer, int64_t R, int64_t inner) {
  using C = compute_t<T>;
  using Acc = std::conditional_t<std::is_floating_point_v<C>, double, int64_t>;
  parallel_for_each(outer, outer * R * inner, [&](int64_t o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* p = x + o * R * inner + i;
      Acc acc;
      if (op == ReduceOp::sum || op == ReduceOp::mean) {
        acc = 0;
        for (int64_t r = 0; r < R; ++r) acc += Acc(load_c(p[r * inner]));
        if (op == ReduceOp::mean) {
          if constexpr (std::is_floating_point_v<C>) acc = R > 0 ? acc / Acc(R) : Acc(NAN);  // mean of nothing
          else if (R > 0) acc /= Acc(R);
        }
      } else if (op == ReduceOp::prod) {
        acc = 1;
        for (int64_t r = 0; r < R; ++r) acc *= Acc(load_c(p[r * inner]));
      } else {
        const bool mx = op == ReduceOp::max;
        acc = std::is_floating_point_v<C> ? Acc(mx ? -INFINITY : INFINITY)
                                          : Acc(mx ? std::numeric_limits<C>::lowest()
                                                   : std::numeric_limits<C>::max());
        for (int64_t r = 0; r < R; ++r) {
          const Acc v = Acc(load_c(p[r * inner]));
          if constexpr (std::is_floating_point_v<C>) {
            if (std::isnan(v)) { acc = v; break; }
          }
          acc = mx ? (v > acc ? v : acc) : (v < acc ? v : acc);
        }
      }
      y[o * inner + i] = store_c<T>(C(acc));
    }
  });
}

void reduce_3d_f32(ReduceOp op, const float* x, float* y, int64_t outer, int64_t R,
                   int64_t inner) {
  const int64_t work = outer * R * inner;
  if (inner == 1 && (op == ReduceOp::sum || op == ReduceOp::mean || op == ReduceOp::max)) {
    parallel_for_each(outer, work, [&](int64_t o) {
      const float* p = x + o * R;
      if (op == ReduceOp::max) {
        float m = simd::max_f32(p, R);
        for (int64_t r = 0; r < R; ++r) if (std::isnan(p[r])) { m = p[r]; break; }
        y[o] = m;
      } else {
        const float s = simd::sum_f32(p, R);
        y[o] = op == ReduceOp::mean ? (R > 0 ? s / float(R) : NAN) : s;
      }
    });
    return;
  }
  if (op == ReduceOp::sum || op == ReduceOp::mean) {
    // Column sums: accumulate whole rows, vectorized along `inner`; parallel over columns.
    const int64_t chunk = 1024;
    const int64_t chunks = (inner + chunk - 1) / chunk;
    parallel_for_each(outer * chunks, work, [&](int64_t item) {
      const int64_t o = item / chunks, c = item % chunks;
      const int64_t b = c * chunk, n = std::min(chunk, inner - b);
      float* out = y + o * inner + b;
      std::fill(out, out + n, 0.0f);
      for (int64_t r = 0; r < R; ++r) simd::accumulate_f32(x + (o * R + r) * inner + b, out, n);
      if (op == ReduceOp::mean)
        for (int64_t j = 0; j < n; ++j) out[j] = R > 0 ? out[j] / float(R) : NAN;
    });
    return;
  }
  reduce_3d<float>(op, x, y, outer, R, inner);
}

}  // namespace

Tensor reduce(ReduceOp op, const Tensor& x_in, const std::vector<int64_t>& axes, bool keepdims) {
  ensure_runtime_initialized();
  // 16-bit floats accumulate in float32 anyway: reduce a float32 copy with the SIMD kernels and
  // round once at the end.
  if (x_in.dtype() == DType::float16 || x_in.dtype() == DType::bfloat16)
    return cast(reduce(op, cast(x_in, DType::float32), axes, keepdims), x_in.dtype());
  Tensor x = x_in;
  std::vector<int64_t> kept_dims, out_dims;
  const auto& d = x.shape().dims();
  std::vector<bool> reduced(d.size(), false);
  for (int64_t a : axes) reduced[size_t(a)] = true;
  for (size_t i = 0; i < d.size(); ++i) {
    if (!reduced[i]) kept_dims.push_back(d[i]);
    if (!reduced[i] || keepdims) out_dims.push_back(reduced[i] ? 1 : d[i]);
  }
  int64_t outer = 1, R = 1, inner = 1;
  const bool adjacent = axes.empty() || axes.back() - axes.front() + 1 == int64_t(axes.size());
  if (adjacent && !axes.empty()) {
    for (int64_t i = 0; i < axes.front(); ++i) outer *= d[size_t(i)];
    for (int64_t a : axes) R *= d[size_t(a)];
    for (size_t i = size_t(axes.back()) + 1; i < d.size(); ++i) inner *= d[i];
  } else if (axes.empty()) {
    outer = x.size();
  } else {
    std::vector<int64_t> perm;
    for (size_t i = 0; i < d.size(); ++i) if (!reduced[i]) perm.push_back(int64_t(i));
    for (int64_t a : axes) perm.push_back(a);
    x = transpose(x, perm);
    for (int64_t k : kept_dims) outer *= k;
    for (int64_t a : axes) R *= d[size_t(a)];
  }
  Tensor y = Tensor::empty(Shape(out_dims), x.dtype());
  if (y.size() == 0) return y;
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float>)
      reduce_3d_f32(op, x.data<float>(), y.data<float>(), outer, R, inner);
    else if constexpr (!std::is_same_v<T, bool>)
      reduce_3d<T>(op, static_cast<const T*>(x.raw_data()), static_cast<T*>(y.raw_data()), outer,
                   R, inner);
    else
      throw InternalError("reduction of bool reached the kernel");
  });
  return y;
}

Tensor arg_reduce(bool is_max, const Tensor& x, int64_t axis) {
  const auto& d = x.shape().dims();
  int64_t outer = 1, R = d[size_t(axis)], inner = 1;
  std::vector<int64_t> out_dims;
  for (size_t i = 0; i < d.size(); ++i) {
    if (int64_t(i) < axis) outer *= d[i];
    if (int64_t(i) > axis) inner *= d[i];
    if (int64_t(i) != axis) out_dims.push_back(d[i]);
  }
  Tensor y = Tensor::empty(Shape(out_dims), DType::int64);
  int64_t* py = y.data<int64_t>();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* px = static_cast<const T*>(x.raw_data());
    parallel_for_each(outer, x.size(), [&](int64_t o) {
      for (int64_t i = 0; i < inner; ++i) {
        int64_t best = 0;
        auto bv = load_c(px[o * R * inner + i]);
        for (int64_t r = 1; r < R; ++r) {
          const auto v = load_c(px[(o * R + r) * inner + i]);
          if (is_max ? v > bv : v < bv) { bv = v; best = r; }
        }
        py[o * inner + i] = best;
      }
    });
  });
  return y;
}

}  // namespace tb::kernels::cpu
