// Stateful Keras metrics: update_state per batch, result() over everything seen since the
// last reset_state() (the training loop resets them every epoch). "accuracy"/"acc" resolve
// from the shapes of the first batch exactly as Keras does (keras-facts.md 1.10).
//
//   metrics::SparseCategoricalAccuracy acc;
//   acc.update_state(labels, logits);
//   double a = acc.result();
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tensorbox/core/tensor.h"

namespace tb::keras::metrics {

class Metric {
 public:
  explicit Metric(std::string name) : name_(std::move(name)) {}
  virtual ~Metric() = default;
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred,
                            const Tensor& sample_weight = Tensor()) = 0;
  virtual double result() const = 0;
  virtual void reset_state() = 0;
  const std::string& name() const { return name_; }
  // Builds a metric from a Keras name ("sparse_categorical_accuracy", "mse", ...).
  // "accuracy" needs shapes and is resolved by resolve() instead.
  static std::shared_ptr<Metric> get(const std::string& name);

 private:
  std::string name_;
};

// The weighted mean of the values given to update (keras.metrics.Mean).
class Mean : public Metric {
 public:
  explicit Mean(std::string name = "mean") : Metric(std::move(name)) {}
  // values: any shape; sample_weight broadcast over values (or [batch]).
  void update(const Tensor& values, const Tensor& sample_weight = Tensor());
  // Adds one value with weight `weight` (the loss tracker's path: loss weighted by batch size).
  void update(double value, double weight);
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) override;
  double result() const override { return count_ == 0 ? 0.0 : total_ / count_; }
  void reset_state() override { total_ = count_ = 0; }

 private:
  double total_ = 0, count_ = 0;
};

// Mean of fn(y_true, y_pred) per sample (keras.metrics.MeanMetricWrapper).
class MeanMetricWrapper : public Mean {
 public:
  using Fn = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;
  MeanMetricWrapper(Fn fn, std::string name) : Mean(std::move(name)), fn_(std::move(fn)) {}
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = Tensor()) override;

 private:
  Fn fn_;
};

// Per-sample metric functions (float32 1.0 / 0.0 values).
Tensor sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred);
Tensor categorical_accuracy(const Tensor& y_true, const Tensor& y_pred);
Tensor binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold = 0.5);
Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred);

struct MetricOptions {
  std::string name{};
};
class SparseCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit SparseCategoricalAccuracy(const MetricOptions& o = {});
};
class CategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit CategoricalAccuracy(const MetricOptions& o = {});
};
class BinaryAccuracy : public MeanMetricWrapper {
 public:
  explicit BinaryAccuracy(const MetricOptions& o = {}, double threshold = 0.5);
};
class MeanSquaredError : public MeanMetricWrapper {
 public:
  explicit MeanSquaredError(const MetricOptions& o = {});
};

class MeanAbsoluteError : public MeanMetricWrapper {
 public:
  explicit MeanAbsoluteError(const MetricOptions& o = {});
};

// Keras's compile-time resolution of "accuracy"/"acc" from shapes; other names go to get().
std::shared_ptr<Metric> resolve(const std::string& name, const Shape& y_true, const Shape& y_pred);

}  // namespace tb::keras::metrics
