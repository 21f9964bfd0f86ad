// Bad input to ops: each error names the op and the shapes or values involved.
#include <cmath>

#include <gtest/gtest.h>

#include "tensorbox/core/threading.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"
#include "tensorbox/ops/training_ops.h"

namespace tb {
namespace {

template <class E, class F>
void expect_error(F&& f, std::vector<std::string> parts) {
  try {
    f();
    FAIL() << "expected an error mentioning " << parts[0];
  } catch (const E& e) {
    for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what() << " lacks " << p;
  }
}

TEST(OpErrors, BroadcastAndDtypes) {
  expect_error<InvalidArgumentError>([] { ops::add(Tensor::zeros({2, 3}), Tensor::zeros({4})); }, {"AddV2", "(2, 3)", "(4,)"});
  expect_error<InvalidArgumentError>([] { ops::add(Tensor::zeros({2}), Tensor::zeros({2}, DType::int32)); }, {"AddV2", "float32", "int32"});
  expect_error<InvalidArgumentError>([] { ops::exp(Tensor::zeros({2}, DType::int32)); }, {"Exp", "int32"});
  expect_error<InvalidArgumentError>([] { ops::add(Tensor::zeros({2}, DType::bool_), Tensor::zeros({2}, DType::bool_)); }, {"bool"});
  expect_error<InvalidArgumentError>([] { ops::div(Tensor::full({1}, 1, DType::int32), Tensor::zeros({1}, DType::int32)); }, {"division by zero"});
  expect_error<InvalidArgumentError>([] { ops::where(Tensor::zeros({2}), Tensor::zeros({2}), Tensor::zeros({2})); }, {"Select", "bool"});
}

TEST(OpErrors, MatmulAndDense) {
  expect_error<InvalidArgumentError>([] { ops::matmul(Tensor::zeros({2, 3}), Tensor::zeros({4, 5})); }, {"MatMul", "(2, 3)", "(4, 5)"});
  expect_error<InvalidArgumentError>([] { ops::matmul(Tensor::zeros({3}), Tensor::zeros({3, 5})); }, {"rank >= 2"});
  expect_error<InvalidArgumentError>([] { ops::matmul(Tensor::zeros({2, 2, 3}), Tensor::zeros({3, 3, 1})); }, {"batch"});
  expect_error<ValueError>([] { ops::dense(Tensor::zeros({8, 5}), Tensor::zeros({4, 3}), Tensor(), "", "dense_7"); },
                           {"dense_7", "expected axis -1 of input shape to have value 4", "(8, 5)"});
  expect_error<ValueError>([] { ops::dense(Tensor::zeros({4}), Tensor::zeros({4, 3}), Tensor(), "", "d"); }, {"min_ndim=2"});
  expect_error<ValueError>([] { ops::dense(Tensor::zeros({1, 4}), Tensor::zeros({4, 3}), Tensor(), "softmax", "d"); }, {"softmax"});
}

TEST(OpErrors, LabelsOutOfRange) {
  const Tensor logits = Tensor::zeros({3, 10});
  expect_error<InvalidArgumentError>(
      [&] { ops::sparse_softmax_cross_entropy_with_logits(Tensor::from_vector<int64_t>({1, 10, 2}, {3}), logits); },
      {"label value of 10", "[0, 10)", "1 10 2"});
  expect_error<InvalidArgumentError>(
      [&] { ops::sparse_softmax_cross_entropy_with_logits(Tensor::from_vector<int64_t>({-1, 0, 2}, {3}), logits); },
      {"label value of -1"});
  expect_error<InvalidArgumentError>(
      [&] { ops::sparse_softmax_cross_entropy_with_logits(Tensor::from_vector<int64_t>({1, 2}, {2}), logits); },
      {"(3, 10)", "(2,)"});
  expect_error<InvalidArgumentError>(
      [&] { ops::sparse_softmax_cross_entropy_with_logits(Tensor::zeros({3}), logits); }, {"int32 or int64", "float32"});
}

TEST(OpErrors, Layout) {
  expect_error<InvalidArgumentError>([] { ops::transpose(Tensor::zeros({2, 3}), {0, 0}); }, {"perm", "(2, 3)"});
  expect_error<InvalidArgumentError>([] { ops::slice(Tensor::zeros({4, 5}), {3, 0}, {2, 5}); }, {"out of bounds", "(4, 5)"});
  expect_error<InvalidArgumentError>([] { ops::gather(Tensor::zeros({4, 5}), Tensor::from_vector<int64_t>({0, 4}, {2}), 0); },
                                     {"indices[1] = 4", "[0, 4)"});
  expect_error<InvalidArgumentError>([] { ops::concat({Tensor::zeros({2, 3}), Tensor::zeros({2, 4})}, 0); }, {"concat", "(2, 4)"});
  expect_error<InvalidArgumentError>([] { ops::take_along_axis(Tensor::zeros({2, 3}), Tensor::from_vector<int64_t>({0, 3}, {2, 1}), 1); },
                                     {"indices[1] = 3", "[0, 3)"});
  expect_error<InvalidArgumentError>([] { ops::take_along_axis(Tensor::zeros({2, 3}), Tensor::zeros({3, 1}, DType::int64), 1); },
                                     {"(3, 1)", "(2, 3)"});
  expect_error<InvalidArgumentError>([] { ops::reshape(Tensor::zeros({2, 3}), {4}); }, {"(2, 3)", "(4,)"});
  expect_error<InvalidArgumentError>([] { ops::reduce_sum(Tensor::zeros({2, 3}), {2}); }, {"axis 2", "(2, 3)"});
  expect_error<InvalidArgumentError>([] { ops::squeeze(Tensor::zeros({2, 3}), {1}); }, {"squeeze", "size 3"});
  expect_error<InvalidArgumentError>([] { ops::broadcast_to(Tensor::zeros({3}), {2, 4}); }, {"(3,)"});
  expect_error<InvalidArgumentError>([] { ops::pad(Tensor::zeros({2, 3}), {{1, 1}}); }, {"pad", "one (before, after) pair", "(2, 3)"});
  expect_error<InvalidArgumentError>([] { ops::unstack(Tensor::scalar(1.0)); }, {"unstack", "scalar"});
  expect_error<InvalidArgumentError>([] { ops::unstack(Tensor::zeros({2, 3}), 2); }, {"axis 2", "(2, 3)"});
  expect_error<InvalidArgumentError>([] { ops::stack({Tensor::zeros({2, 3}), Tensor::zeros({3, 2})}); },
                                     {"stack", "input 1", "(3, 2)", "(2, 3)"});
  expect_error<InvalidArgumentError>([] { ops::stack({Tensor::zeros({2, 3})}, 3); }, {"stack", "axis 3"});
  expect_error<InvalidArgumentError>([] { ops::stack({}); }, {"stack", "at least one"});
  expect_error<InvalidArgumentError>([] { ops::pad(Tensor::zeros({2, 3}), {{0, 0}, {-1, 2}}); }, {"pad", "non-negative", "axis 1"});
  expect_error<InvalidArgumentError>([] { ops::dropout(Tensor::zeros({2, 3}), 0.5, Shape{2, 2}); },
                                     {"noise_shape (2, 2)", "(2, 3)"});
  expect_error<InvalidArgumentError>([] { ops::dropout(Tensor::zeros({2, 3}), 0.5, Shape{2, 3, 1}); },
                                     {"noise_shape (2, 3, 1)", "(2, 3)"});
}

TEST(OpErrors, GradientScatterOps) {
  const Tensor ids = Tensor::from_vector<int64_t>({0, 2, 2}, {3});
  expect_error<InvalidArgumentError>([&] { ops::unsorted_segment_sum(Tensor::zeros({3, 4}), ids, 2); },
                                     {"unsorted_segment_sum", "segment_ids[1] = 2", "[0, 2)"});
  expect_error<InvalidArgumentError>([&] { ops::unsorted_segment_sum(Tensor::zeros({4, 4}), ids, 3); },
                                     {"unsorted_segment_sum", "(3,)", "(4, 4)"});
  expect_error<InvalidArgumentError>([&] { ops::unsorted_segment_sum(Tensor::zeros({3, 4}), ids, -1); },
                                     {"unsorted_segment_sum"});
  expect_error<InvalidArgumentError>([&] { ops::unsorted_segment_sum(Tensor::zeros({3}), Tensor::zeros({3}), 3); },
                                     {"unsorted_segment_sum", "int32 or int64", "float32"});
  const Tensor idx = Tensor::from_vector<int64_t>({0, 5}, {2, 1});
  expect_error<InvalidArgumentError>([&] { ops::put_along_axis_add(Tensor::zeros({2, 1}), idx, 1, {2, 3}); },
                                     {"put_along_axis_add", "indices[1] = 5", "[0, 3)"});
  expect_error<InvalidArgumentError>([&] { ops::put_along_axis_add(Tensor::zeros({2, 1}), idx, 1, {3, 3}); },
                                     {"put_along_axis_add", "(2, 1)", "(3, 3)"});
  expect_error<InvalidArgumentError>([&] { ops::put_along_axis_add(Tensor::zeros({2, 1}), idx, 2, {2, 3}); },
                                     {"put_along_axis_add", "along axis 2"});
}

TEST(OpErrors, TrainingOpsCheckSlots) {
  Tensor var = Tensor::zeros({4}), m = Tensor::zeros({4}), v = Tensor::zeros({3});
  expect_error<InvalidArgumentError>([&] { ops::apply_adam(var, m, v, nullptr, Tensor::zeros({4}), {}, 1); }, {"slot v", "(3,)"});
  expect_error<InvalidArgumentError>([&] { ops::apply_sgd(var, nullptr, Tensor::zeros({5}), 0.1, 0, false); }, {"gradient", "(5,)"});
}

TEST(Runtime, DenormalsAreFlushed) {
  ensure_runtime_initialized();
  const Tensor tiny = Tensor::full({16}, 1e-40, DType::float32);  // a float32 denormal
  const Tensor y = ops::mul(tiny, Tensor::scalar(1.0));
  EXPECT_EQ(y.element(0), 0.0) << "FTZ/DAZ should treat denormal input as zero";
}

TEST(Ops, NaNPropagatesLikeTensorFlow) {
  // 100 elements reach the SIMD float32 kernels; float64 takes the scalar loops.
  for (DType dt : {DType::float32, DType::float64}) {
    std::vector<double> v(100, 1.0);
    v[37] = NAN;
    const Tensor x = ops::cast(Tensor::from_vector<double>(v, {100}), dt);
    const Tensor one = ops::cast(Tensor::full({100}, 2.0, DType::float64), dt);
    for (const Tensor& y : {ops::relu(x), ops::maximum(x, one), ops::maximum(one, x), ops::minimum(x, one),
                            ops::minimum(one, x)}) {
      EXPECT_TRUE(std::isnan(y.element(37))) << dtype_name(dt);
      EXPECT_FALSE(std::isnan(y.element(36))) << dtype_name(dt);
    }
    EXPECT_EQ(ops::maximum(x, one).element(0), 2.0);
    EXPECT_EQ(ops::relu(ops::neg(x)).element(0), 0.0);
  }
  // The fused Dense GEMM + relu maps NaN to 0, as TensorFlow 2.12's oneDNN-fused MatMul+Relu
  // does inside tf.function (and so inside fit); TensorFlow's eager Relu keeps NaN, as ops::relu.
  const Tensor xin = Tensor::from_vector<float>({NAN, 1}, {1, 2});
  const Tensor y = ops::dense(xin, Tensor::full({2, 3}, 1.0), Tensor::zeros({3}), "relu");
  EXPECT_EQ(y.element(0), 0.0);
  EXPECT_TRUE(std::isnan(ops::dense(xin, Tensor::full({2, 3}, 1.0), Tensor::zeros({3}), "linear").element(0)));
}

TEST(Ops, DropoutKeepsExpectationAndZeroes) {
  const Tensor x = Tensor::full({10000}, 1.0);
  const Tensor y = ops::dropout(x, 0.25);
  int zeros = 0;
  double sum = 0;
  for (int64_t i = 0; i < y.size(); ++i) {
    const double v = y.element(i);
    if (v == 0) ++zeros;
    else EXPECT_NEAR(v, 1.0 / 0.75, 1e-6);
    sum += v;
  }
  EXPECT_NEAR(zeros / 10000.0, 0.25, 0.03);
  EXPECT_NEAR(sum / 10000.0, 1.0, 0.05);
  EXPECT_THROW(ops::dropout(x, 1.0), ValueError);
}

}  // namespace
}  // namespace tb
