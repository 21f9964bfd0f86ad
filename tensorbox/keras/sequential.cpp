#include "tensorbox/keras/sequential.h"

#include "tensorbox/keras/layers/input_layer.h"

namespace tb::keras {

Sequential::Sequential(std::vector<layers::LayerRef> ls, const SequentialOptions& o)
    : Model("Sequential", layers::BaseOptions{{}, o.name, true, ""}) {
  for (auto& l : ls) add(l);
}

void Sequential::add(layers::LayerRef ref) {
  const layers::LayerPtr& l = ref.get();
  if (!l) throw TypeError("Sequential.add: expected a layer, got null");
  for (const auto& existing : layers_)
    if (existing->name() == l->name())
      throw ValueError("All layers added to a Sequential model should have unique names. Name \"" + l->name() +
                       "\" is already the name of a layer in this model. Update the `name` argument to pass a unique name.");
  if (dynamic_cast<layers::InputLayer*>(l.get()) && !layers_.empty())
    throw ValueError("Sequential.add: an InputLayer can only be the first layer, got '" + l->name() + "' after " +
                     std::to_string(layers_.size()) + " layers");
  layers_.push_back(l);
  built_ = false;
  // Build as soon as the input shape is known, as Keras does, so summary() works at once.
  // (Qualified: add() also runs from the constructor, where virtual calls do not dispatch.)
  if (auto s = Sequential::model_input_shape()) Sequential::build(*s);
}

void Sequential::pop() {
  if (layers().empty()) throw TypeError("There are no layers in the model.");
  layers_.pop_back();
}

std::optional<Shape> Sequential::model_input_shape() const {
  if (layers_.empty()) return std::nullopt;
  return layers_.front()->batch_input_shape();
}

void Sequential::build(const Shape& input_shape) {
  Shape s = input_shape;
  for (const auto& l : layers_) {
    if (!l->built()) l->build(s);
    s = l->compute_output_shape(s);
  }
  built_ = true;
}

Tensor Sequential::call(const Tensor& inputs, bool training) {
  if (layers_.empty()) throw ValueError("Sequential model '" + name() + "' has no layers to call");
  Tensor x = inputs, mask;  // masks flow from layer to layer as Keras's _keras_mask does
  for (const auto& l : layers_) {
    Tensor y = (*l)(x, training, mask);
    mask = l->compute_mask(x, mask);
    x = std::move(y);
  }
  last_output_masks_ = {mask};
  return x;
}

Shape Sequential::compute_output_shape(const Shape& input_shape) const {
  Shape s = input_shape;
  for (const auto& l : layers_) s = l->compute_output_shape(s);
  return s;
}

std::vector<layers::LayerPtr> Sequential::layers() const {
  std::vector<layers::LayerPtr> out;
  for (const auto& l : layers_)
    if (!dynamic_cast<layers::InputLayer*>(l.get())) out.push_back(l);
  return out;
}

nlohmann::ordered_json Sequential::layer_config() const {
  nlohmann::ordered_json ls = nlohmann::ordered_json::array();
  // Keras records the implicit input of a Sequential built from input_shape as an InputLayer
  // named "<first layer>_input".
  if (!layers_.empty() && !dynamic_cast<layers::InputLayer*>(layers_.front().get()) &&
      layers_.front()->batch_input_shape()) {
    nlohmann::ordered_json shape = nlohmann::ordered_json::array();
    for (int64_t d : layers_.front()->batch_input_shape()->dims())
      shape.push_back(d < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d));
    ls.push_back({{"class_name", "InputLayer"},
                  {"config", {{"batch_input_shape", shape}, {"dtype", "float32"}, {"sparse", false},
                              {"ragged", false}, {"name", layers_.front()->name() + "_input"}}}});
  }
  for (const auto& l : layers_) ls.push_back(l->serialize());
  return {{"layers", ls}};
}

std::shared_ptr<Sequential> Sequential::from_config(const nlohmann::ordered_json& c) {
  auto m = std::make_shared<Sequential>(std::vector<layers::LayerRef>{}, SequentialOptions{c.value("name", "")});
  if (!c.contains("layers") || !c["layers"].is_array())
    throw ValueError("Sequential config needs a \"layers\" list, got " + c.dump());
  const auto& ls = c["layers"];
  for (size_t i = 0; i < ls.size(); ++i) {
    // The implicit InputLayer is folded back into the next layer's input_shape.
    if (i == 0 && ls[i].value("class_name", "") == "InputLayer" && ls.size() > 1) {
      nlohmann::ordered_json next = ls[1];
      next["config"]["batch_input_shape"] = ls[0]["config"]["batch_input_shape"];
      m->add(layers::deserialize(next));
      ++i;
      continue;
    }
    m->add(layers::deserialize(ls[i]));
  }
  return m;
}

TB_REGISTER_LAYER(Sequential);

}  // namespace tb::keras
