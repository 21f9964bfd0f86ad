#include "tensorbox/keras/layers/rnn.h"

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/backend.h"
#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

RNN::RNN(const std::string& class_name, int64_t units, int num_states, int gates, const RNNOptions& o)
    : Layer(class_name, base_options(o)),
      units_(units),
      options_(o),
      kernel_init_(initializers::get(o.kernel_initializer)),
      recurrent_init_(initializers::get(o.recurrent_initializer)),
      bias_init_(initializers::get(o.bias_initializer)),
      kernel_reg_(regularizers::from_config(o.kernel_regularizer)),
      recurrent_reg_(regularizers::from_config(o.recurrent_regularizer)),
      bias_reg_(regularizers::from_config(o.bias_regularizer)),
      activity_reg_(regularizers::from_config(o.activity_regularizer)),
      act_(activations::get(o.activation)),
      rec_act_(activations::get(o.recurrent_activation)),
      num_states_(num_states),
      num_gates_(gates),
      cell_name_(backend::unique_object_name(backend::to_snake_case(class_name) + "_cell")) {
  supports_masking_ = true;
  if (units <= 0)
    throw ValueError("Received an invalid value for argument `units`, expected a positive integer, got " +
                     std::to_string(units) + " (layer \"" + name() + "\")");
  if (o.stateful)
    throw UnimplementedError("Layer \"" + name() + "\": stateful recurrent layers are not supported by tensorbox");
  check_fraction(o.dropout, "dropout", name());
  check_fraction(o.recurrent_dropout, "recurrent_dropout", name());
  options_.activation = activations::serialize(o.activation);  // act_/rec_act_ already checked the names
  options_.recurrent_activation = activations::serialize(o.recurrent_activation);
}

void RNN::check_input(const Shape& s) const {
  if (s.rank() != 3)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected ndim=3, found ndim=" +
                     std::to_string(s.rank()) + ". Full shape received: " + s.to_string());
  if (s[2] <= 0)
    throw ValueError("Layer \"" + name() + "\": the last dimension of the inputs must be defined, got " + s.to_string());
}

void RNN::build(const Shape& s) {
  check_input(s);
  build_cell(s[2], num_gates_);
  built_ = true;
}

void RNN::build_list(const std::vector<Shape>& shapes) {
  if (shapes.empty()) throw ValueError("Layer \"" + name() + "\" was called without inputs");
  build(shapes[0]);
}

void RNN::build_cell(int64_t input_dim, int64_t gates) {
  auto add = [this](const std::string& wname, const Shape& shape, const initializers::Initializer& init,
                    const std::optional<regularizers::Regularizer>& reg) {
    Variable v = add_weight(cell_name_ + "/" + wname, shape, init);
    add_weight_regularizer(v, reg);
    return v;
  };
  kernel_ = add("kernel", {input_dim, gates * units_}, kernel_init_, kernel_reg_);
  recurrent_kernel_ = add("recurrent_kernel", {units_, gates * units_}, recurrent_init_, recurrent_reg_);
  if (options_.use_bias) bias_ = add("bias", bias_shape(gates), bias_initializer(), bias_reg_);
}

Tensor RNN::input_bias() { return options_.use_bias ? read(bias_) : Tensor(); }

std::vector<Tensor> RNN::step_weights() { return {read(recurrent_kernel_)}; }

Tensor RNN::gate(const Tensor& z, int k) const {
  return ops::slice(z, {0, k * units_}, {z.dim(0), units_});
}

Tensor RNN::call(const Tensor& x, bool training) { return call_masked(x, training, Tensor()); }

Tensor RNN::call_masked(const Tensor& x, bool training, const Tensor& mask) {
  if (options_.return_state)
    throw ValueError("Layer \"" + name() + "\" has return_state=True and " + std::to_string(1 + num_states_) +
                     " outputs; call it with a list");
  return run({x}, training, mask)[0];
}

std::vector<Tensor> RNN::call_list(const std::vector<Tensor>& inputs, bool training) {
  return run(inputs, training, Tensor());
}

std::vector<Tensor> RNN::call_list_masked(const std::vector<Tensor>& inputs, bool training,
                                          const std::vector<Tensor>& masks) {
  return run(inputs, training, masks.empty() ? Tensor() : masks[0]);
}

std::vector<Tensor> RNN::run(const std::vector<Tensor>& inputs, bool training, const Tensor& mask) {
  const Tensor& x = inputs.at(0);
  check_input(x.shape());
  Tensor xt = options_.time_major ? x : ops::transpose(x, {1, 0, 2});  // [time, batch, features]
  const int64_t steps = xt.dim(0), batch = xt.dim(1), features = xt.dim(2);
  if (steps == 0) throw ValueError("Layer \"" + name() + "\" received an input with no timesteps: " + x.shape().to_string());

  std::vector<Tensor> states;
  if (inputs.size() > 1) {
    if (inputs.size() != size_t(1 + num_states_))
      throw ValueError("Layer \"" + name() + "\" expects " + std::to_string(num_states_) + " initial state(s), got " +
                       std::to_string(inputs.size() - 1));
    for (size_t i = 1; i < inputs.size(); ++i) {
      if (inputs[i].shape() != Shape({batch, units_}))
        throw ValueError("Layer \"" + name() + "\": initial state " + std::to_string(i - 1) + " has shape " +
                         inputs[i].shape().to_string() + ", expected " + Shape({batch, units_}).to_string());
      states.push_back(inputs[i]);
    }
  } else {
    for (int i = 0; i < num_states_; ++i) states.push_back(Tensor::zeros({batch, units_}, compute_dtype()));
  }

  Tensor mt;  // [time, batch] bool
  if (mask.defined()) {
    if (mask.shape() != Shape({x.dim(0), x.dim(1)}))
      throw ValueError("Layer \"" + name() + "\": the mask has shape " + mask.shape().to_string() +
                       ", expected " + Shape({x.dim(0), x.dim(1)}).to_string());
    mt = mask.dtype() == DType::bool_ ? mask : ops::cast(mask, DType::bool_);
    if (!options_.time_major) mt = ops::transpose(mt);
  }
  if (options_.go_backwards) {
    xt = reverse_axis(xt, 0);
    if (mt.defined()) mt = reverse_axis(mt, 0);
  }
  // Keras draws one dropout mask for the inputs and one for the recurrent state per call.
  if (training && options_.dropout > 0)
    xt = ops::mul(xt, ops::dropout(Tensor::full({batch, features}, 1.0, xt.dtype()), options_.dropout));
  Tensor rec_mask;
  if (training && options_.recurrent_dropout > 0)
    rec_mask = ops::dropout(Tensor::full({batch, units_}, 1.0, compute_dtype()), options_.recurrent_dropout);

  const Tensor proj = ops::dense(ops::reshape(xt, {steps * batch, features}), read(kernel_), input_bias(), "linear", name());
  const std::vector<Tensor> weights = step_weights();
  // One unstack (and one stack of the outputs) keeps the gradient linear in the length.
  const std::vector<Tensor> projected = ops::unstack(ops::reshape(proj, {steps, batch, proj.dim(1)}), 0);
  const std::vector<Tensor> step_masks = mt.defined() ? ops::unstack(mt, 0) : std::vector<Tensor>{};
  std::vector<Tensor> outputs;
  Tensor last = Tensor::zeros({batch, units_}, compute_dtype());
  for (int64_t t = 0; t < steps; ++t) {
    const Tensor h = rec_mask.defined() ? ops::mul(states[0], rec_mask) : states[0];
    std::vector<Tensor> next = step(projected[size_t(t)], h, states, weights);
    Tensor out = next[0];
    if (mt.defined()) {
      const Tensor m = step_masks[size_t(t)].reshape({batch, 1});
      for (size_t i = 0; i < next.size(); ++i) next[i] = ops::where(m, next[i], states[i]);
      out = ops::where(m, out, options_.zero_output_for_mask ? ops::zeros_like(out) : last);
    }
    states = std::move(next);
    last = out;
    if (options_.return_sequences) outputs.push_back(out);
  }
  Tensor output = last;
  if (options_.return_sequences) output = ops::stack(outputs, options_.time_major ? 0 : 1);
  add_activity_regularization(output, activity_reg_);
  std::vector<Tensor> result{output};
  if (options_.return_state) result.insert(result.end(), states.begin(), states.end());
  return result;
}

std::vector<Shape> RNN::compute_output_shapes(const std::vector<Shape>& shapes) const {
  if (shapes.empty()) throw ValueError("Layer \"" + name() + "\" was called without inputs");
  const Shape& s = shapes[0];
  check_input(s);
  const int64_t batch = options_.time_major ? s[1] : s[0];
  std::vector<Shape> out;
  out.push_back(options_.return_sequences ? Shape({s[0], s[1], units_}) : Shape({batch, units_}));
  if (options_.return_state)
    for (int i = 0; i < num_states_; ++i) out.push_back(Shape({batch, units_}));
  return out;
}

Shape RNN::compute_output_shape(const Shape& s) const { return compute_output_shapes({s})[0]; }

std::vector<Tensor> RNN::compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const {
  std::vector<Tensor> out{compute_mask(inputs.at(0), masks.empty() ? Tensor() : masks[0])};
  if (options_.return_state)
    for (int i = 0; i < num_states_; ++i) out.emplace_back();
  return out;
}

Tensor RNN::compute_mask(const Tensor&, const Tensor& mask) const {
  return options_.return_sequences ? mask : Tensor();
}

nlohmann::ordered_json RNN::layer_config() const {
  nlohmann::ordered_json c{{"return_sequences", options_.return_sequences},
                           {"return_state", options_.return_state},
                           {"go_backwards", options_.go_backwards},
                           {"stateful", options_.stateful},
                           {"unroll", options_.unroll},
                           {"time_major", options_.time_major}};
  if (options_.zero_output_for_mask) c["zero_output_for_mask"] = true;  // Keras writes it only when set
  c["units"] = units_;
  c["activation"] = options_.activation;
  if (uses_recurrent_activation()) c["recurrent_activation"] = options_.recurrent_activation;
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = kernel_init_.get_config();
  c["recurrent_initializer"] = recurrent_init_.get_config();
  c["bias_initializer"] = bias_init_.get_config();
  const nlohmann::ordered_json middle = config_after_initializers(), end = config_at_end();
  for (const auto& [k, v] : middle.items()) c[k] = v;
  c["kernel_regularizer"] = regularizers::serialize(kernel_reg_);
  c["recurrent_regularizer"] = regularizers::serialize(recurrent_reg_);
  c["bias_regularizer"] = regularizers::serialize(bias_reg_);
  c["activity_regularizer"] = regularizers::serialize(activity_reg_);
  c["kernel_constraint"] = nullptr;
  c["recurrent_constraint"] = nullptr;
  c["bias_constraint"] = nullptr;
  c["dropout"] = options_.dropout;
  c["recurrent_dropout"] = options_.recurrent_dropout;
  for (const auto& [k, v] : end.items()) c[k] = v;
  return c;
}

RNNOptions read_rnn_options(ConfigReader& r, const nlohmann::ordered_json& c, int64_t& units) {
  const BaseOptions b = read_base_options(r, c);
  RNNOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("units", units);
  r.read_if_set("activation", o.activation);
  r.read_if_set("recurrent_activation", o.recurrent_activation);
  r.read("use_bias", o.use_bias);
  for (const char* k : {"kernel_initializer", "recurrent_initializer", "bias_initializer"}) r.allow(k);
  r.read_if_set("kernel_regularizer", o.kernel_regularizer);
  r.read_if_set("recurrent_regularizer", o.recurrent_regularizer);
  r.read_if_set("bias_regularizer", o.bias_regularizer);
  r.read_if_set("activity_regularizer", o.activity_regularizer);
  for (const char* k : {"kernel_constraint", "recurrent_constraint", "bias_constraint"}) r.ignore(k, nullptr);
  r.read("dropout", o.dropout);
  r.read("recurrent_dropout", o.recurrent_dropout);
  r.read("return_sequences", o.return_sequences);
  r.read("return_state", o.return_state);
  r.read("go_backwards", o.go_backwards);
  r.read("stateful", o.stateful);
  r.read("unroll", o.unroll);
  r.read("time_major", o.time_major);
  r.read("zero_output_for_mask", o.zero_output_for_mask);
  return o;
}

void RNN::read_initializers(const nlohmann::ordered_json& c) {
  if (c.contains("kernel_initializer")) kernel_init_ = initializers::from_config(c["kernel_initializer"]);
  if (c.contains("recurrent_initializer")) recurrent_init_ = initializers::from_config(c["recurrent_initializer"]);
  if (c.contains("bias_initializer")) bias_init_ = initializers::from_config(c["bias_initializer"]);
}

}  // namespace tb::keras::layers
