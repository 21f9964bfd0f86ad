#include "tensorbox/keras/layers/dot.h"

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::layers {

Dot::Dot(const DotOptions& o) : Layer("Dot", base_options(o)), options_(o) {
  supports_masking_ = true;  // accepts masked inputs; its output has no mask
  if (o.axes.empty() || o.axes.size() > 2)
    throw ValueError("Invalid format for argument `axes`: expected an int or a list of 2 ints. Received: axes=" +
                     Shape(o.axes).to_string());
}

Tensor Dot::call(const Tensor& x, bool) {
  throw ValueError("A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=" + x.shape().to_string());
}

Shape Dot::compute_output_shape(const Shape& s) const {
  throw ValueError("A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=" + s.to_string());
}

std::pair<int64_t, int64_t> Dot::axes_for(const std::vector<Shape>& shapes) const {
  if (shapes.size() != 2)
    throw ValueError("A `Dot` layer should be called on a list of 2 inputs. Received " + std::to_string(shapes.size()) +
                     " inputs.");
  const Shape &a = shapes[0], &b = shapes[1];
  if (a.rank() < 2 || b.rank() < 2)
    throw ValueError("Layer \"" + name() + "\": Dot needs inputs of rank >= 2 (a batch axis and at least one more). "
                     "Received shapes " + a.to_string() + " and " + b.to_string());
  auto norm = [](int64_t ax, int64_t rank) { return ((ax % rank) + rank) % rank; };
  const int64_t ax = norm(options_.axes[0], a.rank()), bx = norm(options_.axes.back(), b.rank());
  if (ax == 0 || bx == 0)
    throw ValueError("Layer \"" + name() + "\": cannot take the dot product along the batch axis (axes=" +
                     Shape(options_.axes).to_string() + ")");
  if (a[ax] >= 0 && b[bx] >= 0 && a[ax] != b[bx])
    throw ValueError("Incompatible input shapes: axis values " + std::to_string(a[ax]) + " (at axis " +
                     std::to_string(ax) + ") != " + std::to_string(b[bx]) + " (at axis " + std::to_string(bx) +
                     "). Full input shapes: " + a.to_string() + ", " + b.to_string());
  if (a[0] >= 0 && b[0] >= 0 && a[0] != b[0])
    throw ValueError("Layer \"" + name() + "\": the inputs have different batch sizes: " + a.to_string() + " and " +
                     b.to_string());
  return {ax, bx};
}

std::vector<Shape> Dot::compute_output_shapes(const std::vector<Shape>& shapes) const {
  const auto [ax, bx] = axes_for(shapes);
  std::vector<int64_t> out{shapes[0][0]};
  for (int64_t i = 1; i < shapes[0].rank(); ++i) if (i != ax) out.push_back(shapes[0][i]);
  for (int64_t i = 1; i < shapes[1].rank(); ++i) if (i != bx) out.push_back(shapes[1][i]);
  if (out.size() == 1) out.push_back(1);
  return {Shape(out)};
}

void Dot::build_list(const std::vector<Shape>& shapes) {
  axes_for(shapes);
  built_ = true;
}

std::vector<Tensor> Dot::call_list(const std::vector<Tensor>& inputs, bool) {
  std::vector<Shape> shapes;
  for (const Tensor& x : inputs) shapes.push_back(x.shape());
  const auto [ax, bx] = axes_for(shapes);
  Tensor a = inputs[0], b = inputs[1];
  if (options_.normalize) {  // tf.math.l2_normalize: x * rsqrt(max(sum(x^2), 1e-12))
    auto l2 = [](const Tensor& x, int64_t axis) {
      const Tensor ss = ops::reduce_sum(ops::square(x), {axis}, true);
      return ops::mul(x, ops::rsqrt(ops::maximum(ss, ops::scalar_like(1e-12, ss))));
    };
    a = l2(a, ax);
    b = l2(b, bx);
  }
  // a -> [batch, rest_a, k], b -> [batch, k, rest_b], one batched matmul, back to the kept axes.
  auto move = [](const Tensor& x, int64_t from, int64_t to) {
    std::vector<int64_t> perm;
    for (int64_t i = 0; i < x.rank(); ++i) if (i != from) perm.push_back(i);
    perm.insert(perm.begin() + to, from);
    return ops::transpose(x, perm);
  };
  const int64_t n = a.dim(0), k = a.dim(ax);
  const Tensor a3 = ops::reshape(move(a, ax, a.rank() - 1), {n, -1, k});
  const Tensor b3 = ops::reshape(move(b, bx, 1), {n, k, -1});
  std::vector<int64_t> out = compute_output_shapes(shapes)[0].dims();
  out[0] = n;
  return {ops::reshape(ops::matmul(a3, b3), Shape(out))};
}

nlohmann::ordered_json Dot::layer_config() const {
  return {{"axes", options_.axes.size() == 1 ? nlohmann::ordered_json(options_.axes[0]) : nlohmann::ordered_json(options_.axes)},
          {"normalize", options_.normalize}};
}

std::shared_ptr<Dot> Dot::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Dot");
  const BaseOptions b = read_base_options(r, c);
  DotOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  o.axes = read_tuple(r, "axes", {-1});
  r.read("normalize", o.normalize);
  r.finish();
  return std::make_shared<Dot>(o);
}

TB_REGISTER_LAYER(Dot);

}  // namespace tb::keras::layers
