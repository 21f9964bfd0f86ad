// RMSprop (keras-facts.md 1.5): epsilon outside the sqrt without momentum (Keras's Python
// path), inside it with momentum (TensorFlow's ApplyRMSProp kernel), as TF 2.9 does.
//
//   RMSprop opt({.learning_rate = 1e-3, .centered = true});
#pragma once

#include "tensorbox/keras/optimizers/optimizer.h"

namespace tb::keras::optimizers {

struct RMSpropOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
  TB_OPTIMIZER_BASE_OPTIONS;
};

class RMSprop : public Optimizer {
 public:
  explicit RMSprop(const RMSpropOptions& o = {});
  std::string class_name() const override { return "RMSprop"; }

 protected:
  Slots create_slots(const Variable& var) override;
  void update(Tensor& var, Slots& slots, const Tensor& grad, double lr, int64_t step, double grad_scale) override;
  nlohmann::ordered_json own_config() const override;

 private:
  RMSpropOptions o_;
};

}  // namespace tb::keras::optimizers
