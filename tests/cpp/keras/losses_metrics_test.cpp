#include <cmath>

#include <gtest/gtest.h>

#include "tensorbox/keras/keras.h"
#include "tensorbox/keras/utils/console.h"
#include "tensorbox/keras/utils/progbar.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {

const Tensor kLogits = Tensor::from_vector<float>({2, 1, 0.1f, 0.5f, 2.5f, -1}, {2, 3});
const Tensor kLabels = Tensor::from_vector<int64_t>({0, 2}, {2});

double lse_row(const std::vector<double>& r) {
  double m = *std::max_element(r.begin(), r.end()), s = 0;
  for (double v : r) s += std::exp(v - m);
  return m + std::log(s);
}

TEST(Losses, SparseCategoricalFromLogits) {
  const double want = ((lse_row({2, 1, 0.1}) - 2) + (lse_row({0.5, 2.5, -1}) + 1)) / 2;
  losses::SparseCategoricalCrossentropy l({.from_logits = true});
  EXPECT_NEAR(l(kLabels, kLogits).item(), want, 1e-6);
  // Labels as float [N, 1], as Keras accepts.
  EXPECT_NEAR(l(Tensor::from_vector<float>({0, 2}, {2, 1}), kLogits).item(), want, 1e-6);
  EXPECT_NEAR(l(Tensor::from_vector<uint8_t>({0, 2}, {2}), kLogits).item(), want, 1e-6);
}

TEST(Losses, SparseCategoricalFromProbabilitiesClips) {
  const Tensor p = Tensor::from_vector<float>({1, 0, 0, 0.2f, 0.3f, 0.5f}, {2, 3});
  losses::SparseCategoricalCrossentropy l;
  // Row 0: p clipped to 1-1e-7, then renormalised through log-softmax of the log-probs.
  const double eps = 1e-7;
  const double r0 = -std::log((1 - eps) / ((1 - eps) + 2 * eps));
  const double r1 = -std::log(0.5 / 1.0);
  EXPECT_NEAR(l(kLabels, p).item(), (r0 + r1) / 2, 1e-5);
  // Loss of a label with probability 0 is bounded by the clipping, not infinite.
  EXPECT_TRUE(std::isfinite(l(Tensor::from_vector<int64_t>({1, 0}, {2}), p).item()));
}

TEST(Losses, SoftmaxOutputUsesTheLogitsExactly) {
  // Keras's _keras_logits shortcut: softmax output + from_logits=false == from_logits on the logits.
  const Tensor probs = activations::get("softmax")(kLogits);
  const double via_probs = losses::SparseCategoricalCrossentropy()(kLabels, probs).item();
  const double via_logits = losses::SparseCategoricalCrossentropy({.from_logits = true})(kLabels, kLogits).item();
  EXPECT_DOUBLE_EQ(via_probs, via_logits);
}

TEST(Losses, CategoricalWithLabelSmoothing) {
  const Tensor onehot = ops::one_hot(kLabels, 3);
  losses::CategoricalCrossentropy l({.from_logits = true, .label_smoothing = 0.3});
  double want = 0;
  const std::vector<std::vector<double>> rows = {{2, 1, 0.1}, {0.5, 2.5, -1}};
  for (int r = 0; r < 2; ++r)
    for (int j = 0; j < 3; ++j) {
      const double y = (j == (r == 0 ? 0 : 2) ? 1.0 : 0.0) * 0.7 + 0.1;
      want += y * (lse_row(rows[size_t(r)]) - rows[size_t(r)][size_t(j)]) / 2;
    }
  EXPECT_NEAR(l(onehot, kLogits).item(), want, 1e-6);
  EXPECT_THROW(l(kLabels, kLogits), ValueError);
}

TEST(Losses, BinaryFromLogitsAndProbabilities) {
  const Tensor y = Tensor::from_vector<float>({1, 0, 1, 0}, {2, 2});
  const Tensor z = Tensor::from_vector<float>({0.3f, -2, 4, 1}, {2, 2});
  double want = 0;
  const float zs[] = {0.3f, -2, 4, 1}, ys[] = {1, 0, 1, 0};
  for (int i = 0; i < 4; ++i) want += (std::max(zs[i], 0.0f) - zs[i] * ys[i] + std::log1p(std::exp(-std::abs(zs[i])))) / 4;
  EXPECT_NEAR(losses::BinaryCrossentropy({.from_logits = true})(y, z).item(), want, 1e-6);
  const Tensor p = ops::sigmoid(z);
  // A sigmoid output goes through the logits shortcut too.
  EXPECT_NEAR(losses::BinaryCrossentropy()(y, activations::get("sigmoid")(z)).item(), want, 1e-6);
  EXPECT_NEAR(losses::BinaryCrossentropy()(y, p).item(), want, 1e-4);
}

TEST(Losses, Regression) {
  const Tensor y = Tensor::from_vector<float>({0, 1, 2, 3}, {2, 2});
  const Tensor p = Tensor::from_vector<float>({0.5f, 1, 4, 3}, {2, 2});
  EXPECT_NEAR(losses::MeanSquaredError()(y, p).item(), (0.25 + 0 + 4 + 0) / 4, 1e-6);
  EXPECT_NEAR(losses::MeanAbsoluteError()(y, p).item(), (0.5 + 2) / 4, 1e-6);
  EXPECT_NEAR(losses::Huber()(y, p).item(), (0.125 + (2 - 0.5)) / 4, 1e-6);
  // sample_weight scales per-sample losses; the divisor stays the number of samples.
  EXPECT_NEAR(losses::MeanSquaredError()(y, p, Tensor::from_vector<float>({1, 0}, {2})).item(), (0.125) / 2, 1e-6);
}

TEST(Losses, ByName) {
  EXPECT_EQ(losses::Loss::get("mse")->class_name(), "MeanSquaredError");
  EXPECT_EQ(losses::Loss::get("SparseCategoricalCrossentropy")->name(), "sparse_categorical_crossentropy");
  try {
    losses::Loss::get("cross_entropy");
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("cross_entropy"), std::string::npos);
  }
  EXPECT_THROW(losses::Huber({.delta = 0}), ValueError);
}

TEST(Metrics, AccuracyResolvesFromShapes) {
  const Tensor logits = Tensor::from_vector<float>({0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f}, {3, 2});
  auto sparse = metrics::resolve("accuracy", {3}, {3, 2});
  sparse->update_state(Tensor::from_vector<int64_t>({1, 0, 0}, {3}), logits);
  EXPECT_NEAR(sparse->result(), 2.0 / 3, 1e-9);
  EXPECT_EQ(sparse->name(), "accuracy");
  auto cat = metrics::resolve("acc", {3, 2}, {3, 2});
  cat->update_state(Tensor::from_vector<float>({0, 1, 0, 1, 0, 1}, {3, 2}), logits);
  EXPECT_NEAR(cat->result(), 2.0 / 3, 1e-9);
  auto bin = metrics::resolve("accuracy", {3, 1}, {3, 1});
  bin->update_state(Tensor::from_vector<float>({1, 0, 1}, {3, 1}), Tensor::from_vector<float>({0.9f, 0.6f, 0.2f}, {3, 1}));
  EXPECT_NEAR(bin->result(), 1.0 / 3, 1e-9);
  // Stateful over batches, cleared by reset_state.
  sparse->update_state(Tensor::from_vector<int64_t>({1}, {1}), Tensor::from_vector<float>({0, 1}, {1, 2}));
  EXPECT_NEAR(sparse->result(), 3.0 / 4, 1e-9);
  sparse->reset_state();
  EXPECT_EQ(sparse->result(), 0.0);
  EXPECT_THROW(metrics::Metric::get("f1_scorez"), ValueError);
}

TEST(Metrics, MeanIsWeighted) {
  metrics::Mean m("loss");
  m.update(2.0, 128);
  m.update(4.0, 32);  // a partial last batch counts for its size
  EXPECT_NEAR(m.result(), (2.0 * 128 + 4.0 * 32) / 160, 1e-12);
  metrics::MeanSquaredError mse;
  mse.update_state(Tensor::from_vector<float>({1, 2}, {2, 1}), Tensor::from_vector<float>({1, 4}, {2, 1}));
  EXPECT_NEAR(mse.result(), 2.0, 1e-9);
}

TEST(Progbar, KerasFormats) {
  using utils::Progbar;
  EXPECT_EQ(Progbar::format_time(0.0043, "step"), " 4ms/step");
  EXPECT_EQ(Progbar::format_time(2.4, "step"), " 2s/step");
  EXPECT_EQ(Progbar::format_time(0.00004, "step"), " 40us/step");
  EXPECT_EQ(Progbar::format_eta(75), "1:15");
  EXPECT_EQ(Progbar::format_eta(3725), "1:02:05");
  EXPECT_EQ(Progbar::format_eta(9.7), "9s");
  EXPECT_EQ(Progbar::format_value(0.123456), " 0.1235");
  EXPECT_EQ(Progbar::format_value(0.0001), " 1.0000e-04");
}

// Collects what the bar writes through the console writer (what the Python front end hooks).
std::string capture(int verbose) {
  std::string out;
  utils::set_console_writer([&](utils::Stream s, std::string_view text) {
    if (s == utils::Stream::out) out += text;
  });
  utils::Progbar bar(3, verbose, 30, 0.0);
  bar.update(1, {{"loss", 0.75}, {"accuracy", 0.5}});
  bar.update(3, {{"loss", 0.5}, {"accuracy", 0.625}});
  utils::set_console_writer(nullptr);
  return out;
}

TEST(Progbar, DrawsTheBarLikeKeras) {
  const std::string out = capture(1);
  EXPECT_NE(out.find("1/3 [=========>....................] - ETA: "), std::string::npos) << out;
  EXPECT_NE(out.find("\r3/3 [==============================] - "), std::string::npos) << out;
  EXPECT_NE(out.find(" - loss: 0.5000 - accuracy: 0.6250\n"), std::string::npos) << out;
  const std::string two = capture(2);
  EXPECT_EQ(two.find("["), std::string::npos) << "verbose=2 prints no bar";
  EXPECT_EQ(two.rfind("3/3 - ", 0), 0u) << two;
  EXPECT_NE(two.find("step - loss: 0.5000 - accuracy: 0.6250\n"), std::string::npos) << two;
}

}  // namespace
}  // namespace tb::keras
