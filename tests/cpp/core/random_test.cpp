#include "tensorbox/core/random.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "tensorbox/core/threading.h"
#include "tests/cpp/testing/reference.h"

namespace tb {
namespace {

TEST(Random, SameSeedSameValues) {
  random::set_seed(7);
  const auto a = testing::values(random::normal({100}));
  const auto pa = random::permutation(50);
  random::set_seed(7);
  EXPECT_EQ(testing::values(random::normal({100})), a);
  EXPECT_EQ(random::permutation(50), pa);
  random::set_seed(8);
  EXPECT_NE(testing::values(random::normal({100})), a);
}

TEST(Random, Distributions) {
  random::set_seed(1);
  const auto u = testing::values(random::uniform({20000}, -1, 3));
  double mean = 0;
  for (double v : u) {
    ASSERT_GE(v, -1);
    ASSERT_LT(v, 3);
    mean += v / double(u.size());
  }
  EXPECT_NEAR(mean, 1.0, 0.05);
  const auto t = testing::values(random::truncated_normal({20000}, 0, 1));
  for (double v : t) ASSERT_LE(std::abs(v), 2.0);
  const auto n = testing::values(random::normal({20000}, 5, 2));
  double m = 0, var = 0;
  for (double v : n) m += v / double(n.size());
  for (double v : n) var += (v - m) * (v - m) / double(n.size());
  EXPECT_NEAR(m, 5, 0.1);
  EXPECT_NEAR(std::sqrt(var), 2, 0.1);
  const auto p = random::permutation(1000);
  EXPECT_EQ(std::set<int64_t>(p.begin(), p.end()).size(), 1000u);
}

TEST(Random, BadArguments) {
  EXPECT_THROW(random::uniform({2}, 1, 0), InvalidArgumentError);
  EXPECT_THROW(random::normal({2}, 0, 1, DType::int32), InvalidArgumentError);
}

TEST(Threading, SetAndGet) {
  const int before = get_num_threads();
  set_num_threads(1);
  EXPECT_EQ(get_num_threads(), 1);
  set_num_threads(before);
  EXPECT_THROW(set_num_threads(0), InvalidArgumentError);
}

}  // namespace
}  // namespace tb
