#include "tensorbox/core/shape.h"

#include <algorithm>

#include "tensorbox/core/errors.h"

namespace tb {

int64_t Shape::num_elements() const {
  int64_t n = 1;
  bool overflow = false;
  for (int64_t d : dims_) {
    if (d == 0) return 0;
    overflow |= __builtin_mul_overflow(n, d, &n);
  }
  if (overflow)
    throw InvalidArgumentError("shape " + to_string() + " has more elements than a 64-bit count can hold");
  return n;
}

int64_t Shape::normalize_axis(int64_t axis) const {
  const int64_t r = rank();
  if (axis < -r || axis >= r)
    throw InvalidArgumentError("axis " + std::to_string(axis) + " is out of bounds for shape " +
                               to_string() + " of rank " + std::to_string(r));
  return axis < 0 ? axis + r : axis;
}

std::string Shape::to_string() const {
  std::string s = "(";
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (i) s += ", ";
    s += dims_[i] < 0 ? "None" : std::to_string(dims_[i]);
  }
  if (dims_.size() == 1) s += ",";
  return s + ")";
}

std::vector<int64_t> contiguous_strides(const Shape& s) {
  std::vector<int64_t> st(size_t(s.rank()));
  int64_t acc = 1;
  for (int64_t i = s.rank() - 1; i >= 0; --i) {
    st[size_t(i)] = acc;
    acc *= s.dims()[size_t(i)];
  }
  return st;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* what) {
  const int64_t r = std::max(a.rank(), b.rank());
  std::vector<int64_t> out(static_cast<size_t>(r), 0);
  for (int64_t i = 0; i < r; ++i) {
    const int64_t da = i < r - a.rank() ? 1 : a.dims()[size_t(i - (r - a.rank()))];
    const int64_t db = i < r - b.rank() ? 1 : b.dims()[size_t(i - (r - b.rank()))];
    if (da != db && da != 1 && db != 1)
      throw InvalidArgumentError(std::string(what) + ": incompatible shapes " + a.to_string() +
                                 " and " + b.to_string() + " cannot be broadcast together");
    out[size_t(i)] = da == 1 ? db : da;
  }
  return Shape(std::move(out));
}

}  // namespace tb
