#include "tensorbox/keras/layers/bidirectional.h"

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"

namespace tb::keras::layers {

namespace {
// A copy of the RNN `config` named `name`, optionally running the other way.
std::shared_ptr<RNN> recreate(nlohmann::ordered_json config, const std::string& name, bool flip, bool zero_output) {
  auto& c = config["config"];
  c["name"] = name;
  if (flip) c["go_backwards"] = !c.value("go_backwards", false);
  c["zero_output_for_mask"] = zero_output;  // Keras forces it to return_sequences
  return std::dynamic_pointer_cast<RNN>(deserialize(config));
}

}  // namespace

Bidirectional::Bidirectional(const LayerRef& layer, const BidirectionalOptions& o)
    : Layer("Bidirectional", base_options(o)), merge_mode_(o.merge_mode) {
  supports_masking_ = true;
  const auto* rnn = dynamic_cast<const RNN*>(layer.get().get());
  if (!rnn)
    throw ValueError("Please initialize `Bidirectional` layer with a recurrent layer (SimpleRNN, LSTM, GRU). Received: " +
                     layer.get()->class_name() + " \"" + layer.get()->name() + "\"");
  if (merge_mode_ && *merge_mode_ != "concat" && *merge_mode_ != "sum" && *merge_mode_ != "ave" && *merge_mode_ != "mul")
    throw ValueError("Invalid merge mode. Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\", None}. "
                     "Received: " + *merge_mode_);
  layer_ = layer.get()->serialize();
  const bool seq = rnn->options().return_sequences;
  forward_ = recreate(layer_, "forward_" + layer.get()->name(), false, seq);
  backward_ = recreate(layer_, "backward_" + layer.get()->name(), true, seq);
  // The copies' configs keep zero_output_for_mask; the wrapped layer's config (layer_) does not.
}

void Bidirectional::build(const Shape& s) {
  forward_->build(s);
  backward_->build(s);
  built_ = true;
}

void Bidirectional::build_list(const std::vector<Shape>& shapes) {
  if (shapes.empty()) throw ValueError("Layer \"" + name() + "\" was called without inputs");
  build(shapes[0]);
}

size_t Bidirectional::num_outputs() const {
  return (merge_mode_ ? 1 : 2) + (forward_->options().return_state ? size_t(2 * forward_->num_states()) : 0);
}

Tensor Bidirectional::call(const Tensor& x, bool training) { return call_masked(x, training, Tensor()); }

Tensor Bidirectional::call_masked(const Tensor& x, bool training, const Tensor& mask) {
  if (num_outputs() != 1)
    throw ValueError("Layer \"" + name() + "\" has " + std::to_string(num_outputs()) + " outputs; call it with a list");
  return run({x}, training, mask)[0];
}

std::vector<Tensor> Bidirectional::call_list(const std::vector<Tensor>& inputs, bool training) {
  return run(inputs, training, Tensor());
}

std::vector<Tensor> Bidirectional::call_list_masked(const std::vector<Tensor>& inputs, bool training,
                                                    const std::vector<Tensor>& masks) {
  return run(inputs, training, masks.empty() ? Tensor() : masks[0]);
}

std::vector<Tensor> Bidirectional::run(const std::vector<Tensor>& inputs, bool training, const Tensor& mask) {
  if (inputs.empty()) throw ValueError("Layer \"" + name() + "\" was called without inputs");
  std::vector<Tensor> fw_in{inputs[0]}, bw_in{inputs[0]};
  if (inputs.size() > 1) {
    const size_t states = inputs.size() - 1;
    if (states != size_t(2 * forward_->num_states()))
      throw ValueError("Layer \"" + name() + "\" expects " + std::to_string(2 * forward_->num_states()) +
                       " initial states (forward then backward), got " + std::to_string(states));
    const size_t pivot = states / 2 + 1;
    fw_in.insert(fw_in.end(), inputs.begin() + 1, inputs.begin() + long(pivot));
    bw_in.insert(bw_in.end(), inputs.begin() + long(pivot), inputs.end());
  }
  std::vector<Tensor> masks;  // the input's mask for both; the states have none
  if (mask.defined()) {
    masks.assign(fw_in.size(), Tensor());
    masks[0] = mask;
  }
  const std::vector<Tensor> y = (*forward_)(fw_in, training, masks);
  const std::vector<Tensor> y_rev = (*backward_)(bw_in, training, masks);
  Tensor a = y[0], b = y_rev[0];
  if (forward_->options().return_sequences) b = reverse_axis(b, forward_->options().time_major ? 0 : 1);
  std::vector<Tensor> out;
  if (!merge_mode_) out = {a, b};
  else if (*merge_mode_ == "concat") out = {ops::concat({a, b}, -1)};
  else if (*merge_mode_ == "sum") out = {ops::add(a, b)};
  else if (*merge_mode_ == "mul") out = {ops::mul(a, b)};
  else out = {ops::mul(ops::add(a, b), ops::scalar_like(0.5, a))};
  out.insert(out.end(), y.begin() + 1, y.end());
  out.insert(out.end(), y_rev.begin() + 1, y_rev.end());
  return out;
}

std::vector<Shape> Bidirectional::compute_output_shapes(const std::vector<Shape>& shapes) const {
  if (shapes.empty()) throw ValueError("Layer \"" + name() + "\" was called without inputs");
  std::vector<Shape> fw = forward_->compute_output_shapes({shapes[0]});
  std::vector<Shape> out;
  if (!merge_mode_) out = {fw[0], fw[0]};
  else if (*merge_mode_ == "concat") {
    std::vector<int64_t> d = fw[0].dims();
    d.back() *= 2;
    out = {Shape(d)};
  } else {
    out = {fw[0]};
  }
  for (int k = 0; k < 2; ++k) out.insert(out.end(), fw.begin() + 1, fw.end());
  return out;
}

Shape Bidirectional::compute_output_shape(const Shape& s) const { return compute_output_shapes({s})[0]; }

Tensor Bidirectional::compute_mask(const Tensor&, const Tensor& mask) const {
  return forward_->options().return_sequences ? mask : Tensor();
}

std::vector<Tensor> Bidirectional::compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const {
  const Tensor m = compute_mask(inputs.at(0), masks.empty() ? Tensor() : masks[0]);
  std::vector<Tensor> out(num_outputs());
  out[0] = m;
  if (!merge_mode_) out[1] = m;
  return out;
}

std::vector<Variable> Bidirectional::trainable_weights() const {
  if (!trainable()) return {};
  std::vector<Variable> w = forward_->trainable_weights(), b = backward_->trainable_weights();
  w.insert(w.end(), b.begin(), b.end());
  return w;
}

std::vector<Variable> Bidirectional::non_trainable_weights() const {
  std::vector<Variable> w = trainable() ? forward_->non_trainable_weights() : forward_->weights();
  const std::vector<Variable> b = trainable() ? backward_->non_trainable_weights() : backward_->weights();
  w.insert(w.end(), b.begin(), b.end());
  return w;
}

std::vector<Tensor> Bidirectional::losses() const {
  std::vector<Tensor> l = forward_->losses(), b = backward_->losses();
  l.insert(l.end(), b.begin(), b.end());
  return l;
}

nlohmann::ordered_json Bidirectional::layer_config() const {
  return {{"layer", layer_}, {"merge_mode", merge_mode_ ? nlohmann::ordered_json(*merge_mode_) : nlohmann::ordered_json(nullptr)}};
}

std::shared_ptr<Bidirectional> Bidirectional::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Bidirectional");
  const BaseOptions b = read_base_options(r, c);
  BidirectionalOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("merge_mode", o.merge_mode);
  r.ignore("num_constants", 0);
  r.ignore("backward_layer", nullptr);
  const LayerPtr inner = deserialize(r.at("layer"));
  r.finish();
  return std::make_shared<Bidirectional>(inner, o);
}

TB_REGISTER_LAYER(Bidirectional);

}  // namespace tb::keras::layers
