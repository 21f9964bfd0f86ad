// Keras losses with Keras's reduction: the per-sample losses are averaged over the batch
// (SUM_OVER_BATCH_SIZE: sum(loss * sample_weight) / number of losses). Probability-based
// cross-entropies clip to [epsilon, 1 - epsilon] unless the prediction came straight from a
// softmax/sigmoid, whose logits are then used exactly (keras-facts.md 1.8).
//
//   losses::SparseCategoricalCrossentropy scce({.from_logits = true});
//   Tensor loss = scce(labels, logits);            // scalar
//   auto l = losses::Loss::get("mse");             // by Keras name
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "tensorbox/core/tensor.h"

namespace tb::keras::losses {

class Loss {
 public:
  explicit Loss(std::string name) : name_(std::move(name)) {}
  virtual ~Loss() = default;
  // Per-sample losses (the batch axis kept).
  virtual Tensor call(const Tensor& y_true, const Tensor& y_pred) const = 0;
  // Reduced loss; sample_weight (optional) has the per-sample losses' shape or [batch].
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred,
                    const Tensor& sample_weight = Tensor()) const;
  const std::string& name() const { return name_; }
  virtual std::string class_name() const = 0;
  virtual nlohmann::ordered_json get_config() const { return {{"reduction", "auto"}, {"name", name_}}; }
  // By Keras string ("sparse_categorical_crossentropy", "mse", ...) or class name.
  static std::shared_ptr<Loss> get(const std::string& name);
  // From a Keras config {"class_name": "Huber", "config": {"delta": 2.0}} (or a bare name);
  // an unknown key is a TypeError naming it.
  static std::shared_ptr<Loss> deserialize(const nlohmann::ordered_json& config);

 private:
  std::string name_;
};

struct CrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  std::string name{};
};

class SparseCategoricalCrossentropy : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(const CrossentropyOptions& o = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  nlohmann::ordered_json get_config() const override;
 private:
  bool from_logits_;
};

class CategoricalCrossentropy : public Loss {
 public:
  explicit CategoricalCrossentropy(const CrossentropyOptions& o = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "CategoricalCrossentropy"; }
  nlohmann::ordered_json get_config() const override;
 private:
  bool from_logits_;
  double label_smoothing_;
};

class BinaryCrossentropy : public Loss {
 public:
  explicit BinaryCrossentropy(const CrossentropyOptions& o = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "BinaryCrossentropy"; }
  nlohmann::ordered_json get_config() const override;
 private:
  bool from_logits_;
  double label_smoothing_;
};

struct LossOptions {
  std::string name{};
};

class MeanSquaredError : public Loss {
 public:
  explicit MeanSquaredError(const LossOptions& o = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "MeanSquaredError"; }
};

class MeanAbsoluteError : public Loss {
 public:
  explicit MeanAbsoluteError(const LossOptions& o = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "MeanAbsoluteError"; }
};

struct HuberOptions {
  double delta = 1.0;
  std::string name{};
};

class Huber : public Loss {
 public:
  explicit Huber(const HuberOptions& o = {});
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "Huber"; }
  nlohmann::ordered_json get_config() const override;
 private:
  double delta_;
};

}  // namespace tb::keras::losses
