#include "tensorbox/autodiff/gradient_tape.h"

#include <gtest/gtest.h>

#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb {
namespace {

TEST(GradientTape, WatchedTensor) {
  Tensor x = Tensor::from_vector<float>({1, 2, 3}, {3});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::reduce_sum(ops::mul(x, x));
  auto g = tape.gradient(y, std::vector<Tensor>{x});
  EXPECT_EQ(g[0].to_vector<float>(), (std::vector<float>{2, 4, 6}));
}

TEST(GradientTape, TrainableVariablesAreWatchedAutomatically) {
  Variable w(Tensor::from_vector<float>({2}, {1}), "w");
  Variable frozen(Tensor::from_vector<float>({3}, {1}), "f", /*trainable=*/false);
  GradientTape tape;
  Tensor y = ops::reduce_sum(ops::mul(w.value(), frozen.value()));
  auto g = tape.gradient(y, std::vector<Variable>{w, frozen});
  EXPECT_EQ(g[0].item(), 3.0);
  EXPECT_FALSE(g[1].defined()) << "a non-trainable variable is not watched unless asked";
}

TEST(GradientTape, UnconnectedSourceGivesNone) {
  Tensor x = Tensor::scalar(1.0), z = Tensor::scalar(2.0);
  GradientTape tape;
  tape.watch(x);
  tape.watch(z);
  auto g = tape.gradient(ops::mul(x, x), std::vector<Tensor>{x, z});
  EXPECT_TRUE(g[0].defined());
  EXPECT_FALSE(g[1].defined());
}

TEST(GradientTape, NonPersistentTapeIsSingleUse) {
  Tensor x = Tensor::scalar(3.0);
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::mul(x, x);
  tape.gradient(y, std::vector<Tensor>{x});
  EXPECT_THROW(tape.gradient(y, std::vector<Tensor>{x}), FailedPreconditionError);
}

TEST(GradientTape, PersistentTapeComputesSeveralGradients) {
  Tensor x = Tensor::scalar(3.0);
  GradientTape tape(/*persistent=*/true);
  tape.watch(x);
  Tensor y = ops::mul(x, x);
  Tensor z = ops::mul(y, y);
  EXPECT_DOUBLE_EQ(tape.gradient(y, std::vector<Tensor>{x})[0].item(), 6.0);
  EXPECT_DOUBLE_EQ(tape.gradient(z, std::vector<Tensor>{x})[0].item(), 108.0);  // 4x^3
}

TEST(GradientTape, GradientsAccumulateOverSeveralUses) {
  Tensor x = Tensor::scalar(2.0);
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::add(ops::mul(x, x), ops::mul(x, Tensor::scalar(5.0)));  // x^2 + 5x
  EXPECT_DOUBLE_EQ(tape.gradient(y, std::vector<Tensor>{x})[0].item(), 9.0);
}

TEST(GradientTape, StopRecordingAndStopGradient) {
  Tensor x = Tensor::scalar(2.0);
  GradientTape tape(true);
  tape.watch(x);
  Tensor y = ops::mul(x, x);
  Tensor held = ops::mul(ops::stop_gradient(x), x);
  tape.stop_recording();
  Tensor after = ops::mul(y, x);  // not recorded
  EXPECT_DOUBLE_EQ(tape.gradient(held, std::vector<Tensor>{x})[0].item(), 2.0);
  EXPECT_FALSE(tape.gradient(after, std::vector<Tensor>{x})[0].defined());
}

TEST(GradientTape, NothingIsRecordedWithoutATape) {
  EXPECT_FALSE(ops::recording());
  {
    GradientTape tape;
    EXPECT_TRUE(ops::recording());
    ops::PauseRecording pause;
    EXPECT_FALSE(ops::recording());
  }
  EXPECT_FALSE(ops::recording());
}

TEST(GradientTape, OutputGradientAndErrors) {
  Tensor x = Tensor::from_vector<double>({1, 2}, {2});
  GradientTape tape(true);
  tape.watch(x);
  Tensor y = ops::mul(x, x);
  auto g = tape.gradient(y, std::vector<Tensor>{x}, Tensor::from_vector<double>({10, 100}, {2}));
  EXPECT_EQ(g[0].to_vector<double>(), (std::vector<double>{20, 400}));
  EXPECT_THROW(tape.gradient(y, std::vector<Tensor>{x}, Tensor::zeros({3}, DType::float64)), InvalidArgumentError);
  EXPECT_THROW(tape.watch(Tensor::zeros({2}, DType::int32)), InvalidArgumentError);
}

TEST(GradientTape, SkipsGradientsNobodyAskedFor) {
  // The first Dense layer's input needs no gradient; the op is told so and skips it.
  Tensor x = Tensor::from_vector<float>({1, 2}, {1, 2});
  Variable w(Tensor::from_vector<float>({1, 2, 3, 4}, {2, 2}), "w");
  GradientTape tape;
  Tensor y = ops::reduce_sum(ops::dense(x, w.value(), Tensor(), "relu"));
  auto g = tape.gradient(y, std::vector<Tensor>{x, w.value()});
  EXPECT_FALSE(g[0].defined());
  EXPECT_EQ(g[1].to_vector<float>(), (std::vector<float>{1, 1, 2, 2}));
}

TEST(Variable, AssignKeepsIdentity) {
  Variable v(Tensor::from_vector<float>({1, 2}, {2}), "v");
  const uint64_t id = v.value().id();
  v.assign(Tensor::from_vector<float>({5, 6}, {2}));
  v.assign_add(Tensor::from_vector<float>({1, 1}, {2}));
  v.assign_sub(Tensor::from_vector<float>({0.5f, 0.5f}, {2}));
  EXPECT_EQ(v.value().id(), id);
  EXPECT_EQ(v.value().to_vector<float>(), (std::vector<float>{5.5f, 6.5f}));
  EXPECT_THROW(v.assign(Tensor::zeros({3})), InvalidArgumentError);
  EXPECT_THROW(v.assign(Tensor::zeros({2}, DType::float64)), InvalidArgumentError);
  EXPECT_EQ(v.value().to_vector<float>(), (std::vector<float>{5.5f, 6.5f})) << "a failed assign changes nothing";
  EXPECT_THROW(Variable().value(), FailedPreconditionError);
}

}  // namespace
}  // namespace tb
