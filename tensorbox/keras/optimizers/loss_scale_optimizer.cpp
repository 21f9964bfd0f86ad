#include "tensorbox/keras/optimizers/loss_scale_optimizer.h"

#include <algorithm>
#include <cmath>

#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/training_ops.h"

namespace tb::keras::optimizers {

namespace {
constexpr double kDefaultInitialScale = 32768.0;  // 2^15
constexpr int64_t kDefaultGrowthSteps = 2000;
}  // namespace

LossScaleOptimizer::LossScaleOptimizer(std::shared_ptr<Optimizer> inner, const LossScaleOptions& o)
    : Optimizer("LossScaleOptimizer", 0.0, OptimizerBase{}), inner_(std::move(inner)), dynamic_(o.dynamic) {
  if (!inner_) throw ValueError("LossScaleOptimizer: inner_optimizer is required");
  if (dynamic_cast<LossScaleOptimizer*>(inner_.get()))
    throw TypeError("LossScaleOptimizer cannot wrap another LossScaleOptimizer");
  if (!dynamic_ && !o.initial_scale)
    throw ValueError("When `dynamic` is False, `initial_scale` must be specified");
  if (!dynamic_ && o.dynamic_growth_steps)
    throw ValueError("`dynamic_growth_steps` cannot be specified if `dynamic` is False");
  scale_ = o.initial_scale.value_or(kDefaultInitialScale);
  growth_steps_ = o.dynamic_growth_steps.value_or(kDefaultGrowthSteps);
  if (!(scale_ > 0) || !std::isfinite(scale_))
    throw ValueError("initial_scale must be a positive finite number, got " + std::to_string(scale_));
  if (growth_steps_ < 1)
    throw ValueError("dynamic_growth_steps must be at least 1, got " + std::to_string(growth_steps_));
}

Tensor LossScaleOptimizer::get_scaled_loss(const Tensor& loss) const {
  return ops::mul(loss, Tensor::scalar(scale_, loss.dtype()));
}

std::vector<Tensor> LossScaleOptimizer::get_unscaled_gradients(const std::vector<Tensor>& grads) const {
  std::vector<Tensor> out;
  out.reserve(grads.size());
  for (const Tensor& g : grads)
    out.push_back(g.defined() ? ops::mul(g, Tensor::scalar(1.0 / scale_, g.dtype())) : g);
  return out;
}

void LossScaleOptimizer::apply_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars) {
  step(!dynamic_ || ops::all_finite(grads), [&] { inner_->apply_gradients(grads, vars); });
}

void LossScaleOptimizer::apply_loss_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars) {
  // 1/scale rounded to float32 first, as Keras multiplies by a float32 reciprocal.
  const double inv = double(float(1.0 / scale_));
  step(!dynamic_ || ops::all_finite(grads), [&] { inner_->apply_scaled_gradients(grads, vars, inv); });
}

void LossScaleOptimizer::step(bool finite, const std::function<void()>& apply) {
  if (!dynamic_) {
    apply();
    return;
  }
  if (finite) {
    apply();
    if (counter_ + 1 >= growth_steps_) {
      if (std::isfinite(scale_ * 2)) scale_ *= 2;
      counter_ = 0;
    } else {
      ++counter_;
    }
  } else {
    // Skip the update; the step still counts (Adam's t advances), as in Keras.
    scale_ = std::max(scale_ / 2, 1.0);
    counter_ = 0;
    inner_->set_iterations(inner_->iterations() + 1);
  }
}

nlohmann::ordered_json LossScaleOptimizer::get_config() const {
  return {{"inner_optimizer", {{"class_name", inner_->class_name()}, {"config", inner_->get_config()}}},
          {"dynamic", dynamic_},
          {"initial_scale", scale_},
          {"dynamic_growth_steps", growth_steps_}};
}

}  // namespace tb::keras::optimizers
