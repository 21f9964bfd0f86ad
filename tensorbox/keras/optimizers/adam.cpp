#include "tensorbox/keras/optimizers/adam.h"

#include "tensorbox/keras/backend.h"
#include "tensorbox/ops/training_ops.h"

namespace tb::keras::optimizers {

Adam::Adam(const AdamOptions& o) : Adam(o, "Adam", 0.0) {}

Adam::Adam(const AdamOptions& o, const char* default_name, double weight_decay)
    : Optimizer(default_name, o.learning_rate, OptimizerBase{o.clipnorm, o.clipvalue, o.global_clipnorm, o.name}),
      o_(o), weight_decay_(weight_decay) {
  if (o_.epsilon == 0) o_.epsilon = backend::kEpsilon;
}

Optimizer::Slots Adam::create_slots(const Variable& var) {
  Slots s{Tensor::zeros(var.shape(), var.dtype()), Tensor::zeros(var.shape(), var.dtype())};
  if (o_.amsgrad) s.push_back(Tensor::zeros(var.shape(), var.dtype()));
  return s;
}

void Adam::update(Tensor& var, Slots& s, const Tensor& grad, double lr, int64_t step, double grad_scale) {
  ops::apply_adam(var, s[0], s[1], o_.amsgrad ? &s[2] : nullptr, grad,
                  {.lr = lr, .beta_1 = o_.beta_1, .beta_2 = o_.beta_2, .epsilon = o_.epsilon,
                   .weight_decay = weight_decay_, .grad_scale = grad_scale},
                  step);
}

nlohmann::ordered_json Adam::own_config() const {
  return {{"decay", 0.0}, {"beta_1", o_.beta_1}, {"beta_2", o_.beta_2}, {"epsilon", o_.epsilon}, {"amsgrad", o_.amsgrad}};
}

AdamW::AdamW(const AdamWOptions& o)
    : Adam(AdamOptions{o.learning_rate, o.beta_1, o.beta_2, o.epsilon, o.amsgrad, o.clipnorm, o.clipvalue,
                       o.global_clipnorm, o.name},
           "AdamW", o.weight_decay) {
  if (o.weight_decay < 0) throw ValueError("AdamW: weight_decay must be >= 0, got " + std::to_string(o.weight_decay));
}

nlohmann::ordered_json AdamW::own_config() const {
  auto c = Adam::own_config();
  c["weight_decay"] = weight_decay_;
  return c;
}

}  // namespace tb::keras::optimizers
