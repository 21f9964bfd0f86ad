// Mixed precision: policies, layers that compute in 16 bits over float32 variables, and the
// dynamic loss scale (keras-facts.md 2) with injected overflow.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tensorbox/autodiff/gradient_tape.h"
#include "tensorbox/core/random.h"
#include "tensorbox/keras/keras.h"
#include "tensorbox/keras/optimizers/deserialize.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
using namespace tb::keras::optimizers;
using mixed_precision::Policy;

// Restores the global policy whatever a test does.
struct PolicyScope {
  explicit PolicyScope(const std::string& name) { mixed_precision::set_global_policy(Policy(name)); }
  ~PolicyScope() { mixed_precision::set_global_policy(Policy("float32")); }
};

TEST(Policy, NamesAndDtypesAsKeras) {
  EXPECT_EQ(Policy("mixed_float16").compute_dtype(), DType::float16);
  EXPECT_EQ(Policy("mixed_float16").variable_dtype(), DType::float32);
  EXPECT_EQ(Policy("mixed_bfloat16").compute_dtype(), DType::bfloat16);
  EXPECT_EQ(Policy("float64").compute_dtype(), DType::float64);
  EXPECT_EQ(Policy("float").name(), "float32");
  EXPECT_EQ(Policy("float32").serialize(), "float32");
  EXPECT_EQ(Policy("mixed_float16").serialize().dump(), R"({"class_name":"Policy","config":{"name":"mixed_float16"}})");
  EXPECT_EQ(Policy::deserialize(Policy("mixed_bfloat16").serialize()).name(), "mixed_bfloat16");
  try {
    Policy("mixed_float32");
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("'mixed_float32'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("mixed_bfloat16"), std::string::npos);
  }
}

TEST(MixedPrecision, LayersComputeInTheComputeDtypeOverFloat32Variables) {
  PolicyScope scope("mixed_float16");
  Dense hidden(4, {.activation = "relu"});
  Dense out(2, {.dtype = "float32"});
  const Tensor x = random::uniform({3, 5});
  const Tensor h = hidden(x);
  EXPECT_EQ(h.dtype(), DType::float16);
  EXPECT_EQ(hidden.dtype(), DType::float32);
  EXPECT_EQ(hidden.compute_dtype(), DType::float16);
  for (const Variable& v : hidden.weights()) EXPECT_EQ(v.dtype(), DType::float32);
  EXPECT_EQ(out(h).dtype(), DType::float32);
  EXPECT_EQ(hidden.get_config()["dtype"]["config"]["name"], "mixed_float16");
  // Gradients reach the float32 variables in float32, through the casts.
  GradientTape tape;
  const Tensor loss = ops::reduce_sum(out(hidden(x)));
  const auto grads = tape.gradient(loss, hidden.trainable_weights());
  ASSERT_TRUE(grads[0].defined());
  EXPECT_EQ(grads[0].dtype(), DType::float32);
}

TEST(LossScale, OverflowHalvesTheScaleSkipsTheStepAndCountsIt) {
  auto inner = std::make_shared<SGD>(SGDOptions{.learning_rate = 0.1});
  LossScaleOptimizer opt(inner, {.dynamic_growth_steps = 3});
  EXPECT_EQ(opt.loss_scale(), 32768.0);
  Variable w(Tensor::from_vector<float>({1, 2}, {2}));
  const float inf = std::numeric_limits<float>::infinity();
  opt.apply_gradients({Tensor::from_vector<float>({inf, 1}, {2})}, {w});
  EXPECT_EQ(opt.loss_scale(), 16384.0);
  EXPECT_EQ(w.value().to_vector<float>(), (std::vector<float>{1, 2})) << "skipped step left the weights";
  EXPECT_EQ(opt.iterations(), 1) << "a skipped step still advances iterations";
  opt.apply_gradients({Tensor::from_vector<float>({std::nanf(""), 1}, {2})}, {w});
  EXPECT_EQ(opt.loss_scale(), 8192.0);
  // Three finite steps in a row double it; the counter restarts.
  for (int i = 0; i < 2; ++i) opt.apply_gradients({Tensor::from_vector<float>({1, 1}, {2})}, {w});
  EXPECT_EQ(opt.loss_scale(), 8192.0);
  EXPECT_EQ(opt.dynamic_counter(), 2);
  opt.apply_gradients({Tensor::from_vector<float>({1, 1}, {2})}, {w});
  EXPECT_EQ(opt.loss_scale(), 16384.0);
  EXPECT_EQ(opt.dynamic_counter(), 0);
  EXPECT_EQ(opt.iterations(), 5);
  EXPECT_NEAR(w.value().element(0), 1 - 3 * 0.1, 1e-6);
}

TEST(LossScale, NeverBelowOneAndScalesBothWays) {
  LossScaleOptimizer opt(std::make_shared<SGD>(), {.initial_scale = 2.0});
  Variable w(Tensor::from_vector<float>({1}, {1}));
  const float inf = std::numeric_limits<float>::infinity();
  for (int i = 0; i < 3; ++i) opt.apply_gradients({Tensor::from_vector<float>({inf}, {1})}, {w});
  EXPECT_EQ(opt.loss_scale(), 1.0);
  LossScaleOptimizer s(std::make_shared<SGD>(), {.initial_scale = 8.0});
  EXPECT_EQ(s.get_scaled_loss(Tensor::scalar(0.5)).item(), 4.0);
  EXPECT_EQ(s.get_unscaled_gradients({Tensor::scalar(4.0), Tensor()})[0].item(), 0.5);
  EXPECT_THROW(LossScaleOptimizer(std::make_shared<SGD>(), {.dynamic = false}), ValueError);
  EXPECT_THROW(LossScaleOptimizer(std::make_shared<SGD>(), {.initial_scale = 0.0}), ValueError);
  EXPECT_THROW(LossScaleOptimizer(std::make_shared<SGD>(), {.dynamic_growth_steps = 0}), ValueError);
  EXPECT_THROW(LossScaleOptimizer(nullptr), ValueError);
  EXPECT_THROW(LossScaleOptimizer(std::make_shared<LossScaleOptimizer>(std::make_shared<SGD>())), TypeError);
  const auto cfg = s.get_config();
  EXPECT_EQ(cfg["inner_optimizer"]["class_name"], "SGD");
  EXPECT_EQ(optimizers::deserialize({{"class_name", "LossScaleOptimizer"}, {"config", cfg}})->get_config(), cfg);
}

TEST(LossScale, CompileWrapsUnderMixedFloat16Only) {
  {
    PolicyScope scope("mixed_float16");
    random::set_seed(3);
    Sequential m({Dense(4, {.input_shape = {3}}), Dense(2, {.dtype = "float32"})});
    m.compile({.optimizer = "adam", .loss = "mse"});
    EXPECT_EQ(m.optimizer().class_name(), "LossScaleOptimizer");
    // Training in float16 with a scale that overflows: steps are skipped until it fits.
    const Tensor x = random::uniform({16, 3}), y = random::uniform({16, 2});
    const auto before = m.get_weights();
    m.compile({.optimizer = std::make_shared<LossScaleOptimizer>(std::make_shared<Adam>(),
                                                                 LossScaleOptions{.initial_scale = 1e12}),
               .loss = "mse"});
    auto& big = dynamic_cast<LossScaleOptimizer&>(m.optimizer());
    m.train_on_batch(x, y);
    EXPECT_EQ(big.loss_scale(), 5e11) << "1e12 * loss overflows float16 gradients";
    for (size_t i = 0; i < before.size(); ++i)
      EXPECT_EQ(m.get_weights()[i].to_vector<float>(), before[i].to_vector<float>());
    // Halving until the gradients fit: the first finite step keeps the scale and counts 1.
    for (int i = 0; i < 60; ++i) {
      const double s = big.loss_scale();
      m.train_on_batch(x, y);
      if (big.loss_scale() == s) break;
    }
    EXPECT_LT(big.loss_scale(), 1e12 / 1024);
    EXPECT_EQ(big.dynamic_counter(), 1);
    EXPECT_NE(m.get_weights()[0].to_vector<float>(), before[0].to_vector<float>()) << "trains once it fits";
  }
  PolicyScope scope("mixed_bfloat16");
  Sequential m({Dense(4, {.input_shape = {3}}), Dense(2, {.dtype = "float32"})});
  m.compile({.optimizer = "adam", .loss = "mse"});
  EXPECT_EQ(m.optimizer().class_name(), "Adam");
}

}  // namespace
}  // namespace tb::keras
