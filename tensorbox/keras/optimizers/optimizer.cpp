#include "tensorbox/keras/optimizers/optimizer.h"

#include <cmath>

#include "tensorbox/keras/optimizers/deserialize.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/op.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::optimizers {

nlohmann::ordered_json LearningRate::serialize() const {
  if (!schedule_) return value_;
  return {{"class_name", schedule_->class_name()}, {"config", schedule_->get_config()}};
}

Optimizer::Optimizer(std::string default_name, LearningRate lr, const OptimizerBase& base)
    : name_(base.name.empty() ? std::move(default_name) : base.name), lr_(std::move(lr)), base_(base) {
  if (base.clipnorm && *base.clipnorm <= 0) throw ValueError("clipnorm must be positive, got " + std::to_string(*base.clipnorm));
  if (base.clipvalue && *base.clipvalue <= 0) throw ValueError("clipvalue must be positive, got " + std::to_string(*base.clipvalue));
  if (base.global_clipnorm && *base.global_clipnorm <= 0)
    throw ValueError("global_clipnorm must be positive, got " + std::to_string(*base.global_clipnorm));
  if (base.clipnorm && base.global_clipnorm)
    throw ValueError("Cannot accept both `clipnorm` and `global_clipnorm`. Received: `clipnorm`=" +
                     std::to_string(*base.clipnorm) + ", `global_clipnorm`=" + std::to_string(*base.global_clipnorm));
}

namespace {
double l2_norm(const Tensor& g) {
  return std::sqrt(ops::cast(ops::reduce_sum(ops::square(ops::cast(g, DType::float32))), DType::float64).item());
}
}  // namespace

void Optimizer::apply_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars) {
  apply_scaled_gradients(grads, vars, 1.0);
}

void Optimizer::apply_scaled_gradients(const std::vector<Tensor>& grads_in, const std::vector<Variable>& vars,
                                       double grad_scale) {
  if (grads_in.size() != vars.size())
    throw InvalidArgumentError("apply_gradients: got " + std::to_string(grads_in.size()) +
                               " gradients for " + std::to_string(vars.size()) + " variables");
  ops::PauseRecording pause;
  std::vector<Tensor> grads = grads_in;
  const bool clipping = base_.clipnorm || base_.clipvalue || base_.global_clipnorm;
  if (grad_scale != 1.0 && (clipping || !fuses_grad_scale())) {
    for (Tensor& g : grads)
      if (g.defined()) g = ops::mul(g, Tensor::scalar(grad_scale, g.dtype()));
    grad_scale = 1.0;
  }
  for (size_t i = 0; i < grads.size(); ++i)
    if (grads[i].defined() && grads[i].shape() != vars[i].shape())
      throw InvalidArgumentError("apply_gradients: gradient of shape " + grads[i].shape().to_string() +
                                 " for variable '" + vars[i].name() + "' of shape " + vars[i].shape().to_string());
  // Clipping, as optimizer_v2 does: per-variable norm, value, or the global norm.
  if (base_.clipnorm)
    for (Tensor& g : grads)
      if (g.defined()) {
        const double n = l2_norm(g);
        if (n > *base_.clipnorm) g = ops::mul(g, Tensor::scalar(*base_.clipnorm / n, g.dtype()));
      }
  if (base_.global_clipnorm) {
    double total = 0;
    for (const Tensor& g : grads) if (g.defined()) total += std::pow(l2_norm(g), 2);
    const double n = std::sqrt(total);
    if (n > *base_.global_clipnorm)
      for (Tensor& g : grads) if (g.defined()) g = ops::mul(g, Tensor::scalar(*base_.global_clipnorm / n, g.dtype()));
  }
  if (base_.clipvalue)
    for (Tensor& g : grads)
      if (g.defined())
        g = ops::minimum(ops::maximum(g, Tensor::scalar(-*base_.clipvalue, g.dtype())),
                         Tensor::scalar(*base_.clipvalue, g.dtype()));
  const double lr = learning_rate();
  const int64_t step = iterations_ + 1;
  for (size_t i = 0; i < vars.size(); ++i) {
    if (!grads[i].defined()) continue;
    Tensor value = vars[i].value();
    auto it = slots_.find(value.id());
    if (it == slots_.end()) it = slots_.emplace(value.id(), create_slots(vars[i])).first;
    const Tensor g = grads[i].dtype() == value.dtype() ? grads[i] : ops::cast(grads[i], value.dtype());
    update(value, it->second, g, lr, step, grad_scale);
  }
  ++iterations_;
}

nlohmann::ordered_json Optimizer::get_config() const {
  nlohmann::ordered_json c;
  c["name"] = name_;
  if (base_.clipnorm) c["clipnorm"] = *base_.clipnorm;
  if (base_.clipvalue) c["clipvalue"] = *base_.clipvalue;
  if (base_.global_clipnorm) c["global_clipnorm"] = *base_.global_clipnorm;
  c["learning_rate"] = lr_.serialize();
  const auto own = own_config();
  for (auto it = own.begin(); it != own.end(); ++it) c[it.key()] = it.value();
  return c;
}

std::shared_ptr<Optimizer> Optimizer::get(const std::string& name) {
  return deserialize(nlohmann::ordered_json{{"class_name", name}});
}

}  // namespace tb::keras::optimizers
