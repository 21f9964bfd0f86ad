// Optimizer steps against Keras's update rules (keras-facts.md 1.3-1.5), computed here in
// double from the formulas, for three steps with changing gradients.
#include <cmath>

#include <gtest/gtest.h>

#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/math_ops.h"

namespace tb::keras::optimizers {
namespace {

const std::vector<std::vector<double>> kGrads = {{0.5, -1.0, 2.0}, {0.1, 0.3, -0.2}, {-0.7, 0.0, 1e-3}};
const std::vector<double> kInit = {1.0, -2.0, 0.5};

std::vector<double> run(Optimizer& opt, int steps = 3) {
  Variable v(Tensor::from_vector<double>(kInit, {3}), "v");
  for (int s = 0; s < steps; ++s) opt.apply_gradients({Tensor::from_vector<double>(kGrads[size_t(s)], {3})}, {v});
  return v.value().to_vector<double>();
}

void expect_near(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12) << i;
}

TEST(Optimizers, AdamMatchesTensorFlowKernel) {
  for (bool ams : {false, true}) {
    Adam opt({.learning_rate = 0.01, .amsgrad = ams});
    std::vector<double> w = kInit, m(3, 0), v(3, 0), vh(3, 0);
    for (int t = 1; t <= 3; ++t) {
      const double alpha = 0.01 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
      for (size_t i = 0; i < 3; ++i) {
        const double g = kGrads[size_t(t - 1)][i];
        m[i] += (g - m[i]) * 0.1;
        v[i] += (g * g - v[i]) * 0.001;
        vh[i] = std::max(vh[i], v[i]);
        w[i] -= alpha * m[i] / (std::sqrt(ams ? vh[i] : v[i]) + 1e-7);
      }
    }
    expect_near(run(opt), w);
    EXPECT_EQ(opt.iterations(), 3);
  }
}

TEST(Optimizers, AdamFloat32KernelAgreesWithFloat64) {
  Adam a({.learning_rate = 0.01}), b({.learning_rate = 0.01});
  std::vector<float> init(1000);
  for (size_t i = 0; i < init.size(); ++i) init[i] = float(std::sin(double(i)));
  Variable vf(Tensor::from_vector<float>(init, {1000}), "f");
  Variable vd(tb::ops::cast(vf.value(), DType::float64), "d");
  for (int s = 0; s < 5; ++s) {
    std::vector<float> g(1000);
    for (size_t i = 0; i < g.size(); ++i) g[i] = float(std::cos(double(i * (s + 1))));
    const Tensor gf = Tensor::from_vector<float>(g, {1000});
    a.apply_gradients({gf}, {vf});
    b.apply_gradients({tb::ops::cast(gf, DType::float64)}, {vd});
  }
  for (int64_t i = 0; i < 1000; ++i) EXPECT_NEAR(vf.value().element(i), vd.value().element(i), 2e-6) << i;
}

TEST(Optimizers, AdamWDecaysDecoupled) {
  AdamW opt({.learning_rate = 0.01, .weight_decay = 0.1});
  std::vector<double> w = kInit, m(3, 0), v(3, 0);
  for (int t = 1; t <= 3; ++t) {
    const double alpha = 0.01 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
    for (size_t i = 0; i < 3; ++i) {
      const double g = kGrads[size_t(t - 1)][i];
      w[i] -= 0.01 * 0.1 * w[i];
      m[i] += (g - m[i]) * 0.1;
      v[i] += (g * g - v[i]) * 0.001;
      w[i] -= alpha * m[i] / (std::sqrt(v[i]) + 1e-7);
    }
  }
  expect_near(run(opt), w);
}

TEST(Optimizers, SgdPlainMomentumNesterov) {
  for (double mu : {0.0, 0.9})
    for (bool nesterov : {false, true}) {
      SGD opt({.learning_rate = 0.1, .momentum = mu, .nesterov = nesterov});
      std::vector<double> w = kInit, vel(3, 0);
      for (int t = 0; t < 3; ++t)
        for (size_t i = 0; i < 3; ++i) {
          const double g = kGrads[size_t(t)][i];
          if (mu == 0) {
            w[i] -= 0.1 * g;
            continue;
          }
          vel[i] = mu * vel[i] - 0.1 * g;
          w[i] += nesterov ? mu * vel[i] - 0.1 * g : vel[i];
        }
      expect_near(run(opt), w);
    }
}

TEST(Optimizers, RmspropBothEpsilonPlacements) {
  for (double mu : {0.0, 0.5})
    for (bool centered : {false, true}) {
      RMSprop opt({.learning_rate = 0.01, .momentum = mu, .centered = centered});
      std::vector<double> w = kInit, rms(3, 0), mom(3, 0), mg(3, 0);
      for (int t = 0; t < 3; ++t)
        for (size_t i = 0; i < 3; ++i) {
          const double g = kGrads[size_t(t)][i];
          rms[i] = 0.9 * rms[i] + 0.1 * g * g;
          double denom = rms[i];
          if (centered) {
            mg[i] = 0.9 * mg[i] + 0.1 * g;
            denom = rms[i] - mg[i] * mg[i];
          }
          if (mu > 0) {
            mom[i] = mu * mom[i] + 0.01 * g / std::sqrt(denom + 1e-7);
            w[i] -= mom[i];
          } else {
            w[i] -= 0.01 * g / (std::sqrt(denom) + 1e-7);
          }
        }
      expect_near(run(opt), w);
    }
}

TEST(Optimizers, Adagrad) {
  Adagrad opt({.learning_rate = 0.1});
  std::vector<double> w = kInit, acc(3, 0.1);
  for (int t = 0; t < 3; ++t)
    for (size_t i = 0; i < 3; ++i) {
      const double g = kGrads[size_t(t)][i];
      acc[i] += g * g;
      w[i] -= 0.1 * g / (std::sqrt(acc[i]) + 1e-7);
    }
  expect_near(run(opt), w);
}

TEST(Optimizers, Clipping) {
  Variable v(Tensor::from_vector<double>({0, 0}, {2}), "v");
  SGD byNorm({.learning_rate = 1.0, .clipnorm = 1.0});
  byNorm.apply_gradients({Tensor::from_vector<double>({3, 4}, {2})}, {v});
  expect_near(v.value().to_vector<double>(), {-0.6, -0.8});
  SGD byValue({.learning_rate = 1.0, .clipvalue = 0.5});
  byValue.apply_gradients({Tensor::from_vector<double>({3, -0.25}, {2})}, {v});
  expect_near(v.value().to_vector<double>(), {-1.1, -0.55});
  Variable a(Tensor::from_vector<double>({0}, {1}), "a"), b(Tensor::from_vector<double>({0}, {1}), "b");
  SGD global({.learning_rate = 1.0, .global_clipnorm = 1.0});
  global.apply_gradients({Tensor::from_vector<double>({3}, {1}), Tensor::from_vector<double>({4}, {1})}, {a, b});
  EXPECT_NEAR(a.value().item(), -0.6, 1e-12);
  EXPECT_NEAR(b.value().item(), -0.8, 1e-12);
}

TEST(Optimizers, SchedulesAreCalledWithIterations) {
  schedules::ExponentialDecay ed(0.1, 10, 0.5);
  EXPECT_NEAR(ed(5), 0.1 * std::pow(0.5, 0.5), 1e-12);
  EXPECT_NEAR(schedules::ExponentialDecay(0.1, 10, 0.5, true)(15), 0.05, 1e-12);
  schedules::PiecewiseConstantDecay pc({10, 20}, {1.0, 0.5, 0.1});
  EXPECT_EQ(pc(10), 1.0);
  EXPECT_EQ(pc(11), 0.5);
  EXPECT_EQ(pc(21), 0.1);
  schedules::CosineDecay cd(1.0, 100, 0.1);
  EXPECT_NEAR(cd(0), 1.0, 1e-12);
  EXPECT_NEAR(cd(50), 0.55, 1e-12);
  EXPECT_NEAR(cd(500), 0.1, 1e-12);
  SGD opt({.learning_rate = std::make_shared<schedules::PiecewiseConstantDecay>(std::vector<int64_t>{0}, std::vector<double>{1.0, 0.5})});
  EXPECT_EQ(opt.learning_rate(), 1.0);
  Variable v(Tensor::from_vector<double>({0}, {1}), "v");
  opt.apply_gradients({Tensor::from_vector<double>({1}, {1})}, {v});
  EXPECT_EQ(v.value().item(), -1.0);  // step 0 used lr 1.0
  EXPECT_EQ(opt.learning_rate(), 0.5);
  EXPECT_EQ(opt.get_config()["learning_rate"]["class_name"], "PiecewiseConstantDecay");
}

TEST(Optimizers, BadArguments) {
  EXPECT_THROW(Optimizer::get("adamax_typo"), ValueError);
  EXPECT_EQ(Optimizer::get("adam")->class_name(), "Adam");
  EXPECT_EQ(Optimizer::get("RMSprop")->class_name(), "RMSprop");
  EXPECT_THROW(SGD({.momentum = 1.5}), ValueError);
  EXPECT_THROW(SGD({.clipnorm = -1.0}), ValueError);
  EXPECT_THROW(Adam({.clipnorm = 1.0, .global_clipnorm = 1.0}), ValueError);
  EXPECT_THROW(schedules::PiecewiseConstantDecay({1, 2}, {1.0}), ValueError);
  SGD opt;
  Variable v(Tensor::zeros({2}), "v");
  EXPECT_THROW(opt.apply_gradients({Tensor::zeros({3})}, {v}), InvalidArgumentError);
  EXPECT_THROW(opt.apply_gradients({}, {v}), InvalidArgumentError);
  opt.apply_gradients({Tensor()}, {v});  // a None gradient skips the variable
  EXPECT_EQ(v.value().element(0), 0.0);
}

TEST(Optimizers, DefaultsAndConfig) {
  Adam adam;
  const auto c = adam.get_config();
  EXPECT_EQ(c["name"], "Adam");
  EXPECT_EQ(c["learning_rate"], 0.001);
  EXPECT_EQ(c["beta_1"], 0.9);
  EXPECT_EQ(c["beta_2"], 0.999);
  EXPECT_EQ(c["epsilon"], 1e-7);
  EXPECT_EQ(SGD().learning_rate(), 0.01);
  EXPECT_EQ(RMSprop().learning_rate(), 0.001);
  EXPECT_EQ(Adam({.epsilon = 0}).get_config()["epsilon"], 1e-7) << "epsilon=0 means the Keras default";
}

}  // namespace
}  // namespace tb::keras::optimizers
