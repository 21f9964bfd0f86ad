// The C++ face of the recurrent layers, their wrappers and masks: shapes and states, float64
// gradients against finite differences (masked steps included), what a mask does to states
// and outputs, masks flowing through Sequential and functional models, configs and errors.
// Numerical parity with TensorFlow: tests/python/test_recurrent_parity.py.
#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/functional.h"
#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"
#include "tests/cpp/testing/finite_differences.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
using tb::testing::bool_tensor;
using tb::testing::values;

TEST(RecurrentLayers, OutputsAndStatesHaveKerasShapes) {
  const Tensor x = random::normal({2, 5, 3});
  EXPECT_EQ(LSTM(4)(x).shape(), (Shape{2, 4}));
  EXPECT_EQ(GRU(4, {.return_sequences = true})(x).shape(), (Shape{2, 5, 4}));
  EXPECT_EQ(SimpleRNN(4, {.return_sequences = true, .time_major = true})(x).shape(), (Shape{2, 5, 4}));
  LSTM lstm(4, {.return_sequences = true, .return_state = true});
  const std::vector<Tensor> out = lstm(std::vector<Tensor>{x});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].shape(), (Shape{2, 5, 4}));
  EXPECT_EQ(out[2].shape(), (Shape{2, 4}));
  // The last step of the sequence is the h state.
  EXPECT_EQ(values(ops::reshape(ops::slice(out[0], {0, 4, 0}, {2, 1, 4}), {2, 4})), values(out[1]));
  const std::string kernel = lstm.weights()[0].name();  // Keras: "lstm/lstm_cell/kernel:0"
  EXPECT_EQ(kernel.rfind(lstm.name() + "/lstm_cell", 0), 0u) << kernel;
  EXPECT_EQ(kernel.substr(kernel.size() - 9), "/kernel:0");
  // Symbolic calls give every output; Bidirectional's concat doubles the features.
  auto bi = std::make_shared<Bidirectional>(LSTM(3, {.return_sequences = true}));
  EXPECT_EQ((*bi)(Input({-1, 7})).shape(), (Shape{-1, -1, 6}));
  auto enc = std::make_shared<GRU>(5, RNNOptions{.return_state = true});
  const std::vector<KerasTensor> sym = enc->symbolic_call({Input({4, 2})});
  ASSERT_EQ(sym.size(), 2u);
  EXPECT_EQ(sym[1].shape(), (Shape{-1, 5}));
  EXPECT_EQ(TimeDistributed(Dense(6))(random::normal({2, 3, 4})).shape(), (Shape{2, 3, 6}));
  EXPECT_EQ(LSTM(4).count_params(), 0);  // not built before its first call
  LSTM built(4);
  built(x);
  EXPECT_EQ(built.count_params(), 4 * (3 * 4 + 4 * 4 + 4));
  GRU g(4);
  g(x);
  EXPECT_EQ(g.weights()[2].shape(), (Shape{2, 12}));  // reset_after: input and recurrent biases
}

// d(sum(y * w))/d(inputs and weights) of a float64 layer against central differences.
void check_gradients(Layer& layer, const Tensor& x, const Tensor& mask) {
  const Tensor w = random::normal(layer(x, false, mask).shape(), 0, 1, DType::float64);
  std::vector<Tensor> sources{x};
  for (const Variable& v : layer.trainable_weights()) sources.push_back(v.value());
  tb::testing::expect_gradients_match_finite_differences(
      [&] { return ops::reduce_sum(ops::mul(layer(x, false, mask), w)); }, sources, 1e-6, layer.name());
}

TEST(RecurrentLayers, GradientsMatchFiniteDifferencesWithMasks) {
  random::set_seed(3);
  const Tensor x = random::normal({2, 4, 3}, 0, 1, DType::float64);
  const Tensor mask = bool_tensor({1, 1, 0, 1, 0, 1, 1, 0}, {2, 4});
  const RNNOptions seq{.return_sequences = true, .dtype = "float64"};
  SimpleRNN s(3, seq);
  LSTM l(2, seq);
  GRU g(3, {.go_backwards = true, .dtype = "float64"});
  GRU g2(2, {.reset_after = false, .return_sequences = true, .dtype = "float64"});
  for (Layer* layer : std::vector<Layer*>{&s, &l, &g, &g2}) {
    check_gradients(*layer, x, mask);
    check_gradients(*layer, x, Tensor());
  }
}

TEST(RecurrentLayers, MaskedStepsKeepTheStateAndRepeatTheOutput) {
  random::set_seed(4);
  const Tensor x = random::normal({1, 4, 2});
  LSTM lstm(3, {.return_sequences = true, .return_state = true});
  const std::vector<Tensor> out = lstm(std::vector<Tensor>{x}, false, {bool_tensor({1, 1, 0, 0}, {1, 4})});
  const std::vector<double> seq = values(out[0]);
  for (int t = 2; t < 4; ++t)
    for (int u = 0; u < 3; ++u) EXPECT_EQ(seq[size_t(t * 3 + u)], seq[size_t(3 + u)]) << "step " << t;
  // Trailing padding: the final states are those of the unpadded sequence.
  const std::vector<Tensor> short_run = lstm(std::vector<Tensor>{ops::slice(x, {0, 0, 0}, {1, 2, 2})});
  EXPECT_EQ(values(out[1]), values(short_run[1]));
  EXPECT_EQ(values(out[2]), values(short_run[2]));
  // zero_output_for_mask (what Bidirectional sets) outputs zeros at masked steps.
  SimpleRNN zero(2, {.return_sequences = true, .zero_output_for_mask = true});
  const std::vector<double> z = values(zero(x, false, bool_tensor({1, 0, 1, 0}, {1, 4})));
  EXPECT_EQ(z[2], 0.0);
  EXPECT_EQ(z[7], 0.0);
  EXPECT_NE(z[4], 0.0);
}

TEST(RecurrentLayers, MasksFlowThroughSequentialAndFunctionalModels) {
  random::set_seed(5);
  const Tensor ids = Tensor::from_vector<int32_t>({3, 5, 0, 0, 0, 4, 1, 2}, {2, 4});
  auto emb = std::make_shared<Embedding>(8, 3, EmbeddingOptions{.mask_zero = true});
  auto gru = std::make_shared<GRU>(2);
  Sequential seq({emb, std::make_shared<Dense>(4), gru});
  const Tensor y = seq(ids);
  // By hand: the mask of the ids reaches the GRU through Dense (which supports masking).
  const Tensor mask = emb->compute_mask(ids, Tensor());
  EXPECT_EQ(values(mask), (std::vector<double>{1, 1, 0, 0, 0, 1, 1, 1}));
  const Tensor by_hand = (*gru)((*seq.layers()[1])((*emb)(ids)), false, mask);
  EXPECT_EQ(values(y), values(by_hand));
  EXPECT_NE(values(y), values((*gru)((*seq.layers()[1])((*emb)(ids)))));  // the mask matters
  // The same in a functional model, ending in the masked mean.
  KerasTensor in = Input({4}, {.dtype = "int32"});
  KerasTensor h = (*emb)(in);
  auto pool = std::make_shared<GlobalAveragePooling1D>();
  Functional model({in}, {(*pool)(h)});
  const Tensor pooled = model(ids);
  const std::vector<double> e = values((*emb)(ids)), p = values(pooled);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(p[size_t(c)], (e[size_t(c)] + e[size_t(3 + c)]) / 2, 1e-6);
  // Masking marks all-zero steps; layers without mask support drop the mask.
  Masking masking;
  const Tensor xs = Tensor::from_vector<float>({1, 2, 0, 0, 0, 3}, {1, 3, 2});
  EXPECT_EQ(values(masking.compute_mask(xs, Tensor())), (std::vector<double>{1, 0, 1}));
  EXPECT_FALSE(Flatten().compute_mask(xs, bool_tensor({1, 0, 1}, {1, 3})).defined());
}

TEST(RecurrentLayers, MaskedOutputsWeighTheLossAndMetrics) {
  random::set_seed(6);
  const Tensor ids = Tensor::from_vector<int32_t>({3, 5, 0, 0, 2, 4, 1, 0}, {2, 4});
  const Tensor tags = Tensor::from_vector<int32_t>({1, 0, 2, 2, 0, 1, 1, 2}, {2, 4});
  Sequential model({Embedding(6, 3, {.mask_zero = true}), Dense(3)});  // the output keeps the mask
  model.compile({.optimizer = "sgd", .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                 .metrics = {"accuracy"}});
  const Logs logs = model.evaluate({ids}, {tags}, {.verbose = 0});
  // By hand: the mean over the 5 real steps of the cross-entropy and of the hits.
  const std::vector<double> ce = values(ops::sparse_softmax_cross_entropy_with_logits(tags, model(ids)));
  const std::vector<double> pred = values(ops::argmax(model(ids), -1)), t = values(tags), id = values(ids);
  double loss = 0, hits = 0;
  for (size_t i = 0; i < ce.size(); ++i)
    if (id[i] != 0) {
      loss += ce[i];
      hits += pred[i] == t[i];
    }
  EXPECT_NEAR(logs.at("loss"), loss / 5, 1e-5);
  EXPECT_NEAR(logs.at("accuracy"), hits / 5, 1e-6);
  ASSERT_EQ(model.output_masks().size(), 1u);
  EXPECT_EQ(values(model.output_masks()[0]), (std::vector<double>{1, 1, 0, 0, 1, 1, 1, 0}));
}

TEST(RecurrentLayers, ConfigsRoundTrip) {
  std::vector<LayerPtr> ls{std::make_shared<LSTM>(3, RNNOptions{.unit_forget_bias = false, .return_sequences = true}),
                           std::make_shared<GRU>(2, RNNOptions{.reset_after = false, .go_backwards = true}),
                           std::make_shared<SimpleRNN>(4, RNNOptions{.activation = "relu", .dropout = 0.25}),
                           std::make_shared<Bidirectional>(GRU(2), BidirectionalOptions{.merge_mode = "sum"}),
                           std::make_shared<TimeDistributed>(Dense(3)),
                           std::make_shared<Masking>(MaskingOptions{.mask_value = -1.0})};
  for (const LayerPtr& l : ls) EXPECT_EQ(deserialize(l->serialize())->get_config(), l->get_config()) << l->class_name();
  const auto c = ls[0]->get_config();
  EXPECT_EQ(c["recurrent_initializer"]["class_name"], "Orthogonal");
  EXPECT_EQ(c["implementation"], 2);
  EXPECT_FALSE(ls[2]->get_config().contains("recurrent_activation"));
}

TEST(RecurrentLayers, BadInputsAreClearErrors) {
  const Tensor x = random::normal({2, 4, 3});
  tb::testing::expect_error<ValueError>([&] { LSTM(2)(random::normal({2, 3})); }, "expected ndim=3, found ndim=2");
  tb::testing::expect_error<ValueError>([&] { GRU(-1); }, "expected a positive integer");
  tb::testing::expect_error<ValueError>([&] { SimpleRNN(2, {.recurrent_dropout = -0.1}); }, "`recurrent_dropout` must be");
  tb::testing::expect_error<UnimplementedError>([&] { LSTM(2, {.stateful = true}); }, "stateful");
  tb::testing::expect_error<ValueError>([&] { LSTM(2, {.activation = "nope"}); }, "nope");
  tb::testing::expect_error<ValueError>([&] { LSTM(2)(std::vector<Tensor>{x, Tensor::zeros({2, 2})}); }, "expects 2 initial state(s), got 1");
  tb::testing::expect_error<ValueError>([&] { GRU(2)(std::vector<Tensor>{x, Tensor::zeros({3, 2})}); },
                                        "initial state 0 has shape (3, 2), expected (2, 2)");
  tb::testing::expect_error<ValueError>([&] { GRU(2)(x, false, bool_tensor({1, 1}, {2, 1})); }, "the mask has shape");
  tb::testing::expect_error<ValueError>([&] { LSTM(2, {.return_state = true})(x); }, "call it with a list");
  tb::testing::expect_error<ValueError>([&] { LSTM(2)(Tensor::zeros({2, 0, 3})); }, "no timesteps");
  tb::testing::expect_error<ValueError>([&] { Bidirectional b{Dense(2)}; }, "with a recurrent layer");
  tb::testing::expect_error<ValueError>([&] { Bidirectional b(LSTM(2), {.merge_mode = "max"}); }, "Invalid merge mode");
  tb::testing::expect_error<ValueError>([&] { Bidirectional(LSTM(2))(std::vector<Tensor>{x, Tensor::zeros({2, 2})}); },
                                        "expects 4 initial states (forward then backward), got 1");
  tb::testing::expect_error<ValueError>([&] { TimeDistributed(Dense(2))(random::normal({2, 3})); },
                                        "at least 3 dimensions");
  tb::testing::expect_error<ValueError>([&] { TimeDistributed td{Add()}; }, "wraps a layer with one input");
  tb::testing::expect_error<ValueError>([&] { initializers::Orthogonal()({4}, DType::float32); },
                                        "must be at least two-dimensional. Received: shape=(4,)");
  tb::testing::expect_error<ValueError>([&] { Masking()(Tensor::scalar(1.0)); }, "expected min_ndim=1, found ndim=0");
}

}  // namespace
}  // namespace tb::keras
