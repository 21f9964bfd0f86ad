#include "tensorbox/keras/data_adapter.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tensorbox/core/random.h"

namespace tb::keras {
namespace {

Tensor iota(int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[size_t(i)] = float(i);
  return Tensor::from_vector<float>(v, {n});
}

TEST(TensorLikeDataAdapter, ServesBatchesInOrderKeepingTheLastPartialOne) {
  TensorLikeDataAdapter data({iota(10).reshape({5, 2})}, {iota(5)}, 2, false);
  EXPECT_EQ(data.steps_per_epoch(), 3);
  EXPECT_EQ(data.num_samples(), 5);
  for (int epoch = 0; epoch < 2; ++epoch) {
    data.begin_epoch();
    std::vector<float> ys;
    std::vector<int64_t> sizes;
    while (auto batch = data.next()) {
      ASSERT_EQ(batch->x.size(), 1u);
      EXPECT_EQ(batch->x[0].dim(1), 2);
      sizes.push_back(batch->x[0].dim(0));
      for (float v : batch->y[0].to_vector<float>()) ys.push_back(v);
    }
    EXPECT_EQ(sizes, (std::vector<int64_t>{2, 2, 1}));
    EXPECT_EQ(ys, (std::vector<float>{0, 1, 2, 3, 4}));
    EXPECT_FALSE(data.next());  // stays at its end until the next epoch begins
  }
}

TEST(TensorLikeDataAdapter, ShufflesEveryEpochAfreshKeepingRowsTogether) {
  random::set_seed(7);
  const int64_t n = 50;
  TensorLikeDataAdapter data({iota(n)}, {iota(n)}, 8, true);
  std::vector<std::vector<float>> epochs;
  for (int epoch = 0; epoch < 2; ++epoch) {
    data.begin_epoch();
    std::vector<float> seen;
    while (auto batch = data.next()) {
      EXPECT_EQ(batch->x[0].to_vector<float>(), batch->y[0].to_vector<float>());  // x and y rows stay paired
      for (float v : batch->x[0].to_vector<float>()) seen.push_back(v);
    }
    epochs.push_back(seen);
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, iota(n).to_vector<float>());  // every row once
  }
  EXPECT_NE(epochs[0], epochs[1]);
  EXPECT_NE(epochs[0], iota(n).to_vector<float>());
}

TEST(TensorLikeDataAdapter, PredictDataHasNoTargetsAndBadSizesAreRefused) {
  TensorLikeDataAdapter data({iota(3)}, {}, 32, false);
  data.begin_epoch();
  auto batch = data.next();
  ASSERT_TRUE(batch);
  EXPECT_TRUE(batch->y.empty());
  EXPECT_EQ(batch->x[0].dim(0), 3);
  EXPECT_THROW(TensorLikeDataAdapter({iota(3)}, {}, 0, false), InvalidArgumentError);
  EXPECT_EQ(take_rows({iota(6).reshape({3, 2})}, 1, 3)[0].to_vector<float>(), (std::vector<float>{2, 3, 4, 5}));
}

}  // namespace
}  // namespace tb::keras
