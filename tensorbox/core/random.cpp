#include "tensorbox/core/random.h"

#include <chrono>
#include <cmath>
#include <numeric>

namespace tb::random {
namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

template <class Fill>
Tensor make(const Shape& shape, DType dtype, const char* what, Fill fill) {
  if (!is_floating(dtype))
    throw InvalidArgumentError(std::string(what) + ": dtype must be floating, got " +
                               std::string(dtype_name(dtype)));
  Tensor t = Tensor::empty(shape, dtype);
  Generator& g = global_generator();
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = static_cast<T*>(t.raw_data());
    for (int64_t i = 0, n = t.size(); i < n; ++i) p[i] = store_c<T>(compute_t<T>(fill(g)));
  });
  return t;
}

}  // namespace

void Generator::reseed(uint64_t seed) {
  for (auto& s : s_) s = splitmix64(seed);
  has_spare_ = false;
}

uint64_t Generator::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Generator::uniform01() { return double(next_u64() >> 11) * 0x1.0p-53; }
float Generator::uniform01f() { return float(next_u64() >> 40) * 0x1.0p-24f; }

double Generator::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1;
  do u1 = uniform01(); while (u1 <= 0.0);
  const double u2 = uniform01();
  const double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(2.0 * M_PI * u2);
  has_spare_ = true;
  return r * std::cos(2.0 * M_PI * u2);
}

Generator& global_generator() {
  static Generator g(uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()));
  return g;
}

void set_seed(uint64_t seed) { global_generator().reseed(seed); }

Tensor uniform(const Shape& shape, double minval, double maxval, DType dtype) {
  if (!(maxval >= minval))
    throw InvalidArgumentError("uniform: maxval (" + std::to_string(maxval) +
                               ") must be >= minval (" + std::to_string(minval) + ")");
  return make(shape, dtype, "uniform",
              [&](Generator& g) { return minval + (maxval - minval) * g.uniform01(); });
}

Tensor normal(const Shape& shape, double mean, double stddev, DType dtype) {
  return make(shape, dtype, "normal", [&](Generator& g) { return mean + stddev * g.normal(); });
}

Tensor truncated_normal(const Shape& shape, double mean, double stddev, DType dtype) {
  return make(shape, dtype, "truncated_normal", [&](Generator& g) {
    double z;
    do z = g.normal(); while (std::abs(z) > 2.0);
    return mean + stddev * z;
  });
}

std::vector<int64_t> permutation(int64_t n) {
  std::vector<int64_t> p(size_t(std::max<int64_t>(n, 0)));
  std::iota(p.begin(), p.end(), 0);
  Generator& g = global_generator();
  for (int64_t i = n - 1; i > 0; --i) {
    const int64_t j = int64_t(g.next_u64() % uint64_t(i + 1));
    std::swap(p[size_t(i)], p[size_t(j)]);
  }
  return p;
}

}  // namespace tb::random
