// SGD with Keras momentum and Nesterov (keras-facts.md 1.4).
//
//   SGD opt({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
#pragma once

#include "tensorbox/keras/optimizers/optimizer.h"

namespace tb::keras::optimizers {

struct SGDOptions {
  LearningRate learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  TB_OPTIMIZER_BASE_OPTIONS;
};

class SGD : public Optimizer {
 public:
  explicit SGD(const SGDOptions& o = {});
  std::string class_name() const override { return "SGD"; }

 protected:
  Slots create_slots(const Variable& var) override;
  void update(Tensor& var, Slots& slots, const Tensor& grad, double lr, int64_t step, double grad_scale) override;
  nlohmann::ordered_json own_config() const override;

 private:
  SGDOptions o_;
};

}  // namespace tb::keras::optimizers
