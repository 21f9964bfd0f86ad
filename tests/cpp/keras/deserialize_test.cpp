// Optimizers, schedules and losses built from Keras configs (the Python front end's path).
#include <gtest/gtest.h>

#include "tensorbox/keras/keras.h"
#include "tensorbox/keras/optimizers/deserialize.h"

namespace tb::keras {
namespace {

using json = nlohmann::ordered_json;

TEST(Deserialize, OptimizerConfigRoundTrips) {
  auto opt = optimizers::deserialize(
      json{{"class_name", "SGD"}, {"config", {{"learning_rate", 0.5}, {"momentum", 0.9}, {"nesterov", true}, {"clipnorm", 1.0}}}});
  EXPECT_EQ(opt->class_name(), "SGD");
  const json c = opt->get_config();
  EXPECT_DOUBLE_EQ(c.at("learning_rate").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(c.at("momentum").get<double>(), 0.9);
  EXPECT_TRUE(c.at("nesterov").get<bool>());
  EXPECT_DOUBLE_EQ(c.at("clipnorm").get<double>(), 1.0);
  auto again = optimizers::deserialize(json{{"class_name", "SGD"}, {"config", c}});
  EXPECT_EQ(again->get_config(), c);
}

TEST(Deserialize, LegacyLrAliasAndSchedule) {
  auto a = optimizers::deserialize(json{{"class_name", "Adam"}, {"config", {{"lr", 0.25}}}});
  EXPECT_DOUBLE_EQ(a->learning_rate(), 0.25);
  auto s = optimizers::deserialize(json{
      {"class_name", "Adam"},
      {"config", {{"learning_rate", {{"class_name", "ExponentialDecay"},
                                     {"config", {{"initial_learning_rate", 1.0}, {"decay_steps", 10}, {"decay_rate", 0.5}}}}}}}});
  EXPECT_DOUBLE_EQ(s->learning_rate(), 1.0);
  s->set_iterations(10);
  EXPECT_DOUBLE_EQ(s->learning_rate(), 0.5);
}

TEST(Deserialize, UnknownKeyIsATypeErrorNamingIt) {
  try {
    optimizers::deserialize(json{{"class_name", "Adam"}, {"config", {{"beta1", 0.9}}}});
    FAIL() << "no error";
  } catch (const TypeError& e) {
    EXPECT_NE(std::string(e.what()).find("'beta1'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("beta_1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(optimizers::deserialize(json{{"class_name", "Adam"}, {"config", {{"beta_1", "x"}}}}), TypeError);
  EXPECT_THROW(optimizers::deserialize(json{{"class_name", "Nadamx"}}), ValueError);
  EXPECT_THROW(optimizers::deserialize(json{{"class_name", "SGD"}, {"config", {{"decay", 0.1}}}}), UnimplementedError);
}

TEST(Deserialize, Losses) {
  auto l = losses::Loss::deserialize(
      json{{"class_name", "SparseCategoricalCrossentropy"}, {"config", {{"from_logits", true}, {"reduction", "auto"}}}});
  EXPECT_EQ(l->class_name(), "SparseCategoricalCrossentropy");
  EXPECT_TRUE(l->get_config().at("from_logits").get<bool>());
  auto h = losses::Loss::deserialize(json{{"class_name", "Huber"}, {"config", {{"delta", 2.0}, {"name", "h"}}}});
  EXPECT_EQ(h->name(), "h");
  EXPECT_DOUBLE_EQ(h->get_config().at("delta").get<double>(), 2.0);
  EXPECT_EQ(losses::Loss::deserialize("mse")->class_name(), "MeanSquaredError");
  EXPECT_THROW(losses::Loss::deserialize(json{{"class_name", "Huber"}, {"config", {{"delta_", 2.0}}}}), TypeError);
  EXPECT_THROW(losses::Loss::deserialize(json{{"class_name", "Huber"}, {"config", {{"reduction", "sum"}}}}), UnimplementedError);
}

}  // namespace
}  // namespace tb::keras
