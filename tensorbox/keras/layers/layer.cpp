#include "tensorbox/keras/layers/layer.h"

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

Tensor Layer::operator()(const Tensor& inputs, bool training) {
  Tensor x = inputs;
  // Keras casts floating inputs to the layer's compute dtype.
  if (is_floating(x.dtype()) && x.dtype() != compute_dtype()) x = ops::cast(x, compute_dtype());
  if (!built_) {
    std::vector<int64_t> d = x.shape().dims();
    if (!d.empty()) d[0] = -1;
    build(Shape(d));
    built_ = true;
  }
  return call(x, training);
}

void Layer::build(const Shape&) { built_ = true; }

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
