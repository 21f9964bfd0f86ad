// Learning-rate schedules (keras.optimizers.schedules): called with the optimizer's
// iteration count before the step, as Keras does.
//
//   auto lr = std::make_shared<ExponentialDecay>(1e-2, 10000, 0.9);
//   Adam opt({.learning_rate = lr});
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tb::keras::optimizers::schedules {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual double operator()(int64_t step) const = 0;
  virtual std::string class_name() const = 0;
  virtual nlohmann::ordered_json get_config() const = 0;
};

class ExponentialDecay : public LearningRateSchedule {
 public:
  ExponentialDecay(double initial_learning_rate, int64_t decay_steps, double decay_rate,
                   bool staircase = false);
  double operator()(int64_t step) const override;
  std::string class_name() const override { return "ExponentialDecay"; }
  nlohmann::ordered_json get_config() const override;

 private:
  double initial_, rate_;
  int64_t steps_;
  bool staircase_;
};

class PiecewiseConstantDecay : public LearningRateSchedule {
 public:
  // values has one more entry than boundaries.
  PiecewiseConstantDecay(std::vector<int64_t> boundaries, std::vector<double> values);
  double operator()(int64_t step) const override;
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  nlohmann::ordered_json get_config() const override;

 private:
  std::vector<int64_t> boundaries_;
  std::vector<double> values_;
};

class CosineDecay : public LearningRateSchedule {
 public:
  CosineDecay(double initial_learning_rate, int64_t decay_steps, double alpha = 0.0);
  double operator()(int64_t step) const override;
  std::string class_name() const override { return "CosineDecay"; }
  nlohmann::ordered_json get_config() const override;

 private:
  double initial_;
  int64_t steps_;
  double alpha_;
};

}  // namespace tb::keras::optimizers::schedules
