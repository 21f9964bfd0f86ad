#include "tensorbox/keras/optimizers/adagrad.h"

#include "tensorbox/keras/backend.h"
#include "tensorbox/ops/training_ops.h"

namespace tb::keras::optimizers {

Adagrad::Adagrad(const AdagradOptions& o)
    : Optimizer("Adagrad", o.learning_rate, OptimizerBase{o.clipnorm, o.clipvalue, o.global_clipnorm, o.name}), o_(o) {
  if (o.initial_accumulator_value < 0)
    throw ValueError("initial_accumulator_value must be non-negative: " + std::to_string(o.initial_accumulator_value));
  if (o_.epsilon == 0) o_.epsilon = backend::kEpsilon;
}

Optimizer::Slots Adagrad::create_slots(const Variable& var) {
  return {Tensor::full(var.shape(), o_.initial_accumulator_value, var.dtype())};
}

void Adagrad::update(Tensor& var, Slots& s, const Tensor& grad, double lr, int64_t, double) {
  ops::apply_adagrad(var, s[0], grad, lr, o_.epsilon);
}

nlohmann::ordered_json Adagrad::own_config() const {
  return {{"decay", 0.0}, {"initial_accumulator_value", o_.initial_accumulator_value}, {"epsilon", o_.epsilon}};
}

}  // namespace tb::keras::optimizers
