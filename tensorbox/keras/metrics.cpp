#include "tensorbox/keras/metrics.h"

#include <map>

#include "tensorbox/keras/backend.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::metrics {

namespace {
double sum_as_double(const Tensor& t) {
  const Tensor d = ops::cast(t, DType::float64);
  const double* p = d.data<double>();
  double s = 0;
  for (int64_t i = 0; i < d.size(); ++i) s += p[i];
  return s;
}

std::string name_or(const MetricOptions& o, const char* dflt) { return o.name.empty() ? dflt : o.name; }
}  // namespace

void Mean::update(const Tensor& values, const Tensor& sample_weight) {
  if (!sample_weight.defined()) {
    total_ += sum_as_double(values);
    count_ += double(values.size());
    return;
  }
  Tensor sw = ops::cast(sample_weight, DType::float64);
  while (sw.rank() < values.rank()) sw = ops::expand_dims(sw, -1);
  const Tensor v = ops::cast(values, DType::float64);
  total_ += sum_as_double(ops::mul(v, sw));
  count_ += sum_as_double(ops::broadcast_to(sw, broadcast_shapes(sw.shape(), v.shape())));
}

void Mean::update(double value, double weight) {
  total_ += value * weight;
  count_ += weight;
}

void Mean::update_state(const Tensor&, const Tensor& y_pred, const Tensor& sample_weight) {
  update(y_pred, sample_weight);
}

void MeanMetricWrapper::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  update(fn_(y_true, y_pred), sample_weight);
}

Tensor sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred) {
  Tensor labels = y_true;
  if (labels.rank() == y_pred.rank() && labels.dim(-1) == 1) labels = ops::squeeze(labels, {-1});
  const Tensor pred = ops::argmax(y_pred, -1);
  const Tensor lab = ops::cast(labels, DType::int64);
  if (lab.shape() != pred.shape())
    throw ValueError("sparse_categorical_accuracy: labels of shape " + y_true.shape().to_string() +
                     " do not match predictions of shape " + y_pred.shape().to_string());
  return ops::cast(ops::equal(lab, pred), DType::float32);
}

Tensor categorical_accuracy(const Tensor& y_true, const Tensor& y_pred) {
  if (y_true.shape() != y_pred.shape())
    throw ValueError("categorical_accuracy: y_true of shape " + y_true.shape().to_string() +
                     " does not match y_pred of shape " + y_pred.shape().to_string());
  return ops::cast(ops::equal(ops::argmax(y_true, -1), ops::argmax(y_pred, -1)), DType::float32);
}

Tensor binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold) {
  Tensor t = ops::cast(y_true, DType::float32);
  if (t.rank() == y_pred.rank() - 1) t = ops::expand_dims(t, -1);
  const Tensor p = ops::cast(ops::greater(ops::cast(y_pred, DType::float32), Tensor::scalar(threshold)), DType::float32);
  return ops::reduce_mean(ops::cast(ops::equal(t, p), DType::float32), {-1});
}

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  if (t.rank() == y_pred.rank() - 1) t = ops::expand_dims(t, -1);
  return ops::reduce_mean(ops::square(ops::sub(y_pred, t)), {-1});
}

Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred) {
  Tensor t = ops::cast(y_true, y_pred.dtype());
  if (t.rank() == y_pred.rank() - 1) t = ops::expand_dims(t, -1);
  return ops::reduce_mean(ops::abs(ops::sub(y_pred, t)), {-1});
}

SparseCategoricalAccuracy::SparseCategoricalAccuracy(const MetricOptions& o)
    : MeanMetricWrapper(sparse_categorical_accuracy, name_or(o, "sparse_categorical_accuracy")) {}
CategoricalAccuracy::CategoricalAccuracy(const MetricOptions& o)
    : MeanMetricWrapper(categorical_accuracy, name_or(o, "categorical_accuracy")) {}
BinaryAccuracy::BinaryAccuracy(const MetricOptions& o, double threshold)
    : MeanMetricWrapper([threshold](const Tensor& t, const Tensor& p) { return binary_accuracy(t, p, threshold); },
                        name_or(o, "binary_accuracy")) {}
MeanSquaredError::MeanSquaredError(const MetricOptions& o)
    : MeanMetricWrapper(mean_squared_error, name_or(o, "mean_squared_error")) {}
MeanAbsoluteError::MeanAbsoluteError(const MetricOptions& o)
    : MeanMetricWrapper(mean_absolute_error, name_or(o, "mean_absolute_error")) {}

std::shared_ptr<Metric> Metric::get(const std::string& name) {
  const std::string n = backend::to_snake_case(name);
  if (n == "sparse_categorical_accuracy") return std::make_shared<SparseCategoricalAccuracy>(MetricOptions{name});
  if (n == "categorical_accuracy") return std::make_shared<CategoricalAccuracy>(MetricOptions{name});
  if (n == "binary_accuracy") return std::make_shared<BinaryAccuracy>(MetricOptions{name});
  if (n == "mean_squared_error" || n == "mse") return std::make_shared<MeanSquaredError>(MetricOptions{name});
  if (n == "mean_absolute_error" || n == "mae") return std::make_shared<MeanAbsoluteError>(MetricOptions{name});
  if (n == "mean") return std::make_shared<Mean>(name);
  throw ValueError("Unknown metric function: '" + name +
                   "'. Valid metrics: accuracy, acc, sparse_categorical_accuracy, categorical_accuracy, "
                   "binary_accuracy, mean_squared_error, mse, mean_absolute_error, mae, mean");
}

std::shared_ptr<Metric> resolve(const std::string& name, const Shape& y_true, const Shape& y_pred) {
  if (name != "accuracy" && name != "acc") return Metric::get(name);
  const bool pred_is_1 = y_pred.rank() > 0 && y_pred[-1] == 1;
  if (pred_is_1) return std::make_shared<MeanMetricWrapper>([](const Tensor& t, const Tensor& p) { return binary_accuracy(t, p); }, name);
  const bool sparse = y_true.rank() < y_pred.rank() || (y_true.rank() > 0 && y_true[-1] == 1 && y_pred.rank() > 0 && y_pred[-1] > 1);
  if (sparse) return std::make_shared<MeanMetricWrapper>(sparse_categorical_accuracy, name);
  return std::make_shared<MeanMetricWrapper>(categorical_accuracy, name);
}

}  // namespace tb::keras::metrics
