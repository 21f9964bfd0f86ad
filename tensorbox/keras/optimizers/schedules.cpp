#include "tensorbox/keras/optimizers/schedules.h"

#include <algorithm>
#include <cmath>

#include "tensorbox/core/errors.h"

namespace tb::keras::optimizers::schedules {

ExponentialDecay::ExponentialDecay(double initial, int64_t steps, double rate, bool staircase)
    : initial_(initial), rate_(rate), steps_(steps), staircase_(staircase) {
  if (steps <= 0) throw ValueError("ExponentialDecay: decay_steps must be positive, got " + std::to_string(steps));
}
double ExponentialDecay::operator()(int64_t step) const {
  double p = double(step) / double(steps_);
  if (staircase_) p = std::floor(p);
  return initial_ * std::pow(rate_, p);
}
nlohmann::ordered_json ExponentialDecay::get_config() const {
  return {{"initial_learning_rate", initial_}, {"decay_steps", steps_}, {"decay_rate", rate_},
          {"staircase", staircase_}, {"name", nullptr}};
}

PiecewiseConstantDecay::PiecewiseConstantDecay(std::vector<int64_t> b, std::vector<double> v)
    : boundaries_(std::move(b)), values_(std::move(v)) {
  if (values_.size() != boundaries_.size() + 1)
    throw ValueError("The length of boundaries should be 1 less than the length of values, got " +
                     std::to_string(boundaries_.size()) + " boundaries and " + std::to_string(values_.size()) + " values");
}
double PiecewiseConstantDecay::operator()(int64_t step) const {
  for (size_t i = 0; i < boundaries_.size(); ++i)
    if (step <= boundaries_[i]) return values_[i];
  return values_.back();
}
nlohmann::ordered_json PiecewiseConstantDecay::get_config() const {
  return {{"boundaries", boundaries_}, {"values", values_}, {"name", nullptr}};
}

CosineDecay::CosineDecay(double initial, int64_t steps, double alpha)
    : initial_(initial), steps_(steps), alpha_(alpha) {
  if (steps <= 0) throw ValueError("CosineDecay: decay_steps must be positive, got " + std::to_string(steps));
}
double CosineDecay::operator()(int64_t step) const {
  const double s = double(std::min(step, steps_));
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * s / double(steps_)));
  return initial_ * ((1.0 - alpha_) * cosine + alpha_);
}
nlohmann::ordered_json CosineDecay::get_config() const {
  return {{"initial_learning_rate", initial_}, {"decay_steps", steps_}, {"alpha", alpha_}, {"name", nullptr}};
}

}  // namespace tb::keras::optimizers::schedules
