#include "tensorbox/keras/layers/input_layer.h"

#include "tensorbox/keras/backend.h"

namespace tb::keras::layers {

InputLayer::InputLayer(std::vector<int64_t> shape, const InputLayerOptions& o)
    : Layer("InputLayer",
            BaseOptions{shape, o.name.empty() ? backend::unique_object_name("input", /*zero_based=*/false) : o.name,
                        // An input's dtype is the data's (floatx), whatever the global policy.
                        true, o.dtype.empty() ? std::string("float32") : o.dtype}) {
  for (int64_t d : shape)
    if (d < -1 || d == 0)
      throw ValueError("InputLayer: invalid dimension in shape " + Shape(shape).to_string());
  built_ = true;
}

Tensor InputLayer::call(const Tensor& x, bool) {
  const Shape& want = *batch_input_shape();
  bool ok = x.rank() == want.rank();
  for (int64_t i = 1; ok && i < want.rank(); ++i)
    ok = want.dims()[size_t(i)] < 0 || want.dims()[size_t(i)] == x.shape().dims()[size_t(i)];
  if (!ok)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected shape=" +
                     want.to_string() + ", found shape=" + x.shape().to_string());
  return x;
}

nlohmann::ordered_json InputLayer::layer_config() const {
  return {{"sparse", false}, {"ragged", false}};
}

nlohmann::ordered_json InputLayer::get_config() const {
  const nlohmann::ordered_json base = Layer::get_config();
  return {{"batch_input_shape", base["batch_input_shape"]}, {"dtype", base["dtype"]},
          {"sparse", false}, {"ragged", false}, {"name", name()}};
}

std::shared_ptr<InputLayer> InputLayer::from_config(const nlohmann::ordered_json& c) {
  const BaseOptions b = base_options_from_config(c);
  return std::make_shared<InputLayer>(b.input_shape, InputLayerOptions{b.name, b.dtype});
}

KerasTensor InputLayer::output() {
  if (auto node = node_.lock()) return KerasTensor(node, 0);
  auto node = std::make_shared<Node>();
  node->layer = shared_from_this();
  node->output_shapes = {*batch_input_shape()};
  node->output_dtypes = {dtype()};
  node_ = node;
  return KerasTensor(node, 0);
}

KerasTensor Input(std::vector<int64_t> shape, const InputLayerOptions& o) {
  return std::make_shared<InputLayer>(std::move(shape), o)->output();
}

TB_REGISTER_LAYER(InputLayer);

}  // namespace tb::keras::layers
