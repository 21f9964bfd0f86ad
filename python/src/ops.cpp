// tensorbox._C.ops: every engine op, taking tensors (the Python side converts NumPy arrays and
// scalars first). The GIL is released while an op runs, so Python threads keep going.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"

namespace tbpy {

namespace ops = tb::ops;
using tb::Tensor;

void bind_ops(nb::module_& parent) {
  nb::module_ m = parent.def_submodule("ops", "engine ops (tensors in, tensors out)");
  const auto nogil = nb::call_guard<nb::gil_scoped_release>();
#define TB_UNARY(name) m.def(#name, [](const Tensor& x) { return ops::name(x); }, nogil)
#define TB_BINARY(name) m.def(#name, [](const Tensor& a, const Tensor& b) { return ops::name(a, b); }, nogil)
  TB_BINARY(add); TB_BINARY(sub); TB_BINARY(mul); TB_BINARY(div); TB_BINARY(pow);
  TB_BINARY(maximum); TB_BINARY(minimum);
  TB_BINARY(equal); TB_BINARY(not_equal); TB_BINARY(less); TB_BINARY(less_equal);
  TB_BINARY(greater); TB_BINARY(greater_equal); TB_BINARY(logical_and); TB_BINARY(logical_or);
  TB_UNARY(logical_not); TB_UNARY(neg); TB_UNARY(abs); TB_UNARY(sign); TB_UNARY(exp); TB_UNARY(log);
  TB_UNARY(sqrt); TB_UNARY(rsqrt); TB_UNARY(square); TB_UNARY(tanh); TB_UNARY(sigmoid); TB_UNARY(relu);
  TB_UNARY(gelu); TB_UNARY(elu); TB_UNARY(selu); TB_UNARY(softplus); TB_UNARY(swish);
  TB_UNARY(stop_gradient); TB_UNARY(zeros_like); TB_UNARY(ones_like);
#undef TB_UNARY
#undef TB_BINARY
  m.def("where", [](const Tensor& c, const Tensor& x, const Tensor& y) { return ops::where(c, x, y); }, nogil);
  m.def("cast", [](const Tensor& x, const std::string& dt) { return ops::cast(x, tb::dtype_from_name(dt)); }, nogil);
#define TB_REDUCE(name)                                                                                \
  m.def(#name, [](const Tensor& x, std::vector<int64_t> axes, bool keepdims) {                        \
    return ops::name(x, std::move(axes), keepdims);                                                   \
  }, nogil, nb::arg("x"), nb::arg("axes"), nb::arg("keepdims") = false)
  TB_REDUCE(reduce_sum); TB_REDUCE(reduce_mean); TB_REDUCE(reduce_max); TB_REDUCE(reduce_min);
  TB_REDUCE(reduce_logsumexp);
#undef TB_REDUCE
  m.def("argmax", [](const Tensor& x, int64_t axis) { return ops::argmax(x, axis); }, nogil);
  m.def("argmin", [](const Tensor& x, int64_t axis) { return ops::argmin(x, axis); }, nogil);
  m.def("reshape", [](const Tensor& x, std::vector<int64_t> s) { return ops::reshape(x, tb::Shape(std::move(s))); }, nogil);
  m.def("transpose", [](const Tensor& x, std::vector<int64_t> perm) { return ops::transpose(x, std::move(perm)); }, nogil);
  m.def("slice", [](const Tensor& x, const std::vector<int64_t>& b, std::vector<int64_t> s) {
    return ops::slice(x, b, std::move(s));
  }, nogil);
  m.def("gather", [](const Tensor& p, const Tensor& i, int64_t axis) { return ops::gather(p, i, axis); }, nogil);
  m.def("take_along_axis", [](const Tensor& x, const Tensor& i, int64_t axis) { return ops::take_along_axis(x, i, axis); }, nogil);
  m.def("concat", [](const std::vector<Tensor>& xs, int64_t axis) { return ops::concat(xs, axis); }, nogil);
  m.def("one_hot", [](const Tensor& i, int64_t depth, double on, double off, const std::string& dt) {
    return ops::one_hot(i, depth, on, off, tb::dtype_from_name(dt));
  }, nogil);
  m.def("broadcast_to", [](const Tensor& x, std::vector<int64_t> s) { return ops::broadcast_to(x, tb::Shape(std::move(s))); }, nogil);
  m.def("expand_dims", [](const Tensor& x, int64_t axis) { return ops::expand_dims(x, axis); }, nogil);
  m.def("squeeze", [](const Tensor& x, std::vector<int64_t> axes) { return ops::squeeze(x, std::move(axes)); }, nogil);
  m.def("matmul", [](const Tensor& a, const Tensor& b, bool ta, bool tb_) { return ops::matmul(a, b, ta, tb_); }, nogil);
  m.def("bias_add", [](const Tensor& x, const Tensor& b) { return ops::bias_add(x, b); }, nogil);
  m.def("softmax", [](const Tensor& x, int64_t axis) { return ops::softmax(x, axis); }, nogil);
  m.def("log_softmax", [](const Tensor& x, int64_t axis) { return ops::log_softmax(x, axis); }, nogil);
  m.def("sparse_softmax_cross_entropy_with_logits", [](const Tensor& labels, const Tensor& logits) {
    return ops::sparse_softmax_cross_entropy_with_logits(labels, logits);
  }, nogil);
  m.def("softmax_cross_entropy_with_logits", [](const Tensor& labels, const Tensor& logits) {
    return ops::softmax_cross_entropy_with_logits(labels, logits);
  }, nogil);
  m.def("dropout", [](const Tensor& x, double rate) { return ops::dropout(x, rate); }, nogil);
  // Keras activations by name ("relu", "softmax", "gelu", ...), as keras.activations.get does.
  m.def("activation", [](const std::string& name, const Tensor& x) { return tb::keras::activations::get(name)(x); }, nogil);
}

}  // namespace tbpy
