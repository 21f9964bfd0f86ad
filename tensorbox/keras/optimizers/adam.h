// Adam and AdamW (keras-facts.md 1.3): TensorFlow's fused ResourceApplyAdam update, bias
// correction folded into the step size and epsilon added to sqrt(v) uncorrected.
//
//   Adam opt({.learning_rate = 1e-3, .amsgrad = true});
#pragma once

#include "tensorbox/keras/optimizers/optimizer.h"

namespace tb::keras::optimizers {

struct AdamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;  // 0 means the Keras default, as `epsilon or backend.epsilon()`
  bool amsgrad = false;
  TB_OPTIMIZER_BASE_OPTIONS;
};

class Adam : public Optimizer {
 public:
  explicit Adam(const AdamOptions& o = {});
  std::string class_name() const override { return "Adam"; }

 protected:
  Adam(const AdamOptions& o, const char* default_name, double weight_decay);
  Slots create_slots(const Variable& var) override;
  void update(Tensor& var, Slots& slots, const Tensor& grad, double lr, int64_t step, double grad_scale) override;
  bool fuses_grad_scale() const override { return true; }
  nlohmann::ordered_json own_config() const override;
  AdamOptions o_;
  double weight_decay_;
};

struct AdamWOptions {
  LearningRate learning_rate = 0.001;
  double weight_decay = 0.004;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  TB_OPTIMIZER_BASE_OPTIONS;
};

// Adam with decoupled weight decay: var -= lr * weight_decay * var before the Adam step
// (Keras's AdamW).
class AdamW : public Adam {
 public:
  explicit AdamW(const AdamWOptions& o = {});
  std::string class_name() const override { return "AdamW"; }

 protected:
  nlohmann::ordered_json own_config() const override;
};

}  // namespace tb::keras::optimizers
