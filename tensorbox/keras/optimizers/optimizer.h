// Optimizer: the Keras optimizer_v2 base. Keeps per-variable slots, the iteration count and
// the learning rate (a number or a schedule), clips gradients (clipnorm, clipvalue,
// global_clipnorm) and hands each variable to the subclass's fused update kernel.
//
//   Adam opt({.learning_rate = 1e-3, .clipnorm = 1.0});
//   opt.apply_gradients(grads, model.trainable_variables());
//   auto o = Optimizer::get("rmsprop");
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tensorbox/autodiff/variable.h"
#include "tensorbox/keras/optimizers/schedules.h"

namespace tb::keras::optimizers {

// A learning rate given as a number or as a schedule.
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}  // NOLINT: implicit, like Keras kwargs
  template <class S>
    requires std::derived_from<S, schedules::LearningRateSchedule>
  LearningRate(std::shared_ptr<S> s) : value_(0), schedule_(std::move(s)) {}  // NOLINT
  double at(int64_t step) const { return schedule_ ? (*schedule_)(step) : value_; }
  const std::shared_ptr<schedules::LearningRateSchedule>& schedule() const { return schedule_; }
  nlohmann::ordered_json serialize() const;

 private:
  double value_;
  std::shared_ptr<schedules::LearningRateSchedule> schedule_;
};

// Fields every optimizer takes; each optimizer's options struct ends with them.
#define TB_OPTIMIZER_BASE_OPTIONS                \
  std::optional<double> clipnorm{};              \
  std::optional<double> clipvalue{};             \
  std::optional<double> global_clipnorm{};       \
  std::string name {}

struct OptimizerBase {
  TB_OPTIMIZER_BASE_OPTIONS;
};

class Optimizer {
 public:
  Optimizer(std::string default_name, LearningRate lr, const OptimizerBase& base);
  virtual ~Optimizer() = default;

  // Applies one step. grads[i] may be undefined (no gradient): that variable is skipped,
  // as Keras does (with a warning there). Sizes must match.
  virtual void apply_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars);
  // The same step for gradients that are `1 / grad_scale` times the true ones (a loss scale's
  // gradients): optimizers whose fused update takes the factor fold it in, saving a pass over
  // every gradient; the others (and clipping, which needs true values) multiply first.
  void apply_scaled_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars,
                              double grad_scale);
  // The training loop's step for the gradients of scale_loss(loss); LossScaleOptimizer checks
  // them and hands them on scaled.
  virtual void apply_loss_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars) {
    apply_gradients(grads, vars);
  }

  virtual int64_t iterations() const { return iterations_; }
  virtual void set_iterations(int64_t it) { iterations_ = it; }
  // The learning rate the next step will use.
  virtual double learning_rate() const { return lr_.at(iterations_); }
  // Replaces the learning rate with a constant (what callbacks assign).
  virtual void set_learning_rate(double lr) { lr_ = LearningRate(lr); }
  // The loss the training loop's tape differentiates: the loss itself here; LossScaleOptimizer
  // scales it (and apply_loss_gradients takes the gradients of this).
  virtual Tensor scale_loss(const Tensor& loss) const { return loss; }
  const LearningRate& learning_rate_setting() const { return lr_; }
  const std::string& name() const { return name_; }
  virtual std::string class_name() const = 0;
  virtual nlohmann::ordered_json get_config() const;

  // Resolves "adam", "sgd", "rmsprop", "adagrad", "adamw" (or class names) with defaults
  // (optimizers::deserialize with an empty config).
  static std::shared_ptr<Optimizer> get(const std::string& name);

 protected:
  using Slots = std::vector<Tensor>;
  // Creates this optimizer's slots for a variable (zeros unless the optimizer says otherwise).
  virtual Slots create_slots(const Variable& var) = 0;
  // The fused update; `step` is iterations + 1. `grad_scale` is 1 unless the optimizer says
  // fuses_grad_scale(); then the gradient to use is grad * grad_scale.
  virtual void update(Tensor& var, Slots& slots, const Tensor& grad, double lr, int64_t step, double grad_scale) = 0;
  virtual bool fuses_grad_scale() const { return false; }
  virtual nlohmann::ordered_json own_config() const = 0;

 private:
  std::string name_;
  LearningRate lr_;
  OptimizerBase base_;
  int64_t iterations_ = 0;
  std::map<uint64_t, Slots> slots_;  // keyed by the variable's tensor id
};

}  // namespace tb::keras::optimizers
