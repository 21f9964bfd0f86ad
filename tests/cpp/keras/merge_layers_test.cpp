// The merge layers (Add ... Minimum, Concatenate, Dot) from C++: values, Keras's broadcasting
// of lower-rank inputs, symbolic shapes, configs and errors. Parity with TensorFlow is in
// tests/python/test_functional.py.
#include <gtest/gtest.h>

#include "tensorbox/keras/keras.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
using tb::testing::values;

Tensor t(std::vector<float> v, Shape s) { return Tensor::from_vector<float>(v, s); }

TEST(MergeLayers, ElementwiseMerges) {
  const Tensor a = t({1, 5, 3, 4}, {2, 2}), b = t({2, 2, 2, 8}, {2, 2}), c = t({0, 6, 1, 1}, {2, 2});
  EXPECT_EQ(values(Add()({a, b, c})[0]), (std::vector<double>{3, 13, 6, 13}));
  EXPECT_EQ(values(Subtract()({a, b})[0]), (std::vector<double>{-1, 3, 1, -4}));
  EXPECT_EQ(values(Multiply()({a, b})[0]), (std::vector<double>{2, 10, 6, 32}));
  tb::testing::expect_close(values(Average()({a, b, c})[0]), {1, 13.0 / 3, 2, 13.0 / 3}, 1e-6, "Average");
  EXPECT_EQ(values(Maximum()({a, b, c})[0]), (std::vector<double>{2, 6, 3, 8}));
  EXPECT_EQ(values(Minimum()({a, b, c})[0]), (std::vector<double>{0, 2, 1, 1}));
  // Keras inserts the missing axis after the batch axis: (2, 2) + (2, 3, 2) -> (2, 3, 2).
  const Tensor y = Add()({a, Tensor::zeros({2, 3, 2})})[0];
  EXPECT_EQ(y.shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(values(y)[2], 1.0);
  EXPECT_EQ(values(y)[6], 3.0);
}

TEST(MergeLayers, ConcatenateAndDot) {
  const Tensor a = t({1, 2, 3, 4}, {2, 2}), b = t({5, 6}, {2, 1});
  EXPECT_EQ(values(Concatenate()({a, b})[0]), (std::vector<double>{1, 2, 5, 3, 4, 6}));
  EXPECT_EQ(Concatenate({.axis = 0})({a, a})[0].shape(), (Shape{4, 2}));
  EXPECT_EQ(values(Dot({.axes = {1}})({a, a})[0]), (std::vector<double>{5, 25}));
  const Tensor cos = Dot({.axes = {1}, .normalize = true})({a, t({2, 4, -4, 3}, {2, 2})})[0];
  EXPECT_EQ(cos.shape(), (Shape{2, 1}));
  EXPECT_NEAR(values(cos)[0], 1.0, 1e-6);
  EXPECT_NEAR(values(cos)[1], 0.0, 1e-6);
  // [N, 2, 3] . [N, 4, 3] on axes (2, 2): [N, 2, 4].
  EXPECT_EQ(Dot({.axes = {2, 2}})({Tensor::zeros({5, 2, 3}), Tensor::zeros({5, 4, 3})})[0].shape(), (Shape{5, 2, 4}));
}

TEST(MergeLayers, SymbolicShapesAndConfigs) {
  const KerasTensor x = Input({4}), y = Input({1});
  EXPECT_EQ((*std::make_shared<Add>())({x, y}).shape(), (Shape{-1, 4}));
  EXPECT_EQ((*std::make_shared<Concatenate>())({x, y}).shape(), (Shape{-1, 5}));
  EXPECT_EQ((*std::make_shared<Dot>(DotOptions{.axes = {1}}))({x, x}).shape(), (Shape{-1, 1}));
  for (const LayerPtr& l : std::vector<LayerPtr>{std::make_shared<Subtract>(), std::make_shared<Concatenate>(ConcatenateOptions{.axis = 1}),
                                                 std::make_shared<Dot>(DotOptions{.axes = {1, 2}, .normalize = true})})
    EXPECT_EQ(deserialize(l->serialize())->get_config(), l->get_config()) << l->class_name();
}

TEST(MergeLayers, Errors) {
  const Tensor a = Tensor::zeros({2, 4}), b = Tensor::zeros({2, 5});
  tb::testing::expect_error<ValueError>([&] { Add()({a, b}); }, "Inputs have incompatible shapes. Received shapes (4,) and (5,)");
  tb::testing::expect_error<ValueError>([&] { Add()(a); }, "A merge layer should be called on a list of inputs");
  tb::testing::expect_error<ValueError>([&] { Subtract()({a, a, a}); }, "A `Subtract` layer should be called on exactly 2 inputs");
  tb::testing::expect_error<ValueError>([&] { Concatenate()({Tensor::zeros({2, 4, 5}), Tensor::zeros({2, 3, 6})}); },
                     "requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 4, 5), (None, 3, 6)]");
  tb::testing::expect_error<ValueError>([&] { Dot({.axes = {1}})({a, b}); }, "Incompatible input shapes: axis values 4 (at axis 1) != 5 (at axis 1)");
  tb::testing::expect_error<ValueError>([&] { Dense(3)({a, a}); }, "Layer \"dense");
  tb::testing::expect_error<ValueError>([&] { Dense(3)(Input({4})); }, "not owned by a shared_ptr");
}

}  // namespace
}  // namespace tb::keras
