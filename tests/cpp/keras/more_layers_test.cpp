// The C++ face of the activation, reshaping, noise, embedding, preprocessing and conv-variant
// layers: options structs, values on small inputs, output shapes, config round trips and
// errors. Numerical parity with TensorFlow: tests/python/test_layer_coverage.py.
#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
using tb::testing::values;

Tensor t(std::vector<float> v, Shape s) { return Tensor::from_vector<float>(v, s); }

TEST(MoreLayers, ActivationLayersFollowKerasRules) {
  const Tensor x = t({-2, -0.5, 0, 0.2, 1, 3}, {1, 6});
  tb::testing::expect_close(values(ReLU({.max_value = 1.0, .negative_slope = 0.5, .threshold = 0.25})(x)),
                            {-1.125, -0.375, -0.125, -0.025, 1, 1}, 1e-6, "ReLU");
  tb::testing::expect_close(values(LeakyReLU()(x)), {-0.6, -0.15, 0, 0.2, 1, 3}, 1e-6, "LeakyReLU");
  tb::testing::expect_close(values(ELU({.alpha = 2.0})(x)), {2 * (std::exp(-2.0) - 1), 2 * (std::exp(-0.5) - 1), 0, 0.2, 1, 3},
                            1e-6, "ELU");
  PReLU p({.alpha_initializer = "ones"});
  EXPECT_EQ(values(p(x)), values(x));  // alpha 1: the identity
  EXPECT_EQ(p.weights()[0].shape(), (Shape{6}));
  tb::testing::expect_close(values(ops::reduce_sum(Softmax()(x), {1})), {1.0}, 1e-6, "Softmax");
}

TEST(MoreLayers, ReshapingShapesAndValues) {
  const Tensor img = t({1, 2, 3, 4}, {1, 2, 2, 1});
  const Tensor padded = ZeroPadding2D({.pairs = {{{1, 0}, {0, 2}}}})(img);
  EXPECT_EQ(padded.shape(), (Shape{1, 3, 4, 1}));
  EXPECT_EQ(values(padded), (std::vector<double>{0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}));
  EXPECT_EQ(values(Cropping2D({.pairs = {{{1, 0}, {0, 2}}}})(padded)), (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(values(UpSampling2D({.size = {1, 2}})(img)), (std::vector<double>{1, 1, 2, 2, 3, 3, 4, 4}));
  EXPECT_EQ(RepeatVector(3)(Tensor::zeros({2, 5})).shape(), (Shape{2, 3, 5}));
  EXPECT_EQ(Permute({2, 1})(Tensor::zeros({2, 3, 4})).shape(), (Shape{2, 4, 3}));
  EXPECT_THROW(Permute({1, 3}), ValueError);
}

TEST(MoreLayers, EmbeddingNoiseAndPreprocessing) {
  random::set_seed(2);
  Embedding e(10, 4);
  const Tensor ids = Tensor::from_vector<int32_t>({1, 9, 1}, {1, 3});
  const Tensor v = e(ids);
  EXPECT_EQ(v.shape(), (Shape{1, 3, 4}));
  const auto vv = values(v);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(vv[i], vv[8 + i]);  // the same id, the same row
  EXPECT_THROW(e(Tensor::from_vector<int32_t>({10}, {1, 1})), InvalidArgumentError);
  const Tensor x = random::normal({500, 3}, 5.0, 2.0);
  Normalization n;
  n.adapt(x);
  const Tensor y = n(x);
  tb::testing::expect_close(values(ops::reduce_mean(y, {0})), {0, 0, 0}, 1e-4, "adapted mean");
  EXPECT_EQ(n.weights().size(), 3u);  // mean, variance, count: non-trainable, as Keras
  EXPECT_EQ(values(Rescaling(0.5, {.offset = 1})(t({2, 4}, {1, 2}))), (std::vector<double>{2, 3}));
  EXPECT_EQ(CenterCrop(2, 2)(Tensor::zeros({1, 5, 4, 3})).shape(), (Shape{1, 2, 2, 3}));
  EXPECT_EQ(CenterCrop(6, 6)(Tensor::zeros({1, 5, 4, 3})).shape(), (Shape{1, 6, 6, 3}));  // smart_resize
  // Bilinear with half-pixel centers: [0, 1] -> [0, .25, .75, 1] along each axis.
  const Tensor r = Resizing(4, 4)(t({0, 1, 2, 3}, {1, 2, 2, 1}));
  tb::testing::expect_close(values(r), {0, .25, .75, 1, .5, .75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3}, 1e-6,
                            "Resizing bilinear");
  EXPECT_EQ(values(Resizing(1, 3, {.interpolation = "nearest"})(t({0, 1, 2, 3}, {2, 2, 1}))),
            (std::vector<double>{2, 3, 3}));  // row floor(0.5 * 2) = 1; columns 0, 1, 1
  EXPECT_EQ(values(UpSampling2D({.interpolation = "bilinear"})(t({0, 1, 2, 3}, {1, 2, 2, 1}))), values(r));
  GaussianNoise g(1.0);
  EXPECT_EQ(values(g(x, false)), values(x));
  EXPECT_NE(values(g(x, true)), values(x));
}

TEST(MoreLayers, ConvVariantsShapesAndConfigs) {
  Conv2DTranspose up(3, {.kernel_size = {3}, .strides = {2}, .padding = "same"});
  EXPECT_EQ(up(Tensor::zeros({2, 4, 5, 2})).shape(), (Shape{2, 8, 10, 3}));
  EXPECT_EQ(up.weights()[0].shape(), (Shape{3, 3, 3, 2}));
  DepthwiseConv2D dw({.kernel_size = {3}, .depth_multiplier = 2});
  EXPECT_EQ(dw(Tensor::zeros({1, 6, 6, 3})).shape(), (Shape{1, 4, 4, 6}));
  SeparableConv2D sep(5, {.kernel_size = {3}, .padding = "same"});
  EXPECT_EQ(sep(Tensor::zeros({1, 6, 6, 3})).shape(), (Shape{1, 6, 6, 5}));
  EXPECT_EQ(sep.count_params(), 3 * 3 * 3 + 3 * 5 + 5);
  for (const LayerPtr& l : std::vector<LayerPtr>{std::make_shared<Conv2DTranspose>(up), std::make_shared<DepthwiseConv2D>(dw),
                                                 std::make_shared<SeparableConv2D>(sep)})
    EXPECT_EQ(deserialize(l->serialize())->get_config(), l->get_config()) << l->class_name();
  EXPECT_THROW(Conv2DTranspose(2, {.kernel_size = {3}, .strides = {2}, .output_padding = {2}}), ValueError);
}

}  // namespace
}  // namespace tb::keras
