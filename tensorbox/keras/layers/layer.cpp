#include "tensorbox/keras/layers/layer.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "tensorbox/keras/backend.h"
#include "tensorbox/ops/math_ops.h"

namespace tb::keras::layers {

Layer::Layer(const std::string& class_name, const BaseOptions& base)
    : class_name_(class_name),
      name_(base.name.empty() ? backend::unique_object_name(backend::to_snake_case(class_name))
                              : base.name),
      trainable_(base.trainable),
      policy_(base.dtype.empty() ? mixed_precision::global_policy() : mixed_precision::Policy(base.dtype)) {
  if (!base.input_shape.empty()) {
    std::vector<int64_t> d{-1};
    d.insert(d.end(), base.input_shape.begin(), base.input_shape.end());
    batch_input_shape_ = Shape(d);
  }
}

Tensor Layer::operator()(const Tensor& inputs, bool training, const Tensor& mask) {
  activity_loss_ = Tensor();  // each call replaces the last one's activity penalty
  Tensor x = inputs;
  // Keras casts floating inputs to the layer's compute dtype.
  if (is_floating(x.dtype()) && x.dtype() != compute_dtype()) x = ops::cast(x, compute_dtype());
  if (!built_) {
    std::vector<int64_t> d = x.shape().dims();
    if (!d.empty()) d[0] = -1;
    build(Shape(d));
    built_ = true;
  }
  return call_masked(x, training, mask);
}

std::vector<Tensor> Layer::operator()(const std::vector<Tensor>& inputs, bool training,
                                      const std::vector<Tensor>& masks) {
  if (!masks.empty() && masks.size() != inputs.size())
    throw ValueError("Layer \"" + name_ + "\" was given " + std::to_string(masks.size()) + " masks for " +
                     std::to_string(inputs.size()) + " inputs");
  if (!takes_list()) {
    if (inputs.size() != 1)
      throw ValueError("Layer \"" + name_ + "\" expects 1 input(s), but it received " + std::to_string(inputs.size()) +
                       " input tensors.");
    return {(*this)(inputs[0], training, masks.empty() ? Tensor() : masks[0])};
  }
  std::vector<Tensor> xs = inputs;
  for (Tensor& x : xs)
    if (is_floating(x.dtype()) && x.dtype() != compute_dtype()) x = ops::cast(x, compute_dtype());
  if (!built_) {
    std::vector<Shape> shapes;
    for (const Tensor& x : xs) {
      std::vector<int64_t> d = x.shape().dims();
      if (!d.empty()) d[0] = -1;
      shapes.emplace_back(d);
    }
    build_list(shapes);
    built_ = true;
  }
  return masks.empty() ? call_list(xs, training) : call_list_masked(xs, training, masks);
}

Tensor Layer::compute_mask(const Tensor&, const Tensor& mask) const {
  return supports_masking_ ? mask : Tensor();
}

std::vector<Tensor> Layer::compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const {
  if (!takes_list()) return {compute_mask(inputs.at(0), masks.empty() ? Tensor() : masks[0])};
  Tensor all;
  if (supports_masking_)
    for (const Tensor& m : masks)
      if (m.defined()) all = all.defined() ? ops::logical_and(all, m) : m;
  return {all};
}

void Layer::build(const Shape&) { built_ = true; }

void Layer::build_list(const std::vector<Shape>& shapes) {
  if (shapes.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" expects 1 input(s), but it received " + std::to_string(shapes.size()) +
                     " input tensors.");
  build(shapes[0]);
}

std::vector<Tensor> Layer::call_list(const std::vector<Tensor>& inputs, bool training) {
  return (*this)(inputs, training);
}

std::vector<Shape> Layer::compute_output_shapes(const std::vector<Shape>& shapes) const {
  if (shapes.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" expects 1 input(s), but it received " + std::to_string(shapes.size()) +
                     " input tensors.");
  return {compute_output_shape(shapes[0])};
}

KerasTensor Layer::operator()(const KerasTensor& input) {
  // A list-taking layer given one tensor: its single-shape rule decides (merges refuse it).
  if (takes_list() && input.defined()) compute_output_shape(input.shape());
  return (*this)(std::vector<KerasTensor>{input});
}

KerasTensor Layer::operator()(const std::vector<KerasTensor>& inputs) {
  const std::vector<KerasTensor> out = symbolic_call(inputs);
  if (out.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" has " + std::to_string(out.size()) +
                     " outputs; take them with symbolic_call()");
  return out[0];
}

std::vector<size_t> Layer::tensor_kwarg_inputs(const nlohmann::ordered_json& kwargs) {
  std::vector<size_t> out;
  for (const auto& [key, value] : kwargs.items())
    if (value.is_object() && value.contains("input")) out.push_back(value["input"].get<size_t>());
  return out;
}

std::vector<Tensor> Layer::call_kwargs(const std::vector<Tensor>& inputs, bool training, const std::vector<Tensor>& masks,
                                       const nlohmann::ordered_json& kwargs) {
  nlohmann::ordered_json rest = nlohmann::ordered_json::object();
  std::map<std::string, Tensor> tensors;
  for (const auto& [key, value] : kwargs.items()) {
    if (key == "training") {
      if (!value.is_null()) training = value.get<bool>();
    } else if (value.is_object() && value.contains("input")) {
      tensors[key] = inputs.at(value["input"].get<size_t>());
    } else {
      rest[key] = value;
    }
  }
  const std::vector<size_t> named = tensor_kwarg_inputs(kwargs);
  std::vector<Tensor> xs, ms;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (std::find(named.begin(), named.end(), i) != named.end()) continue;
    xs.push_back(inputs[i]);
    if (!masks.empty()) ms.push_back(masks.at(i));
  }
  if (!rest.empty() || !tensors.empty()) return call_kwargs_extra(xs, training, ms, rest, tensors);
  if (takes_list()) return (*this)(xs, training, ms);
  return {(*this)(xs.at(0), training, ms.empty() ? Tensor() : ms[0])};
}

std::vector<Tensor> Layer::call_kwargs_extra(const std::vector<Tensor>&, bool, const std::vector<Tensor>&,
                                             const nlohmann::ordered_json& kwargs,
                                             const std::map<std::string, Tensor>& tensors) {
  std::string names = kwargs.dump();
  for (const auto& [key, t] : tensors) names += " " + key + "=<tensor>";
  throw UnimplementedError("Layer \"" + name_ + "\" (" + class_name_ + ") does not take the call arguments " + names +
                           " in a functional model");
}

std::vector<KerasTensor> Layer::symbolic_call(const std::vector<KerasTensor>& inputs,
                                              const nlohmann::ordered_json& kwargs) {
  std::shared_ptr<Layer> self = weak_from_this().lock();
  if (!self)
    throw ValueError("Layer \"" + name_ + "\" was called on a symbolic tensor but is not owned by a shared_ptr; "
                     "create it with std::make_shared to use it in a functional model");
  if (!kwargs.is_object()) throw ValueError("Layer \"" + name_ + "\": call kwargs must be a dict, got " + kwargs.dump());
  // Inputs named by tensor kwargs are not positional: the shapes are the positional inputs'.
  const std::vector<size_t> named = tensor_kwarg_inputs(kwargs);
  for (size_t i : named)
    if (i >= inputs.size())
      throw ValueError("Layer \"" + name_ + "\": call kwargs " + kwargs.dump() + " name input " + std::to_string(i) +
                       " of " + std::to_string(inputs.size()));
  std::vector<Shape> shapes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const KerasTensor& k = inputs[i];
    if (!k.defined()) throw ValueError("Layer \"" + name_ + "\" was called on an undefined KerasTensor");
    if (std::find(named.begin(), named.end(), i) == named.end()) shapes.push_back(k.shape());
  }
  if (!takes_list() && shapes.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" expects 1 input(s), but it received " + std::to_string(shapes.size()) +
                     " input tensors.");
  if (!built_) {
    if (takes_list()) build_list(shapes);
    else build(shapes[0]);
    built_ = true;
  }
  auto node = std::make_shared<Node>();
  node->layer = self;
  node->inputs = inputs;
  node->kwargs = kwargs;
  node->output_shapes = compute_output_shapes(shapes);
  // Floating outputs come out in the layer's compute dtype; others keep the input's dtype.
  for (size_t i = 0; i < node->output_shapes.size(); ++i) {
    const DType in = inputs[std::min(i, inputs.size() - 1)].dtype();
    node->output_dtypes.push_back(is_floating(in) ? compute_dtype() : in);
  }
  std::vector<KerasTensor> out;
  for (size_t i = 0; i < node->output_shapes.size(); ++i) out.emplace_back(node, int(i));
  return out;
}

const Shape& KerasTensor::shape() const { return node_->output_shapes.at(size_t(index_)); }
DType KerasTensor::dtype() const { return node_->output_dtypes.at(size_t(index_)); }
const std::shared_ptr<Layer>& KerasTensor::layer() const { return node_->layer; }

Tensor Layer::read(const Variable& weight) const {
  const Tensor& v = weight.value();
  return is_floating(v.dtype()) && v.dtype() != compute_dtype() ? ops::cast(v, compute_dtype()) : v;
}

nlohmann::ordered_json Layer::get_config() const {
  nlohmann::ordered_json c;
  c["name"] = name_;
  c["trainable"] = trainable_;
  if (batch_input_shape_) {
    nlohmann::ordered_json s = nlohmann::ordered_json::array();
    for (int64_t d : batch_input_shape_->dims()) s.push_back(d < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d));
    c["batch_input_shape"] = s;
  }
  c["dtype"] = policy_.serialize();
  const nlohmann::ordered_json own = layer_config();
  for (auto it = own.begin(); it != own.end(); ++it) c[it.key()] = it.value();
  return c;
}

nlohmann::ordered_json Layer::serialize() const {
  return {{"class_name", class_name_}, {"config", get_config()}};
}

void Layer::set_trainable(bool t) {
  trainable_ = t;
}

std::vector<Variable> Layer::weights() const {
  auto w = trainable_weights();
  auto n = non_trainable_weights();
  w.insert(w.end(), n.begin(), n.end());
  return w;
}

std::vector<Variable> Layer::trainable_weights() const {
  std::vector<Variable> out;
  if (!trainable_) return out;
  for (const auto& [v, t] : weights_) if (t) out.push_back(v);
  return out;
}

std::vector<Variable> Layer::non_trainable_weights() const {
  std::vector<Variable> out;
  for (const auto& [v, t] : weights_) if (!t || !trainable_) out.push_back(v);
  return out;
}

int64_t Layer::count_params() const {
  int64_t n = 0;
  for (const Variable& v : weights()) n += v.value().size();
  return n;
}

std::vector<Tensor> Layer::get_weights() const {
  std::vector<Tensor> out;
  for (const Variable& v : weights()) out.push_back(v.read_value());
  return out;
}

void Layer::set_weights(const std::vector<Tensor>& values) {
  const auto w = weights();
  if (values.size() != w.size())
    throw ValueError("You called `set_weights(weights)` on layer \"" + name_ +
                     "\" with a weight list of length " + std::to_string(values.size()) +
                     ", but the layer was expecting " + std::to_string(w.size()) + " weights.");
  for (size_t i = 0; i < w.size(); ++i)
    if (values[i].shape() != w[i].shape())
      throw ValueError("Layer " + name_ + " weight shape " + w[i].shape().to_string() +
                       " is not compatible with provided weight shape " +
                       values[i].shape().to_string());
  // Checked all first, so a bad list changes nothing.
  for (size_t i = 0; i < w.size(); ++i) {
    Variable v = w[i];
    v.assign(ops::cast(values[i], v.dtype()));
  }
}

Variable Layer::add_weight(const std::string& wname, const Shape& shape,
                           const initializers::Initializer& init, bool trainable) {
  Variable v(init(shape, variable_dtype()), name_ + "/" + wname + ":0", trainable);
  weights_.emplace_back(v, trainable);
  return v;
}

std::vector<Tensor> Layer::losses() const {
  std::vector<Tensor> out;
  if (activity_loss_.defined()) out.push_back(activity_loss_);
  for (const auto& [w, r] : weight_regularizers_) out.push_back(r(w.value()));
  return out;
}

void Layer::add_weight_regularizer(const Variable& weight, const std::optional<regularizers::Regularizer>& r) {
  if (r) weight_regularizers_.emplace_back(weight, *r);
}

void Layer::add_activity_regularization(const Tensor& output, const std::optional<regularizers::Regularizer>& r) {
  if (!r) return;
  const Tensor penalty = (*r)(output);
  const double batch = output.rank() ? double(output.dim(0)) : 1.0;
  activity_loss_ = ops::div(penalty, ops::scalar_like(batch, penalty));
}

void Layer::check_min_ndim(const Tensor& x, int64_t min_ndim) const {
  if (x.rank() < min_ndim)
    throw ValueError("Input 0 of layer \"" + name_ + "\" is incompatible with the layer: expected min_ndim=" +
                     std::to_string(min_ndim) + ", found ndim=" + std::to_string(x.rank()) +
                     ". Full shape received: " + x.shape().to_string());
}

namespace {
std::mutex g_reg_mu;
std::map<std::string, LayerFactory>& registry() {
  static std::map<std::string, LayerFactory> r;
  return r;
}
}  // namespace

void register_layer(const std::string& class_name, LayerFactory factory) {
  std::lock_guard<std::mutex> lock(g_reg_mu);
  registry()[class_name] = std::move(factory);
}

LayerPtr deserialize(const nlohmann::ordered_json& config) {
  if (!config.is_object() || !config.contains("class_name") || !config.contains("config"))
    throw ValueError("layer config must be {\"class_name\": ..., \"config\": {...}}, got " + config.dump());
  const std::string cls = config["class_name"].get<std::string>();
  LayerFactory f;
  {
    std::lock_guard<std::mutex> lock(g_reg_mu);
    auto it = registry().find(cls);
    if (it == registry().end()) {
      const std::string known = backend::join_keys(registry());
      throw ValueError("Unknown layer: '" + cls + "'. Known layers: " + known);
    }
    f = it->second;
  }
  return f(config["config"]);
}

BaseOptions base_options_from_config(const nlohmann::ordered_json& c) {
  BaseOptions b;
  b.name = c.value("name", "");
  b.trainable = c.value("trainable", true);
  if (c.contains("dtype") && !c["dtype"].is_null()) b.dtype = mixed_precision::Policy::deserialize(c["dtype"]).name();
  if (c.contains("batch_input_shape") && c["batch_input_shape"].is_array()) {
    const auto& s = c["batch_input_shape"];
    for (size_t i = 1; i < s.size(); ++i) b.input_shape.push_back(s[i].is_null() ? -1 : s[i].get<int64_t>());
  }
  return b;
}

}  // namespace tb::keras::layers
