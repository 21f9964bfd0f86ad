// The C++ face of Attention and MultiHeadAttention: shapes, what the masks do (padding,
// causal, explicit), float64 gradients against finite differences, configs and errors.
// Numerical parity with TensorFlow: tests/python/test_attention_parity.py.
#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/functional.h"
#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"
#include "tests/cpp/testing/finite_differences.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
using tb::testing::bool_tensor;
using tb::testing::values;

TEST(AttentionLayers, ShapesAndWeights) {
  const Tensor q = random::normal({2, 3, 6}), v = random::normal({2, 5, 4});
  MultiHeadAttention mha(2, 3, {.value_dim = 5, .output_shape = 7});
  const AttentionOutput r = mha.call_attention({q, v}, {}, Tensor(), false, false);
  EXPECT_EQ(r.output.shape(), (Shape{2, 3, 7}));
  EXPECT_EQ(r.scores.shape(), (Shape{2, 2, 3, 5}));
  ASSERT_EQ(mha.weights().size(), 8u);
  EXPECT_EQ(mha.weights()[0].shape(), (Shape{6, 2, 3}));   // query/kernel
  EXPECT_EQ(mha.weights()[4].shape(), (Shape{4, 2, 5}));   // value/kernel
  EXPECT_EQ(mha.weights()[6].shape(), (Shape{2, 5, 7}));   // attention_output/kernel
  EXPECT_EQ(mha.weights()[0].name(), mha.name() + "/query/kernel:0");
  Attention att({.use_scale = true});
  EXPECT_EQ(att(std::vector<Tensor>{q, q})[0].shape(), (Shape{2, 3, 6}));
  EXPECT_EQ(att.count_params(), 1);
  // Symbolic self-attention in a functional model.
  KerasTensor in = Input({-1, 8});
  auto layer = std::make_shared<MultiHeadAttention>(4, 2);
  EXPECT_EQ((*layer)({in, in}).shape(), (Shape{-1, -1, 8}));
}

TEST(AttentionLayers, MasksBlockScores) {
  random::set_seed(1);
  const Tensor x = random::normal({1, 3, 4});
  MultiHeadAttention mha(1, 2);
  // Causal: row i attends to steps 0..i only.
  const std::vector<double> causal = values(mha.call_attention({x, x}, {}, Tensor(), false, true).scores);
  EXPECT_EQ(causal[1], 0.0);
  EXPECT_EQ(causal[2], 0.0);
  EXPECT_EQ(causal[5], 0.0);
  EXPECT_NEAR(causal[0], 1.0, 1e-6);
  // A value mask removes the last step for every query; rows still sum to 1.
  const Tensor scores = mha.call_attention({x, x}, {Tensor(), bool_tensor({1, 1, 0}, {1, 3})}, Tensor(), false, false).scores;
  const std::vector<double> s = values(scores);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(s[size_t(i * 3 + 2)], 0.0);
  tb::testing::expect_close(values(ops::reduce_sum(scores, {-1})), {1, 1, 1}, 1e-6, "rows");
  // Attention zeroes masked query steps in its output; the output keeps the query mask.
  Attention att;
  const Tensor qmask = bool_tensor({1, 0, 1}, {1, 3});
  const std::vector<double> out = values(att.call_attention({x, x}, {qmask, Tensor()}, Tensor(), false, false).output);
  for (int c = 0; c < 4; ++c) EXPECT_EQ(out[size_t(4 + c)], 0.0);
  EXPECT_EQ(values(att.compute_masks({x, x}, {qmask, Tensor()})[0]), values(qmask));
}

TEST(AttentionLayers, GradientsMatchFiniteDifferences) {
  random::set_seed(2);
  const Tensor q = random::normal({2, 3, 4}, 0, 1, DType::float64), v = random::normal({2, 4, 3}, 0, 1, DType::float64);
  const Tensor am = bool_tensor({1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1}, {2, 3, 4});
  MultiHeadAttention mha(2, 2, {.dtype = "float64"});
  mha.call_attention({q, v}, {}, am, false, false);
  const Tensor w = random::normal({2, 3, 4}, 0, 1, DType::float64);
  std::vector<Tensor> sources{q, v};
  for (const Variable& var : mha.trainable_weights()) sources.push_back(var.value());
  tb::testing::expect_gradients_match_finite_differences(
      [&] { return ops::reduce_sum(ops::mul(mha.call_attention({q, v}, {}, am, false, false).output, w)); }, sources,
      1e-6, "MultiHeadAttention");
  Attention att({.use_scale = true, .score_mode = "concat", .dtype = "float64"});
  const Tensor k = random::normal({2, 4, 4}, 0, 1, DType::float64);
  att.call_attention({q, v, k}, {}, Tensor(), false, true);
  const Tensor w2 = random::normal({2, 3, 3}, 0, 1, DType::float64);
  std::vector<Tensor> src2{q, v, k};
  for (const Variable& var : att.trainable_weights()) src2.push_back(var.value());
  tb::testing::expect_gradients_match_finite_differences(
      [&] { return ops::reduce_sum(ops::mul(att.call_attention({q, v, k}, {}, Tensor(), false, true).output, w2)); },
      src2, 1e-6, "Attention");
}

TEST(AttentionLayers, ConfigsAndErrors) {
  auto mha = std::make_shared<MultiHeadAttention>(3, 4, MultiHeadAttentionOptions{.dropout = 0.1, .use_bias = false});
  auto att = std::make_shared<Attention>(AttentionOptions{.use_scale = true});
  for (const LayerPtr& l : std::vector<LayerPtr>{mha, att})
    EXPECT_EQ(deserialize(l->serialize())->get_config(), l->get_config()) << l->class_name();
  const Tensor x = random::normal({2, 3, 4});
  tb::testing::expect_error<ValueError>([&] { Attention()(x); }, "must be called on a list of inputs");
  tb::testing::expect_error<ValueError>([&] { Attention()(std::vector<Tensor>{x}); }, "Received length: 1");
  tb::testing::expect_error<ValueError>([&] { Attention({.score_mode = "bad"}); }, "score_mode=bad");
  tb::testing::expect_error<ValueError>([&] { MultiHeadAttention(2, 0); }, "must be positive");
  tb::testing::expect_error<ValueError>([&] { MultiHeadAttention(2, 2)(std::vector<Tensor>{random::normal({2, 4}), x}); },
                                        "got query of shape (None, 4)");
  tb::testing::expect_error<ValueError>(
      [&] { MultiHeadAttention(2, 2).call_attention({x, x}, {}, Tensor::zeros({2, 3}), false, false); },
      "attention_mask must be [batch, Tq, Tv]");
  tb::testing::expect_error<UnimplementedError>(
      [&] { deserialize({{"class_name", "MultiHeadAttention"}, {"config", {{"num_heads", 2}, {"key_dim", 2}, {"attention_axes", {1, 2}}}}}); },
      "attention_axes");
}

}  // namespace
}  // namespace tb::keras
