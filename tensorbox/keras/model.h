// Model: compile / fit / evaluate / predict / train_on_batch, the Keras training loop
// (keras-facts.md 1.9-1.12): batches of batch_size with the last partial batch kept, a fresh
// shuffle each epoch, validation_split taken from the end before shuffling, a weighted running
// mean of the loss in the progress bar, metrics reset per epoch, callbacks and History.
//
//   model.compile({.optimizer = "adam",
//                  .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
//                  .metrics = {"accuracy"}});
//   auto history = model.fit(x_train, y_train, {.batch_size = 128, .epochs = 5,
//                                               .validation_split = 0.1});
//   auto scores = model.evaluate(x_test, y_test);          // scores.at("accuracy")
#pragma once

#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tensorbox/keras/callbacks/callback.h"
#include "tensorbox/keras/data_adapter.h"
#include "tensorbox/keras/layers/layer.h"
#include "tensorbox/keras/losses.h"
#include "tensorbox/keras/metrics.h"
#include "tensorbox/keras/optimizers/optimizer.h"
#include "tensorbox/keras/ref.h"

namespace tb::keras {

using callbacks::Logs;

struct CompileOptions {
  Ref<optimizers::Optimizer> optimizer = "rmsprop";
  Ref<losses::Loss> loss{};                 // one loss for every output, or:
  std::vector<Ref<losses::Loss>> losses{};  // one per output, in output order
  std::vector<double> loss_weights{};       // per output (default 1): loss = sum(w_i * loss_i)
  std::vector<std::string> metrics{};       // for every output, or:
  std::vector<std::vector<std::string>> output_metrics{};  // per output
};

struct FitOptions {
  std::optional<int64_t> batch_size{};  // default 32
  int epochs = 1;
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  std::vector<callbacks::CallbackPtr> callbacks{};
  double validation_split = 0.0;
  std::optional<std::pair<TensorList, TensorList>> validation_data{};
  bool shuffle = true;
  int initial_epoch = 0;
  std::optional<int64_t> validation_batch_size{};
  int validation_freq = 1;
};

struct EvaluateOptions {
  std::optional<int64_t> batch_size{};
  int verbose = 1;
  std::vector<callbacks::CallbackPtr> callbacks{};
};

struct PredictOptions {
  std::optional<int64_t> batch_size{};
  int verbose = 0;
  std::vector<callbacks::CallbackPtr> callbacks{};
};

class Model : public layers::Layer {
 public:
  Model(const std::string& class_name, const layers::BaseOptions& base);

  void compile(const CompileOptions& options);
  std::shared_ptr<callbacks::History> fit(const TensorList& x, const TensorList& y, const FitOptions& options = {});
  Logs evaluate(const TensorList& x, const TensorList& y, const EvaluateOptions& options = {});
  // The single output of a one-output model (ValueError otherwise: use predict_all).
  Tensor predict(const TensorList& x, const PredictOptions& options = {});
  TensorList predict_all(const TensorList& x, const PredictOptions& options = {});
  // One step on one batch. With reset_metrics (Keras's default) the logs cover this batch
  // alone; without, the metrics keep accumulating across calls.
  Logs train_on_batch(const TensorList& x, const TensorList& y, bool reset_metrics = true);
  Logs test_on_batch(const TensorList& x, const TensorList& y, bool reset_metrics = true);
  Tensor predict_on_batch(const TensorList& x);

  // The model's forward pass on its inputs: one tensor per output.
  TensorList outputs_for(const TensorList& x, bool training);
  // The masks of the last call's outputs (Keras's y_pred._keras_mask; undefined: none). fit and
  // evaluate weight each output's loss and metrics by its mask, as Keras 2.12 does, so padded
  // timesteps of a sequence output do not count (the loss is the mean over unmasked entries).
  const std::vector<Tensor>& output_masks() const { return last_output_masks_; }
  // The number of inputs the model takes; 0: any (a Python subclass's `call` decides).
  virtual size_t num_inputs() const { return 1; }
  // Names of the outputs (their layers' names), which prefix per-output logs ("dense_1_loss").
  virtual std::vector<std::string> output_names() const;

  // The layers in order (without the InputLayer, as Keras lists them).
  virtual std::vector<layers::LayerPtr> layers() const = 0;
  layers::LayerPtr get_layer(const std::string& name) const;
  // Every layer's regularization penalties.
  std::vector<Tensor> losses() const override;
  // Keras's Model.weights order: layer by layer, each layer's trainable then non-trainable ones.
  std::vector<Variable> weights() const override;
  std::vector<Variable> trainable_weights() const override;
  std::vector<Variable> non_trainable_weights() const override;
  std::vector<Variable> trainable_variables() const { return trainable_weights(); }
  std::vector<Variable> variables() const { return weights(); }

  // Keras's table: layer (type), output shape, param # (and "Connected to" for graphs), totals.
  void summary(std::ostream& out = std::cout) const;
  // Weights in tensorbox's weights file (see io notes in the README); the write is atomic.
  void save_weights(const std::string& path) const;
  void load_weights(const std::string& path);

  bool compiled() const { return optimizer_ != nullptr; }
  optimizers::Optimizer& optimizer() const;
  // The optimizer training uses (after compile's LossScaleOptimizer wrapping); null before compile.
  const std::shared_ptr<optimizers::Optimizer>& optimizer_ptr() const { return optimizer_; }
  bool stop_training = false;
  // Every metric object, output by output (after the first batch resolved them).
  std::vector<std::shared_ptr<metrics::Metric>> metrics() const;
  // The names the logs carry: "loss", per-output losses, then the (resolved) metrics.
  std::vector<std::string> metrics_names() const;

 protected:
  // The batch input shape the model was declared with (first layer's input_shape), if any.
  virtual std::optional<Shape> model_input_shape() const = 0;
  // What summary() prints: column headers, column end positions, one row of fields per layer.
  struct SummaryTable {
    std::vector<std::string> header;
    std::vector<int> positions;
    std::vector<std::vector<std::string>> rows;
  };
  virtual SummaryTable summary_table() const;
  std::vector<Tensor> last_output_masks_;  // set by call()/call_list() of models that track masks

 private:
  void check_compiled(const char* what) const;
  // The steps fit/evaluate run per batch (metrics accumulate over the epoch).
  Logs train_step(const TensorList& x, const TensorList& y);
  Logs test_step(const TensorList& x, const TensorList& y);
  Logs one_batch(bool reset, const std::function<Logs()>& step);
  void check_x(const TensorList& x, const char* what) const;
  void check_xy(const TensorList& x, const TensorList& y, const char* what) const;
  void resolve_metrics(const TensorList& y, const TensorList& y_pred);
  // The outputs' masks as float32 sample weights (undefined where an output has no mask).
  std::vector<Tensor> mask_weights(size_t outputs) const;
  // The total loss (weighted sum over outputs); each output's own loss goes to `per_output`.
  // `weights`: per output, a sample weight (the output's mask) or undefined.
  Tensor compute_loss(const TensorList& y, const TensorList& y_pred, const std::vector<Tensor>& weights,
                      std::vector<double>* per_output);
  void update_metrics(const TensorList& y, const TensorList& y_pred, const std::vector<Tensor>& weights, double loss,
                      const std::vector<double>& per_output, int64_t batch);
  Logs metric_logs() const;
  void reset_metrics();
  Logs run_test(DataAdapter& data, int verbose, callbacks::CallbackList* cbs);

  std::shared_ptr<optimizers::Optimizer> optimizer_;
  std::vector<std::shared_ptr<losses::Loss>> losses_;  // one per output
  std::vector<double> loss_weights_;
  std::vector<std::vector<std::string>> metric_names_;  // per output
  std::vector<std::vector<std::shared_ptr<metrics::Metric>>> metric_objs_;
  metrics::Mean loss_tracker_{"loss"};
  std::vector<metrics::Mean> output_loss_trackers_;  // "<output>_loss" when there are several outputs
};

}  // namespace tb::keras
