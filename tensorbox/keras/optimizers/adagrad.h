// Adagrad (Keras optimizer_v2 defaults: initial_accumulator_value 0.1, epsilon 1e-7):
// accum += g^2; var -= lr * g / (sqrt(accum) + epsilon).
//
//   Adagrad opt({.learning_rate = 0.01});
#pragma once

#include "tensorbox/keras/optimizers/optimizer.h"

namespace tb::keras::optimizers {

struct AdagradOptions {
  LearningRate learning_rate = 0.001;
  double initial_accumulator_value = 0.1;
  double epsilon = 1e-7;
  TB_OPTIMIZER_BASE_OPTIONS;
};

class Adagrad : public Optimizer {
 public:
  explicit Adagrad(const AdagradOptions& o = {});
  std::string class_name() const override { return "Adagrad"; }

 protected:
  Slots create_slots(const Variable& var) override;
  void update(Tensor& var, Slots& slots, const Tensor& grad, double lr, int64_t step, double grad_scale) override;
  nlohmann::ordered_json own_config() const override;

 private:
  AdagradOptions o_;
};

}  // namespace tb::keras::optimizers
