// Tensor shapes and NumPy broadcasting.
//
//   tb::Shape s{128, 784};
//   s.num_elements();                         // 100352
//   tb::broadcast_shapes({128, 10}, {10});    // (128, 10)
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace tb {

class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<int64_t> dims) : dims_(dims) {}
  explicit Shape(std::vector<int64_t> dims) : dims_(std::move(dims)) {}

  int64_t rank() const { return int64_t(dims_.size()); }
  int64_t num_elements() const;
  // Negative axes count from the end, as in NumPy.
  int64_t operator[](int64_t axis) const { return dims_[size_t(normalize_axis(axis))]; }
  int64_t& operator[](int64_t axis) { return dims_[size_t(normalize_axis(axis))]; }
  const std::vector<int64_t>& dims() const { return dims_; }
  // Maps a possibly negative axis into [0, rank); throws InvalidArgumentError when out of range.
  int64_t normalize_axis(int64_t axis) const;
  // Python-style text: "(128, 784)", "(10,)", "()".
  std::string to_string() const;
  bool operator==(const Shape& o) const = default;

 private:
  std::vector<int64_t> dims_;
};

// Row-major strides in elements.
std::vector<int64_t> contiguous_strides(const Shape& s);
// The NumPy broadcast of two shapes; throws InvalidArgumentError naming both when they
// are incompatible. `what` names the op in the message.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* what = "broadcast");

}  // namespace tb
