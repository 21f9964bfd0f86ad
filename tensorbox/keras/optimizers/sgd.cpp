#include "tensorbox/keras/optimizers/sgd.h"

#include "tensorbox/ops/training_ops.h"

namespace tb::keras::optimizers {

SGD::SGD(const SGDOptions& o)
    : Optimizer("SGD", o.learning_rate, OptimizerBase{o.clipnorm, o.clipvalue, o.global_clipnorm, o.name}), o_(o) {
  if (o.momentum < 0 || o.momentum > 1)
    throw ValueError("`momentum` must be between [0, 1]. Received: momentum=" + std::to_string(o.momentum));
}

Optimizer::Slots SGD::create_slots(const Variable& var) {
  if (o_.momentum == 0) return {};
  return {Tensor::zeros(var.shape(), var.dtype())};
}

void SGD::update(Tensor& var, Slots& s, const Tensor& grad, double lr, int64_t, double) {
  ops::apply_sgd(var, s.empty() ? nullptr : &s[0], grad, lr, o_.momentum, o_.nesterov);
}

nlohmann::ordered_json SGD::own_config() const {
  return {{"decay", 0.0}, {"momentum", o_.momentum}, {"nesterov", o_.nesterov}};
}

}  // namespace tb::keras::optimizers
