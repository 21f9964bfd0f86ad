// The op test table: one entry per op. Each entry is checked forward against an independent
// double-precision reference on random inputs (several shapes, broadcasting, empty and size-1
// dimensions, every dtype the op supports) and backward against central finite differences
// in float64.
#include <cmath>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "tensorbox/autodiff/gradient_tape.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"
#include "tests/cpp/testing/op_case.h"
#include "tests/cpp/testing/reference.h"

namespace tb {
namespace {

using testing::broadcast_apply;
using testing::random_tensor;
using testing::values;
using Inputs = std::vector<Tensor>;
using testing::OpCase;
using testing::RefOut;

const std::vector<DType> kFloat = {DType::float32, DType::float64, DType::float16, DType::bfloat16};
const std::vector<DType> kNumeric = {DType::float32, DType::float64, DType::float16, DType::bfloat16,
                                     DType::int32, DType::int64};

const std::vector<std::vector<Shape>> kUnaryShapes = {{{3, 4}}, {{2, 3, 5}}, {{1}}, {{}}, {{0, 3}}, {{37}}, {{70001}}};
const std::vector<std::vector<Shape>> kBinaryShapes = {
    {{3, 4}, {3, 4}}, {{2, 3, 4}, {4}}, {{3, 1}, {1, 4}}, {{}, {5}}, {{0, 4}, {4}}, {{1}, {1}},
    {{2, 1, 3}, {2, 5, 1}}, {{40000}, {40000}}, {{300, 200}, {200}}};

Shape bshape(const Inputs& in) {
  Shape s = in[0].shape();
  for (size_t i = 1; i < in.size(); ++i) s = broadcast_shapes(s, in[i].shape());
  return s;
}

OpCase unary(std::string name, Tensor (*op)(const Tensor&), double (*f)(double), std::vector<DType> dts = kFloat,
             double lo = -2, double hi = 2, bool away = false) {
  OpCase c{name, kUnaryShapes, dts, [op](const Inputs& in) { return op(in[0]); },
           [f](const Inputs& in) {
             return RefOut{in[0].shape(), broadcast_apply(in, in[0].shape(), [f](const std::vector<double>& a) { return f(a[0]); })};
           }};
  c.lo = lo;
  c.hi = hi;
  c.away_from_zero = away;
  return c;
}

OpCase binary(std::string name, Tensor (*op)(const Tensor&, const Tensor&), double (*f)(double, double),
              std::vector<DType> dts = kNumeric, bool grad = true) {
  OpCase c{name, kBinaryShapes, dts, [op](const Inputs& in) { return op(in[0], in[1]); },
           [f](const Inputs& in) {
             return RefOut{bshape(in), broadcast_apply(in, bshape(in), [f](const std::vector<double>& a) { return f(a[0], a[1]); })};
           }};
  c.check_grad = grad;
  return c;
}

double sigmoid_d(double x) { return 1 / (1 + std::exp(-x)); }

// Reference reduction over `axes` of a double vector viewed with shape s.
RefOut reduce_ref(const Tensor& x, std::vector<int64_t> axes, bool keep, const std::string& kind) {
  const Shape& s = x.shape();
  if (axes.empty()) for (int64_t i = 0; i < s.rank(); ++i) axes.push_back(i);
  for (auto& a : axes) a = s.normalize_axis(a);
  std::vector<int64_t> kd = s.dims();
  for (auto a : axes) kd[size_t(a)] = 1;
  const Shape ks(kd);
  const auto v = values(x);
  // The identity of max/min: +-inf for floats, the type's limits for integers (as TensorFlow).
  double lowest = -INFINITY, highest = INFINITY;
  if (x.dtype() == DType::int32) { lowest = double(INT32_MIN); highest = double(INT32_MAX); }
  if (x.dtype() == DType::int64) { lowest = double(INT64_MIN); highest = double(INT64_MAX); }
  std::vector<double> acc(size_t(ks.num_elements()), kind == "max" ? lowest : kind == "min" ? highest : 0.0);
  std::vector<double> cnt(acc.size(), 0);
  std::vector<double> best(acc.size(), -INFINITY);
  for (int64_t i = 0; i < s.num_elements(); ++i) {
    int64_t rem = i, o = 0, stride = 1;
    for (int64_t d = s.rank() - 1; d >= 0; --d) {
      const int64_t idx = rem % s.dims()[size_t(d)];
      rem /= s.dims()[size_t(d)];
      o += (kd[size_t(d)] == 1 ? 0 : idx) * stride;
      stride *= kd[size_t(d)];
    }
    const double val = v[size_t(i)];
    if (kind == "sum" || kind == "mean") acc[size_t(o)] += val;
    if (kind == "max") acc[size_t(o)] = std::max(acc[size_t(o)], val);
    if (kind == "min") acc[size_t(o)] = std::min(acc[size_t(o)], val);
    cnt[size_t(o)] += 1;
  }
  if (kind == "mean") for (size_t i = 0; i < acc.size(); ++i) acc[i] = cnt[i] ? acc[i] / cnt[i] : NAN;
  if (kind == "logsumexp") {
    // Two passes: max then sum of exp, in double.
    std::vector<double> m(acc.size(), -INFINITY), sum(acc.size(), 0);
    for (int pass = 0; pass < 2; ++pass)
      for (int64_t i = 0; i < s.num_elements(); ++i) {
        int64_t rem = i, o = 0, stride = 1;
        for (int64_t d = s.rank() - 1; d >= 0; --d) {
          const int64_t idx = rem % s.dims()[size_t(d)];
          rem /= s.dims()[size_t(d)];
          o += (kd[size_t(d)] == 1 ? 0 : idx) * stride;
          stride *= kd[size_t(d)];
        }
        if (pass == 0) m[size_t(o)] = std::max(m[size_t(o)], v[size_t(i)]);
        else sum[size_t(o)] += std::exp(v[size_t(i)] - m[size_t(o)]);
      }
    for (size_t i = 0; i < acc.size(); ++i) acc[i] = m[i] + std::log(sum[i]);
  }
  if (keep) return {ks, acc};
  std::vector<int64_t> od;
  for (int64_t d = 0; d < s.rank(); ++d)
    if (std::find(axes.begin(), axes.end(), d) == axes.end()) od.push_back(s.dims()[size_t(d)]);
  return {Shape(od), acc};
}

// Row-major matmul reference with optional transposes and broadcast batch dims.
RefOut matmul_ref(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  const int64_t M = ta ? a.dim(-1) : a.dim(-2), K = ta ? a.dim(-2) : a.dim(-1), N = tb ? b.dim(-2) : b.dim(-1);
  const Shape ba(std::vector<int64_t>(a.shape().dims().begin(), a.shape().dims().end() - 2));
  const Shape bb(std::vector<int64_t>(b.shape().dims().begin(), b.shape().dims().end() - 2));
  const Shape batch = broadcast_shapes(ba, bb);
  std::vector<int64_t> od = batch.dims();
  od.push_back(M);
  od.push_back(N);
  const auto va = values(a), vb = values(b);
  std::vector<double> out(size_t(Shape(od).num_elements()));
  const int64_t nb = batch.num_elements();
  for (int64_t bi = 0; bi < nb; ++bi) {
    auto off = [&](const Shape& s) {
      int64_t rem = bi, o = 0, stride = 1;
      for (int64_t d = batch.rank() - 1; d >= 0; --d) {
        const int64_t idx = rem % batch.dims()[size_t(d)];
        rem /= batch.dims()[size_t(d)];
        const int64_t sd = d - (batch.rank() - s.rank());
        if (sd >= 0) {
          o += (s.dims()[size_t(sd)] == 1 ? 0 : idx) * stride;
          stride *= s.dims()[size_t(sd)];
        }
      }
      return o;
    };
    const int64_t oa = off(ba) * M * K, ob = off(bb) * K * N;
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        double acc = 0;
        for (int64_t k = 0; k < K; ++k)
          acc += va[size_t(oa + (ta ? k * M + m : m * K + k))] * vb[size_t(ob + (tb ? n * K + k : k * N + n))];
        out[size_t(bi * M * N + m * N + n)] = acc;
      }
  }
  return {Shape(od), out};
}

RefOut softmax_ref(const Tensor& x, bool log) {
  const auto v = values(x);
  const int64_t C = x.dim(-1);
  std::vector<double> out(v.size());
  for (int64_t r = 0; r * C < int64_t(v.size()); ++r) {
    double m = -INFINITY, s = 0;
    for (int64_t j = 0; j < C; ++j) m = std::max(m, v[size_t(r * C + j)]);
    for (int64_t j = 0; j < C; ++j) s += std::exp(v[size_t(r * C + j)] - m);
    for (int64_t j = 0; j < C; ++j)
      out[size_t(r * C + j)] = log ? v[size_t(r * C + j)] - m - std::log(s) : std::exp(v[size_t(r * C + j)] - m) / s;
  }
  return {x.shape(), out};
}

Tensor labels_for(int64_t n, int64_t classes, std::mt19937& rng) {
  std::vector<int64_t> l(static_cast<size_t>(n), 0);
  for (auto& x : l) x = int64_t(rng() % uint64_t(classes));
  return Tensor::from_vector<int64_t>(l, {n});
}

}  // namespace

std::vector<OpCase> testing::op_table_cases() {
  std::vector<OpCase> cs;
  // Unary elementwise.
  cs.push_back(unary("neg", ops::neg, [](double x) { return -x; }, kNumeric));
  cs.push_back(unary("abs", ops::abs, [](double x) { return std::abs(x); }, kNumeric, 0.1, 2, true));
  cs.push_back(unary("sign", ops::sign, [](double x) { return double((x > 0) - (x < 0)); }, kNumeric, 0.1, 2, true));
  cs.push_back(unary("square", ops::square, [](double x) { return x * x; }, kNumeric));
  cs.push_back(unary("exp", ops::exp, [](double x) { return std::exp(x); }));
  cs.push_back(unary("log", ops::log, [](double x) { return std::log(x); }, kFloat, 0.2, 3));
  cs.push_back(unary("sqrt", ops::sqrt, [](double x) { return std::sqrt(x); }, kFloat, 0.2, 3));
  cs.push_back(unary("rsqrt", ops::rsqrt, [](double x) { return 1 / std::sqrt(x); }, kFloat, 0.2, 3));
  cs.push_back(unary("tanh", ops::tanh, [](double x) { return std::tanh(x); }));
  cs.push_back(unary("sigmoid", ops::sigmoid, sigmoid_d));
  cs.push_back(unary("relu", ops::relu, [](double x) { return x > 0 ? x : 0; }, kFloat, 0.1, 2, true));
  cs.push_back(unary("gelu", ops::gelu, [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }));
  cs.push_back(unary("elu", ops::elu, [](double x) { return x > 0 ? x : std::expm1(x); }, kFloat, 0.1, 2, true));
  cs.push_back(unary("selu", ops::selu, [](double x) {
    return 1.0507009873554804934193349852946 * (x > 0 ? x : 1.6732632423543772848170429916717 * std::expm1(x));
  }, kFloat, 0.1, 2, true));
  cs.push_back(unary("softplus", ops::softplus, [](double x) { return std::log1p(std::exp(x)); }));
  cs.push_back(unary("swish", ops::swish, [](double x) { return x * sigmoid_d(x); }));

  // Binary elementwise.
  cs.push_back(binary("add", ops::add, [](double a, double b) { return a + b; }));
  cs.push_back(binary("sub", ops::sub, [](double a, double b) { return a - b; }));
  cs.push_back(binary("mul", ops::mul, [](double a, double b) { return a * b; }));
  {
    OpCase c = binary("div", ops::div, [](double a, double b) { return a / b; }, kFloat);
    c.lo = 0.5; c.away_from_zero = true;  // keeps divisors away from 0
    cs.push_back(c);
  }
  {
    OpCase c = binary("pow", ops::pow, [](double a, double b) { return std::pow(a, b); }, kFloat);
    c.lo = 0.5;  // positive bases
    cs.push_back(c);
  }
  cs.push_back(binary("maximum", ops::maximum, [](double a, double b) { return std::max(a, b); }));
  cs.push_back(binary("minimum", ops::minimum, [](double a, double b) { return std::min(a, b); }));
  auto round_inputs = [](const std::vector<Shape>& s, DType dt, std::mt19937& rng) {
    Inputs in;  // small integers in every dtype, so equal values actually occur
    for (const Shape& sh : s) in.push_back(ops::cast(random_tensor(sh, DType::int32, rng, -1, 1), dt));
    return in;
  };
  for (auto [name, op, f] : std::vector<std::tuple<std::string, Tensor (*)(const Tensor&, const Tensor&), double (*)(double, double)>>{
           {"equal", ops::equal, [](double a, double b) { return double(a == b); }},
           {"not_equal", ops::not_equal, [](double a, double b) { return double(a != b); }},
           {"less", ops::less, [](double a, double b) { return double(a < b); }},
           {"less_equal", ops::less_equal, [](double a, double b) { return double(a <= b); }},
           {"greater", ops::greater, [](double a, double b) { return double(a > b); }},
           {"greater_equal", ops::greater_equal, [](double a, double b) { return double(a >= b); }}}) {
    OpCase c = binary(name, op, f, kNumeric, false);
    c.make = round_inputs;
    cs.push_back(c);
  }
  auto bool_inputs = [](const std::vector<Shape>& s, DType, std::mt19937& rng) {
    Inputs in;
    for (const Shape& sh : s) in.push_back(ops::greater(random_tensor(sh, DType::float32, rng), Tensor::scalar(0.0)));
    return in;
  };
  for (auto [name, op, f] : std::vector<std::tuple<std::string, Tensor (*)(const Tensor&, const Tensor&), double (*)(double, double)>>{
           {"logical_and", ops::logical_and, [](double a, double b) { return double(a && b); }},
           {"logical_or", ops::logical_or, [](double a, double b) { return double(a || b); }}}) {
    OpCase c = binary(name, op, f, {DType::bool_}, false);
    c.make = bool_inputs;
    cs.push_back(c);
  }
  {
    OpCase c{"where", {{{3, 4}, {3, 4}, {3, 4}}, {{3, 1}, {1, 4}, {}}, {{0, 2}, {2}, {2}}}, kNumeric,
             [](const Inputs& in) { return ops::where(in[0], in[1], in[2]); },
             [](const Inputs& in) {
               return RefOut{bshape(in), broadcast_apply(in, bshape(in), [](const std::vector<double>& a) { return a[0] ? a[1] : a[2]; })};
             }};
    c.make = [](const std::vector<Shape>& s, DType dt, std::mt19937& rng) {
      return Inputs{ops::greater(random_tensor(s[0], DType::float32, rng), Tensor::scalar(0.0)),
                    random_tensor(s[1], dt, rng), random_tensor(s[2], dt, rng)};
    };
    cs.push_back(c);
  }
  {
    std::vector<DType> all = kNumeric;
    all.push_back(DType::uint8);
    OpCase c{"cast_to_float64", kUnaryShapes, all, [](const Inputs& in) { return ops::cast(in[0], DType::float64); },
             [](const Inputs& in) { return RefOut{in[0].shape(), values(in[0])}; }};
    cs.push_back(c);
    OpCase t{"cast_float_to_int32", kUnaryShapes, kFloat, [](const Inputs& in) { return ops::cast(in[0], DType::int32); },
             [](const Inputs& in) {
               auto v = values(in[0]);
               for (auto& x : v) x = std::trunc(x);
               return RefOut{in[0].shape(), v};
             }};
    t.check_grad = false;
    cs.push_back(t);
  }

  // Reductions over several axis sets, with and without keepdims.
  const std::vector<std::vector<Shape>> red_shapes = {{{3, 4, 5}}, {{2, 1, 3}}, {{3, 0, 2}}, {{300, 7, 200}}};
  for (std::string kind : {"sum", "mean", "max", "min"})
    for (std::vector<int64_t> axes : std::vector<std::vector<int64_t>>{{}, {0}, {1}, {-1}, {0, 2}, {1, 2}})
      for (bool keep : {false, true}) {
        std::string name = "reduce_" + kind + "_axes";
        for (auto a : axes) name += (a < 0 ? "m" : "") + std::to_string(std::abs(a));
        if (keep) name += "_keepdims";
        auto op = kind == "sum" ? ops::reduce_sum : kind == "mean" ? ops::reduce_mean : kind == "max" ? ops::reduce_max : ops::reduce_min;
        OpCase c{name, red_shapes, kind == "mean" ? kFloat : kNumeric,
                 [op, axes, keep](const Inputs& in) { return op(in[0], axes, keep); },
                 [axes, keep, kind](const Inputs& in) { return reduce_ref(in[0], axes, keep, kind); }};
        // Empty inputs have nothing to differentiate; max/min of empty rows is -inf/inf.
        c.tolerance_scale = 20;
        cs.push_back(c);
      }
  for (std::vector<int64_t> axes : std::vector<std::vector<int64_t>>{{}, {-1}, {0, 1}}) {
    std::string name = "reduce_logsumexp_axes";
    for (auto a : axes) name += (a < 0 ? "m" : "") + std::to_string(std::abs(a));
    OpCase c{name, {{{3, 4, 5}}, {{2, 1, 3}}}, kFloat,
             [axes](const Inputs& in) { return ops::reduce_logsumexp(in[0], axes); },
             [axes](const Inputs& in) { return reduce_ref(in[0], axes, false, "logsumexp"); }};
    c.tolerance_scale = 20;
    cs.push_back(c);
  }
  for (int64_t axis : {0, 1, -1}) {
    OpCase c{"argmax_axis" + std::string(axis < 0 ? "m" : "") + std::to_string(std::abs(axis)), {{{3, 4, 5}}, {{1, 7, 2}}}, kFloat,
             [axis](const Inputs& in) { return ops::argmax(in[0], axis); },
             [axis](const Inputs& in) {
               const Shape& s = in[0].shape();
               const int64_t a = s.normalize_axis(axis);
               int64_t outer = 1, R = s.dims()[size_t(a)], inner = 1;
               std::vector<int64_t> od;
               for (int64_t d = 0; d < s.rank(); ++d) {
                 if (d < a) outer *= s.dims()[size_t(d)];
                 if (d > a) inner *= s.dims()[size_t(d)];
                 if (d != a) od.push_back(s.dims()[size_t(d)]);
               }
               const auto v = values(in[0]);
               std::vector<double> out;
               for (int64_t o = 0; o < outer; ++o)
                 for (int64_t i = 0; i < inner; ++i) {
                   int64_t best = 0;
                   for (int64_t r = 1; r < R; ++r)
                     if (v[size_t((o * R + r) * inner + i)] > v[size_t((o * R + best) * inner + i)]) best = r;
                   out.push_back(double(best));
                 }
               return RefOut{Shape(od), out};
             }};
    c.check_grad = false;
    c.make = [](const std::vector<Shape>& s, DType dt, std::mt19937& rng) {
      // Distinct values (a shuffled ramp) so there are no ties to break.
      std::vector<double> v(size_t(s[0].num_elements()));
      for (size_t i = 0; i < v.size(); ++i) v[i] = double(i) * 0.25;
      std::shuffle(v.begin(), v.end(), rng);
      return Inputs{ops::cast(Tensor::from_vector<double>(v, s[0]), dt)};
    };
    cs.push_back(c);
  }

  // Layout.
  auto layout = [](std::string name, std::vector<std::vector<Shape>> shapes, std::function<Tensor(const Inputs&)> op,
                   std::function<RefOut(const Inputs&)> ref) {
    return OpCase{std::move(name), std::move(shapes), kNumeric, std::move(op), std::move(ref)};
  };
  cs.push_back(layout("reshape", {{{3, 4}}, {{2, 6}}, {{0, 12}}}, [](const Inputs& in) { return ops::reshape(in[0], {-1, 2}); },
                      [](const Inputs& in) { return RefOut{Shape{in[0].size() / 2, 2}, values(in[0])}; }));
  cs.push_back(layout("expand_dims", {{{3, 4}}}, [](const Inputs& in) { return ops::expand_dims(in[0], 1); },
                      [](const Inputs& in) { return RefOut{Shape{3, 1, 4}, values(in[0])}; }));
  cs.push_back(layout("squeeze", {{{3, 1, 4, 1}}}, [](const Inputs& in) { return ops::squeeze(in[0]); },
                      [](const Inputs& in) { return RefOut{Shape{3, 4}, values(in[0])}; }));
  cs.push_back(layout("transpose", {{{2, 3, 4}}, {{1, 5, 2}}, {{0, 2, 3}}},
                      [](const Inputs& in) { return ops::transpose(in[0], {2, 0, 1}); },
                      [](const Inputs& in) {
                        const auto& d = in[0].shape().dims();
                        const auto v = values(in[0]);
                        std::vector<double> out;
                        for (int64_t k = 0; k < d[2]; ++k)
                          for (int64_t i = 0; i < d[0]; ++i)
                            for (int64_t j = 0; j < d[1]; ++j) out.push_back(v[size_t((i * d[1] + j) * d[2] + k)]);
                        return RefOut{Shape{d[2], d[0], d[1]}, out};
                      }));
  cs.push_back(layout("slice", {{{4, 5}}, {{3, 9}}}, [](const Inputs& in) { return ops::slice(in[0], {1, 2}, {2, -1}); },
                      [](const Inputs& in) {
                        const int64_t C = in[0].dim(1);
                        const auto v = values(in[0]);
                        std::vector<double> out;
                        for (int64_t i = 1; i < 3; ++i)
                          for (int64_t j = 2; j < C; ++j) out.push_back(v[size_t(i * C + j)]);
                        return RefOut{Shape{2, C - 2}, out};
                      }));
  // unstack along axis 0, the pieces joined along their last axis: out[a, j * B + b] = x[j, a, b].
  cs.push_back(layout("unstack", {{{3, 2, 4}}, {{1, 3, 2}}}, [](const Inputs& in) { return ops::concat(ops::unstack(in[0], 0), -1); },
                      [](const Inputs& in) {
                        const int64_t J = in[0].dim(0), A = in[0].dim(1), B = in[0].dim(2);
                        const auto v = values(in[0]);
                        std::vector<double> out;
                        for (int64_t a = 0; a < A; ++a)
                          for (int64_t j = 0; j < J; ++j)
                            for (int64_t b = 0; b < B; ++b) out.push_back(v[size_t((j * A + a) * B + b)]);
                        return RefOut{Shape{A, J * B}, out};
                      }));
  // stack of two tensors along a new middle axis: out[i, s, k] = in_s[i, k].
  cs.push_back(layout("stack", {{{3, 4}, {3, 4}}, {{1, 2}, {1, 2}}}, [](const Inputs& in) { return ops::stack(in, 1); },
                      [](const Inputs& in) {
                        const int64_t I = in[0].dim(0), K = in[0].dim(1);
                        const auto a = values(in[0]), b = values(in[1]);
                        std::vector<double> out;
                        for (int64_t i = 0; i < I; ++i)
                          for (const auto* v : {&a, &b})
                            for (int64_t k = 0; k < K; ++k) out.push_back((*v)[size_t(i * K + k)]);
                        return RefOut{Shape{I, 2, K}, out};
                      }));
  cs.push_back(layout("gather_axis1", {{{2, 5, 3}}},
                      [](const Inputs& in) { return ops::gather(in[0], Tensor::from_vector<int64_t>({4, 0, 2, 2}, {4}), 1); },
                      [](const Inputs& in) {
                        const auto v = values(in[0]);
                        std::vector<double> out;
                        for (int64_t o = 0; o < 2; ++o)
                          for (int64_t idx : {4, 0, 2, 2})
                            for (int64_t k = 0; k < 3; ++k) out.push_back(v[size_t((o * 5 + idx) * 3 + k)]);
                        return RefOut{Shape{2, 4, 3}, out};
                      }));
  {
    // Picks columns 2, 0, 0 of rows 0..2 (and along axis 0 for the second shape set).
    OpCase c = layout("pad", {{{2, 3}}, {{1, 4, 2}}, {{0, 2}}}, [](const Inputs& in) {
      std::vector<std::pair<int64_t, int64_t>> p;
      for (int64_t a = 0; a < in[0].rank(); ++a) p.push_back({a % 2, 1 + a});
      return ops::pad(in[0], p);
    }, [](const Inputs& in) {
      const Shape& s = in[0].shape();
      std::vector<int64_t> d;
      for (int64_t a = 0; a < s.rank(); ++a) d.push_back(s[a] + a % 2 + 1 + a);
      std::vector<double> out(size_t(Shape(d).num_elements()), 0.0);
      const auto v = values(in[0]);
      for (int64_t i = 0; i < s.num_elements(); ++i) {  // each element moves by its axis' `before`
        int64_t rem = i, o = 0, stride = 1;
        for (int64_t a = s.rank() - 1; a >= 0; --a) {
          const int64_t idx = rem % s[a];
          rem /= s[a];
          o += (idx + a % 2) * stride;
          stride *= d[size_t(a)];
        }
        out[size_t(o)] = v[size_t(i)];
      }
      return RefOut{Shape(d), out};
    });
    cs.push_back(c);
  }
  {
    OpCase c = layout("take_along_axis", {{{3, 4}}}, [](const Inputs& in) {
      return ops::take_along_axis(in[0], Tensor::from_vector<int64_t>({2, 0, 0, 3, 3, 1}, {3, 2}), 1);
    }, [](const Inputs& in) {
      const auto v = values(in[0]);
      const int64_t idx[3][2] = {{2, 0}, {0, 3}, {3, 1}};
      std::vector<double> out;
      for (int r = 0; r < 3; ++r)
        for (int j = 0; j < 2; ++j) out.push_back(v[size_t(r * 4 + idx[r][j])]);
      return RefOut{Shape{3, 2}, out};
    });
    cs.push_back(c);
  }
  cs.push_back(layout("concat_axis1", {{{2, 3}, {2, 1}}, {{0, 2}, {0, 3}}},
                      [](const Inputs& in) { return ops::concat({in[0], in[1]}, 1); },
                      [](const Inputs& in) {
                        const int64_t R = in[0].dim(0), A = in[0].dim(1), B = in[1].dim(1);
                        const auto a = values(in[0]), b = values(in[1]);
                        std::vector<double> out;
                        for (int64_t r = 0; r < R; ++r) {
                          for (int64_t j = 0; j < A; ++j) out.push_back(a[size_t(r * A + j)]);
                          for (int64_t j = 0; j < B; ++j) out.push_back(b[size_t(r * B + j)]);
                        }
                        return RefOut{Shape{R, A + B}, out};
                      }));
  cs.push_back(layout("broadcast_to", {{{3, 1}}, {{1}}},
                      [](const Inputs& in) { return ops::broadcast_to(in[0], {2, 3, 4}); },
                      [](const Inputs& in) { return RefOut{Shape{2, 3, 4}, broadcast_apply(in, {2, 3, 4}, [](const std::vector<double>& a) { return a[0]; })}; }));
  {
    OpCase c{"one_hot", {{{5}}, {{2, 3}}}, {DType::float32, DType::float64, DType::int32},
             [](const Inputs& in) { return ops::one_hot(ops::cast(in[0], DType::int64), 4, 1.0, 0.0, DType::float32); },
             [](const Inputs& in) {
               std::vector<double> out;
               for (double v : values(in[0]))
                 for (int k = 0; k < 4; ++k) out.push_back(int64_t(v) == k ? 1.0 : 0.0);
               std::vector<int64_t> d = in[0].shape().dims();
               d.push_back(4);
               return RefOut{Shape(d), out};
             }};
    c.check_grad = false;
    c.make = [](const std::vector<Shape>& s, DType dt, std::mt19937& rng) {
      // Includes 4 and -1: out-of-range indices give all-zero rows, as in TensorFlow.
      std::vector<double> v(size_t(s[0].num_elements()));
      for (auto& x : v) x = double(int(rng() % 6) - 1);
      return Inputs{ops::cast(Tensor::from_vector<double>(v, s[0]), dt)};
    };
    cs.push_back(c);
  }

  // Linear algebra and NN.
  const std::vector<DType> mm_types = {DType::float32, DType::float64, DType::bfloat16, DType::float16, DType::int32};
  for (auto [ta, tb] : std::vector<std::pair<bool, bool>>{{false, false}, {true, false}, {false, true}, {true, true}}) {
    auto shape_of = [](int64_t r, int64_t c, bool t) { return t ? Shape{c, r} : Shape{r, c}; };
    std::vector<std::vector<Shape>> shapes = {{shape_of(3, 4, ta), shape_of(4, 5, tb)},
                                              {shape_of(1, 1, ta), shape_of(1, 3, tb)},
                                              {shape_of(64, 96, ta), shape_of(96, 33, tb)}};
    OpCase c{std::string("matmul") + (ta ? "_ta" : "") + (tb ? "_tb" : ""), shapes, mm_types,
             [ta, tb](const Inputs& in) { return ops::matmul(in[0], in[1], ta, tb); },
             [ta, tb](const Inputs& in) { return matmul_ref(in[0], in[1], ta, tb); }};
    c.tolerance_scale = 20;
    cs.push_back(c);
  }
  {
    OpCase c{"matmul_batched", {{{2, 3, 4}, {2, 4, 5}}, {{2, 1, 3, 4}, {3, 4, 2}}, {{3, 4}, {2, 4, 2}}}, mm_types,
             [](const Inputs& in) { return ops::matmul(in[0], in[1]); },
             [](const Inputs& in) { return matmul_ref(in[0], in[1], false, false); }};
    c.tolerance_scale = 20;
    cs.push_back(c);
  }
  for (std::string act : {"linear", "relu", "tanh", "sigmoid"}) {
    OpCase c{"dense_" + act, {{{3, 4}, {4, 5}, {5}}, {{2, 3, 4}, {4, 2}, {2}}, {{128, 96}, {96, 40}, {40}}},
             {DType::float32, DType::float64, DType::bfloat16},
             [act](const Inputs& in) { return ops::dense(in[0], in[1], in[2], act); },
             [act](const Inputs& in) {
               RefOut r = matmul_ref(in[0].reshape({-1, in[0].dim(-1)}), in[1], false, false);
               const auto b = values(in[2]);
               const int64_t N = in[1].dim(1);
               for (size_t i = 0; i < r.second.size(); ++i) {
                 double z = r.second[i] + b[i % size_t(N)];
                 if (act == "relu") z = std::max(z, 0.0);
                 if (act == "tanh") z = std::tanh(z);
                 if (act == "sigmoid") z = sigmoid_d(z);
                 r.second[i] = z;
               }
               std::vector<int64_t> d = in[0].shape().dims();
               d.back() = N;
               return RefOut{Shape(d), r.second};
             }};
    c.away_from_zero = act == "relu";
    c.lo = act == "relu" ? 0.3 : -2;
    c.tolerance_scale = 20;
    cs.push_back(c);
  }
  cs.push_back(OpCase{"bias_add", {{{3, 4}, {4}}, {{2, 3, 5}, {5}}}, kNumeric,
                      [](const Inputs& in) { return ops::bias_add(in[0], in[1]); },
                      [](const Inputs& in) { return RefOut{in[0].shape(), broadcast_apply(in, in[0].shape(), [](const std::vector<double>& a) { return a[0] + a[1]; })}; }});
  for (bool log : {false, true}) {
    cs.push_back(OpCase{log ? "log_softmax" : "softmax", {{{3, 5}}, {{2, 3, 4}}, {{4, 1}}, {{7, 1000}}}, kFloat,
                        [log](const Inputs& in) { return log ? ops::log_softmax(in[0]) : ops::softmax(in[0]); },
                        [log](const Inputs& in) { return softmax_ref(in[0], log); }});
    cs.push_back(OpCase{log ? "log_softmax_axis0" : "softmax_axis0", {{{3, 5}}}, kFloat,
                        [log](const Inputs& in) { return log ? ops::log_softmax(in[0], 0) : ops::softmax(in[0], 0); },
                        [log](const Inputs& in) {
                          RefOut r = softmax_ref(ops::transpose(in[0]), log);
                          const Tensor back = ops::transpose(Tensor::from_vector<double>(r.second, r.first));
                          return RefOut{back.shape(), values(back)};
                        }});
  }
  {
    OpCase c{"sparse_softmax_cross_entropy_with_logits", {{{4}, {4, 5}}, {{1}, {1, 3}}, {{2, 3}, {2, 3, 4}}}, kFloat,
             [](const Inputs& in) { return ops::sparse_softmax_cross_entropy_with_logits(in[0], in[1]); },
             [](const Inputs& in) {
               const RefOut lsm = softmax_ref(in[1], true);
               const auto lab = values(in[0]);
               const int64_t C = in[1].dim(-1);
               std::vector<double> out;
               for (size_t r = 0; r < lab.size(); ++r) out.push_back(-lsm.second[r * size_t(C) + size_t(lab[r])]);
               return RefOut{in[0].shape(), out};
             }};
    c.make = [](const std::vector<Shape>& s, DType dt, std::mt19937& rng) {
      const Tensor l = labels_for(s[0].num_elements(), s[1][-1], rng);
      return Inputs{l.reshape(s[0]), random_tensor(s[1], dt, rng)};
    };
    cs.push_back(c);
  }
  {
    OpCase c{"softmax_cross_entropy_with_logits", {{{4, 5}, {4, 5}}, {{2, 3, 4}, {2, 3, 4}}}, kFloat,
             [](const Inputs& in) { return ops::softmax_cross_entropy_with_logits(in[0], in[1]); },
             [](const Inputs& in) {
               const RefOut lsm = softmax_ref(in[1], true);
               const auto p = values(in[0]);
               const int64_t C = in[1].dim(-1);
               std::vector<double> out;
               for (size_t r = 0; r * size_t(C) < p.size(); ++r) {
                 double l = 0;
                 for (int64_t j = 0; j < C; ++j) l -= p[r * size_t(C) + size_t(j)] * lsm.second[r * size_t(C) + size_t(j)];
                 out.push_back(l);
               }
               std::vector<int64_t> d = in[1].shape().dims();
               d.pop_back();
               return RefOut{Shape(d), out};
             }};
    c.make = [](const std::vector<Shape>& s, DType dt, std::mt19937& rng) {
      return Inputs{ops::softmax(random_tensor(s[0], dt, rng)), random_tensor(s[1], dt, rng)};
    };
    cs.push_back(c);
  }
  {
    OpCase c{"batch_normalization", {{{3, 4}, {4}, {4}, {4}, {4}}, {{2, 3, 2}, {1, 3, 1}, {1, 3, 1}, {3, 1}, {2}}}, kFloat,
             [](const Inputs& in) { return ops::batch_normalization(in[0], in[1], in[2], in[3], in[4], 1e-3); },
             [](const Inputs& in) {
               const Shape s = bshape(in);
               return RefOut{s, broadcast_apply(in, s, [](const std::vector<double>& a) {
                               return (a[0] - a[1]) / std::sqrt(a[2] + 1e-3) * a[4] + a[3];
                             })};
             }};
    c.make = [](const std::vector<Shape>& s, DType dt, std::mt19937& rng) {
      Inputs in;
      for (size_t i = 0; i < s.size(); ++i)  // the variance stays positive
        in.push_back(random_tensor(s[i], dt, rng, i == 2 ? 0.5 : -2, 2));
      return in;
    };
    cs.push_back(c);
  }
  return cs;
}

namespace {

class OpTable : public ::testing::TestWithParam<OpCase> {};
TEST_P(OpTable, ForwardMatchesReference) { testing::check_forward(GetParam()); }
TEST_P(OpTable, GradientMatchesFiniteDifferences) { testing::check_gradient(GetParam()); }
TEST_P(OpTable, SecondDerivativeMatchesFiniteDifferences) { testing::check_second_gradient(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Ops, OpTable, ::testing::ValuesIn(testing::op_table_cases()),
                         [](const ::testing::TestParamInfo<OpCase>& info) { return info.param.name; });

}  // namespace
}  // namespace tb
