// The op test table's harness: an OpCase describes one op (shapes, dtypes, the op, an
// independent double-precision reference); check_forward compares the op with the reference
// for every dtype and shape set, check_gradient compares the tape's gradient with central
// finite differences in float64 (or, for ops without a gradient, insists there is none), and
// check_second_gradient compares the gradient of the gradient (a tape recording another tape's
// backward pass) with finite differences of the first gradient.
//
//   class ConvTable : public ::testing::TestWithParam<OpCase> {};
//   TEST_P(ConvTable, Forward) { tb::testing::check_forward(GetParam()); }
#pragma once

#include <functional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tensorbox/autodiff/gradient_tape.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"
#include "tests/cpp/testing/reference.h"

namespace tb::testing {

using Inputs = std::vector<Tensor>;
using RefOut = std::pair<Shape, std::vector<double>>;

struct OpCase {
  std::string name;
  std::vector<std::vector<Shape>> shapes;
  std::vector<DType> dtypes;
  std::function<Tensor(const Inputs&)> op;
  std::function<RefOut(const Inputs&)> ref;
  double lo = -2, hi = 2;
  bool away_from_zero = false;
  bool check_grad = true;
  // Whether the gradient is differentiable again; when not, differentiating it must raise
  // LookupError naming the op without a gradient (max pooling's MaxPoolGrad).
  bool second_order = true;
  // Builds inputs for a shape set and dtype when the default (random of that dtype) won't do.
  std::function<Inputs(const std::vector<Shape>&, DType, std::mt19937&)> make{};
  // Long float32 sums (reductions of 300x200 rows, GEMMs, convolutions) accumulate rounding.
  double tolerance_scale = 1;
};

// Test listings show the op's name instead of the struct's bytes.
inline void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

inline Inputs make_inputs(const OpCase& c, const std::vector<Shape>& shapes, DType dt, std::mt19937& rng) {
  if (c.make) return c.make(shapes, dt, rng);
  Inputs in;
  for (const Shape& s : shapes) in.push_back(random_tensor(s, dt, rng, c.lo, c.hi, c.away_from_zero));
  return in;
}

inline void check_forward(const OpCase& c) {
  std::mt19937 rng(1234);
  for (DType dt : c.dtypes)
    for (const auto& shapes : c.shapes) {
      const Inputs in = make_inputs(c, shapes, dt, rng);
      const Tensor got = c.op(in);
      const RefOut want = c.ref(in);
      const std::string what = c.name + " dtype=" + std::string(dtype_name(dt)) + " shape=" + shapes[0].to_string();
      ASSERT_EQ(got.shape(), want.first) << what;
      const double tol = is_floating(got.dtype()) ? tolerance(got.dtype()) : 0.0;
      // Long float32 sums (reductions of 300x200 rows) accumulate rounding: allow their length.
      expect_close(values(got), want.second, tol * c.tolerance_scale, what);
      if (::testing::Test::HasFailure()) return;
    }
}

// Central differences of f() with respect to each element of `src` (a float64 input f reads).
inline std::vector<double> numeric_gradient(Tensor src, const std::function<double()>& f, double eps) {
  double* p = src.data<double>();
  std::vector<double> numeric(size_t(src.size()));
  for (int64_t j = 0; j < src.size(); ++j) {
    const double orig = p[j];
    p[j] = orig + eps;
    const double fp = f();
    p[j] = orig - eps;
    const double fm = f();
    p[j] = orig;
    numeric[size_t(j)] = (fp - fm) / (2 * eps);
  }
  return numeric;
}

inline void check_gradient(const OpCase& c) {
  std::mt19937 rng(99);
  if (!c.check_grad) {
    // Ops without a gradient must not pretend to have one: the tape gives None (undefined),
    // as TensorFlow does for comparisons, integer casts and argmax.
    const Inputs in = make_inputs(c, c.shapes[0], DType::float64, rng);
    GradientTape tape;
    std::vector<Tensor> sources;
    for (const Tensor& t : in)
      if (is_floating(t.dtype())) {
        tape.watch(t);
        sources.push_back(t);
      }
    const Tensor y = ops::cast(c.op(in), DType::float64);
    for (const Tensor& g : tape.gradient(ops::reduce_sum(y), sources)) EXPECT_FALSE(g.defined()) << c.name;
    return;
  }
  for (const auto& shapes : c.shapes) {
    int64_t total = 0;
    for (const Shape& s : shapes) total += s.num_elements();
    if (total > 300) continue;  // finite differences cost two forward passes per element
    Inputs in = make_inputs(c, shapes, DType::float64, rng);
    std::vector<Tensor> sources;
    for (const Tensor& t : in)
      if (t.dtype() == DType::float64 && t.size() > 0) sources.push_back(t);
    if (sources.empty()) continue;
    Tensor w;
    auto loss_of = [&](const Inputs& xs) {
      const Tensor y = c.op(xs);
      if (!w.defined()) w = random_tensor(y.shape(), DType::float64, rng);
      // Skip non-finite outputs (max of an empty row) by masking them out of the loss.
      return ops::reduce_sum(ops::mul(y, w));
    };
    std::vector<Tensor> analytic;
    {
      GradientTape tape;
      for (const Tensor& s : sources) tape.watch(s);
      analytic = tape.gradient(loss_of(in), sources);
    }
    const double eps = 1e-6;
    for (size_t k = 0; k < sources.size(); ++k) {
      const Tensor& src = sources[k];
      const std::vector<double> numeric = numeric_gradient(src, [&] { return loss_of(in).item(); }, eps);
      const std::string what = c.name + " d/dinput" + std::to_string(k) + " shape=" + src.shape().to_string();
      ASSERT_TRUE(analytic[k].defined()) << what << ": no gradient";
      ASSERT_EQ(analytic[k].shape(), src.shape()) << what;
      expect_close(values(analytic[k]), numeric, 1e-5, what);
      if (::testing::Test::HasFailure()) return;
    }
  }
}

// s(x) = sum_k <d loss / d x_k, v_k> for fixed random w (in the loss) and v: its gradient is the
// Hessian-vector product of the loss, which the outer tape computes from the inner tape's
// recorded backward pass.
inline void check_second_gradient(const OpCase& c) {
  if (!c.check_grad) return;  // no gradient at all: check_gradient insists on it
  std::mt19937 rng(7);
  for (const auto& shapes : c.shapes) {
    int64_t total = 0;
    for (const Shape& s : shapes) total += s.num_elements();
    if (total > 120) continue;  // each element costs two first-order gradients
    Inputs in = make_inputs(c, shapes, DType::float64, rng);
    std::vector<Tensor> sources, v;
    for (const Tensor& t : in)
      if (t.dtype() == DType::float64 && t.size() > 0) {
        sources.push_back(t);
        v.push_back(random_tensor(t.shape(), DType::float64, rng));
      }
    if (sources.empty()) continue;
    Tensor w;
    auto s_of = [&](const Inputs& xs) {
      GradientTape inner;
      for (const Tensor& t : sources) inner.watch(t);
      const Tensor y = c.op(xs);
      if (!w.defined()) w = random_tensor(y.shape(), DType::float64, rng);
      const std::vector<Tensor> g = inner.gradient(ops::reduce_sum(ops::mul(y, w)), sources);
      Tensor s = Tensor::scalar(0.0, DType::float64);
      for (size_t k = 0; k < g.size(); ++k)
        if (g[k].defined()) s = ops::add(s, ops::reduce_sum(ops::mul(g[k], v[k])));
      return s;
    };
    std::vector<Tensor> analytic;
    {
      GradientTape outer;
      for (const Tensor& t : sources) outer.watch(t);
      if (!c.second_order) {
        EXPECT_THROW(outer.gradient(s_of(in), sources), LookupError) << c.name;
        return;
      }
      analytic = outer.gradient(s_of(in), sources);
    }
    const double eps = 1e-5;
    for (size_t k = 0; k < sources.size(); ++k) {
      const Tensor& src = sources[k];
      const std::vector<double> numeric = numeric_gradient(src, [&] { return s_of(in).item(); }, eps);
      const std::string what = c.name + " d2/dinput" + std::to_string(k) + " shape=" + src.shape().to_string();
      // A gradient that does not depend on this input (a linear op's) comes back as None.
      const std::vector<double> got = analytic[k].defined() ? values(analytic[k]) : std::vector<double>(numeric.size(), 0.0);
      if (analytic[k].defined()) {
        ASSERT_EQ(analytic[k].shape(), src.shape()) << what;
      }
      expect_close(got, numeric, 1e-4, what);
      if (::testing::Test::HasFailure()) return;
    }
  }
}

// The cases of the op tables (tests/cpp/ops), for the tests that walk all of them.
std::vector<OpCase> op_table_cases();
std::vector<OpCase> conv_op_table_cases();

}  // namespace tb::testing
