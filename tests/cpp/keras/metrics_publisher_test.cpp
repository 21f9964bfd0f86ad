// fit() publishes its progress for `tensorbox up`'s /metrics when TENSORBOX_METRICS_DIR is set.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/callbacks/metrics_publisher.h"
#include "tensorbox/keras/keras.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
namespace fs = std::filesystem;

std::unique_ptr<Sequential> small_model() {
  auto m = std::make_unique<Sequential>(std::vector<LayerRef>{Dense(4, {.input_shape = {3}})});
  m->compile({.optimizer = "sgd", .loss = losses::SparseCategoricalCrossentropy({.from_logits = true})});
  return m;
}

struct MetricsDir : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("tb-metrics-" + std::to_string(::getpid()));
  void SetUp() override {
    fs::create_directories(dir);
    ::setenv("TENSORBOX_METRICS_DIR", dir.c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("TENSORBOX_METRICS_DIR");
    fs::remove_all(dir);
  }
};

TEST_F(MetricsDir, FitWritesStepsSamplesEpochAndLossAtTheEnd) {
  auto m = small_model();
  const Tensor x = random::uniform({50, 3});
  const Tensor y = Tensor::zeros({50}, DType::int64);
  m->fit(x, y, {.batch_size = 16, .epochs = 3, .verbose = 0});
  std::ifstream in(dir / (std::to_string(::getpid()) + ".json"));
  ASSERT_TRUE(in) << "no metrics file in " << dir;
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["pid"], ::getpid());
  EXPECT_EQ(j["steps"], 3 * 4);    // ceil(50 / 16) batches per epoch
  EXPECT_EQ(j["samples"], 3 * 50);  // the last batch of each epoch holds the remaining 2
  EXPECT_EQ(j["epoch"], 3);
  EXPECT_EQ(j["epochs"], 3);
  EXPECT_EQ(j["running"], false);
  EXPECT_TRUE(j["loss"].is_number());
  EXPECT_GE(j["samples_per_second"].get<double>(), 0.0);
  // Only the final file remains: writes go through a temporary file and a rename.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST_F(MetricsDir, AnUnwritableFolderNeverFailsTraining) {
  ::setenv("TENSORBOX_METRICS_DIR", "/nonexistent/tensorbox-metrics", 1);
  auto m = small_model();
  EXPECT_NO_THROW(m->fit(random::uniform({8, 3}), Tensor::zeros({8}, DType::int64), {.batch_size = 4, .epochs = 2, .verbose = 0}));
}

TEST(MetricsPublisher, OffWithoutTheVariable) {
  ::unsetenv("TENSORBOX_METRICS_DIR");
  EXPECT_EQ(callbacks::MetricsPublisher::from_environment(), nullptr);
  ::setenv("TENSORBOX_METRICS_DIR", "", 1);
  EXPECT_EQ(callbacks::MetricsPublisher::from_environment(), nullptr);
  ::unsetenv("TENSORBOX_METRICS_DIR");
}

}  // namespace
}  // namespace tb::keras
