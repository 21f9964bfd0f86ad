#include "tensorbox/kernels/cpu/layout.h"

#include <cstring>
#include <type_traits>

#include "tensorbox/core/threading.h"

namespace tb::kernels::cpu {

void strided_copy(const void* src, const std::vector<int64_t>& ss, void* dst,
                  const std::vector<int64_t>& ds, const Shape& shape, size_t es) {
  const int64_t total = shape.num_elements();
  if (total == 0) return;
  const int64_t r = shape.rank();
  if (r == 0) {
    std::memcpy(dst, src, es);
    return;
  }
  const int64_t len = shape.dims().back();
  const int64_t rows = total / len;
  const int64_t s_in = ss.back(), d_in = ds.back();
  const char* s = static_cast<const char*>(src);
  char* d = static_cast<char*>(dst);
  parallel_for_each(rows, total, [&](int64_t row) {
    int64_t so = 0, dof = 0, rem = row;
    for (int64_t i = r - 2; i >= 0; --i) {
      const int64_t idx = rem % shape.dims()[size_t(i)];
      rem /= shape.dims()[size_t(i)];
      so += idx * ss[size_t(i)];
      dof += idx * ds[size_t(i)];
    }
    if (s_in == 1 && d_in == 1) {
      std::memcpy(d + size_t(dof) * es, s + size_t(so) * es, size_t(len) * es);
    } else {
      for (int64_t j = 0; j < len; ++j)
        std::memcpy(d + size_t(dof + j * d_in) * es, s + size_t(so + j * s_in) * es, es);
    }
  });
}

Tensor transpose(const Tensor& x, const std::vector<int64_t>& perm) {
  std::vector<int64_t> dims(perm.size()), src_strides(perm.size());
  const auto in_strides = contiguous_strides(x.shape());
  for (size_t i = 0; i < perm.size(); ++i) {
    dims[i] = x.shape().dims()[size_t(perm[i])];
    src_strides[i] = in_strides[size_t(perm[i])];
  }
  Tensor y = Tensor::empty(Shape(dims), x.dtype());
  strided_copy(x.raw_data(), src_strides, y.raw_data(), contiguous_strides(y.shape()), y.shape(),
               dtype_size(x.dtype()));
  return y;
}

Tensor slice(const Tensor& x, const std::vector<int64_t>& begin, const std::vector<int64_t>& size) {
  Tensor y = Tensor::empty(Shape(size), x.dtype());
  const auto st = contiguous_strides(x.shape());
  int64_t off = 0;
  for (size_t i = 0; i < begin.size(); ++i) off += begin[i] * st[i];
  const size_t es = dtype_size(x.dtype());
  strided_copy(static_cast<const char*>(x.raw_data()) + size_t(off) * es, st, y.raw_data(),
               contiguous_strides(y.shape()), y.shape(), es);
  return y;
}

Tensor pad_slice(const Tensor& x, const Shape& full, const std::vector<int64_t>& begin) {
  Tensor y = Tensor::zeros(full, x.dtype());
  const auto st = contiguous_strides(full);
  int64_t off = 0;
  for (size_t i = 0; i < begin.size(); ++i) off += begin[i] * st[i];
  const size_t es = dtype_size(x.dtype());
  strided_copy(x.raw_data(), contiguous_strides(x.shape()),
               static_cast<char*>(y.raw_data()) + size_t(off) * es, st, x.shape(), es);
  return y;
}

Tensor concat(const std::vector<Tensor>& xs, int64_t axis) {
  std::vector<int64_t> dims = xs.at(0).shape().dims();
  dims[size_t(axis)] = 0;
  for (const Tensor& t : xs) dims[size_t(axis)] += t.shape().dims()[size_t(axis)];
  Tensor y = Tensor::empty(Shape(dims), xs[0].dtype());
  const auto st = contiguous_strides(y.shape());
  const size_t es = dtype_size(y.dtype());
  int64_t at = 0;
  for (const Tensor& t : xs) {
    strided_copy(t.raw_data(), contiguous_strides(t.shape()),
                 static_cast<char*>(y.raw_data()) + size_t(at * st[size_t(axis)]) * es, st,
                 t.shape(), es);
    at += t.shape().dims()[size_t(axis)];
  }
  return y;
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  std::vector<int64_t> src(size_t(shape.rank()), 0);
  const auto st = contiguous_strides(x.shape());
  for (int64_t i = 0; i < x.rank(); ++i) {
    const int64_t oi = i + shape.rank() - x.rank();
    src[size_t(oi)] = x.shape().dims()[size_t(i)] == 1 ? 0 : st[size_t(i)];
  }
  Tensor y = Tensor::empty(shape, x.dtype());
  strided_copy(x.raw_data(), src, y.raw_data(), contiguous_strides(shape), shape,
               dtype_size(x.dtype()));
  return y;
}

int64_t index_at(const Tensor& indices, int64_t i) {
  return indices.dtype() == DType::int64 ? indices.data<int64_t>()[i]
                                         : int64_t(indices.data<int32_t>()[i]);
}

namespace {
// params viewed as [outer, dim, inner]; output as [outer, n_idx, inner].
struct GatherGeometry {
  int64_t outer = 1, dim, inner = 1;
};
GatherGeometry geometry(const Shape& s, int64_t axis) {
  GatherGeometry g;
  g.dim = s.dims()[size_t(axis)];
  for (int64_t i = 0; i < axis; ++i) g.outer *= s.dims()[size_t(i)];
  for (int64_t i = axis + 1; i < s.rank(); ++i) g.inner *= s.dims()[size_t(i)];
  return g;
}
}  // namespace

Tensor gather(const Tensor& params, const Tensor& indices, int64_t axis) {
  std::vector<int64_t> dims;
  const auto& pd = params.shape().dims();
  dims.insert(dims.end(), pd.begin(), pd.begin() + axis);
  dims.insert(dims.end(), indices.shape().dims().begin(), indices.shape().dims().end());
  dims.insert(dims.end(), pd.begin() + axis + 1, pd.end());
  Tensor y = Tensor::empty(Shape(dims), params.dtype());
  const GatherGeometry g = geometry(params.shape(), axis);
  const int64_t n = indices.size();
  const size_t row = size_t(g.inner) * dtype_size(params.dtype());
  const char* src = static_cast<const char*>(params.raw_data());
  char* dst = static_cast<char*>(y.raw_data());
  for (int64_t o = 0; o < g.outer; ++o)
    for (int64_t j = 0; j < n; ++j)
      std::memcpy(dst + size_t(o * n + j) * row,
                  src + size_t(o * g.dim + index_at(indices, j)) * row, row);
  return y;
}

Tensor scatter_add(const Tensor& updates, const Tensor& indices, int64_t axis, int64_t dim) {
  std::vector<int64_t> dims(updates.shape().dims().begin(),
                            updates.shape().dims().begin() + axis);
  dims.push_back(dim);
  dims.insert(dims.end(), updates.shape().dims().begin() + axis + indices.rank(),
              updates.shape().dims().end());
  Tensor y = Tensor::zeros(Shape(dims), updates.dtype());
  const GatherGeometry g = geometry(y.shape(), axis);
  const int64_t n = indices.size();
  visit_dtype(updates.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T* u = static_cast<const T*>(updates.raw_data());
      T* out = static_cast<T*>(y.raw_data());
      for (int64_t o = 0; o < g.outer; ++o)
        for (int64_t j = 0; j < n; ++j) {
          T* dst = out + (o * g.dim + index_at(indices, j)) * g.inner;
          const T* src = u + (o * n + j) * g.inner;
          for (int64_t k = 0; k < g.inner; ++k)
            dst[k] = store_c<T>(load_c(dst[k]) + load_c(src[k]));
        }
    }
  });
  return y;
}

namespace {
// Flat offset in a tensor of shape `full` of output element i of `idx_shape`, with the
// coordinate along `axis` replaced by `k`.
int64_t along_axis_offset(const Shape& idx_shape, const Shape& full, int64_t axis, int64_t i, int64_t k) {
  int64_t off = 0, stride = 1;
  for (int64_t d = idx_shape.rank() - 1; d >= 0; --d) {
    const int64_t dim = idx_shape.dims()[size_t(d)];
    const int64_t coord = i % dim;
    i /= dim;
    off += (d == axis ? k : coord) * stride;
    stride *= full.dims()[size_t(d)];
  }
  return off;
}
}  // namespace

Tensor take_along_axis(const Tensor& x, const Tensor& indices, int64_t axis) {
  Tensor y = Tensor::empty(indices.shape(), x.dtype());
  const size_t es = dtype_size(x.dtype());
  const char* src = static_cast<const char*>(x.raw_data());
  char* dst = static_cast<char*>(y.raw_data());
  for (int64_t i = 0, n = indices.size(); i < n; ++i)
    std::memcpy(dst + size_t(i) * es,
                src + size_t(along_axis_offset(indices.shape(), x.shape(), axis, i, index_at(indices, i))) * es, es);
  return y;
}

Tensor put_along_axis_add(const Tensor& g, const Tensor& indices, int64_t axis, const Shape& shape) {
  Tensor y = Tensor::zeros(shape, g.dtype());
  visit_dtype(g.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T* pg = static_cast<const T*>(g.raw_data());
      T* py = static_cast<T*>(y.raw_data());
      for (int64_t i = 0, n = indices.size(); i < n; ++i) {
        T& dst = py[along_axis_offset(indices.shape(), shape, axis, i, index_at(indices, i))];
        dst = store_c<T>(load_c(dst) + load_c(pg[i]));
      }
    }
  });
  return y;
}

Tensor one_hot(const Tensor& indices, int64_t depth, double on, double off, DType dtype) {
  std::vector<int64_t> dims = indices.shape().dims();
  dims.push_back(depth);
  Tensor y = Tensor::full(Shape(dims), off, dtype);
  const Tensor on_t = Tensor::scalar(on, dtype);
  const size_t es = dtype_size(dtype);
  char* dst = static_cast<char*>(y.raw_data());
  for (int64_t i = 0, n = indices.size(); i < n; ++i) {
    const int64_t k = index_at(indices, i);
    if (k >= 0 && k < depth) std::memcpy(dst + size_t(i * depth + k) * es, on_t.raw_data(), es);
  }
  return y;
}

}  // namespace tb::kernels::cpu
