// Functional models from C++: graphs with several inputs and outputs, shared layers, residual
// connections and nested models; Keras's layer order, summary and config round trip; training
// with a loss per output; and the errors. Parity with TensorFlow: tests/python/test_functional.py.
#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
using tb::testing::values;

class FunctionalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend::clear_session();
    random::set_seed(5);
  }
};

template <class L, class... A>
std::shared_ptr<L> make(A&&... a) {
  return std::make_shared<L>(std::forward<A>(a)...);
}

// Two inputs, a shared Dense applied to both, their concatenation, two outputs.
std::shared_ptr<Functional> two_tower() {
  const KerasTensor a = Input({4}), b = Input({4});
  auto shared = make<Dense>(3, DenseOptions{.activation = "relu", .name = "shared"});
  const KerasTensor ha = (*shared)(a), hb = (*shared)(b);
  const KerasTensor both = (*make<Concatenate>())({ha, hb});
  const KerasTensor out = (*make<Dense>(1, DenseOptions{.name = "out"}))(both);
  const KerasTensor aux = (*make<Dense>(2, DenseOptions{.activation = "softmax", .name = "aux"}))(ha);
  return std::make_shared<Functional>(std::vector<KerasTensor>{a, b}, std::vector<KerasTensor>{out, aux});
}

TEST_F(FunctionalTest, GraphRunsWithSharedLayers) {
  auto m = two_tower();
  std::vector<std::string> names;
  for (const auto& l : m->layers()) names.push_back(l->name());
  EXPECT_EQ(names, (std::vector<std::string>{"input_1", "input_2", "shared", "concatenate", "out", "aux"}));
  EXPECT_EQ(m->output_names(), (std::vector<std::string>{"out", "aux"}));
  EXPECT_EQ(m->count_params(), 4 * 3 + 3 + 7 + 8);  // the shared layer counts once
  const Tensor x = random::uniform({5, 4});
  const auto y = (*m)(std::vector<Tensor>{x, x});
  ASSERT_EQ(y.size(), 2u);
  EXPECT_EQ(y[0].shape(), (Shape{5, 1}));
  EXPECT_EQ(y[1].shape(), (Shape{5, 2}));
  // Same input twice through the shared layer: the concatenation's halves are equal, so `out`
  // equals a Dense over [h, h] computed by hand.
  const auto shared = m->get_layer("shared");
  const Tensor h = (*shared)(x);
  const auto outl = std::dynamic_pointer_cast<Dense>(m->get_layer("out"));
  const Tensor want = (*outl)(ops::concat({h, h}, 1));
  tb::testing::expect_close(values(y[0]), values(want), 1e-6, "out");
}

TEST_F(FunctionalTest, SummaryHasKerasConnectedToColumn) {
  std::ostringstream s;
  two_tower()->summary(s);
  const std::string text = s.str();
  EXPECT_NE(text.find(" input_1 (InputLayer)           [(None, 4)]          0           []"), std::string::npos) << text;
  EXPECT_NE(text.find(" shared (Dense)                 (None, 3)            15          ['input_1[0][0]',"),
            std::string::npos) << text;
  EXPECT_NE(text.find("['shared[0][0]',"), std::string::npos) << text;
  EXPECT_NE(text.find("'shared[1][0]']"), std::string::npos) << text;
  EXPECT_NE(text.find("Total params: 30"), std::string::npos) << text;
}

TEST_F(FunctionalTest, ConfigRoundTrip) {
  auto m = two_tower();
  const auto cfg = m->get_config();
  EXPECT_EQ(cfg["input_layers"], nlohmann::ordered_json::parse(R"([["input_1", 0, 0], ["input_2", 0, 0]])"));
  EXPECT_EQ(cfg["output_layers"], nlohmann::ordered_json::parse(R"([["out", 0, 0], ["aux", 0, 0]])"));
  EXPECT_EQ(cfg["layers"][3]["inbound_nodes"], nlohmann::ordered_json::parse(R"([[["shared", 0, 0, {}], ["shared", 1, 0, {}]]])"));
  backend::clear_session();
  auto again = Functional::from_config(cfg);
  EXPECT_EQ(again->get_config(), cfg);
  again->set_weights(m->get_weights());
  const Tensor x1 = random::uniform({3, 4}), x2 = random::uniform({3, 4});
  const auto a = (*m)(std::vector<Tensor>{x1, x2}), b = (*again)(std::vector<Tensor>{x1, x2});
  for (size_t i = 0; i < 2; ++i) tb::testing::expect_close(values(a[i]), values(b[i]), 0, "output");
  // Through the registry, as a saved model would be read.
  EXPECT_EQ(deserialize(m->serialize())->get_config(), cfg);
}

TEST_F(FunctionalTest, ResidualAndNestedModelsTrain) {
  const KerasTensor in = Input({8});
  auto d1 = make<Dense>(8, DenseOptions{.activation = "relu"});
  const KerasTensor r = (*make<Add>())({in, (*d1)(in)});  // a skip connection
  auto block = std::make_shared<Functional>(std::vector<KerasTensor>{in}, std::vector<KerasTensor>{r},
                                            FunctionalOptions{.name = "block"});
  const KerasTensor x = Input({8});
  const KerasTensor y = (*make<Dense>(1))((*block)(x));  // the block nested as a layer
  Functional model({x}, {y});
  EXPECT_EQ(model.count_params(), 8 * 8 + 8 + 9);
  const Tensor xs = random::uniform({64, 8});
  const Tensor ys = ops::reduce_sum(xs, {1}, true);
  model.compile({.optimizer = "adam", .loss = "mse"});
  auto h = model.fit(xs, ys, {.batch_size = 16, .epochs = 30, .verbose = 0});
  EXPECT_LT(h->history["loss"].back(), 0.5 * h->history["loss"].front());
  // Also inside a Sequential model.
  Sequential seq({Input({8}), block, Dense(1)});
  EXPECT_EQ(seq.predict(xs).shape(), (Shape{64, 1}));
}

TEST_F(FunctionalTest, LossPerOutputWithWeightsAndKerasLogNames) {
  auto m = two_tower();
  m->compile({.optimizer = "sgd", .losses = {"mse", "sparse_categorical_crossentropy"}, .loss_weights = {1.0, 0.5},
              .metrics = {"mae"}});
  const Tensor x = random::uniform({8, 4});
  const Tensor y1 = random::uniform({8, 1}), y2 = ops::cast(ops::greater(random::uniform({8}), Tensor::scalar(0.5)), DType::int64);
  const Logs logs = m->test_on_batch({x, x}, {y1, y2});
  std::vector<std::string> keys;
  for (const auto& [k, v] : logs) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"loss", "out_loss", "aux_loss", "out_mae", "aux_mae"}));
  EXPECT_NEAR(logs.at("loss"), logs.at("out_loss") + 0.5 * logs.at("aux_loss"), 1e-5);
  const TensorList p = m->predict_all({x, x});
  EXPECT_EQ(p.size(), 2u);
  EXPECT_THROW(m->predict({x, x}), ValueError);
}

TEST_F(FunctionalTest, CallKeywordArgumentsAreReplayedAndSaved) {
  const KerasTensor x = Input({100});
  auto drop = make<Dropout>(0.5);
  const KerasTensor y = drop->symbolic_call({x}, {{"training", true}})[0];  // Keras's Dropout(..)(x, training=True)
  auto seq = Input({4, 8});
  auto mha = make<MultiHeadAttention>(2, 4);
  const KerasTensor z = mha->symbolic_call({seq, seq}, {{"use_causal_mask", true}})[0];
  Functional mc({x}, {y}), causal({seq}, {z});
  const std::vector<double> out = values(mc(Tensor::full({1, 100}, 1.0), false));  // inference, yet dropped
  EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](double v) { return v == 0.0; }));
  const Tensor s = random::normal({1, 4, 8});
  EXPECT_EQ(values(causal(s)), values(mha->call_attention({s, s}, {}, Tensor(), false, true).output));
  const auto cfg = causal.get_config();
  EXPECT_EQ(cfg["layers"][1]["inbound_nodes"][0][0][3], (nlohmann::ordered_json{{"use_causal_mask", true}}));
  EXPECT_EQ(values(Functional::from_config(cfg)->call(s, false)).size(), 32u);
  // A tensor argument: the attention mask is the node's third input, named in its kwargs.
  const KerasTensor mask_in = Input({4, 4}, {.dtype = "bool"});
  auto masked_mha = make<MultiHeadAttention>(2, 4);
  const KerasTensor masked = masked_mha->symbolic_call({seq, seq, mask_in}, {{"attention_mask", {{"input", 2}}}})[0];
  EXPECT_EQ(masked.shape(), (Shape{-1, 4, 8}));
  Functional with_mask({seq, mask_in}, {masked});
  const Tensor am = tb::testing::bool_tensor({1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1}, {1, 4, 4});
  EXPECT_EQ(values(with_mask(std::vector<Tensor>{s, am})[0]),
            values(masked_mha->call_attention({s, s}, {}, am, false, false).output));
  const auto node = with_mask.get_config()["layers"][2]["inbound_nodes"][0];
  EXPECT_EQ(node.size(), 2u);  // Keras's format: the mask is a reference inside the kwargs
  EXPECT_EQ(node[0][3]["attention_mask"][0], mask_in.layer()->name());
  auto again = Functional::from_config(with_mask.get_config());
  again->set_weights(with_mask.get_weights());  // a rebuilt model has fresh weights
  EXPECT_EQ(values(again->call_list({s, am}, false)[0]), values(with_mask(std::vector<Tensor>{s, am})[0]));
  auto dense = make<Dense>(2);
  const KerasTensor bad = dense->symbolic_call({x}, {{"scale", 2}})[0];
  tb::testing::expect_error<UnimplementedError>([&] { Functional({x}, {bad})(Tensor::zeros({1, 100})); },
                                                "does not take the call arguments {\"scale\":2}");
}

TEST_F(FunctionalTest, Errors) {
  const KerasTensor a = Input({4}), b = Input({4});
  const KerasTensor s = (*make<Add>())({a, b});
  tb::testing::expect_error<ValueError>([&] { Functional({a}, {s}); }, "Graph disconnected");
  auto d = make<Dense>(2);
  tb::testing::expect_error<ValueError>([&] { d->symbolic_call({a}, nlohmann::ordered_json::array()); },
                                        "call kwargs must be a dict");
  tb::testing::expect_error<ValueError>([&] { d->symbolic_call({a}, {{"attention_mask", {{"input", 3}}}}); },
                                        "name input 3 of 1");
  tb::testing::expect_error<ValueError>([&] { Functional({a, a}, {s}); }, "contains the same input multiple times");
  auto m = two_tower();
  m->compile({.optimizer = "sgd", .loss = "mse"});
  const Tensor x = Tensor::zeros({2, 4});
  tb::testing::expect_error<ValueError>([&] { m->fit(x, {x, x}, {.verbose = 0}); }, "expects 2 input(s), but it received 1");
  tb::testing::expect_error<ValueError>([&] { m->fit({x, x}, x, {.verbose = 0}); }, "has 2 output(s) (out, aux) but y has 1");
  tb::testing::expect_error<ValueError>([&] { m->compile({.optimizer = "sgd", .losses = {"mse"}}); }, "`loss` has 1 entries but the model has 2 outputs");
  tb::testing::expect_error<ValueError>([&] { m->fit({x, Tensor::zeros({3, 4})}, {x, x}, {.verbose = 0}); }, "Data cardinality is ambiguous");
  tb::testing::expect_error<ValueError>([&] { (*m)(std::vector<Tensor>{Tensor::zeros({2, 5}), x}); }, "expected shape=(None, 4), found shape=(2, 5)");
}

}  // namespace
}  // namespace tb::keras
