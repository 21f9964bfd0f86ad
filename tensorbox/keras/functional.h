// Functional: a model defined by calling layers on symbolic tensors (keras.Model(inputs,
// outputs)). Any graph of layer calls: several inputs and outputs, shared layers (one layer
// called at several places shares its weights), skip connections, models nested as layers.
// Keras's config format ("layers" with "inbound_nodes", "input_layers", "output_layers")
// round-trips, and summary() prints Keras's table with its "Connected to" column.
//
//   KerasTensor a = Input({784});
//   auto dense = std::make_shared<Dense>(64, DenseOptions{.activation = "relu"});
//   KerasTensor h = (*dense)(a);
//   KerasTensor out = (*std::make_shared<Dense>(10))((*std::make_shared<Add>())({h, (*dense)(a)}));
//   Functional model({a}, {out});
//   model.compile({.optimizer = "adam", .loss = "mse"});
#pragma once

#include "tensorbox/keras/model.h"

namespace tb::keras {

using layers::KerasTensor;

struct FunctionalOptions {
  std::string name{};  // default "model", "model_1", ...
};

class Functional : public Model {
 public:
  Functional(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs, const FunctionalOptions& options = {});

  bool takes_list() const override { return true; }
  Tensor call(const Tensor& inputs, bool training) override;
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const override;
  void build(const Shape&) override {}  // built from its graph
  void build_list(const std::vector<Shape>&) override {}

  // Every layer of the graph, input layers included, in Keras's order (by depth, inputs first).
  std::vector<layers::LayerPtr> layers() const override;
  size_t num_inputs() const override { return inputs_.size(); }
  std::vector<std::string> output_names() const override;
  const std::vector<KerasTensor>& inputs() const { return inputs_; }
  const std::vector<KerasTensor>& outputs() const { return outputs_; }

  nlohmann::ordered_json layer_config() const override;
  nlohmann::ordered_json get_config() const override;
  static std::shared_ptr<Functional> from_config(const nlohmann::ordered_json& config);

 protected:
  std::optional<Shape> model_input_shape() const override;
  SummaryTable summary_table() const override;

 private:
  // Runs `f(node, inputs)` for every non-input node in order, with its inputs' values.
  template <class T, class F>
  std::vector<T> run(const std::vector<T>& inputs, F&& f) const;
  // The index of `node` among its layer's nodes in this model (Keras's node_index).
  int node_index(const layers::Node* node) const;

  std::vector<KerasTensor> inputs_, outputs_;
  std::vector<std::shared_ptr<const layers::Node>> nodes_;  // every node, each after its inputs
  std::vector<layers::LayerPtr> layers_;                    // Keras's order
};

}  // namespace tb::keras
