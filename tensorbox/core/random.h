// Random numbers for initializers, shuffling and dropout.
//
// One global generator (xoshiro256**) seeded by tb::random::set_seed: with a fixed seed and
// thread count, weights, shuffles and dropout masks are identical from run to run. Without a
// call to set_seed the generator is seeded from the clock, like TensorFlow without a seed.
//
//   tb::random::set_seed(42);
//   auto w = tb::random::uniform({784, 1024}, -0.07, 0.07);
//   auto perm = tb::random::permutation(60000);
#pragma once

#include <cstdint>
#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::random {

class Generator {
 public:
  explicit Generator(uint64_t seed) { reseed(seed); }
  void reseed(uint64_t seed);
  uint64_t next_u64();
  double uniform01();  // [0, 1), 53 bits
  float uniform01f();  // [0, 1), 24 bits
  double normal();     // N(0, 1)

 private:
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

void set_seed(uint64_t seed);
Generator& global_generator();

Tensor uniform(const Shape& shape, double minval = 0.0, double maxval = 1.0,
               DType dtype = DType::float32);
Tensor normal(const Shape& shape, double mean = 0.0, double stddev = 1.0,
              DType dtype = DType::float32);
// Normal values more than two standard deviations from the mean are drawn again
// (tf.random.truncated_normal).
Tensor truncated_normal(const Shape& shape, double mean = 0.0, double stddev = 1.0,
                        DType dtype = DType::float32);
// A uniformly random permutation of 0..n-1 (Fisher-Yates).
std::vector<int64_t> permutation(int64_t n);

}  // namespace tb::random
