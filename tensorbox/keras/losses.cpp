#include "tensorbox/keras/losses.h"

#include <map>

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/backend.h"
#include "tensorbox/keras/config_reader.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::losses {
using namespace tb::ops;  // NOLINT: loss formulas read as math

namespace {

Tensor clip_probs(const Tensor& p) {
  return minimum(maximum(p, scalar_like(backend::kEpsilon, p)), scalar_like(1.0 - backend::kEpsilon, p));
}

// Brings y_true to y_pred's rank where Keras does ([N] labels against [N, 1] predictions).
Tensor match_rank(const Tensor& y_true, const Tensor& y_pred) {
  if (y_true.rank() == y_pred.rank() - 1 && y_pred.dim(-1) == 1) return expand_dims(y_true, -1);
  if (y_true.rank() == y_pred.rank() + 1 && y_true.dim(-1) == 1) return squeeze(y_true, {-1});
  return y_true;
}

Tensor float_labels(const Tensor& y_true, const Tensor& y_pred, const std::string& loss) {
  const Tensor t = cast(match_rank(y_true, y_pred), y_pred.dtype());
  bool ok = t.shape() == y_pred.shape();
  if (!ok) {
    try {
      ok = broadcast_shapes(t.shape(), y_pred.shape()) == y_pred.shape();
    } catch (const InvalidArgumentError&) {
      ok = false;
    }
  }
  if (!ok)
    throw ValueError("`" + loss + "`: Shapes " + y_true.shape().to_string() + " and " + y_pred.shape().to_string() +
                     " are incompatible (y_true, y_pred)");
  return t;
}

std::string default_name(const std::string& given, const char* dflt) { return given.empty() ? dflt : given; }

}  // namespace

Tensor Loss::operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) const {
  if (!is_floating(y_pred.dtype()))
    throw ValueError("Loss " + name_ + ": y_pred must be floating, got " + std::string(dtype_name(y_pred.dtype())));
  if (y_true.rank() > 0 && y_pred.rank() > 0 && y_true.dim(0) != y_pred.dim(0))
    throw ValueError("Loss " + name_ + ": y_true and y_pred have different batch sizes: " +
                     y_true.shape().to_string() + " vs " + y_pred.shape().to_string());
  Tensor per_sample = call(y_true, y_pred);
  if (per_sample.dtype() != DType::float32 && per_sample.dtype() != DType::float64)
    per_sample = cast(per_sample, DType::float32);  // reductions accumulate in float32
  if (sample_weight.defined()) {
    Tensor sw = cast(sample_weight, per_sample.dtype());
    while (sw.rank() < per_sample.rank()) sw = expand_dims(sw, -1);
    per_sample = mul(per_sample, sw);
  }
  const int64_t n = per_sample.size();
  return mul(reduce_sum(per_sample), scalar_like(n ? 1.0 / double(n) : 0.0, per_sample));
}

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(const CrossentropyOptions& o)
    : Loss(default_name(o.name, "sparse_categorical_crossentropy")), from_logits_(o.from_logits) {}

Tensor SparseCategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  Tensor labels = y_true;
  if (labels.rank() == y_pred.rank() && labels.rank() > 0 && labels.dim(-1) == 1) labels = squeeze(labels, {-1});
  if (labels.shape().rank() != y_pred.rank() - 1)
    throw ValueError("`sparse_categorical_crossentropy`: labels of shape " + y_true.shape().to_string() +
                     " do not match logits of shape " + y_pred.shape().to_string() +
                     " (expected labels of shape logits.shape[:-1])");
  labels = cast(labels, DType::int64);
  Tensor logits = from_logits_ ? y_pred : activations::keras_logits(y_pred, "softmax");
  if (!logits.defined()) logits = log(clip_probs(y_pred));
  return sparse_softmax_cross_entropy_with_logits(labels, logits);
}

nlohmann::ordered_json SparseCategoricalCrossentropy::get_config() const {
  return {{"reduction", "auto"}, {"name", name()}, {"from_logits", from_logits_}};
}

CategoricalCrossentropy::CategoricalCrossentropy(const CrossentropyOptions& o)
    : Loss(default_name(o.name, "categorical_crossentropy")),
      from_logits_(o.from_logits), label_smoothing_(o.label_smoothing) {
  if (o.label_smoothing < 0 || o.label_smoothing > 1)
    throw ValueError("label_smoothing must be in [0, 1], got " + std::to_string(o.label_smoothing));
}

Tensor CategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  Tensor y = float_labels(y_true, y_pred, "categorical_crossentropy");
  if (y.shape() != y_pred.shape())
    throw ValueError("`categorical_crossentropy`: y_true of shape " + y_true.shape().to_string() +
                     " must match y_pred of shape " + y_pred.shape().to_string() +
                     " (one-hot labels; use sparse_categorical_crossentropy for class indices)");
  if (label_smoothing_ > 0)
    y = add(mul(y, scalar_like(1.0 - label_smoothing_, y)),
            scalar_like(label_smoothing_ / double(y_pred.dim(-1)), y));
  const Tensor logits = from_logits_ ? y_pred : activations::keras_logits(y_pred, "softmax");
  if (logits.defined()) return softmax_cross_entropy_with_logits(y, logits);
  const Tensor p = clip_probs(div(y_pred, reduce_sum(y_pred, {-1}, true)));
  return neg(reduce_sum(mul(y, log(p)), {-1}));
}

nlohmann::ordered_json CategoricalCrossentropy::get_config() const {
  return {{"reduction", "auto"}, {"name", name()}, {"from_logits", from_logits_},
          {"label_smoothing", label_smoothing_}, {"axis", -1}};
}

BinaryCrossentropy::BinaryCrossentropy(const CrossentropyOptions& o)
    : Loss(default_name(o.name, "binary_crossentropy")),
      from_logits_(o.from_logits), label_smoothing_(o.label_smoothing) {}

Tensor BinaryCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  Tensor y = float_labels(y_true, y_pred, "binary_crossentropy");
  if (label_smoothing_ > 0)
    y = add(mul(y, scalar_like(1.0 - label_smoothing_, y)), scalar_like(0.5 * label_smoothing_, y));
  const Tensor logits = from_logits_ ? y_pred : activations::keras_logits(y_pred, "sigmoid");
  Tensor per_elem;
  if (logits.defined()) {
    // max(x, 0) - x * z + log(1 + exp(-|x|)): stable for any logit.
    per_elem = add(sub(relu(logits), mul(logits, y)), softplus(neg(abs(logits))));
  } else {
    const Tensor p = clip_probs(y_pred);
    const Tensor eps = scalar_like(backend::kEpsilon, p);
    per_elem = neg(add(mul(y, log(add(p, eps))), mul(sub(scalar_like(1.0, y), y), log(add(sub(scalar_like(1.0, p), p), eps)))));
  }
  return reduce_mean(per_elem, {-1});
}

nlohmann::ordered_json BinaryCrossentropy::get_config() const {
  return {{"reduction", "auto"}, {"name", name()}, {"from_logits", from_logits_},
          {"label_smoothing", label_smoothing_}, {"axis", -1}};
}

MeanSquaredError::MeanSquaredError(const LossOptions& o) : Loss(default_name(o.name, "mean_squared_error")) {}
Tensor MeanSquaredError::call(const Tensor& y_true, const Tensor& y_pred) const {
  return reduce_mean(square(sub(y_pred, float_labels(y_true, y_pred, "mean_squared_error"))), {-1});
}

MeanAbsoluteError::MeanAbsoluteError(const LossOptions& o) : Loss(default_name(o.name, "mean_absolute_error")) {}
Tensor MeanAbsoluteError::call(const Tensor& y_true, const Tensor& y_pred) const {
  return reduce_mean(abs(sub(y_pred, float_labels(y_true, y_pred, "mean_absolute_error"))), {-1});
}

Huber::Huber(const HuberOptions& o) : Loss(default_name(o.name, "huber_loss")), delta_(o.delta) {
  if (o.delta <= 0) throw ValueError("Huber: delta must be positive, got " + std::to_string(o.delta));
}
Tensor Huber::call(const Tensor& y_true, const Tensor& y_pred) const {
  const Tensor err = sub(y_pred, float_labels(y_true, y_pred, "huber_loss"));
  const Tensor a = abs(err);
  const Tensor d = scalar_like(delta_, err);
  const Tensor quad = mul(scalar_like(0.5, err), square(err));
  const Tensor lin = sub(mul(d, a), scalar_like(0.5 * delta_ * delta_, err));
  return reduce_mean(where(less_equal(a, d), quad, lin), {-1});
}
nlohmann::ordered_json Huber::get_config() const {
  return {{"reduction", "auto"}, {"name", name()}, {"delta", delta_}};
}

std::shared_ptr<Loss> Loss::get(const std::string& name) {
  static const std::map<std::string, std::shared_ptr<Loss> (*)()> m = {
      {"sparse_categorical_crossentropy", [] { return std::shared_ptr<Loss>(std::make_shared<SparseCategoricalCrossentropy>()); }},
      {"categorical_crossentropy", [] { return std::shared_ptr<Loss>(std::make_shared<CategoricalCrossentropy>()); }},
      {"binary_crossentropy", [] { return std::shared_ptr<Loss>(std::make_shared<BinaryCrossentropy>()); }},
      {"mean_squared_error", [] { return std::shared_ptr<Loss>(std::make_shared<MeanSquaredError>()); }},
      {"mse", [] { return std::shared_ptr<Loss>(std::make_shared<MeanSquaredError>()); }},
      {"mean_absolute_error", [] { return std::shared_ptr<Loss>(std::make_shared<MeanAbsoluteError>()); }},
      {"mae", [] { return std::shared_ptr<Loss>(std::make_shared<MeanAbsoluteError>()); }},
      {"huber", [] { return std::shared_ptr<Loss>(std::make_shared<Huber>()); }},
      {"huber_loss", [] { return std::shared_ptr<Loss>(std::make_shared<Huber>()); }},
  };
  auto it = m.find(name);
  if (it == m.end()) it = m.find(backend::to_snake_case(name));
  if (it == m.end()) {
    const std::string valid = backend::join_keys(m);
    throw ValueError("Unknown loss function: '" + name + "'. Valid losses: " + valid);
  }
  return it->second();
}

std::shared_ptr<Loss> Loss::deserialize(const nlohmann::ordered_json& j) {
  if (j.is_string()) return get(j.get<std::string>());
  if (!j.is_object() || !j.contains("class_name"))
    throw TypeError("loss config must be a name or {\"class_name\", \"config\"}, got " + j.dump());
  const std::string cls = j.at("class_name").get<std::string>();
  const nlohmann::ordered_json config = j.value("config", nlohmann::ordered_json::object());
  ConfigReader r(config, "loss " + cls);
  std::string name;
  r.read("name", name);
  // Keras's default reduction; the others (sum, none) are not built yet.
  r.ignore("reduction", "auto");
  r.ignore("axis", -1);
  const std::string n = backend::to_snake_case(cls);
  std::shared_ptr<Loss> loss;
  if (n == "sparse_categorical_crossentropy" || n == "categorical_crossentropy" || n == "binary_crossentropy") {
    CrossentropyOptions o{.name = name};
    r.read("from_logits", o.from_logits);
    if (n == "sparse_categorical_crossentropy") {
      r.ignore("ignore_class", nullptr);
      loss = std::make_shared<SparseCategoricalCrossentropy>(o);
    } else {
      r.read("label_smoothing", o.label_smoothing);
      if (n == "categorical_crossentropy") loss = std::make_shared<CategoricalCrossentropy>(o);
      else loss = std::make_shared<BinaryCrossentropy>(o);
    }
  } else if (n == "mean_squared_error") {
    loss = std::make_shared<MeanSquaredError>(LossOptions{.name = name});
  } else if (n == "mean_absolute_error") {
    loss = std::make_shared<MeanAbsoluteError>(LossOptions{.name = name});
  } else if (n == "huber") {
    HuberOptions o{.name = name};
    r.read("delta", o.delta);
    loss = std::make_shared<Huber>(o);
  } else {
    return get(cls);  // ValueError listing the valid names
  }
  r.finish();
  return loss;
}

}  // namespace tb::keras::losses
