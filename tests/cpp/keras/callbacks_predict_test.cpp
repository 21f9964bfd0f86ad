// predict() drives the predict hooks of callbacks, as Keras does.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/keras/keras.h"

namespace tb::keras {
namespace {
using namespace tb::keras::layers;

struct Spy : callbacks::Callback {
  std::vector<std::string> seen;
  void on_predict_begin(Logs&) override { seen.push_back("begin"); }
  void on_predict_batch_begin(int64_t b, Logs&) override { seen.push_back("b" + std::to_string(b)); }
  void on_predict_batch_end(int64_t b, Logs&) override { seen.push_back("e" + std::to_string(b)); }
  void on_predict_end(Logs&) override { seen.push_back("end"); }
};

TEST(Predict, CallsThePredictHooksPerBatch) {
  Sequential m({Dense(3, {.input_shape = {4}})});
  auto spy = std::make_shared<Spy>();
  const Tensor y = m.predict(random::uniform({5, 4}), {.batch_size = 2, .callbacks = {spy}});
  EXPECT_EQ(y.shape(), Shape({5, 3}));
  EXPECT_EQ(spy->seen, (std::vector<std::string>{"begin", "b0", "e0", "b1", "e1", "b2", "e2", "end"}));
  EXPECT_EQ(spy->params().steps, 3);
}

}  // namespace
}  // namespace tb::keras
