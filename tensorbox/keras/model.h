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
#include "tensorbox/keras/layers/layer.h"
#include "tensorbox/keras/losses.h"
#include "tensorbox/keras/metrics.h"
#include "tensorbox/keras/optimizers/optimizer.h"
#include "tensorbox/keras/ref.h"

namespace tb::keras {

using callbacks::Logs;

struct CompileOptions {
  Ref<optimizers::Optimizer> optimizer = "rmsprop";
  Ref<losses::Loss> loss{};
  std::vector<std::string> metrics{};
};

struct FitOptions {
  std::optional<int64_t> batch_size{};  // default 32
  int epochs = 1;
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  std::vector<callbacks::CallbackPtr> callbacks{};
  double validation_split = 0.0;
  std::optional<std::pair<Tensor, Tensor>> validation_data{};
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
  std::shared_ptr<callbacks::History> fit(const Tensor& x, const Tensor& y, const FitOptions& options = {});
  Logs evaluate(const Tensor& x, const Tensor& y, const EvaluateOptions& options = {});
  Tensor predict(const Tensor& x, const PredictOptions& options = {});
  // One step on one batch. With reset_metrics (Keras's default) the logs cover this batch
  // alone; without, the metrics keep accumulating across calls.
  Logs train_on_batch(const Tensor& x, const Tensor& y, bool reset_metrics = true);
  Logs test_on_batch(const Tensor& x, const Tensor& y, bool reset_metrics = true);
  Tensor predict_on_batch(const Tensor& x);

  // The layers in order (without the InputLayer, as Keras lists them).
  virtual std::vector<layers::LayerPtr> layers() const = 0;
  layers::LayerPtr get_layer(const std::string& name) const;
  // Keras's Model.weights order: layer by layer, each layer's trainable then non-trainable ones.
  std::vector<Variable> weights() const override;
  std::vector<Variable> trainable_weights() const override;
  std::vector<Variable> non_trainable_weights() const override;
  std::vector<Variable> trainable_variables() const { return trainable_weights(); }
  std::vector<Variable> variables() const { return weights(); }

  // Keras's table: layer (type), output shape, param #, totals.
  void summary(std::ostream& out = std::cout) const;
  // Weights in tensorbox's weights file (see io notes in the README); the write is atomic.
  void save_weights(const std::string& path) const;
  void load_weights(const std::string& path);

  bool compiled() const { return optimizer_ != nullptr; }
  optimizers::Optimizer& optimizer() const;
  // The optimizer training uses (after compile's LossScaleOptimizer wrapping); null before compile.
  const std::shared_ptr<optimizers::Optimizer>& optimizer_ptr() const { return optimizer_; }
  bool stop_training = false;
  const std::vector<std::shared_ptr<metrics::Metric>>& metrics() const { return metric_objs_; }

 protected:
  // The batch input shape the model was declared with (first layer's input_shape), if any.
  virtual std::optional<Shape> model_input_shape() const = 0;

 private:
  void check_compiled(const char* what) const;
  // The steps fit/evaluate run per batch (metrics accumulate over the epoch).
  Logs train_step(const Tensor& x, const Tensor& y);
  Logs test_step(const Tensor& x, const Tensor& y);
  Logs one_batch(bool reset, const std::function<Logs()>& step);
  void check_xy(const Tensor& x, const Tensor& y, const char* what) const;
  void resolve_metrics(const Tensor& y, const Tensor& y_pred);
  Tensor compute_loss(const Tensor& y, const Tensor& y_pred);
  void update_metrics(const Tensor& y, const Tensor& y_pred, double loss, int64_t batch);
  Logs metric_logs() const;
  void reset_metrics();
  Logs run_test(const Tensor& x, const Tensor& y, int64_t batch_size, int verbose,
                callbacks::CallbackList* cbs);

  std::shared_ptr<optimizers::Optimizer> optimizer_;
  std::shared_ptr<losses::Loss> loss_;
  std::vector<std::string> metric_names_;
  std::vector<std::shared_ptr<metrics::Metric>> metric_objs_;
  metrics::Mean loss_tracker_{"loss"};
};

}  // namespace tb::keras
