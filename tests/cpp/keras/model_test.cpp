// The training loop: fit/evaluate/predict behaviour, callbacks, summary, config, weights
// files, and the bad-input errors of every entry point.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tensorbox/autodiff/gradient_tape.h"
#include "tensorbox/core/random.h"
#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tests/cpp/testing/reference.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;
using namespace tb::keras::optimizers;
namespace fs = std::filesystem;

// A small separable problem: the label is which of 3 features is largest.
struct Data {
  Tensor x, y;
};
Data make_data(int64_t n, uint64_t seed = 1) {
  random::set_seed(seed);
  Tensor x = random::uniform({n, 3}, -1, 1);
  std::vector<int64_t> y(static_cast<size_t>(n), 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t best = 0;
    for (int64_t j = 1; j < 3; ++j) if (x.element(i * 3 + j) > x.element(i * 3 + best)) best = j;
    y[size_t(i)] = best;
  }
  return {x, Tensor::from_vector<int64_t>(y, {n})};
}

std::unique_ptr<Sequential> make_model(uint64_t seed = 7) {
  random::set_seed(seed);
  auto m = std::make_unique<Sequential>(std::vector<LayerRef>{Dense(16, {.activation = "relu", .input_shape = {3}}), Dense(3)});
  m->compile({.optimizer = Adam({.learning_rate = 0.02}),
              .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
              .metrics = {"accuracy"}});
  return m;
}

struct Recorder : callbacks::Callback {
  std::vector<int64_t> batches;
  int epochs_begun = 0;
  void on_epoch_begin(int, Logs&) override { ++epochs_begun; }
  void on_train_batch_end(int64_t b, Logs&) override { batches.push_back(b); }
};

class ModelTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(ModelTest, FitLearnsAndReportsKerasHistory) {
  const Data d = make_data(600);
  auto m = make_model();
  auto h = m->fit(d.x, d.y, {.batch_size = 32, .epochs = 8, .verbose = 0, .validation_split = 0.2});
  for (const char* k : {"loss", "accuracy", "val_loss", "val_accuracy"}) {
    ASSERT_TRUE(h->history.count(k)) << k;
    EXPECT_EQ(h->history[k].size(), 8u) << k;
  }
  EXPECT_EQ(h->epoch, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_LT(h->history["loss"].back(), h->history["loss"].front());
  EXPECT_GT(h->history["val_accuracy"].back(), 0.9);
  EXPECT_EQ(m->optimizer().iterations(), 8 * 15);  // 480 training rows / 32
}

TEST_F(ModelTest, ValidationSplitTakesTheLastRowsBeforeShuffling) {
  const Data d = make_data(100);
  auto m = make_model();
  auto h = m->fit(d.x, d.y, {.batch_size = 16, .epochs = 2, .verbose = 0, .validation_split = 0.25});
  // The validation figures of the last epoch are those of the final weights on rows 75..99.
  const Tensor xv = ops::slice(d.x, {75, 0}, {25, 3});
  const Tensor yv = ops::slice(d.y, {75}, {25});
  const Logs direct = m->evaluate(xv, yv, {.verbose = 0});
  EXPECT_NEAR(h->history["val_loss"].back(), direct.at("loss"), 1e-6);
  EXPECT_NEAR(h->history["val_accuracy"].back(), direct.at("accuracy"), 1e-9);
}

TEST_F(ModelTest, ValidationDataWithoutShuffling) {
  const Data train = make_data(90, 1), val = make_data(30, 2);
  auto m = make_model();
  auto h = m->fit(train.x, train.y, {.batch_size = 30, .epochs = 2, .verbose = 0, .validation_data = std::make_pair(val.x, val.y),
                                     .shuffle = false});
  const Logs direct = m->evaluate(val.x, val.y, {.batch_size = 7, .verbose = 0});
  EXPECT_NEAR(h->history["val_loss"].back(), direct.at("loss"), 1e-6) << "batch size does not change a weighted mean";
  // Without shuffling, the same run twice gives the same weights even without reseeding.
  auto again = make_model();
  again->fit(train.x, train.y, {.batch_size = 30, .epochs = 2, .verbose = 0, .shuffle = false});
  EXPECT_EQ(testing::values(again->get_weights()[0]), testing::values(m->get_weights()[0]));
  EXPECT_THROW(m->fit(train.x, train.y, {.verbose = 0, .validation_data = std::make_pair(val.x, train.y)}), ValueError);
}

TEST_F(ModelTest, LastPartialBatchIsKept) {
  const Data d = make_data(70);
  auto m = make_model();
  auto rec = std::make_shared<Recorder>();
  m->fit(d.x, d.y, {.batch_size = 32, .epochs = 2, .verbose = 0, .callbacks = {rec}});
  EXPECT_EQ(rec->batches, (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(rec->epochs_begun, 2);
  EXPECT_EQ(m->predict(d.x, {.batch_size = 32}).shape(), (Shape{70, 3}));
}

TEST_F(ModelTest, SameSeedSameTraining) {
  const Data d = make_data(200);
  auto run = [&] {
    auto m = make_model(5);
    random::set_seed(9);
    m->fit(d.x, d.y, {.batch_size = 20, .epochs = 2, .verbose = 0});
    return testing::values(m->get_weights()[0]);
  };
  EXPECT_EQ(run(), run());
}

TEST_F(ModelTest, TrainOnBatchMatchesAManualStep) {
  const Data d = make_data(8);
  auto m = make_model();
  m->compile({.optimizer = SGD({.learning_rate = 0.5}), .loss = "sparse_categorical_crossentropy"});
  m->predict(d.x);  // builds
  const auto before = m->get_weights();
  // Manual step: same loss, same gradients, w -= lr * g.
  Tensor loss;
  std::vector<Tensor> grads;
  {
    GradientTape tape;
    const Tensor out = m->predict_on_batch(d.x);
    loss = losses::SparseCategoricalCrossentropy()(d.y, activations::get("linear")(out));
    grads = tape.gradient(loss, m->trainable_variables());
  }
  const Logs logs = m->train_on_batch(d.x, d.y);
  EXPECT_NEAR(logs.at("loss"), loss.item(), 1e-6);
  const auto after = m->get_weights();
  for (size_t k = 0; k < after.size(); ++k)
    testing::expect_close(testing::values(after[k]), testing::values(ops::sub(before[k], ops::mul(grads[k], Tensor::scalar(0.5)))), 1e-6, "w" + std::to_string(k));
}

TEST_F(ModelTest, SummaryPrintsKerasTable) {
  Sequential m({Dense(1024, {.activation = "relu", .input_shape = {784}}), Dense(10)});
  std::ostringstream out;
  m.summary(out);
  const std::string want =
      "Model: \"sequential\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " dense (Dense)               (None, 1024)              803840    \n"
      "                                                                 \n"
      " dense_1 (Dense)             (None, 10)                10250     \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 814,090\n"
      "Trainable params: 814,090\n"
      "Non-trainable params: 0\n"
      "_________________________________________________________________\n";
  EXPECT_EQ(out.str(), want);
  Sequential unbuilt({Dense(3)});
  EXPECT_THROW(unbuilt.summary(out), ValueError);
}

TEST_F(ModelTest, ConfigRoundTripLikeKeras) {
  Sequential m({Dense(64, {.activation = "relu", .input_shape = {784}}), Dense(10, {.activation = "softmax"})});
  const auto c = m.get_config();
  EXPECT_EQ(c["name"], "sequential");
  ASSERT_EQ(c["layers"].size(), 3u);
  EXPECT_EQ(c["layers"][0].dump(),
            R"({"class_name":"InputLayer","config":{"batch_input_shape":[null,784],"dtype":"float32","sparse":false,"ragged":false,"name":"dense_input"}})");
  EXPECT_EQ(c["layers"][2]["config"]["activation"], "softmax");
  backend::clear_session();
  auto copy = Sequential::from_config(c);
  EXPECT_EQ(copy->get_config().dump(), c.dump());
  EXPECT_EQ(copy->count_params(), m.count_params());
}

TEST_F(ModelTest, WeightsFileRoundTripIsAtomicAndChecked) {
  const fs::path dir = fs::temp_directory_path() / ("tb_weights_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto a = make_model(1), b = make_model(2);
  a->save_weights((dir / "w.tbw").string());
  b->load_weights((dir / "w.tbw").string());
  for (size_t k = 0; k < 4; ++k) EXPECT_EQ(testing::values(a->get_weights()[k]), testing::values(b->get_weights()[k]));
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().filename(), "w.tbw") << "no temp file left behind";
  // A model of another shape refuses the file and keeps its own weights.
  Sequential other({Dense(5, {.input_shape = {3}}), Dense(3)});
  const auto before = testing::values(other.get_weights()[0]);
  EXPECT_THROW(other.load_weights((dir / "w.tbw").string()), ValueError);
  EXPECT_EQ(testing::values(other.get_weights()[0]), before);
  // Truncated and foreign files are named in the error.
  const auto size = fs::file_size(dir / "w.tbw");
  fs::copy_file(dir / "w.tbw", dir / "cut.tbw");
  fs::resize_file(dir / "cut.tbw", size - 10);
  try {
    b->load_weights((dir / "cut.tbw").string());
    FAIL();
  } catch (const DataLossError& e) {
    EXPECT_NE(std::string(e.what()).find("cut.tbw"), std::string::npos);
  }
  { std::ofstream(dir / "junk.tbw") << "hello\n"; }
  EXPECT_THROW(b->load_weights((dir / "junk.tbw").string()), DataLossError);
  EXPECT_THROW(b->load_weights((dir / "missing.tbw").string()), NotFoundError);
  EXPECT_THROW(a->save_weights((dir / "no/such/dir/w.tbw").string()), NotFoundError);
  fs::remove_all(dir);
}

TEST_F(ModelTest, BadInputErrors) {
  const Data d = make_data(10);
  Sequential raw({Dense(3, {.input_shape = {3}})});
  EXPECT_THROW(raw.fit(d.x, d.y), FailedPreconditionError);
  auto m = make_model();
  try {
    m->fit(d.x, ops::slice(d.y, {0}, {7}), {.verbose = 0});
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("x sizes: 10"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("y sizes: 7"), std::string::npos);
  }
  EXPECT_THROW(m->fit(d.x, d.y, {.batch_size = 0, .verbose = 0}), ValueError);
  EXPECT_THROW(m->fit(d.x, d.y, {.batch_size = -3, .verbose = 0}), ValueError);
  EXPECT_THROW(m->fit(Tensor::zeros({0, 3}), Tensor::zeros({0}, DType::int64), {.verbose = 0}), ValueError);
  EXPECT_THROW(m->fit(d.x, d.y, {.verbose = 0, .validation_split = 1.0}), ValueError);
  EXPECT_THROW(m->fit(d.x, d.y, {.verbose = 0, .validation_split = 0.95}), ValueError) << "0 training rows";
  EXPECT_THROW(m->fit(ops::slice(d.x, {0, 0}, {10, 2}), d.y, {.verbose = 0}), ValueError) << "wrong feature count";
  // Labels out of range: an error naming the label and the range, and no weights change.
  const auto before = testing::values(m->get_weights()[0]);
  try {
    m->fit(d.x, Tensor::full({10}, 3, DType::int64), {.verbose = 0});
    FAIL();
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("label value of 3"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("[0, 3)"), std::string::npos);
  }
  EXPECT_EQ(testing::values(m->get_weights()[0]), before);
  EXPECT_THROW(m->compile({.optimizer = "adamz", .loss = "mse"}), ValueError);
  EXPECT_THROW(m->compile({.optimizer = "adam", .loss = "msez"}), ValueError);
  EXPECT_THROW(m->compile({.optimizer = "adam", .loss = "mse", .metrics = {"accuracyy"}}), ValueError);
  EXPECT_THROW(m->compile({.optimizer = "adam"}), ValueError) << "no loss";
  EXPECT_THROW(m->get_layer("nope"), ValueError);
  EXPECT_THROW(Sequential({Dense(2, {.name = "a"}), Dense(2, {.name = "a"})}), ValueError);
}

TEST_F(ModelTest, TerminateOnNaNStopsAtTheFirstBadBatch) {
  Data d = make_data(64);
  std::vector<float> bad(64 * 3, NAN);  // regression targets that make the loss NaN
  auto m = make_model();
  m->compile({.optimizer = "sgd", .loss = "mse"});
  auto stop = std::make_shared<callbacks::TerminateOnNaN>();
  auto rec = std::make_shared<Recorder>();
  ::testing::internal::CaptureStdout();
  auto h = m->fit(d.x, Tensor::from_vector<float>(bad, {64, 3}), {.batch_size = 16, .epochs = 3, .verbose = 0, .callbacks = {stop, rec}});
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(stop->terminated_batch(), 0);
  EXPECT_EQ(rec->batches.size(), 1u);
  EXPECT_EQ(h->epoch.size(), 1u);
  EXPECT_NE(out.find("Batch 0: Invalid loss, terminating training"), std::string::npos) << out;
}

TEST_F(ModelTest, EarlyStoppingRestoresTheBestWeights) {
  auto m = make_model();
  m->predict(make_data(2).x);
  callbacks::EarlyStopping es({.monitor = "loss", .patience = 2, .restore_best_weights = true});
  es.set_model(m.get());
  Logs none;
  es.on_train_begin(none);
  const std::vector<double> losses = {1.0, 0.5, 0.7, 0.8};
  std::vector<std::vector<double>> snapshots;
  for (int e = 0; e < 4 && !m->stop_training; ++e) {
    Variable w = m->trainable_variables()[0];
    w.assign(Tensor::full(w.shape(), double(e)));  // mark each epoch's weights
    snapshots.push_back(testing::values(w.value()));
    Logs logs;
    logs.set("loss", losses[size_t(e)]);
    es.on_epoch_end(e, logs);
  }
  EXPECT_TRUE(m->stop_training);
  EXPECT_EQ(es.stopped_epoch(), 3);
  EXPECT_EQ(es.best_epoch(), 1);
  EXPECT_EQ(testing::values(m->trainable_variables()[0].value()), snapshots[1]);
}

TEST_F(ModelTest, EarlyStoppingInFit) {
  const Data d = make_data(100);
  auto m = make_model();
  // lr 0 means the loss never improves: stops after patience + 1 epochs.
  m->compile({.optimizer = SGD({.learning_rate = 0.0}), .loss = "sparse_categorical_crossentropy"});
  auto h = m->fit(d.x, d.y, {.epochs = 10, .verbose = 0,
                             .callbacks = {std::make_shared<callbacks::EarlyStopping>(callbacks::EarlyStoppingOptions{.monitor = "loss", .patience = 2})}});
  EXPECT_EQ(h->epoch.size(), 3u);
}

TEST_F(ModelTest, ModelCheckpointSavesBestOnly) {
  const fs::path dir = fs::temp_directory_path() / ("tb_ckpt_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto m = make_model();
  m->predict(make_data(2).x);
  callbacks::ModelCheckpoint ck((dir / "w.{epoch:02d}-{val_loss:.2f}.tbw").string(), {.save_best_only = true});
  ck.set_model(m.get());
  for (auto [e, v] : std::vector<std::pair<int, double>>{{0, 0.9}, {1, 0.5}, {2, 0.7}}) {
    Logs logs;
    logs.set("val_loss", v);
    ck.on_epoch_end(e, logs);
  }
  EXPECT_TRUE(fs::exists(dir / "w.01-0.90.tbw"));
  EXPECT_TRUE(fs::exists(dir / "w.02-0.50.tbw"));
  EXPECT_FALSE(fs::exists(dir / "w.03-0.70.tbw"));
  Logs logs;
  EXPECT_THROW(callbacks::ModelCheckpoint::format_path("w.{acc:.2f}", 0, logs), ValueError);
  fs::remove_all(dir);
}

TEST_F(ModelTest, LearningRateCallbacks) {
  const Data d = make_data(64);
  auto m = make_model();
  auto sched = std::make_shared<callbacks::LearningRateScheduler>([](int epoch, double) { return 0.1 * (epoch + 1); });
  auto h = m->fit(d.x, d.y, {.epochs = 3, .verbose = 0, .callbacks = {sched}});
  EXPECT_EQ(h->history["lr"], (std::vector<double>{0.1, 0.2, 0.30000000000000004}));
  callbacks::ReduceLROnPlateau plateau({.monitor = "loss", .factor = 0.5, .patience = 1, .min_lr = 0.04});
  plateau.set_model(m.get());
  m->optimizer().set_learning_rate(0.1);
  Logs none;
  plateau.on_train_begin(none);
  for (int e = 0; e < 4; ++e) {
    Logs logs;
    logs.set("loss", 1.0);
    plateau.on_epoch_end(e, logs);
  }
  EXPECT_NEAR(m->optimizer().learning_rate(), 0.04, 1e-12) << "0.1 -> 0.05 -> floor at min_lr";
  EXPECT_THROW(callbacks::ReduceLROnPlateau({.factor = 1.5}), ValueError);
}

TEST_F(ModelTest, ProgressBarOutput) {
  const Data d = make_data(64);
  auto m = make_model();
  ::testing::internal::CaptureStdout();
  m->fit(d.x, d.y, {.batch_size = 16, .epochs = 2, .verbose = 1, .validation_split = 0.25});
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("Epoch 1/2\n"), std::string::npos);
  EXPECT_NE(out.find("Epoch 2/2\n"), std::string::npos);
  EXPECT_NE(out.find("3/3 [==============================] - "), std::string::npos) << out;
  EXPECT_NE(out.find(" - loss: "), std::string::npos);
  EXPECT_NE(out.find(" - val_accuracy: "), std::string::npos);
}

}  // namespace
}  // namespace tb::keras
