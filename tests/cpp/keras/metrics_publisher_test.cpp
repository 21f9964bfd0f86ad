// fit() publishes its progress for `tensorbox up`'s /metrics once a MetricsPublisher is registered
// as a default callback (the Python package does it when TENSORBOX_METRICS_DIR is set).
#include <unistd.h>

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

void publish_into(const std::string& folder) {
  callbacks::register_default_callback("test.metrics", [folder] {
    return std::make_shared<callbacks::MetricsPublisher>(folder);
  });
}

struct MetricsDir : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("tb-metrics-" + std::to_string(::getpid()));
  void SetUp() override {
    fs::create_directories(dir);
    publish_into(dir.string());
  }
  void TearDown() override {
    callbacks::unregister_default_callback("test.metrics");
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
  publish_into("/nonexistent/tensorbox-metrics");
  auto m = small_model();
  EXPECT_NO_THROW(m->fit(random::uniform({8, 3}), Tensor::zeros({8}, DType::int64), {.batch_size = 4, .epochs = 2, .verbose = 0}));
}

TEST(DefaultCallbacks, FitAddsOneFromEachFactoryAndNoneOnceUnregistered) {
  struct Count : callbacks::Callback {
    int* epochs;
    explicit Count(int* e) : epochs(e) {}
    void on_epoch_end(int, Logs&) override { ++*epochs; }
  };
  int epochs = 0, calls = 0;
  callbacks::register_default_callback("test.count", [&] {
    ++calls;
    return std::make_shared<Count>(&epochs);
  });
  callbacks::register_default_callback("test.none", [] { return callbacks::CallbackPtr(); });
  auto m = small_model();
  const Tensor x = random::uniform({8, 3});
  const Tensor y = Tensor::zeros({8}, DType::int64);
  m->fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 0});
  EXPECT_EQ(calls, 1);   // one callback per fit()
  EXPECT_EQ(epochs, 2);  // and it saw every epoch
  EXPECT_TRUE(callbacks::unregister_default_callback("test.count"));
  EXPECT_TRUE(callbacks::unregister_default_callback("test.none"));
  EXPECT_FALSE(callbacks::unregister_default_callback("test.count"));
  m->fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 0});
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(epochs, 2);
}

}  // namespace
}  // namespace tb::keras
