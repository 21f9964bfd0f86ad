// Tensor: an n-dimensional array of one dtype, contiguous and row-major.
//
// A Tensor is a cheap handle (shared ownership) to an immutable-shaped value on one device
// (core/device): its storage comes from that device's allocator, and only tensors in host
// memory hand out pointers (`data<T>()`); `to(device)` copies. Reshape makes a view that shares
// storage. Ops never write into their inputs; only Variables and optimizer
// kernels update storage in place. Every tensor has an id the GradientTape keys on.
//
//   auto x = tb::Tensor::from_vector<float>({1, 2, 3, 4}, {2, 2});
//   auto z = tb::Tensor::zeros({2, 2});
//   float v = x.data<float>()[3];          // 4
//   auto y = x.reshape({4});               // view, same storage
//   auto c = x.to(tb::Device::cpu());      // x itself: it is already there
#pragma once

#include <atomic>
#include <functional>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tensorbox/core/device.h"
#include "tensorbox/core/dtype.h"
#include "tensorbox/core/errors.h"
#include "tensorbox/core/shape.h"

namespace tb {

// A block from a device's allocator, freed back to it when the last tensor lets go; or host
// memory owned by someone else (a NumPy array), handed back through `release` instead.
class Storage {
 public:
  Storage(const Device& device, size_t bytes);
  Storage(void* data, size_t bytes, std::function<void()> release);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  void* data() { return data_; }
  size_t bytes() const { return bytes_; }
  const Device& device() const { return device_; }
  bool host_memory() const { return host_memory_; }

 private:
  void* data_;
  size_t bytes_;
  Device device_;
  bool host_memory_ = true;
  Allocator* allocator_ = nullptr;  // null for borrowed memory
  std::function<void()> release_;   // set for borrowed memory
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  size_t offset = 0;  // bytes into storage
  Shape shape;
  DType dtype = DType::float32;
  uint64_t id = 0;
  // Set on the value of a trainable Variable: tapes watch such tensors without being told,
  // as TensorFlow's tapes watch trainable variables they see.
  bool trainable_variable = false;
};

class Tensor {
 public:
  Tensor() = default;  // undefined: stands for "no tensor" (e.g. a gradient that is None)

  // Factories place the tensor on `current_device()` (the innermost DeviceScope's, else CPU)
  // unless given a device.
  static Tensor empty(const Shape& shape, DType dtype = DType::float32);
  static Tensor empty(const Shape& shape, DType dtype, const Device& device);
  static Tensor zeros(const Shape& shape, DType dtype = DType::float32);
  static Tensor full(const Shape& shape, double value, DType dtype = DType::float32);
  static Tensor scalar(double value, DType dtype = DType::float32);
  // Wraps host memory the caller owns (contiguous, row-major) without copying; `release` runs
  // when the last tensor using it goes. Ops never write into their inputs, so read-only memory
  // is fine. The tensor is on the CPU.
  static Tensor borrow(void* data, const Shape& shape, DType dtype, std::function<void()> release);
  template <class T>
  static Tensor from_vector(const std::vector<T>& values, const Shape& shape);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const { return impl().shape; }
  DType dtype() const { return impl().dtype; }
  int64_t rank() const { return shape().rank(); }
  int64_t size() const { return shape().num_elements(); }
  int64_t dim(int64_t axis) const { return shape()[axis]; }
  size_t nbytes() const { return size_t(size()) * dtype_size(dtype()); }
  uint64_t id() const { return impl().id; }
  bool is_trainable_variable() const { return impl().trainable_variable; }
  const Device& device() const { return impl().storage->device(); }
  // Whether the storage is host memory, so that raw_data() and data<T>() may be used.
  bool host_memory() const { return impl().storage->host_memory(); }

  // The host address of the first element; FailedPreconditionError naming the device for a
  // tensor whose memory is not host memory (copy it with to(Device::cpu()) first).
  void* raw_data() {
    if (!host_memory()) throw_not_host();
    return static_cast<char*>(impl().storage->data()) + impl().offset;
  }
  const void* raw_data() const {
    if (!host_memory()) throw_not_host();
    return static_cast<const char*>(impl().storage->data()) + impl().offset;
  }
  // Typed host access; throws InvalidArgumentError when T is not the tensor's dtype.
  template <class T> T* data() {
    check_type(dtype_of<T>());
    return static_cast<T*>(raw_data());
  }
  template <class T> const T* data() const {
    check_type(dtype_of<T>());
    return static_cast<const T*>(raw_data());
  }
  template <class T> std::vector<T> to_vector() const {
    if (!host_memory()) return to(Device::cpu()).to_vector<T>();
    const T* p = data<T>();
    return std::vector<T>(p, p + size());
  }
  // The same values on `device`: this tensor if it is there already, else a copy.
  Tensor to(const Device& device) const;

  // Element i (flat index) converted to double, for tests and printing (any device).
  double element(int64_t i) const;
  // The value of a one-element tensor.
  double item() const;

  // A view with another shape and the same elements; one dimension may be -1.
  Tensor reshape(const Shape& shape) const;
  // A new tensor with its own storage on the same device holding the same values.
  Tensor clone() const;
  // Copies `src` (same shape and dtype, any device) into this tensor's storage.
  void copy_from(const Tensor& src);

  std::string to_string(int64_t max_elements = 12) const;

  // Identity comparison: the same handle.
  bool same_as(const Tensor& o) const { return impl_ == o.impl_; }
  TensorImpl& impl();
  const TensorImpl& impl() const;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

 private:
  void check_type(DType t) const;
  [[noreturn]] void throw_not_host() const;
  std::shared_ptr<TensorImpl> impl_;
};

uint64_t next_tensor_id();

template <class T>
Tensor Tensor::from_vector(const std::vector<T>& values, const Shape& shape) {
  if (int64_t(values.size()) != shape.num_elements())
    throw InvalidArgumentError("from_vector: " + std::to_string(values.size()) +
                               " values cannot fill shape " + shape.to_string());
  Tensor t = empty(shape, dtype_of<T>());
  T* p = t.data<T>();
  for (size_t i = 0; i < values.size(); ++i) p[i] = values[i];
  return t;
}

}  // namespace tb
