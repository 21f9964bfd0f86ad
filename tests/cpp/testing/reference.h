// Test helpers: random tensors, conversion to double vectors, and a broadcasting reference
// evaluator written independently of the kernels (plain index arithmetic in double).
#pragma once

#include <functional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tensorbox/core/tensor.h"

namespace tb::testing {

inline std::vector<double> values(const Tensor& t) {
  std::vector<double> v(size_t(t.size()));
  for (int64_t i = 0; i < t.size(); ++i) v[size_t(i)] = t.element(i);
  return v;
}

// Uniform in [lo, hi]; with `away_from_zero`, magnitudes in [lo, hi] with a random sign.
inline Tensor random_tensor(const Shape& s, DType dt, std::mt19937& rng, double lo = -2, double hi = 2,
                            bool away_from_zero = false) {
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(size_t(s.num_elements()));
  for (auto& x : v) {
    x = u(rng);
    if (away_from_zero && (rng() & 1)) x = -x;
    if (is_integer(dt)) x = std::round(x * 3);
    if (dt == DType::uint8) x = std::abs(x);
  }
  Tensor d = Tensor::from_vector<double>(v, s);
  Tensor t = Tensor::empty(s, dt);
  visit_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < t.size(); ++i)
      static_cast<T*>(t.raw_data())[i] = store_c<T>(compute_t<T>(v[size_t(i)]));
  });
  return t;
}

// out[i] = f(a[bcast i], b[bcast i], ...) with NumPy broadcasting, all in double.
inline std::vector<double> broadcast_apply(const std::vector<Tensor>& in, const Shape& out,
                                           const std::function<double(const std::vector<double>&)>& f) {
  std::vector<double> res(size_t(out.num_elements()));
  std::vector<std::vector<double>> vals;
  for (const auto& t : in) vals.push_back(values(t));
  for (int64_t i = 0; i < out.num_elements(); ++i) {
    std::vector<double> args;
    for (size_t k = 0; k < in.size(); ++k) {
      const Shape& s = in[k].shape();
      int64_t rem = i, off = 0, stride = 1;
      for (int64_t d = out.rank() - 1; d >= 0; --d) {
        const int64_t idx = rem % out.dims()[size_t(d)];
        rem /= out.dims()[size_t(d)];
        const int64_t sd = d - (out.rank() - s.rank());
        if (sd >= 0) {
          const int64_t dim = s.dims()[size_t(sd)];
          off += (dim == 1 ? 0 : idx) * stride;
          stride *= dim;
        }
      }
      args.push_back(vals[k][size_t(off)]);
    }
    res[size_t(i)] = f(args);
  }
  return res;
}

inline double tolerance(DType t) {
  switch (t) {
    case DType::float64: return 1e-10;
    case DType::float32: return 2e-5;
    case DType::float16: return 4e-3;
    case DType::bfloat16: return 2e-2;
    default: return 0;
  }
}

inline void expect_close(const std::vector<double>& got, const std::vector<double>& want, double tol,
                         const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << what << " at " << i;
      continue;
    }
    if (std::isinf(want[i])) {
      EXPECT_EQ(got[i], want[i]) << what << " at " << i;
      continue;
    }
    EXPECT_NEAR(got[i], want[i], tol * (1.0 + std::abs(want[i]))) << what << " at " << i;
  }
}

// A bool tensor (masks) from 0/1 values.
inline Tensor bool_tensor(const std::vector<uint8_t>& v, const Shape& s) {
  Tensor m = Tensor::empty(s, DType::bool_);
  for (size_t i = 0; i < v.size(); ++i) static_cast<bool*>(m.raw_data())[i] = v[i] != 0;
  return m;
}

// Runs f and expects an exception of type E whose message contains `needle`.
template <class E = std::exception, class F>
void expect_error(F&& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no error; expected one containing: " << needle;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace tb::testing
