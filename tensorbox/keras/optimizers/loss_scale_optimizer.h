// LossScaleOptimizer: dynamic loss scaling for float16 training (keras.mixed_precision.
// LossScaleOptimizer, keras-facts.md 2). The loss is multiplied by the scale before
// differentiation so small float16 gradients do not flush to zero; gradients are divided by it
// again before the update. A step whose gradients hold an Inf or NaN is skipped (the scale
// halves, never below 1; the inner optimizer's iterations still advance); after
// `dynamic_growth_steps` finite steps in a row the scale doubles. Model::compile wraps the
// optimizer in one when the model's policy is mixed_float16.
//
//   LossScaleOptimizer opt(std::make_shared<Adam>());
//   Tensor scaled = opt.get_scaled_loss(loss);               // custom loops
//   auto grads = opt.get_unscaled_gradients(tape.gradient(scaled, vars));
//   opt.apply_gradients(grads, vars);
#pragma once
#include <functional>
#include <memory>
#include <optional>

#include "tensorbox/keras/optimizers/optimizer.h"

namespace tb::keras::optimizers {

struct LossScaleOptions {
  bool dynamic = true;
  std::optional<double> initial_scale{};          // default 2^15 when dynamic, else required
  std::optional<int64_t> dynamic_growth_steps{};  // default 2000
};

class LossScaleOptimizer : public Optimizer {
 public:
  explicit LossScaleOptimizer(std::shared_ptr<Optimizer> inner, const LossScaleOptions& o = {});
  std::string class_name() const override { return "LossScaleOptimizer"; }

  Tensor get_scaled_loss(const Tensor& loss) const;
  std::vector<Tensor> get_unscaled_gradients(const std::vector<Tensor>& grads) const;
  Tensor scale_loss(const Tensor& loss) const override { return get_scaled_loss(loss); }
  // Checks the (unscaled) gradients, then updates (finite) or skips (not); adjusts the scale.
  void apply_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars) override;
  // The training loop's path: gradients of get_scaled_loss(loss), checked as they are (a
  // product with 1/scale <= 1 is finite exactly when they are) and handed to the inner
  // optimizer with the 1/scale factor, which Adam folds into its update.
  void apply_loss_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars) override;

  double loss_scale() const { return scale_; }
  int64_t dynamic_counter() const { return counter_; }
  int64_t dynamic_growth_steps() const { return growth_steps_; }
  bool dynamic() const { return dynamic_; }
  const std::shared_ptr<Optimizer>& inner_optimizer() const { return inner_; }

  // The step count and learning rate are the inner optimizer's.
  int64_t iterations() const override { return inner_->iterations(); }
  void set_iterations(int64_t it) override { inner_->set_iterations(it); }
  double learning_rate() const override { return inner_->learning_rate(); }
  void set_learning_rate(double lr) override { inner_->set_learning_rate(lr); }
  nlohmann::ordered_json get_config() const override;

 protected:
  Slots create_slots(const Variable&) override { return {}; }
  void update(Tensor&, Slots&, const Tensor&, double, int64_t, double) override {}
  nlohmann::ordered_json own_config() const override { return nlohmann::ordered_json::object(); }

 private:
  std::shared_ptr<Optimizer> inner_;
  bool dynamic_;
  double scale_;
  int64_t growth_steps_;
  int64_t counter_ = 0;
  // Updates (finite) or skips (not) and moves the scale, as Keras's update() does.
  void step(bool finite, const std::function<void()>& apply);
};

}  // namespace tb::keras::optimizers
