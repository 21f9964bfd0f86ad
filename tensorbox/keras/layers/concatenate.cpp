#include "tensorbox/keras/layers/concatenate.h"

#include <algorithm>

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::layers {

Tensor Concatenate::call(const Tensor& x, bool) {
  throw ValueError("A `Concatenate` layer should be called on a list of inputs. Received: input_shape=" +
                   x.shape().to_string() + " in layer \"" + name() + "\"");
}

Shape Concatenate::compute_output_shape(const Shape& s) const {
  throw ValueError("A `Concatenate` layer should be called on a list of inputs. Received: input_shape=" + s.to_string());
}

std::vector<Shape> Concatenate::compute_output_shapes(const std::vector<Shape>& shapes) const {
  if (shapes.empty())
    throw ValueError("A `Concatenate` layer should be called on a list of at least 1 input. Received: input_shape=[]");
  std::string all = "[";
  for (size_t i = 0; i < shapes.size(); ++i) all += (i ? ", " : "") + shapes[i].to_string();
  all += "]";
  const int64_t rank = shapes[0].rank();
  const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
  if (axis < 0 || axis >= rank)
    throw ValueError("Layer \"" + name() + "\": axis " + std::to_string(axis_) + " is out of range for inputs of rank " +
                     std::to_string(rank) + ". Received: input_shape=" + all);
  std::vector<int64_t> out = shapes[0].dims();
  for (size_t i = 1; i < shapes.size(); ++i) {
    bool ok = shapes[i].rank() == rank;
    for (int64_t d = 0; ok && d < rank; ++d) {
      const int64_t a = out[size_t(d)], b = shapes[i][d];
      if (d == axis) out[size_t(d)] = a < 0 || b < 0 ? -1 : a + b;
      else if (a >= 0 && b >= 0 && a != b) ok = false;
      else if (a < 0) out[size_t(d)] = b;
    }
    if (!ok)
      throw ValueError("A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
                       "Received: input_shape=" + all);
  }
  return {Shape(out)};
}

void Concatenate::build_list(const std::vector<Shape>& shapes) {
  compute_output_shapes(shapes);
  built_ = true;
}

std::vector<Tensor> Concatenate::call_list(const std::vector<Tensor>& inputs, bool) {
  std::vector<Shape> shapes;
  for (const Tensor& x : inputs) shapes.push_back(x.shape());
  compute_output_shapes(shapes);
  return {ops::concat(inputs, axis_)};
}

std::vector<Tensor> Concatenate::compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const {
  if (std::none_of(masks.begin(), masks.end(), [](const Tensor& m) { return m.defined(); })) return {Tensor()};
  std::vector<Tensor> parts;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor m = masks[i].defined() ? masks[i] : Tensor::full(inputs[i].shape(), 1.0, DType::bool_);
    if (m.rank() < inputs[i].rank()) m = ops::expand_dims(m, -1);
    parts.push_back(ops::cast(m, DType::float32));
  }
  // all(concatenated, axis=-1) as a min over 0/1 values.
  return {ops::cast(ops::reduce_min(ops::concat(parts, axis_), {-1}), DType::bool_)};
}

std::shared_ptr<Concatenate> Concatenate::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Concatenate");
  const BaseOptions b = read_base_options(r, c);
  ConcatenateOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("axis", o.axis);
  r.finish();
  return std::make_shared<Concatenate>(o);
}

TB_REGISTER_LAYER(Concatenate);

}  // namespace tb::keras::layers
