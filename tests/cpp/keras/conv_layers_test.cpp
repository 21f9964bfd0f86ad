// The convolution and pooling layers from C++: Keras names and weight shapes, the initializer's
// fan rule for conv kernels, causal Conv1D, config round trips through the registry, and the
// errors. Numerical parity with TensorFlow is in tests/python/test_conv_parity.py.
#include <cmath>

#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/math_ops.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
using tb::testing::values;

class ConvLayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    random::set_seed(11);
  }
};

TEST_F(ConvLayersTest, Conv2DBuildsKerasWeightsAndShapes) {
  Conv2D c(32, {.kernel_size = {3}, .activation = "relu"});
  EXPECT_EQ(c.name(), "conv2d");
  const Tensor y = c(Tensor::full({2, 28, 28, 1}, 0.5));
  EXPECT_EQ(y.shape(), (Shape{2, 26, 26, 32}));
  ASSERT_EQ(c.weights().size(), 2u);
  EXPECT_EQ(c.weights()[0].name(), "conv2d/kernel:0");
  EXPECT_EQ(c.kernel().shape(), (Shape{3, 3, 1, 32}));
  EXPECT_EQ(c.count_params(), 320);
  // glorot_uniform with Keras's conv fans: fan_in = 3*3*1, fan_out = 3*3*32.
  const double limit = std::sqrt(6.0 / (9.0 + 288.0));
  double biggest = 0;
  for (double v : values(c.kernel().value())) biggest = std::max(biggest, std::abs(v));
  EXPECT_LE(biggest, limit);
  EXPECT_GT(biggest, 0.9 * limit);
  for (double v : values(y)) EXPECT_GE(v, 0.0);  // relu fused
  Conv2D s(8, {.kernel_size = {3, 3}, .strides = {2}, .padding = "same"});
  EXPECT_EQ(s.compute_output_shape({-1, 9, 8, 3}), (Shape{-1, 5, 4, 8}));
  EXPECT_EQ(s(Tensor::zeros({1, 9, 8, 3})).shape(), (Shape{1, 5, 4, 8}));
}

TEST_F(ConvLayersTest, CausalConv1DNeverLooksAhead) {
  Conv1D c(4, {.kernel_size = {3}, .padding = "causal", .dilation_rate = {2}});
  std::mt19937 rng(1);
  Tensor x = tb::testing::random_tensor({1, 12, 2}, DType::float32, rng);
  const auto before = values(c(x));
  EXPECT_EQ(c(x).shape(), (Shape{1, 12, 4}));
  x.data<float>()[2 * 7] += 5.0f;  // change step 7
  const auto after = values(c(x));
  for (size_t i = 0; i < 7 * 4; ++i) EXPECT_EQ(before[i], after[i]) << "step " << i / 4;
  EXPECT_NE(before[7 * 4], after[7 * 4]);
}

TEST_F(ConvLayersTest, ConfigsRoundTripThroughTheRegistry) {
  Conv2D c(6, {.kernel_size = {3, 2}, .strides = {1, 2}, .padding = "same", .groups = 2, .activation = "tanh",
               .use_bias = false, .kernel_initializer = "he_normal"});
  const auto cfg = c.get_config();
  EXPECT_EQ(cfg["kernel_size"], nlohmann::ordered_json({3, 2}));
  EXPECT_EQ(cfg["strides"], nlohmann::ordered_json({1, 2}));
  EXPECT_EQ(cfg["dilation_rate"], nlohmann::ordered_json({1, 1}));
  EXPECT_EQ(cfg["groups"], 2);
  EXPECT_EQ(cfg["kernel_initializer"]["class_name"], "HeNormal");
  const LayerPtr again = deserialize(c.serialize());
  EXPECT_EQ(again->class_name(), "Conv2D");
  EXPECT_EQ(again->get_config(), cfg);
  for (const LayerPtr& l : std::vector<LayerPtr>{std::make_shared<MaxPooling2D>(PoolingOptions{.pool_size = {3}, .padding = "same"}),
                                                 std::make_shared<AveragePooling1D>(),
                                                 std::make_shared<GlobalMaxPooling2D>(GlobalPoolingOptions{.keepdims = true}),
                                                 std::make_shared<Conv1D>(3, ConvOptions{.kernel_size = {5}})})
    EXPECT_EQ(deserialize(l->serialize())->get_config(), l->get_config()) << l->class_name();
  auto bad = c.serialize();
  bad["config"]["kernel"] = 3;
  try {
    deserialize(bad);
    ADD_FAILURE() << "an unknown key was accepted";
  } catch (const TypeError& e) {
    EXPECT_NE(std::string(e.what()).find("unexpected keyword argument 'kernel'"), std::string::npos) << e.what();
  }
}

TEST_F(ConvLayersTest, PoolingLayersComputeWindows) {
  // 1..16 in a 4x4 image: 2x2 max pooling keeps each block's last element, average the mean.
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[size_t(i)] = float(i + 1);
  const Tensor x = Tensor::from_vector<float>(v, {1, 4, 4, 1});
  EXPECT_EQ(values(MaxPooling2D()(x)), (std::vector<double>{6, 8, 14, 16}));
  EXPECT_EQ(values(AveragePooling2D()(x)), (std::vector<double>{3.5, 5.5, 11.5, 13.5}));
  // "same" average pooling divides by the real elements only: the corner window has one.
  EXPECT_EQ(values(AveragePooling2D({.pool_size = {2}, .strides = {3}, .padding = "same"})(x)),
            (std::vector<double>{3.5, 6.0, 13.5, 16.0}));
  EXPECT_EQ(values(GlobalAveragePooling2D()(x)), (std::vector<double>{8.5}));
  EXPECT_EQ(GlobalMaxPooling2D({.keepdims = true})(x).shape(), (Shape{1, 1, 1, 1}));
  EXPECT_EQ(MaxPooling1D({.pool_size = {3}, .strides = {1}})(x.reshape({1, 16, 1})).shape(), (Shape{1, 14, 1}));
}

TEST_F(ConvLayersTest, ErrorsNameLayerAndShapes) {
  tb::testing::expect_error<ValueError>([] { Conv2D(0, {.kernel_size = {3}}); }, "filters=0");
  tb::testing::expect_error<ValueError>([] { Conv2D(4); }, "`kernel_size` is required");
  tb::testing::expect_error<ValueError>([] { Conv2D(4, {.kernel_size = {3, 3, 3}}); }, "must be a tuple of 2 integers");
  tb::testing::expect_error<ValueError>([] { Conv2D(4, {.kernel_size = {3}, .strides = {2}, .dilation_rate = {2}}); }, "`strides > 1`");
  tb::testing::expect_error<ValueError>([] { Conv2D(4, {.kernel_size = {3}, .padding = "causal"}); }, "only supported for `Conv1D`");
  Conv2D c(4, {.kernel_size = {3}, .name = "edge"});
  tb::testing::expect_error<ValueError>([&] { c(Tensor::zeros({2, 8, 8})); }, "Input 0 of layer \"edge\" is incompatible with the layer: expected min_ndim=4");
  c(Tensor::zeros({2, 8, 8, 3}));
  tb::testing::expect_error<ValueError>([&] { c(Tensor::zeros({2, 8, 8, 2})); },
                     "expected axis -1 of input shape to have value 3, but received input with shape (2, 8, 8, 2)");
  tb::testing::expect_error<ValueError>([&] { c(Tensor::zeros({2, 2, 8, 3})); }, "One of the dimensions in the output is <= 0 due to downsampling in edge");
  tb::testing::expect_error<ValueError>([] { MaxPooling2D({.pool_size = {3}, .name = "pool"})(Tensor::zeros({1, 2, 2, 1})); },
                     "Negative dimension size caused by subtracting 3 from 2 in layer \"pool\"");
  tb::testing::expect_error<ValueError>([] { GlobalAveragePooling1D()(Tensor::zeros({1, 2, 2, 1})); }, "expected ndim=3, found ndim=4");
}

}  // namespace
}  // namespace tb::keras
