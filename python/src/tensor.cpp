// tensorbox._C.Tensor and the NumPy bridge. NumPy arrays come in through the buffer protocol
// and are borrowed, not copied, when C-contiguous (the Python side makes them so); .numpy()
// hands back a view of the tensor's storage that keeps the tensor alive, as TensorFlow's
// EagerTensor.numpy() shares memory on CPU.
#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"

namespace tbpy {

namespace {

// Borrows a C-contiguous buffer as a tensor of `dtype` (bfloat16 arrives as its uint16 bits).
tb::Tensor from_buffer(nb::handle obj, const std::string& dtype_name) {
  const tb::DType dtype = tb::dtype_from_name(dtype_name);
  auto* view = new Py_buffer;
  if (PyObject_GetBuffer(obj.ptr(), view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) {
    delete view;
    throw nb::python_error();
  }
  if (size_t(view->itemsize) != tb::dtype_size(dtype)) {
    const auto itemsize = view->itemsize;
    PyBuffer_Release(view);
    delete view;
    throw tb::TypeError("cannot read a buffer of " + std::to_string(itemsize) + "-byte items as " + dtype_name);
  }
  std::vector<int64_t> dims(view->shape, view->shape + view->ndim);
  auto release = [view] {
    if (!Py_IsInitialized()) return;  // the interpreter is gone; the memory went with it
    nb::gil_scoped_acquire gil;
    PyBuffer_Release(view);
    delete view;
  };
  return tb::Tensor::borrow(view->buf, tb::Shape(std::move(dims)), dtype, std::move(release));
}

nb::dlpack::dtype dlpack_dtype(tb::DType t) {
  switch (t) {
    case tb::DType::float32: return nb::dtype<float>();
    case tb::DType::float64: return nb::dtype<double>();
    case tb::DType::float16: return {uint8_t(nb::dlpack::dtype_code::Float), 16, 1};
    case tb::DType::bfloat16: return nb::dtype<uint16_t>();  // viewed as ml_dtypes.bfloat16 in Python
    case tb::DType::int32: return nb::dtype<int32_t>();
    case tb::DType::int64: return nb::dtype<int64_t>();
    case tb::DType::uint8: return nb::dtype<uint8_t>();
    case tb::DType::bool_: return nb::dtype<bool>();
  }
  throw tb::InternalError("unknown dtype");
}

// A NumPy array viewing the tensor's storage (a host copy's, for a tensor in device memory);
// the array owns a handle to the tensor.
nb::object numpy_view(const tb::Tensor& t) {
  auto* keep = new tb::Tensor(t.host_memory() ? t : t.to(tb::Device::cpu()));
  nb::capsule owner(keep, [](void* p) noexcept { delete static_cast<tb::Tensor*>(p); });
  std::vector<size_t> shape(t.shape().dims().begin(), t.shape().dims().end());
  nb::ndarray<nb::numpy> arr(keep->raw_data(), shape.size(), shape.data(), owner, nullptr, dlpack_dtype(t.dtype()));
  return arr.cast();
}

}  // namespace

void bind_tensor(nb::module_& m) {
  nb::class_<tb::Tensor>(m, "Tensor", nb::dynamic_attr())  // Keras sets _keras_mask on tensors
      .def_prop_ro("_shape", [](const tb::Tensor& t) { return t.shape().dims(); })
      .def_prop_ro("_dtype", [](const tb::Tensor& t) { return std::string(tb::dtype_name(t.dtype())); })
      .def_prop_ro("_id", &tb::Tensor::id)
      .def_prop_ro("_device", [](const tb::Tensor& t) { return t.device().full_name(); })
      .def("_numpy", &numpy_view);
  m.def("from_buffer", &from_buffer, nb::arg("buffer"), nb::arg("dtype"));
  m.def("set_num_threads", &tb::set_num_threads);
  m.def("get_num_threads", &tb::get_num_threads);
  m.def("set_seed", &tb::random::set_seed);
  m.def("random_uniform", [](std::vector<int64_t> shape, double lo, double hi, const std::string& dt) {
    return tb::random::uniform(tb::Shape(std::move(shape)), lo, hi, tb::dtype_from_name(dt));
  });
  m.def("random_normal", [](std::vector<int64_t> shape, double mean, double stddev, const std::string& dt) {
    return tb::random::normal(tb::Shape(std::move(shape)), mean, stddev, tb::dtype_from_name(dt));
  });
  m.def("random_truncated_normal", [](std::vector<int64_t> shape, double mean, double stddev, const std::string& dt) {
    return tb::random::truncated_normal(tb::Shape(std::move(shape)), mean, stddev, tb::dtype_from_name(dt));
  });
  m.def("mnist_load_data", [](const std::string& dir) {
    auto d = tb::keras::datasets::mnist::load_data(dir);
    return nb::make_tuple(d.x_train, d.y_train, d.x_test, d.y_test);
  }, nb::arg("dir") = "");
}

}  // namespace tbpy
