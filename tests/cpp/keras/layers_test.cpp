#include <cmath>

#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/keras.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;

class LayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    random::set_seed(3);
  }
};

TEST_F(LayersTest, DenseBuildsLazilyWithKerasNames) {
  Dense d(4, {.activation = "relu"});
  EXPECT_EQ(d.name(), "dense");
  EXPECT_EQ(Dense(2).name(), "dense_1");
  EXPECT_FALSE(d.built());
  const Tensor y = d(Tensor::full({2, 3}, 1.0));
  EXPECT_TRUE(d.built());
  EXPECT_EQ(y.shape(), (Shape{2, 4}));
  ASSERT_EQ(d.weights().size(), 2u);
  EXPECT_EQ(d.weights()[0].name(), "dense/kernel:0");
  EXPECT_EQ(d.weights()[1].name(), "dense/bias:0");
  EXPECT_EQ(d.kernel().shape(), (Shape{3, 4}));
  EXPECT_EQ(d.count_params(), 16);
  EXPECT_EQ(d.compute_output_shape({-1, 3}), (Shape{-1, 4}));
}

TEST_F(LayersTest, DenseComputesActivationOfAffineMap) {
  Dense d(2, {.activation = "sigmoid"});
  d(Tensor::zeros({1, 2}));
  d.set_weights({Tensor::from_vector<float>({1, 2, 3, 4}, {2, 2}), Tensor::from_vector<float>({0.5f, -1}, {2})});
  const Tensor y = d(Tensor::from_vector<float>({1, -1}, {1, 2}));
  EXPECT_NEAR(y.element(0), 1 / (1 + std::exp(-(1 - 3 + 0.5))), 1e-6);
  EXPECT_NEAR(y.element(1), 1 / (1 + std::exp(-(2 - 4 - 1.0))), 1e-6);
  // Rank-3 input is contracted on its last axis.
  EXPECT_EQ(d(Tensor::zeros({4, 5, 2})).shape(), (Shape{4, 5, 2}));
}

TEST_F(LayersTest, DenseConfigMatchesKeras) {
  Dense d(64, {.activation = "relu", .input_shape = {784}});
  const auto c = d.get_config();
  std::vector<std::string> keys;
  for (auto it = c.begin(); it != c.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "trainable", "batch_input_shape", "dtype", "units", "activation",
                                            "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                                            "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"}));
  EXPECT_EQ(c["batch_input_shape"].dump(), "[null,784]");
  EXPECT_EQ(c["kernel_initializer"].dump(), R"({"class_name":"GlorotUniform","config":{"seed":null}})");
  EXPECT_EQ(c["bias_initializer"].dump(), R"({"class_name":"Zeros","config":{}})");
  const LayerPtr copy = deserialize(d.serialize());
  EXPECT_EQ(copy->get_config().dump(), c.dump());
}

TEST_F(LayersTest, DenseErrors) {
  Dense d(3, {.name = "classifier"});
  d(Tensor::zeros({2, 4}));
  try {
    d(Tensor::zeros({2, 5}));
    FAIL();
  } catch (const ValueError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("classifier"), std::string::npos);
    EXPECT_NE(m.find("value 4"), std::string::npos);
    EXPECT_NE(m.find("(2, 5)"), std::string::npos);
  }
  EXPECT_THROW(Dense(0), ValueError);
  try {
    Dense(3, {.activation = "relux"});
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Unknown activation function: 'relux'"), std::string::npos);
  }
  EXPECT_THROW(Dense(3, {.kernel_initializer = "glorot"}), ValueError);
  EXPECT_THROW(d.set_weights({Tensor::zeros({4, 3})}), ValueError);
  EXPECT_THROW(deserialize({{"class_name", "Conv9D"}, {"config", nlohmann::ordered_json::object()}}), ValueError);
}

TEST_F(LayersTest, Activations) {
  const Tensor x = Tensor::from_vector<float>({-1, 0, 2}, {1, 3});
  for (std::string a : {"relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "selu", "softplus", "swish", "linear"}) {
    const Tensor y = Activation(a)(x);
    EXPECT_EQ(y.shape(), x.shape()) << a;
  }
  const Tensor s = Activation("softmax")(x);
  EXPECT_NEAR(s.element(0) + s.element(1) + s.element(2), 1.0, 1e-6);
  EXPECT_NEAR(Activation("selu")(x).element(0), 1.0507009873554805 * 1.6732632423543772 * std::expm1(-1.0), 1e-6);
  EXPECT_THROW(Activation("nope"), ValueError);
}

TEST_F(LayersTest, DropoutOnlyInTraining) {
  Dropout d(0.5);
  const Tensor x = Tensor::full({1000}, 1.0);
  EXPECT_EQ(testing::values(d(x, false)), testing::values(x));
  const auto v = testing::values(d(x, true));
  int zeros = 0;
  for (double e : v) {
    if (e == 0) ++zeros;
    else EXPECT_EQ(e, 2.0);
  }
  EXPECT_GT(zeros, 400);
  EXPECT_LT(zeros, 600);
  EXPECT_THROW(Dropout(1.5), ValueError);
}

TEST_F(LayersTest, DropoutMaskIsDeterministicForASeed) {
  Dropout d(0.3);
  const Tensor x = Tensor::full({256}, 1.0);
  random::set_seed(11);
  const auto a = testing::values(d(x, true));
  random::set_seed(11);
  EXPECT_EQ(testing::values(d(x, true)), a);
}

TEST_F(LayersTest, FlattenReshapeInput) {
  EXPECT_EQ(Flatten()(Tensor::zeros({2, 3, 4})).shape(), (Shape{2, 12}));
  EXPECT_EQ(Flatten().compute_output_shape({-1, 3, 4}), (Shape{-1, 12}));
  EXPECT_EQ(Reshape({4, -1})(Tensor::zeros({2, 12})).shape(), (Shape{2, 4, 3}));
  EXPECT_EQ(Reshape({4, -1}).compute_output_shape({-1, 12}), (Shape{-1, 4, 3}));
  EXPECT_THROW(Reshape({5})(Tensor::zeros({2, 12})), ValueError);
  EXPECT_THROW(Reshape({-1, -1}), ValueError);
  InputLayer in({28, 28});
  EXPECT_EQ(in(Tensor::zeros({3, 28, 28})).shape(), (Shape{3, 28, 28}));
  EXPECT_THROW(in(Tensor::zeros({3, 28, 27})), ValueError);
  EXPECT_EQ(in.get_config().dump(),
            R"({"batch_input_shape":[null,28,28],"dtype":"float32","sparse":false,"ragged":false,"name":"input_1"})");
}

TEST_F(LayersTest, TrainableFlagMovesWeights) {
  Dense d(2);
  d(Tensor::zeros({1, 3}));
  d.set_trainable(false);
  EXPECT_TRUE(d.trainable_weights().empty());
  EXPECT_EQ(d.non_trainable_weights().size(), 2u);
}

TEST(Initializers, FanRulesAndRanges) {
  using namespace initializers;
  EXPECT_EQ(compute_fans({3, 3, 16, 32}), (std::pair<double, double>{144, 288}));
  EXPECT_EQ(compute_fans({5}), (std::pair<double, double>{5, 5}));
  random::set_seed(5);
  const auto w = testing::values(get("glorot_uniform")({400, 600}, DType::float32));
  const double limit = std::sqrt(6.0 / 1000);
  double var = 0;
  for (double v : w) {
    ASSERT_LE(std::abs(v), limit);
    var += v * v / double(w.size());
  }
  EXPECT_NEAR(std::sqrt(var), limit / std::sqrt(3.0), 0.002);
  const auto h = testing::values(get("he_normal")({500, 400}, DType::float32));
  double hv = 0;
  for (double v : h) hv += v * v / double(h.size());
  EXPECT_NEAR(std::sqrt(hv), std::sqrt(2.0 / 500), 0.002);  // truncation is compensated
  EXPECT_EQ(testing::values(get("ones")({2}, DType::float32)), (std::vector<double>{1, 1}));
  EXPECT_EQ(Constant(3).get_config().dump(), R"({"class_name":"Constant","config":{"value":3.0}})");
  EXPECT_EQ(from_config(HeUniform().get_config()).class_name(), "HeUniform");
  for (std::string n : {"glorot_normal", "he_uniform", "lecun_normal", "lecun_uniform", "zeros", "random_normal",
                        "random_uniform", "truncated_normal", "GlorotUniform"})
    EXPECT_EQ(get(n)({3, 2}, DType::float32).shape(), (Shape{3, 2})) << n;
  EXPECT_THROW(get("xavier"), ValueError);
}

TEST(Backend, SnakeCase) {
  EXPECT_EQ(backend::to_snake_case("BatchNormalization"), "batch_normalization");
  EXPECT_EQ(backend::to_snake_case("Dense"), "dense");
  EXPECT_EQ(backend::to_snake_case("InputLayer"), "input_layer");
}

}  // namespace
}  // namespace tb::keras
