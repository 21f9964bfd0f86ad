#include "tensorbox/keras/layers/merge.h"

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"

namespace tb::keras::layers {

namespace {

std::string shapes_text(const std::vector<Shape>& shapes) {
  std::string s = "[";
  for (size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shapes[i].to_string();
  return s + "]";
}

// Keras's rule for two shapes without the batch axis: aligned from the right, each pair of
// dims equal, or one of them 1 or unknown.
std::vector<int64_t> elementwise_shape(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  if (a.size() < b.size()) return elementwise_shape(b, a);
  std::vector<int64_t> out(a.begin(), a.end() - int64_t(b.size()));
  for (size_t i = 0; i < b.size(); ++i) {
    const int64_t x = a[a.size() - b.size() + i], y = b[i];
    if (x == 1 || x < 0) out.push_back(y == 1 ? x : y);
    else if (y == 1 || y < 0 || x == y) out.push_back(x);
    else
      throw ValueError("Inputs have incompatible shapes. Received shapes " + Shape(a).to_string() + " and " +
                       Shape(b).to_string());
  }
  return out;
}

std::vector<int64_t> batchless(const Shape& s) { return {s.dims().begin() + (s.rank() ? 1 : 0), s.dims().end()}; }

}  // namespace

Tensor Merge::call(const Tensor& x, bool) {
  throw ValueError("A merge layer should be called on a list of inputs. Received: inputs=" + x.shape().to_string() +
                   " (not a list of tensors) in layer \"" + name() + "\"");
}

Shape Merge::compute_output_shape(const Shape& s) const {
  throw ValueError("A merge layer should be called on a list of inputs. Received: input_shape=" + s.to_string() +
                   " in layer \"" + name() + "\"");
}

std::vector<Shape> Merge::compute_output_shapes(const std::vector<Shape>& shapes) const {
  if (shapes.empty())
    throw ValueError("A merge layer should be called on a list of at least 1 input. Got 0 inputs. Layer \"" + name() + "\"");
  if (arity() && shapes.size() != arity())
    throw ValueError("A `" + class_name() + "` layer should be called on exactly " + std::to_string(arity()) +
                     " inputs. Received: input_shape=" + shapes_text(shapes));
  std::vector<int64_t> out = batchless(shapes[0]);
  int64_t batch = shapes[0].rank() ? shapes[0][0] : -1;
  for (size_t i = 1; i < shapes.size(); ++i) {
    out = elementwise_shape(out, batchless(shapes[i]));
    if (shapes[i].rank() && shapes[i][0] >= 0) batch = shapes[i][0];
  }
  out.insert(out.begin(), batch);
  return {Shape(out)};
}

void Merge::build_list(const std::vector<Shape>& shapes) {
  compute_output_shapes(shapes);  // checks count and compatibility
  built_ = true;
}

std::vector<Tensor> Merge::call_list(const std::vector<Tensor>& inputs, bool) {
  std::vector<Shape> shapes;
  for (const Tensor& x : inputs) shapes.push_back(x.shape());
  compute_output_shapes(shapes);
  int64_t rank = 0;
  for (const Tensor& x : inputs) rank = std::max(rank, x.rank());
  auto expanded = [&](Tensor x) {  // Keras inserts the missing axes right after the batch axis
    while (x.rank() < rank) x = ops::expand_dims(x, 1);
    return x;
  };
  Tensor acc = expanded(inputs[0]);
  for (size_t i = 1; i < inputs.size(); ++i) acc = merge(acc, expanded(inputs[i]));
  return {finish(acc, inputs.size())};
}

#define TB_MERGE_DEFINE(Name, a_b_expr, finish_expr, arity_value)                                    \
  Tensor Name::merge(const Tensor& a, const Tensor& b) const { return a_b_expr; }                    \
  Tensor Name::finish(const Tensor& folded, size_t count) const {                                    \
    (void)count;                                                                                     \
    return finish_expr;                                                                              \
  }                                                                                                  \
  size_t Name::arity() const { return arity_value; }                                                 \
  std::shared_ptr<Name> Name::from_config(const nlohmann::ordered_json& c) {                         \
    ConfigReader r(c, "layer " #Name);                                                               \
    const BaseOptions b = read_base_options(r, c);                                                   \
    r.finish();                                                                                      \
    return std::make_shared<Name>(MergeOptions{b.input_shape, b.name, b.trainable, b.dtype});        \
  }                                                                                                  \
  TB_REGISTER_LAYER(Name)

TB_MERGE_DEFINE(Add, ops::add(a, b), folded, 0);
TB_MERGE_DEFINE(Subtract, ops::sub(a, b), folded, 2);
TB_MERGE_DEFINE(Multiply, ops::mul(a, b), folded, 0);
TB_MERGE_DEFINE(Average, ops::add(a, b), folded / double(count), 0);
TB_MERGE_DEFINE(Maximum, ops::maximum(a, b), folded, 0);
TB_MERGE_DEFINE(Minimum, ops::minimum(a, b), folded, 0);

}  // namespace tb::keras::layers
