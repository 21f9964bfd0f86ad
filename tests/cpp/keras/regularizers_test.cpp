// Regularizers: Keras's formulas and defaults, names and configs, and the penalties a layer
// reports (weights' from their current values, activity's divided by the batch size).
#include <gtest/gtest.h>

#include "tensorbox/keras/keras.h"
#include "tensorbox/keras/regularizers.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;

TEST(Regularizers, FormulasNamesAndConfigs) {
  const Tensor x = Tensor::from_vector<float>({1, -2, 3}, {3});
  EXPECT_NEAR(regularizers::get("l1")(x).item(), 0.01 * 6, 1e-7);
  EXPECT_NEAR(regularizers::get("l2")(x).item(), 0.01 * 14, 1e-7);
  EXPECT_NEAR(regularizers::get("l1_l2")(x).item(), 0.01 * 6 + 0.01 * 14, 1e-7);
  EXPECT_NEAR(regularizers::L1L2()(x).item(), 0.0, 0.0);  // the class's defaults are 0
  const auto cfg = regularizers::L1L2(0.5, 0.25).get_config();
  EXPECT_EQ(cfg, nlohmann::ordered_json::parse(R"({"class_name": "L1L2", "config": {"l1": 0.5, "l2": 0.25}})"));
  EXPECT_EQ(regularizers::from_config(cfg)->get_config(), cfg);
  EXPECT_FALSE(regularizers::from_config(nullptr).has_value());
  tb::testing::expect_error<ValueError>([] { regularizers::get("l3"); }, "Unknown regularizer: 'l3'");
  tb::testing::expect_error<ValueError>([] { regularizers::L2(-1); }, "must be non-negative");
}

TEST(Regularizers, LayerPenalties) {
  Dense d(2, {.kernel_initializer = "ones", .kernel_regularizer = "l2", .activity_regularizer = "l1"});
  EXPECT_TRUE(d.losses().empty());
  const Tensor y = d(Tensor::full({4, 3}, 1.0));  // every output is 3
  const auto losses = d.losses();
  ASSERT_EQ(losses.size(), 2u);
  EXPECT_NEAR(losses[0].item(), 0.01 * (4 * 2 * 3) / 4.0, 1e-6);  // activity: l1 * sum|y| / batch
  EXPECT_NEAR(losses[1].item(), 0.01 * 6, 1e-6);                  // kernel: l2 * sum(1^2)
  EXPECT_EQ(d.get_config()["kernel_regularizer"]["class_name"], "L2");
  Sequential m({Input({3}), d});
  EXPECT_EQ(m.losses().size(), 2u);
}

}  // namespace
}  // namespace tb::keras
