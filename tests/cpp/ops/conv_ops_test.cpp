// The op table for convolution and pooling: each op forward against a direct double-precision
// reference (written from the definitions, not from the kernels: padded input, strided and
// dilated taps, groups), and backward against finite differences in float64. Then what the
// table cannot see: float32 gradients (oneDNN's backward kernels) against float64 ones, that
// oneDNN runs JIT code and not its reference loops, and the error messages.
#include <cmath>
#include <iostream>

#include <gtest/gtest.h>

#include "tensorbox/autodiff/gradient_tape.h"
#include "tensorbox/kernels/cpu/conv.h"
#include "tensorbox/ops/conv_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"
#include "tests/cpp/testing/op_case.h"

namespace tb {
namespace {

using testing::Inputs;
using testing::OpCase;
using testing::RefOut;
using testing::values;

const std::vector<DType> kFloat = {DType::float32, DType::float64, DType::float16, DType::bfloat16};

// Padding before an axis and the output size, from TensorFlow's documented rule.
std::pair<int64_t, int64_t> ref_pad(int64_t in, int64_t k, int64_t s, int64_t d, const std::string& padding) {
  const int64_t eff = (k - 1) * d + 1;
  if (padding == "valid") return {0, (in - eff) / s + 1};
  if (padding == "causal") return {eff - 1, (in - 1) / s + 1};
  const int64_t out = int64_t(std::ceil(double(in) / double(s)));
  return {std::max<int64_t>((out - 1) * s + eff - in, 0) / 2, out};
}

RefOut conv_ref(const Tensor& x, const Tensor& w, const Tensor* b, const ops::Conv2DArgs& a, const std::string& act) {
  const auto xv = values(x), wv = values(w);
  const int64_t N = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
  const int64_t KH = w.dim(0), KW = w.dim(1), CG = w.dim(2), O = w.dim(3), G = C / CG, OG = O / G;
  const auto [pt, OH] = ref_pad(H, KH, a.strides[0], a.dilations[0], a.padding);
  const auto [pl, OW] = ref_pad(W, KW, a.strides[1], a.dilations[1], a.padding);
  std::vector<double> out;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t i = 0; i < OH; ++i)
      for (int64_t j = 0; j < OW; ++j)
        for (int64_t o = 0; o < O; ++o) {
          double acc = b ? values(*b)[size_t(o)] : 0.0;
          for (int64_t kh = 0; kh < KH; ++kh)
            for (int64_t kw = 0; kw < KW; ++kw)
              for (int64_t ci = 0; ci < CG; ++ci) {
                const int64_t h = i * a.strides[0] + kh * a.dilations[0] - pt;
                const int64_t wc = j * a.strides[1] + kw * a.dilations[1] - pl;
                if (h < 0 || h >= H || wc < 0 || wc >= W) continue;  // zero padding
                acc += xv[size_t(((n * H + h) * W + wc) * C + (o / OG) * CG + ci)] *
                       wv[size_t(((kh * KW + kw) * CG + ci) * O + o)];
              }
          out.push_back(act == "relu" ? std::max(acc, 0.0) : acc);
        }
  return {Shape{N, OH, OW, O}, out};
}

// Conv2DTranspose by its definition: every input pixel scatters filter * value into the output.
RefOut conv_transpose_ref(const Tensor& x, const Tensor& w, int64_t OH, int64_t OW, const ops::Conv2DArgs& a) {
  const auto xv = values(x), wv = values(w);
  const int64_t N = x.dim(0), H = x.dim(1), W = x.dim(2), CI = x.dim(3), KH = w.dim(0), KW = w.dim(1), CO = w.dim(2);
  const int64_t pt = ref_pad(OH, KH, a.strides[0], a.dilations[0], a.padding).first;
  const int64_t pl = ref_pad(OW, KW, a.strides[1], a.dilations[1], a.padding).first;
  std::vector<double> out(size_t(N * OH * OW * CO), 0.0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t i = 0; i < H; ++i)
      for (int64_t j = 0; j < W; ++j)
        for (int64_t ci = 0; ci < CI; ++ci)
          for (int64_t kh = 0; kh < KH; ++kh)
            for (int64_t kw = 0; kw < KW; ++kw) {
              const int64_t h = i * a.strides[0] + kh * a.dilations[0] - pt, wc = j * a.strides[1] + kw * a.dilations[1] - pl;
              if (h < 0 || h >= OH || wc < 0 || wc >= OW) continue;
              for (int64_t co = 0; co < CO; ++co)
                out[size_t(((n * OH + h) * OW + wc) * CO + co)] +=
                    xv[size_t(((n * H + i) * W + j) * CI + ci)] * wv[size_t(((kh * KW + kw) * CO + co) * CI + ci)];
            }
  return {Shape{N, OH, OW, CO}, out};
}

RefOut pool_ref(const Tensor& x, int64_t k, int64_t s, const std::string& padding, bool max) {
  const auto xv = values(x);
  const int64_t N = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
  const auto [pt, OH] = ref_pad(H, k, s, 1, padding);
  const auto [pl, OW] = ref_pad(W, k, s, 1, padding);
  std::vector<double> out;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t i = 0; i < OH; ++i)
      for (int64_t j = 0; j < OW; ++j)
        for (int64_t c = 0; c < C; ++c) {
          double best = -INFINITY, sum = 0, count = 0;
          for (int64_t h = i * s - pt; h < i * s - pt + k; ++h)
            for (int64_t w = j * s - pl; w < j * s - pl + k; ++w) {
              if (h < 0 || h >= H || w < 0 || w >= W) continue;  // padding takes no part
              const double v = xv[size_t(((n * H + h) * W + w) * C + c)];
              best = std::max(best, v);
              sum += v;
              count += 1;
            }
          out.push_back(max ? best : sum / count);
        }
  return {Shape{N, OH, OW, C}, out};
}

OpCase conv_case(std::string name, std::vector<std::vector<Shape>> shapes, ops::Conv2DArgs a, std::string act = "") {
  OpCase c{std::move(name), std::move(shapes), kFloat,
           [a, act](const Inputs& in) { return ops::conv2d(in[0], in[1], in.size() > 2 ? in[2] : Tensor(), a, act); },
           [a, act](const Inputs& in) { return conv_ref(in[0], in[1], in.size() > 2 ? &in[2] : nullptr, a, act); }};
  c.tolerance_scale = 20;
  c.lo = act == "relu" ? 0.3 : -2;
  c.away_from_zero = act == "relu";  // keeps pre-activations off the kink for finite differences
  return c;
}

}  // namespace

std::vector<OpCase> testing::conv_op_table_cases() {
  std::vector<OpCase> cs;
  cs.push_back(conv_case("conv2d_valid", {{{2, 5, 6, 3}, {3, 3, 3, 4}, {4}}, {{1, 3, 3, 1}, {3, 3, 1, 2}, {2}},
                                          {{1, 1, 1, 1}, {1, 1, 1, 1}, {1}}, {{3, 4, 4, 2}, {2, 2, 2, 3}}},
                         {}));
  cs.push_back(conv_case("conv2d_same_strides", {{{2, 7, 6, 3}, {3, 2, 3, 4}, {4}}, {{1, 4, 5, 2}, {2, 2, 2, 2}, {2}}},
                         {.strides = {2, 2}, .padding = "same"}));
  cs.push_back(conv_case("conv2d_same_relu", {{{2, 5, 5, 2}, {3, 3, 2, 3}, {3}}}, {.padding = "same"}, "relu"));
  cs.push_back(conv_case("conv2d_dilation", {{{1, 7, 7, 2}, {3, 3, 2, 3}, {3}}, {{2, 6, 5, 1}, {2, 2, 1, 2}}},
                         {.dilations = {2, 2}}));
  cs.push_back(conv_case("conv2d_groups", {{{2, 5, 5, 4}, {3, 3, 2, 6}, {6}}, {{1, 4, 4, 6}, {1, 1, 1, 6}, {6}}}, {}));
  cs.push_back(conv_case("conv2d_causal", {{{2, 1, 8, 3}, {1, 3, 3, 2}, {2}}}, {.padding = "causal", .dilations = {1, 2}}));
  cs.push_back(conv_case("conv2d_empty_batch", {{{0, 4, 4, 2}, {3, 3, 2, 2}, {2}}}, {}));
  for (const std::string padding : {"valid", "same"}) {
    const ops::Conv2DArgs a{.strides = {2, 2}, .padding = padding};
    const int64_t out = padding == "valid" ? 7 : 6;
    OpCase c{"conv2d_transpose_" + padding, {{{2, 3, 3, 4}, {3, 3, 2, 4}}, {{1, 3, 3, 1}, {3, 3, 3, 1}}}, kFloat,
             [a, out](const Inputs& in) { return ops::conv2d_transpose(in[0], in[1], {out, out}, a); },
             [a, out](const Inputs& in) { return conv_transpose_ref(in[0], in[1], out, out, a); }};
    c.tolerance_scale = 20;
    cs.push_back(c);
  }
  for (bool max : {true, false})
    for (auto [k, s, padding] : std::vector<std::tuple<int64_t, int64_t, std::string>>{{2, 2, "valid"}, {3, 2, "same"}, {3, 1, "valid"}}) {
      OpCase c{std::string(max ? "max" : "avg") + "_pool2d_" + std::to_string(k) + "_" + std::to_string(s) + "_" + padding,
               {{{2, 6, 5, 3}}, {{1, 5, 5, 2}}, {{1, 3, 3, 1}}}, kFloat,
               [max, k, s, padding](const Inputs& in) {
                 return max ? ops::max_pool2d(in[0], {k, k}, {s, s}, padding) : ops::avg_pool2d(in[0], {k, k}, {s, s}, padding);
               },
               [max, k, s, padding](const Inputs& in) { return pool_ref(in[0], k, s, padding, max); }};
      c.tolerance_scale = 4;
      c.second_order = !max;  // MaxPoolGrad has no gradient (no MaxPoolGradGrad yet)
      cs.push_back(c);
    }
  return cs;
}

namespace {

class ConvOpTable : public ::testing::TestWithParam<OpCase> {};
TEST_P(ConvOpTable, ForwardMatchesReference) { testing::check_forward(GetParam()); }
TEST_P(ConvOpTable, GradientMatchesFiniteDifferences) { testing::check_gradient(GetParam()); }
TEST_P(ConvOpTable, SecondDerivativeMatchesFiniteDifferences) { testing::check_second_gradient(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Ops, ConvOpTable, ::testing::ValuesIn(testing::conv_op_table_cases()),
                         [](const ::testing::TestParamInfo<OpCase>& info) { return info.param.name; });

// The float64 gradients come from plain loops; the float32 ones from oneDNN's backward
// kernels. Same data, same loss: they must agree to float32 precision.
TEST(ConvOps, Float32GradientsMatchFloat64) {
  std::mt19937 rng(7);
  struct Case {
    Shape x, w;
    ops::Conv2DArgs a;
    std::string act;
  };
  for (const Case& c : std::vector<Case>{{{4, 12, 12, 3}, {3, 3, 3, 8}, {}, "relu"},
                                         {{2, 11, 9, 8}, {3, 3, 8, 16}, {.strides = {2, 2}, .padding = "same"}, ""},
                                         {{2, 9, 9, 6}, {3, 3, 2, 6}, {.dilations = {2, 2}}, ""},
                                         {{3, 14, 14, 16}, {5, 5, 16, 32}, {.padding = "same"}, "relu"}}) {
    const Tensor x64 = testing::random_tensor(c.x, DType::float64, rng);
    const Tensor w64 = testing::random_tensor(c.w, DType::float64, rng, -0.5, 0.5);
    const Tensor b64 = testing::random_tensor({c.w[3]}, DType::float64, rng);
    std::vector<std::vector<double>> grads[2];
    for (int f32 = 0; f32 < 2; ++f32) {
      const DType dt = f32 ? DType::float32 : DType::float64;
      const Tensor x = ops::cast(x64, dt), w = ops::cast(w64, dt), b = ops::cast(b64, dt);
      GradientTape tape;
      for (const Tensor& t : {x, w, b}) tape.watch(t);
      Tensor y = ops::conv2d(x, w, b, c.a, c.act);
      y = ops::max_pool2d(y, {2, 2}, {2, 2}, "same");
      const Tensor loss = ops::reduce_sum(ops::mul(y, ops::tanh(y)));
      for (const Tensor& g : tape.gradient(loss, {x, w, b})) grads[f32].push_back(values(g));
    }
    for (size_t i = 0; i < 3; ++i) testing::expect_close(grads[1][i], grads[0][i], 2e-4, "conv x" + c.x.to_string() + " grad " + std::to_string(i));
  }
}

TEST(ConvOps, OneDnnRunsJitKernelsNotReferenceLoops) {
  kernels::cpu::ConvGeometry g{.N = 8, .H = 26, .W = 26, .C = 32, .KH = 3, .KW = 3, .O = 64};
  g.OH = 24, g.OW = 24;
  const std::string names = kernels::cpu::conv2d_impl_names(g);
  EXPECT_EQ(names.find("ref"), std::string::npos) << names;
  EXPECT_NE(names.find("jit"), std::string::npos) << names;
  std::cout << "oneDNN convolution implementations: " << names << "\n";
}

TEST(ConvOps, ErrorsNameTheProblem) {
  const Tensor x = Tensor::zeros({2, 8, 8, 3}), w = Tensor::zeros({3, 3, 3, 4});
  tb::testing::expect_error<Error>([&] { ops::conv2d(Tensor::zeros({8, 8, 3}), w, Tensor(), {}); }, "must be 4-dimensional");
  tb::testing::expect_error<Error>([&] { ops::conv2d(x, Tensor::zeros({3, 3, 2, 4}), Tensor(), {}); },
               "Depth of input (3) is not a multiple of input depth of filter (2)");
  tb::testing::expect_error<Error>([&] { ops::conv2d(x, Tensor::zeros({9, 9, 3, 4}), Tensor(), {.layer = "conv2d_7"}); },
               "conv2d_7: Computed output size would be negative");
  tb::testing::expect_error<Error>([&] { ops::conv2d(x, w, Tensor::zeros({5}), {}); }, "bias of shape (5,) does not match");
  tb::testing::expect_error<Error>([&] { ops::conv2d(x, w, Tensor(), {.padding = "full"}); }, "padding must be one of");
  tb::testing::expect_error<Error>([&] { ops::conv2d(x, w, Tensor(), {.strides = {0, 1}}); }, "strides must be positive");
  tb::testing::expect_error<Error>([&] { ops::conv2d(x, ops::cast(w, DType::float64), Tensor(), {}); }, "does not match filter dtype");
  tb::testing::expect_error<Error>([&] { ops::conv2d(x, w, Tensor(), {}, "softmax"); }, "cannot be fused");
  tb::testing::expect_error<Error>([&] { ops::conv2d_transpose(Tensor::zeros({1, 3, 3, 4}), w, {6, 6}, {}); }, "does not convolve back");
  // The gradient ops behind conv2d's gradient, called directly.
  const Tensor dy = Tensor::zeros({2, 6, 6, 4});
  tb::testing::expect_error<Error>([&] { ops::conv2d_backprop_input({2, 8, 8}, w, dy, {}); }, "input_sizes (2, 8, 8)");
  tb::testing::expect_error<Error>([&] { ops::conv2d_backprop_input({3, 8, 8, 3}, w, dy, {}); }, "with 2 rows");
  tb::testing::expect_error<Error>([&] { ops::conv2d_backprop_input({2, 9, 9, 3}, w, dy, {}); }, "does not convolve back");
  tb::testing::expect_error<Error>([&] { ops::conv2d_backprop_filter(x, Tensor::zeros({2, 5, 6, 4}), w.shape(), {}); },
                                   "out_backprop of shape (2, 5, 6, 4) does not match the output (2, 6, 6, 4)");
  tb::testing::expect_error<Error>([&] { ops::conv2d_backprop_filter(x, dy, {3, 3, 4}, {}); }, "filter_shape must be 4-dimensional");
  tb::testing::expect_error<Error>([&] { ops::conv2d_backprop_filter(x, ops::cast(dy, DType::float64), w.shape(), {}); },
                                   "out_backprop of shape");
  tb::testing::expect_error<Error>([&] { ops::max_pool2d(x, {9, 9}, {1, 1}); }, "MaxPool: Computed output size would be negative");
  tb::testing::expect_error<Error>([&] { ops::avg_pool2d(Tensor::zeros({2, 8, 8, 3}, DType::int32), {2, 2}, {2, 2}); }, "floating");
}

}  // namespace
}  // namespace tb
