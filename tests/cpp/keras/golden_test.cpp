// Parity with real TensorFlow: results that tests/golden/generate.py computed with TensorFlow's
// Keras (optimizer_v2 updates, losses, a whole fit() history, Dense's config), compared here
// within float32 precision.
#include <fstream>
#include <functional>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using nlohmann::json;

const json& golden() {
  static const json g = [] {
    std::ifstream in(TB_GOLDEN_FILE);
    if (!in) throw NotFoundError(std::string("golden file missing: ") + TB_GOLDEN_FILE);
    return json::parse(in);
  }();
  return g;
}

Tensor tensor_of(const json& j) {
  std::vector<int64_t> shape;
  const json* p = &j;
  while (p->is_array()) {
    shape.push_back(int64_t(p->size()));
    if (p->empty()) break;
    p = &(*p)[0];
  }
  std::vector<float> flat;
  std::function<void(const json&)> walk = [&](const json& e) {
    if (e.is_array()) for (const auto& c : e) walk(c);
    else flat.push_back(e.get<float>());
  };
  walk(j);
  return Tensor::from_vector<float>(flat, Shape(shape));
}

std::vector<double> flat(const json& j) { return testing::values(tensor_of(j)); }

std::shared_ptr<optimizers::Optimizer> make_optimizer(const json& c) {
  const std::string cls = c["class"];
  const double lr = c["learning_rate"];
  std::optional<double> clipnorm;
  if (c.contains("clipnorm")) clipnorm = c["clipnorm"].get<double>();
  if (cls == "Adam") return std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.learning_rate = lr, .amsgrad = c.value("amsgrad", false), .clipnorm = clipnorm});
  if (cls == "SGD") return std::make_shared<optimizers::SGD>(optimizers::SGDOptions{.learning_rate = lr, .momentum = c.value("momentum", 0.0), .nesterov = c.value("nesterov", false)});
  if (cls == "RMSprop") return std::make_shared<optimizers::RMSprop>(optimizers::RMSpropOptions{.learning_rate = lr, .momentum = c.value("momentum", 0.0), .centered = c.value("centered", false)});
  if (cls == "Adagrad") return std::make_shared<optimizers::Adagrad>(optimizers::AdagradOptions{.learning_rate = lr});
  throw ValueError("golden: unknown optimizer " + cls);
}

TEST(TensorFlowParity, OptimizerSteps) {
  for (const auto& [name, c] : golden()["optimizers"].items()) {
    auto opt = make_optimizer(c["config"]);
    Variable v(tensor_of(c["init"]), "v");
    for (const auto& g : c["grads"]) opt->apply_gradients({tensor_of(g)}, {v});
    testing::expect_close(testing::values(v.value()), flat(c["result"]), 1e-6, name);
  }
}

TEST(TensorFlowParity, Losses) {
  const json& in = golden()["losses"]["inputs"];
  const json& want = golden()["losses"]["values"];
  const Tensor logits = tensor_of(in["logits"]), probs = tensor_of(in["probs"]);
  const Tensor labels = ops::cast(tensor_of(in["labels"]), DType::int64);
  const Tensor onehot = ops::one_hot(labels, 3);
  const Tensor yb = tensor_of(in["y_bin"]), zb = tensor_of(in["z_bin"]), yr = tensor_of(in["y_reg"]), pr = tensor_of(in["p_reg"]);
  auto check = [&](const char* key, const Tensor& got) {
    EXPECT_NEAR(got.item(), want[key].get<double>(), 1e-5 * (1 + std::abs(want[key].get<double>()))) << key;
  };
  check("scce_logits", losses::SparseCategoricalCrossentropy({.from_logits = true})(labels, logits));
  check("scce_probs", losses::SparseCategoricalCrossentropy()(labels, probs));
  check("cce_logits_smooth", losses::CategoricalCrossentropy({.from_logits = true, .label_smoothing = 0.3})(onehot, logits));
  check("cce_probs", losses::CategoricalCrossentropy()(onehot, probs));
  check("bce_logits", losses::BinaryCrossentropy({.from_logits = true})(yb, zb));
  check("bce_probs", losses::BinaryCrossentropy()(yb, ops::sigmoid(zb)));
  check("mse", losses::MeanSquaredError()(yr, pr));
  check("mae", losses::MeanAbsoluteError()(yr, pr));
  check("huber", losses::Huber()(yr, pr));
}

TEST(TensorFlowParity, FitHistory) {
  backend::clear_session();
  const json& f = golden()["fit"];
  using namespace layers;
  Sequential model({Dense(8, {.activation = "relu", .input_shape = {4}}), Dense(3, {.activation = "softmax"})});
  std::vector<Tensor> w;
  for (const auto& t : f["weights"]) w.push_back(tensor_of(t));
  model.set_weights(w);
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.05}), .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
  const Tensor x = tensor_of(f["x"]);
  const Tensor y = ops::cast(tensor_of(f["y"]), DType::int64);
  auto h = model.fit(x, y, {.batch_size = 16, .epochs = 3, .verbose = 0, .validation_split = 0.2, .shuffle = false});
  for (const auto& [key, values] : f["history"].items()) {
    ASSERT_TRUE(h->history.count(key)) << key;
    testing::expect_close(h->history[key], values.get<std::vector<double>>(), 2e-5, "history " + key);
  }
  const auto fw = f["final_weights"];
  const auto got = model.get_weights();
  for (size_t i = 0; i < got.size(); ++i)
    testing::expect_close(testing::values(got[i]), flat(fw[i]), 2e-5, "weight " + std::to_string(i));
  const Logs scores = model.evaluate(x, y, {.batch_size = 16, .verbose = 0});
  EXPECT_NEAR(scores.at("loss"), f["evaluate"]["loss"].get<double>(), 2e-5);
  EXPECT_NEAR(scores.at("accuracy"), f["evaluate"]["accuracy"].get<double>(), 1e-6);
}

TEST(TensorFlowParity, DenseConfig) {
  backend::clear_session();
  layers::Dense d(64, {.activation = "relu", .input_shape = {784}});
  const json ours = json::parse(d.get_config().dump());
  const json& theirs = golden()["dense_config"];
  for (const auto& [key, value] : theirs.items()) {
    ASSERT_TRUE(ours.contains(key)) << "missing config key " << key;
    EXPECT_EQ(ours[key], value) << key;
  }
}

}  // namespace
}  // namespace tb::keras
