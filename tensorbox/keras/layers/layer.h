// Layer: the Keras base class. A layer is built lazily on its first call from the input
// shape, owns its weights (named like Keras: "dense/kernel:0"), and serializes to the same
// config dict Keras writes. Subclasses are registered by their Keras class name next to their
// definition (TB_REGISTER_LAYER), which is how from_config finds them.
//
// Called on a KerasTensor (keras.Input's symbolic tensor) a layer records the call instead of
// computing: that is how functional models (keras/functional.h) are built. Layers that take
// several inputs (merges) take a list and implement the *_list methods.
//
//   auto dense = std::make_shared<tb::keras::layers::Dense>(10);
//   Tensor y = (*dense)(x);               // builds kernel [x.shape[-1], 10] and bias [10]
//   KerasTensor h = (*dense)(Input({784}));   // symbolic: shape (None, 10)
//   dense->count_params();
//   auto copy = tb::keras::layers::deserialize(dense->serialize());
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tensorbox/autodiff/variable.h"
#include "tensorbox/core/tensor.h"
#include "tensorbox/keras/initializers.h"
#include "tensorbox/keras/mixed_precision/policy.h"
#include "tensorbox/keras/regularizers.h"

namespace tb::keras::layers {

// Options every layer takes (Keras's base Layer kwargs). Each layer's options struct ends
// with these fields through TB_LAYER_BASE_OPTIONS, so `{.units_option = ..., .name = "x"}`
// reads like the Python kwargs.
#define TB_LAYER_BASE_OPTIONS                                                        \
  std::vector<int64_t> input_shape{}; /* without the batch axis, as in Keras */      \
  std::string name{};                 /* default: unique snake_case class name */    \
  bool trainable = true;                                                             \
  std::string dtype{} /* a dtype or policy name; default: the global policy */

struct BaseOptions {
  TB_LAYER_BASE_OPTIONS;
};
template <class O>
BaseOptions base_options(const O& o) {
  return BaseOptions{o.input_shape, o.name, o.trainable, o.dtype};
}

class Layer;
struct Node;

// A symbolic tensor (keras.KerasTensor): the shape (batch axis -1) and dtype that one output of
// a layer call will have, and the call (Node) that makes it.
class KerasTensor {
 public:
  KerasTensor() = default;
  KerasTensor(std::shared_ptr<const Node> node, int index) : node_(std::move(node)), index_(index) {}
  bool defined() const { return node_ != nullptr; }
  const Shape& shape() const;
  DType dtype() const;
  const std::shared_ptr<const Node>& node() const { return node_; }
  int index() const { return index_; }
  // The layer whose call produced it (an InputLayer for keras.Input).
  const std::shared_ptr<Layer>& layer() const;

 private:
  std::shared_ptr<const Node> node_;
  int index_ = 0;
};

// One call of a layer on symbolic inputs (Keras's Node): what functional models replay.
struct Node {
  std::shared_ptr<Layer> layer;
  std::vector<KerasTensor> inputs;
  std::vector<Shape> output_shapes;
  std::vector<DType> output_dtypes;
  // Keras's keyword arguments of the call, e.g. {"training": true}; serialized in inbound_nodes.
  nlohmann::ordered_json kwargs = nlohmann::ordered_json::object();
};

class Layer : public std::enable_shared_from_this<Layer> {
 public:
  Layer(const std::string& class_name, const BaseOptions& base);
  virtual ~Layer() = default;

  // Calls the layer: builds it on first use, checks the input, runs call().
  Tensor operator()(const Tensor& inputs, bool training = false, const Tensor& mask = Tensor());
  // Several inputs (merge layers, functional models with several inputs, an RNN's initial
  // state); the outputs in order. `masks` is empty or one (possibly undefined) mask per input.
  std::vector<Tensor> operator()(const std::vector<Tensor>& inputs, bool training = false,
                                 const std::vector<Tensor>& masks = {});
  // Symbolic calls: build the layer for these shapes and record the call. The layer must be
  // owned by a shared_ptr (it becomes part of the graph). The single-result forms need the
  // layer to have one output.
  KerasTensor operator()(const KerasTensor& input);
  KerasTensor operator()(const std::vector<KerasTensor>& inputs);
  // `kwargs`: the call's keyword arguments (Keras's node kwargs), e.g. {"training": true} or
  // MultiHeadAttention's {"use_causal_mask": true}; a tensor-valued one names the input that
  // carries it, {"attention_mask": {"input": 2}} (that input is then not a positional one). A
  // functional model replays the call with them (call_kwargs) and writes them into its config.
  std::vector<KerasTensor> symbolic_call(const std::vector<KerasTensor>& inputs,
                                         const nlohmann::ordered_json& kwargs = nlohmann::ordered_json::object());
  // The input indices that `kwargs` names as tensor arguments ({"input": i} values).
  static std::vector<size_t> tensor_kwarg_inputs(const nlohmann::ordered_json& kwargs);

  // Creates the weights for inputs of `input_shape` (batch axis included, -1 = unknown).
  virtual void build(const Shape& input_shape);
  virtual Tensor call(const Tensor& inputs, bool training) = 0;
  // Output shape for an input shape (batch axis included, -1 = unknown).
  virtual Shape compute_output_shape(const Shape& input_shape) const = 0;

  // A call with keyword arguments from a functional model's node: "training" (a fixed
  // training flag, as in Keras's `layer(x, training=True)`) is handled here, tensor kwargs are
  // taken out of `inputs`; a layer that takes others overrides call_kwargs_extra.
  std::vector<Tensor> call_kwargs(const std::vector<Tensor>& inputs, bool training, const std::vector<Tensor>& masks,
                                  const nlohmann::ordered_json& kwargs);

  // Layers that take a list of inputs (merges) return true and implement the three below;
  // for the others these wrap the single-input methods.
  virtual bool takes_list() const { return false; }
  virtual void build_list(const std::vector<Shape>& input_shapes);
  virtual std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training);
  virtual std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const;

  // Masks (Keras's _keras_mask): a bool tensor, [batch, time] for sequences, marking the real
  // steps of padded input; an undefined Tensor stands for None. Embedding(mask_zero=True) and
  // Masking make one; models hand each layer its input's mask; layers that support masking
  // pass it on, the others drop it, and the recurrent layers, attention and
  // GlobalAveragePooling1D read it, all as in Keras.
  bool supports_masking() const { return supports_masking_; }
  // The mask of this call's output (Keras's compute_mask): the input's mask if the layer
  // supports masking, none otherwise.
  virtual Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const;
  // One mask per output for a list call; list layers that support masking combine the
  // defined input masks with logical_and (Keras's merge rule).
  virtual std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const;
  // Layer-specific config keys; get_config() adds name, trainable, dtype, batch_input_shape.
  virtual nlohmann::ordered_json layer_config() const = 0;
  virtual nlohmann::ordered_json get_config() const;
  // {"class_name": ..., "config": get_config()}
  nlohmann::ordered_json serialize() const;

  const std::string& name() const { return name_; }
  const std::string& class_name() const { return class_name_; }
  bool built() const { return built_; }
  bool trainable() const { return trainable_; }
  void set_trainable(bool t);
  // Keras's names: dtype is the variables' dtype; compute_dtype what call() runs in.
  DType dtype() const { return policy_.variable_dtype(); }
  DType compute_dtype() const { return policy_.compute_dtype(); }
  DType variable_dtype() const { return policy_.variable_dtype(); }
  const mixed_precision::Policy& dtype_policy() const { return policy_; }
  // The batch_input_shape given at construction (input_shape with a leading -1).
  const std::optional<Shape>& batch_input_shape() const { return batch_input_shape_; }

  // Weights in creation order, trainable ones first in weights() (Keras order). Models
  // override these to collect their layers' weights.
  virtual std::vector<Variable> weights() const;
  virtual std::vector<Variable> trainable_weights() const;
  virtual std::vector<Variable> non_trainable_weights() const;
  int64_t count_params() const;
  // Regularization penalties (Keras's layer.losses): each regularized weight's penalty from its
  // current value, and the activity penalty of the last call. fit adds them to the loss.
  virtual std::vector<Tensor> losses() const;
  // Copies values into the weights, in weights() order; shapes must match.
  void set_weights(const std::vector<Tensor>& values);
  std::vector<Tensor> get_weights() const;

 protected:
  Variable add_weight(const std::string& name, const Shape& shape,
                      const initializers::Initializer& initializer, bool trainable = true);
  // A weight as call() reads it: cast to the compute dtype (Keras's AutoCastVariable), so a
  // mixed-precision layer computes in float16/bfloat16 while its variable stays float32 and
  // gradients flow back through the cast.
  Tensor read(const Variable& weight) const;
  // Penalizes `weight` with `r` (nothing when r is empty); the penalty is recomputed from the
  // weight's value whenever losses() is asked, so it follows training.
  void add_weight_regularizer(const Variable& weight, const std::optional<regularizers::Regularizer>& r);
  // The activity penalty of this call: r(output) / batch size, as Keras's activity_regularizer.
  void add_activity_regularization(const Tensor& output, const std::optional<regularizers::Regularizer>& r);
  // Raises ValueError "Input 0 of layer "name" is incompatible with the layer: ..." unless
  // the input's rank is at least `min_ndim`.
  void check_min_ndim(const Tensor& x, int64_t min_ndim) const;
  // Keyword arguments other than "training": `kwargs` the plain ones, `tensors` the
  // tensor-valued ones by name; `inputs`/`masks` the positional ones. The default refuses any.
  virtual std::vector<Tensor> call_kwargs_extra(const std::vector<Tensor>& inputs, bool training,
                                                const std::vector<Tensor>& masks, const nlohmann::ordered_json& kwargs,
                                                const std::map<std::string, Tensor>& tensors);
  // Layers that read the mask override these; the defaults ignore it.
  virtual Tensor call_masked(const Tensor& inputs, bool training, const Tensor& /*mask*/) {
    return call(inputs, training);
  }
  virtual std::vector<Tensor> call_list_masked(const std::vector<Tensor>& inputs, bool training,
                                               const std::vector<Tensor>& /*masks*/) {
    return call_list(inputs, training);
  }
  bool built_ = false;
  bool supports_masking_ = false;

 private:
  std::string class_name_;
  std::string name_;
  bool trainable_;
  mixed_precision::Policy policy_;
  std::optional<Shape> batch_input_shape_;
  std::vector<std::pair<Variable, bool>> weights_;  // (variable, trainable)
  std::vector<std::pair<Variable, regularizers::Regularizer>> weight_regularizers_;
  Tensor activity_loss_;  // of the last call
};

using LayerPtr = std::shared_ptr<Layer>;

// A Layer handle built from any layer value or shared pointer, so lists read like Keras:
// Sequential({Dense(128, {.activation = "relu"}), Dense(10)}).
class LayerRef {
 public:
  template <class L>
    requires std::derived_from<std::remove_cvref_t<L>, Layer>
  LayerRef(L&& layer)  // NOLINT: implicit on purpose
      : ptr_(std::make_shared<std::remove_cvref_t<L>>(std::forward<L>(layer))) {}
  template <class L>
    requires std::derived_from<L, Layer>
  LayerRef(std::shared_ptr<L> layer) : ptr_(std::move(layer)) {}  // NOLINT
  // keras.Input(...) as a Sequential model's first element stands for its InputLayer.
  LayerRef(const KerasTensor& input) : ptr_(input.layer()) {}  // NOLINT
  const LayerPtr& get() const { return ptr_; }

 private:
  LayerPtr ptr_;
};

// Registry of layer classes by Keras class name.
using LayerFactory = std::function<LayerPtr(const nlohmann::ordered_json& config)>;
void register_layer(const std::string& class_name, LayerFactory factory);
// From {"class_name": ..., "config": ...}; ValueError naming an unknown class.
LayerPtr deserialize(const nlohmann::ordered_json& config);

// Reads the base options back from a config dict (for factories).
BaseOptions base_options_from_config(const nlohmann::ordered_json& config);

#define TB_REGISTER_LAYER(Class)                                                      \
  static const bool tb_registered_##Class = [] {                                       \
    ::tb::keras::layers::register_layer(#Class, [](const nlohmann::ordered_json& c) {          \
      return ::tb::keras::layers::LayerPtr(Class::from_config(c));                     \
    });                                                                                \
    return true;                                                                       \
  }()

}  // namespace tb::keras::layers
