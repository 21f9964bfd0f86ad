#include "tensorbox/core/tensor.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include "tensorbox/core/allocator.h"

namespace tb {

Storage::Storage(const Device& device, size_t bytes)
    : data_(nullptr), bytes_(bytes), device_(device), host_memory_(is_host_memory(device)),
      allocator_(&device_allocator(device)) {
  data_ = allocator_->allocate(bytes);
}
Storage::Storage(void* data, size_t bytes, std::function<void()> release)
    : data_(data), bytes_(bytes), release_(std::move(release)) {}
Storage::~Storage() {
  if (release_) release_();
  else if (allocator_) allocator_->deallocate(data_, bytes_);
}

uint64_t next_tensor_id() {
  static std::atomic<uint64_t> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

Tensor Tensor::empty(const Shape& shape, DType dtype) { return empty(shape, dtype, current_device()); }

Tensor Tensor::empty(const Shape& shape, DType dtype, const Device& device) {
  for (int64_t d : shape.dims())
    if (d < 0)
      throw InvalidArgumentError("Cannot create a tensor with negative dimension in shape " +
                                 shape.to_string());
  const int64_t n = shape.num_elements();
  size_t bytes = 0;
  if (__builtin_mul_overflow(size_t(n), dtype_size(dtype), &bytes))
    throw InvalidArgumentError("Cannot create a tensor of shape " + shape.to_string() + " and dtype " +
                               std::string(dtype_name(dtype)) + ": its size in bytes overflows");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = std::make_shared<Storage>(device, bytes);
  impl->shape = shape;
  impl->dtype = dtype;
  impl->id = next_tensor_id();
  return Tensor(std::move(impl));
}

Tensor Tensor::borrow(void* data, const Shape& shape, DType dtype, std::function<void()> release) {
  auto impl = std::make_shared<TensorImpl>();
  const size_t bytes = size_t(shape.num_elements()) * dtype_size(dtype);
  impl->storage = std::make_shared<Storage>(data, bytes, std::move(release));
  impl->shape = shape;
  impl->dtype = dtype;
  impl->id = next_tensor_id();
  return Tensor(std::move(impl));
}

// Fills on the host; a tensor for a device without host memory is filled there and copied over.
Tensor Tensor::zeros(const Shape& shape, DType dtype) {
  const Device device = current_device();
  Tensor t = empty(shape, dtype, is_host_memory(device) ? device : Device::cpu());
  std::memset(t.raw_data(), 0, t.nbytes());
  return t.to(device);
}

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
  const Device device = current_device();
  Tensor t = empty(shape, dtype, is_host_memory(device) ? device : Device::cpu());
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = static_cast<T*>(t.raw_data());
    const T v = store_c<T>(compute_t<T>(value));
    for (int64_t i = 0, n = t.size(); i < n; ++i) p[i] = v;
  });
  return t.to(device);
}

Tensor Tensor::scalar(double value, DType dtype) { return full(Shape{}, value, dtype); }

TensorImpl& Tensor::impl() {
  if (!impl_) throw InvalidArgumentError("use of an undefined tensor (a None value)");
  return *impl_;
}
const TensorImpl& Tensor::impl() const {
  if (!impl_) throw InvalidArgumentError("use of an undefined tensor (a None value)");
  return *impl_;
}

void Tensor::throw_not_host() const {
  throw FailedPreconditionError("a tensor on " + device().name() +
                                " has no host pointer: copy it to the host with to(CPU:0) (numpy() and "
                                "item() do) before reading its memory");
}

namespace {

// Moves nbytes between two storages on any devices (through the host when neither is).
void copy_bytes(Storage& dst, size_t dst_offset, Storage& src, size_t src_offset, size_t nbytes) {
  char* d = static_cast<char*>(dst.data()) + dst_offset;
  const char* s = static_cast<const char*>(src.data()) + src_offset;
  if (dst.host_memory() && src.host_memory()) {
    if (d != s && nbytes) std::memmove(d, s, nbytes);
  } else if (src.host_memory()) {
    copy_from_host(dst.device(), d, s, nbytes);
  } else if (dst.host_memory()) {
    copy_to_host(src.device(), d, s, nbytes);
  } else {
    std::vector<char> staging(nbytes);
    copy_to_host(src.device(), staging.data(), s, nbytes);
    copy_from_host(dst.device(), d, staging.data(), nbytes);
  }
}

}  // namespace

Tensor Tensor::to(const Device& target) const {
  if (device() == target) return *this;
  Tensor t = empty(shape(), dtype(), target);
  copy_bytes(*t.impl().storage, t.impl().offset, *impl().storage, impl().offset, nbytes());
  return t;
}

void Tensor::check_type(DType t) const {
  if (t != dtype())
    throw InvalidArgumentError("tensor of dtype " + std::string(dtype_name(dtype())) +
                               " accessed as " + std::string(dtype_name(t)));
}

double Tensor::element(int64_t i) const {
  if (i < 0 || i >= size())
    throw OutOfRangeError("element " + std::to_string(i) + " of a tensor of shape " +
                          shape().to_string());
  if (!host_memory()) return reshape({-1}).to(Device::cpu()).element(i);
  return visit_dtype(dtype(), [&](auto tag) -> double {
    using T = decltype(tag);
    return double(load_c(static_cast<const T*>(raw_data())[i]));
  });
}

double Tensor::item() const {
  if (size() != 1)
    throw InvalidArgumentError("item() needs a tensor with one element, got shape " +
                               shape().to_string());
  return element(0);
}

Tensor Tensor::reshape(const Shape& new_shape) const {
  std::vector<int64_t> dims = new_shape.dims();
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == -1) {
      if (infer >= 0) throw InvalidArgumentError("reshape: only one dimension can be -1, got " + new_shape.to_string());
      infer = int64_t(i);
    } else if (dims[i] < 0) {
      throw InvalidArgumentError("reshape: invalid dimension in " + new_shape.to_string());
    } else {
      known *= dims[i];
    }
  }
  if (infer >= 0) {
    if (known == 0 || size() % known != 0)
      throw InvalidArgumentError("reshape: cannot reshape a tensor of shape " +
                                 shape().to_string() + " into shape " + new_shape.to_string());
    dims[size_t(infer)] = size() / known;
  }
  Shape s(dims);
  if (s.num_elements() != size())
    throw InvalidArgumentError("reshape: cannot reshape a tensor with " + std::to_string(size()) +
                               " elements (shape " + shape().to_string() + ") into shape " +
                               new_shape.to_string());
  auto impl = std::make_shared<TensorImpl>(*impl_);
  impl->shape = s;
  impl->id = next_tensor_id();
  impl->trainable_variable = false;
  return Tensor(std::move(impl));
}

Tensor Tensor::clone() const {
  Tensor t = empty(shape(), dtype(), device());
  copy_bytes(*t.impl().storage, t.impl().offset, *impl().storage, impl().offset, nbytes());
  return t;
}

void Tensor::copy_from(const Tensor& src) {
  if (src.shape() != shape() || src.dtype() != dtype())
    throw InvalidArgumentError("copy_from: expected a tensor of shape " + shape().to_string() +
                               " and dtype " + std::string(dtype_name(dtype())) + ", got shape " +
                               src.shape().to_string() + " and dtype " +
                               std::string(dtype_name(src.dtype())));
  copy_bytes(*impl().storage, impl().offset, *src.impl().storage, src.impl().offset, nbytes());
}

std::string Tensor::to_string(int64_t max_elements) const {
  if (!defined()) return "Tensor(None)";
  std::ostringstream os;
  os << "Tensor(shape=" << shape().to_string() << ", dtype=" << dtype_name(dtype()) << ", [";
  for (int64_t i = 0; i < std::min(size(), max_elements); ++i) os << (i ? ", " : "") << element(i);
  if (size() > max_elements) os << ", ...";
  os << "])";
  return os.str();
}

}  // namespace tb
