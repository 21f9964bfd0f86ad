#include "tensorbox/keras/optimizers/rmsprop.h"

#include "tensorbox/keras/backend.h"
#include "tensorbox/ops/training_ops.h"

namespace tb::keras::optimizers {

RMSprop::RMSprop(const RMSpropOptions& o)
    : Optimizer("RMSprop", o.learning_rate, OptimizerBase{o.clipnorm, o.clipvalue, o.global_clipnorm, o.name}), o_(o) {
  if (o_.epsilon == 0) o_.epsilon = backend::kEpsilon;
  if (o.momentum < 0 || o.momentum > 1)
    throw ValueError("`momentum` must be between [0, 1]. Received: momentum=" + std::to_string(o.momentum));
}

// Slots: rms, then momentum (if momentum > 0), then mg (if centered).
Optimizer::Slots RMSprop::create_slots(const Variable& var) {
  Slots s{Tensor::zeros(var.shape(), var.dtype())};
  if (o_.momentum > 0) s.push_back(Tensor::zeros(var.shape(), var.dtype()));
  if (o_.centered) s.push_back(Tensor::zeros(var.shape(), var.dtype()));
  return s;
}

void RMSprop::update(Tensor& var, Slots& s, const Tensor& grad, double lr, int64_t, double) {
  Tensor* mom = o_.momentum > 0 ? &s[1] : nullptr;
  Tensor* mg = o_.centered ? &s.back() : nullptr;
  ops::apply_rmsprop(var, s[0], mom, mg, grad,
                     {.lr = lr, .rho = o_.rho, .momentum = o_.momentum, .epsilon = o_.epsilon, .centered = o_.centered});
}

nlohmann::ordered_json RMSprop::own_config() const {
  return {{"decay", 0.0}, {"rho", o_.rho}, {"momentum", o_.momentum}, {"epsilon", o_.epsilon}, {"centered", o_.centered}};
}

}  // namespace tb::keras::optimizers
