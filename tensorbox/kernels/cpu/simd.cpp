// Highway SIMD kernels, compiled once per x86 target (foreach_target) and dispatched at run
// time. Tails shorter than a vector go through a small zero-padded buffer so every op has
// exactly one (vector) definition.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tensorbox/kernels/cpu/simd.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"

#include <chrono>
#include <cmath>
#include <cstring>

#include "tensorbox/core/dtype.h"
#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/simd.h"

HWY_BEFORE_NAMESPACE();
namespace tb::kernels::cpu::simd::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using DF = hn::ScalableTag<float>;

template <class F>
HWY_INLINE void map1(const float* x, float* y, int64_t n, F f) {
  const DF d;
  const int64_t N = int64_t(hn::Lanes(d));
  int64_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(f(d, hn::LoadU(d, x + i)), d, y + i);
  if (i < n) {
    alignas(64) float buf[64] = {};
    std::memcpy(buf, x + i, size_t(n - i) * 4);
    hn::Store(f(d, hn::Load(d, buf)), d, buf);
    std::memcpy(y + i, buf, size_t(n - i) * 4);
  }
}

template <class F>
HWY_INLINE void map2(const float* a, bool as, const float* b, bool bs, float* y, int64_t n, F f) {
  const DF d;
  const int64_t N = int64_t(hn::Lanes(d));
  const auto va0 = hn::Set(d, *a), vb0 = hn::Set(d, *b);
  int64_t i = 0;
  for (; i + N <= n; i += N) {
    const auto va = as ? va0 : hn::LoadU(d, a + i);
    const auto vb = bs ? vb0 : hn::LoadU(d, b + i);
    hn::StoreU(f(d, va, vb), d, y + i);
  }
  if (i < n) {
    alignas(64) float ba[64] = {}, bb[64] = {};
    if (!as) std::memcpy(ba, a + i, size_t(n - i) * 4);
    if (!bs) std::memcpy(bb, b + i, size_t(n - i) * 4);
    const auto va = as ? va0 : hn::Load(d, ba);
    const auto vb = bs ? vb0 : hn::Load(d, bb);
    hn::Store(f(d, va, vb), d, ba);
    std::memcpy(y + i, ba, size_t(n - i) * 4);
  }
}

template <class D, class V>
HWY_INLINE V Sigmoid(D d, V x) {
  const auto one = hn::Set(d, 1.0f);
  return hn::Div(one, hn::Add(one, hn::Exp(d, hn::Neg(x))));
}

bool UnaryF32(int op, const float* x, float* y, int64_t n) {
  switch (UnaryOp(op)) {
    case UnaryOp::neg: map1(x, y, n, [](auto, auto v) { return hn::Neg(v); }); return true;
    case UnaryOp::abs: map1(x, y, n, [](auto, auto v) { return hn::Abs(v); }); return true;
    case UnaryOp::exp: map1(x, y, n, [](auto d, auto v) { return hn::Exp(d, v); }); return true;
    case UnaryOp::log: map1(x, y, n, [](auto d, auto v) { return hn::Log(d, v); }); return true;
    case UnaryOp::sqrt: map1(x, y, n, [](auto, auto v) { return hn::Sqrt(v); }); return true;
    case UnaryOp::rsqrt:
      map1(x, y, n, [](auto d, auto v) { return hn::Div(hn::Set(d, 1.0f), hn::Sqrt(v)); });
      return true;
    case UnaryOp::square: map1(x, y, n, [](auto, auto v) { return hn::Mul(v, v); }); return true;
    case UnaryOp::tanh: map1(x, y, n, [](auto d, auto v) { return hn::Tanh(d, v); }); return true;
    case UnaryOp::sigmoid: map1(x, y, n, [](auto d, auto v) { return Sigmoid(d, v); }); return true;
    case UnaryOp::relu:  // NaN stays NaN, as in TensorFlow (x86 max would return the 0)
      map1(x, y, n, [](auto d, auto v) { return hn::IfThenZeroElse(hn::Lt(v, hn::Zero(d)), v); });
      return true;
    case UnaryOp::swish:
      map1(x, y, n, [](auto d, auto v) { return hn::Mul(v, Sigmoid(d, v)); });
      return true;
    default: return false;
  }
}

bool BinaryF32(int op, const float* a, bool as, const float* b, bool bs, float* y, int64_t n) {
  switch (BinaryOp(op)) {
    case BinaryOp::add: map2(a, as, b, bs, y, n, [](auto, auto p, auto q) { return hn::Add(p, q); }); return true;
    case BinaryOp::sub: map2(a, as, b, bs, y, n, [](auto, auto p, auto q) { return hn::Sub(p, q); }); return true;
    case BinaryOp::mul: map2(a, as, b, bs, y, n, [](auto, auto p, auto q) { return hn::Mul(p, q); }); return true;
    case BinaryOp::div: map2(a, as, b, bs, y, n, [](auto, auto p, auto q) { return hn::Div(p, q); }); return true;
    // NaN in either operand gives NaN, as in TensorFlow (x86 max/min return the second).
    case BinaryOp::maximum:
      map2(a, as, b, bs, y, n, [](auto, auto p, auto q) { return hn::IfThenElse(hn::IsNaN(p), p, hn::Max(p, q)); });
      return true;
    case BinaryOp::minimum:
      map2(a, as, b, bs, y, n, [](auto, auto p, auto q) { return hn::IfThenElse(hn::IsNaN(p), p, hn::Min(p, q)); });
      return true;
    case BinaryOp::relu_grad:
      map2(a, as, b, bs, y, n, [](auto d, auto g, auto x) {
        return hn::IfThenElseZero(hn::Gt(x, hn::Zero(d)), g);
      });
      return true;
    case BinaryOp::sigmoid_grad:
      map2(a, as, b, bs, y, n, [](auto d, auto g, auto s) {
        return hn::Mul(g, hn::Mul(s, hn::Sub(hn::Set(d, 1.0f), s)));
      });
      return true;
    case BinaryOp::tanh_grad:
      map2(a, as, b, bs, y, n, [](auto d, auto g, auto t) {
        return hn::Mul(g, hn::NegMulAdd(t, t, hn::Set(d, 1.0f)));
      });
      return true;
    default: return false;
  }
}

void AccumulateF32(const float* x, float* y, int64_t n) {
  map2(x, false, y, false, y, n, [](auto, auto p, auto q) { return hn::Add(p, q); });
}

float SumF32(const float* x, int64_t n) {
  const DF d;
  const int64_t N = int64_t(hn::Lanes(d));
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  int64_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    s0 = hn::Add(s0, hn::LoadU(d, x + i));
    s1 = hn::Add(s1, hn::LoadU(d, x + i + N));
    s2 = hn::Add(s2, hn::LoadU(d, x + i + 2 * N));
    s3 = hn::Add(s3, hn::LoadU(d, x + i + 3 * N));
  }
  for (; i + N <= n; i += N) s0 = hn::Add(s0, hn::LoadU(d, x + i));
  float s = hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(s0, s1), hn::Add(s2, s3))));
  for (; i < n; ++i) s += x[i];
  return s;
}

float MaxF32(const float* x, int64_t n) {
  const DF d;
  const int64_t N = int64_t(hn::Lanes(d));
  auto m = hn::Set(d, -HUGE_VALF);
  int64_t i = 0;
  for (; i + N <= n; i += N) m = hn::Max(m, hn::LoadU(d, x + i));
  float r = hn::GetLane(hn::MaxOfLanes(d, m));
  for (; i < n; ++i) r = x[i] > r ? x[i] : r;
  return r;
}

template <bool kAmsgrad, bool kDecay>
HWY_INLINE void AdamImpl(float* var, float* m, float* v, float* vhat, const float* g, int64_t n,
                         float alpha, float beta1, float beta2, float eps, float lr_wd, float gscale) {
  const DF d;
  const int64_t N = int64_t(hn::Lanes(d));
  const auto c1 = hn::Set(d, 1.0f - beta1), c2 = hn::Set(d, 1.0f - beta2);
  const auto va = hn::Set(d, alpha), ve = hn::Set(d, eps), vwd = hn::Set(d, lr_wd), vgs = hn::Set(d, gscale);
  auto step = [&](int64_t i) {
    const auto gi = hn::Mul(hn::LoadU(d, g + i), vgs);
    auto mi = hn::LoadU(d, m + i), vi = hn::LoadU(d, v + i), wi = hn::LoadU(d, var + i);
    if constexpr (kDecay) wi = hn::NegMulAdd(vwd, wi, wi);
    mi = hn::MulAdd(hn::Sub(gi, mi), c1, mi);
    vi = hn::MulAdd(hn::Sub(hn::Mul(gi, gi), vi), c2, vi);
    auto denom_src = vi;
    if constexpr (kAmsgrad) {
      const auto hi = hn::Max(hn::LoadU(d, vhat + i), vi);
      hn::StoreU(hi, d, vhat + i);
      denom_src = hi;
    }
    wi = hn::NegMulAdd(va, hn::Div(mi, hn::Add(hn::Sqrt(denom_src), ve)), wi);
    hn::StoreU(mi, d, m + i);
    hn::StoreU(vi, d, v + i);
    hn::StoreU(wi, d, var + i);
  };
  int64_t i = 0;
  for (; i + N <= n; i += N) step(i);
  for (; i < n; ++i) {  // scalar tail, same formula
    float w = var[i];
    if constexpr (kDecay) w -= lr_wd * w;
    const float gi = g[i] * gscale;
    m[i] += (gi - m[i]) * (1.0f - beta1);
    v[i] += (gi * gi - v[i]) * (1.0f - beta2);
    float den = v[i];
    if constexpr (kAmsgrad) { vhat[i] = vhat[i] > v[i] ? vhat[i] : v[i]; den = vhat[i]; }
    var[i] = w - alpha * (m[i] / (std::sqrt(den) + eps));
  }
}

void AdamF32(float* var, float* m, float* v, float* vhat, const float* g, int64_t n, float alpha,
             float beta1, float beta2, float eps, float lr_wd, float gscale) {
  if (vhat) {
    if (lr_wd != 0.0f) AdamImpl<true, true>(var, m, v, vhat, g, n, alpha, beta1, beta2, eps, lr_wd, gscale);
    else AdamImpl<true, false>(var, m, v, vhat, g, n, alpha, beta1, beta2, eps, 0.0f, gscale);
  } else {
    if (lr_wd != 0.0f) AdamImpl<false, true>(var, m, v, vhat, g, n, alpha, beta1, beta2, eps, lr_wd, gscale);
    else AdamImpl<false, false>(var, m, v, vhat, g, n, alpha, beta1, beta2, eps, 0.0f, gscale);
  }
}

void SgdF32(float* var, float* mom, const float* g, int64_t n, float lr, float momentum,
            bool nesterov) {
  const DF d;
  const int64_t N = int64_t(hn::Lanes(d));
  const auto vlr = hn::Set(d, lr), vmu = hn::Set(d, momentum);
  int64_t i = 0;
  if (momentum == 0.0f) {
    for (; i + N <= n; i += N)
      hn::StoreU(hn::NegMulAdd(vlr, hn::LoadU(d, g + i), hn::LoadU(d, var + i)), d, var + i);
    for (; i < n; ++i) var[i] -= lr * g[i];
    return;
  }
  for (; i + N <= n; i += N) {
    const auto gi = hn::LoadU(d, g + i);
    const auto vi = hn::NegMulAdd(vlr, gi, hn::Mul(vmu, hn::LoadU(d, mom + i)));
    hn::StoreU(vi, d, mom + i);
    const auto upd = nesterov ? hn::NegMulAdd(vlr, gi, hn::Mul(vmu, vi)) : vi;
    hn::StoreU(hn::Add(hn::LoadU(d, var + i), upd), d, var + i);
  }
  for (; i < n; ++i) {
    mom[i] = momentum * mom[i] - lr * g[i];
    var[i] += nesterov ? momentum * mom[i] - lr * g[i] : mom[i];
  }
}

// --- 16-bit float conversions (round to nearest even, NaN kept quiet) -------------------------
// float16 uses the F16C instructions (AVX2 and up); older targets take the scalar reference.
void F32ToF16(const float* x, uint16_t* y, int64_t n) {
  int64_t i = 0;
#if HWY_TARGET <= HWY_AVX2
  const DF d;
  const hn::Rebind<hwy::float16_t, DF> dh;
  const int64_t N = int64_t(hn::Lanes(d));
  for (; i + N <= n; i += N) hn::StoreU(hn::DemoteTo(dh, hn::LoadU(d, x + i)), dh, reinterpret_cast<hwy::float16_t*>(y + i));
#endif
  for (; i < n; ++i) y[i] = float16::from_float(x[i]);
}

void F16ToF32(const uint16_t* x, float* y, int64_t n) {
  int64_t i = 0;
#if HWY_TARGET <= HWY_AVX2
  const DF d;
  const hn::Rebind<hwy::float16_t, DF> dh;
  const int64_t N = int64_t(hn::Lanes(d));
  for (; i + N <= n; i += N) hn::StoreU(hn::PromoteTo(d, hn::LoadU(dh, reinterpret_cast<const hwy::float16_t*>(x + i))), d, y + i);
#endif
  for (; i < n; ++i) y[i] = float16::to_float(x[i]);
}

void F32ToBF16(const float* x, uint16_t* y, int64_t n) {
  const DF d;
  const hn::RebindToUnsigned<DF> du;
  const hn::RebindToSigned<DF> di;
  const hn::Rebind<uint16_t, DF> du16;
  const int64_t N = int64_t(hn::Lanes(d));
  int64_t i = 0;
  for (; i + N <= n; i += N) {
    const auto v = hn::LoadU(d, x + i);
    const auto u = hn::BitCast(du, v);
    const auto rounded = hn::Add(u, hn::Add(hn::Set(du, 0x7fffu), hn::And(hn::ShiftRight<16>(u), hn::Set(du, 1u))));
    const auto bits = hn::IfThenElse(hn::RebindMask(du, hn::IsNaN(v)), hn::Or(u, hn::Set(du, 0x400000u)), rounded);
    hn::StoreU(hn::DemoteTo(du16, hn::BitCast(di, hn::ShiftRight<16>(bits))), du16, y + i);
  }
  for (; i < n; ++i) y[i] = bfloat16::from_float(x[i]);
}

void BF16ToF32(const uint16_t* x, float* y, int64_t n) {
  const DF d;
  const hn::RebindToUnsigned<DF> du;
  const hn::Rebind<uint16_t, DF> du16;
  const int64_t N = int64_t(hn::Lanes(d));
  int64_t i = 0;
  for (; i + N <= n; i += N)
    hn::StoreU(hn::BitCast(d, hn::ShiftLeft<16>(hn::PromoteTo(du, hn::LoadU(du16, x + i)))), d, y + i);
  for (; i < n; ++i) y[i] = bits_float(uint32_t(x[i]) << 16);
}

// True when no element is Inf or NaN: the largest exponent field seen is below all-ones.
// y[0:n] = bias + x[0:K] @ W[0:K, 0:n] (row stride ldw): W is streamed row by row, four rows at a
// time, so every element is read once, sequentially, while y stays in L1.
void GemvF32(const float* x, const float* W, int64_t ldw, const float* bias, float* y, int64_t K, int64_t n) {
  const DF d;
  const int64_t L = int64_t(hn::Lanes(d)), nv = n / L * L;
  for (int64_t j = 0; j < nv; j += L) hn::StoreU(bias ? hn::LoadU(d, bias + j) : hn::Zero(d), d, y + j);
  for (int64_t j = nv; j < n; ++j) y[j] = bias ? bias[j] : 0.0f;
  int64_t k = 0;
  for (; k + 4 <= K; k += 4) {
    const auto x0 = hn::Set(d, x[k]), x1 = hn::Set(d, x[k + 1]), x2 = hn::Set(d, x[k + 2]), x3 = hn::Set(d, x[k + 3]);
    const float* w0 = W + k * ldw;
    const float *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;
    for (int64_t j = 0; j < nv; j += L) {
      auto acc = hn::LoadU(d, y + j);
      acc = hn::MulAdd(x0, hn::LoadU(d, w0 + j), acc);
      acc = hn::MulAdd(x1, hn::LoadU(d, w1 + j), acc);
      acc = hn::MulAdd(x2, hn::LoadU(d, w2 + j), acc);
      acc = hn::MulAdd(x3, hn::LoadU(d, w3 + j), acc);
      hn::StoreU(acc, d, y + j);
    }
    for (int64_t j = nv; j < n; ++j) y[j] += x[k] * w0[j] + x[k + 1] * w1[j] + x[k + 2] * w2[j] + x[k + 3] * w3[j];
  }
  for (; k < K; ++k) {
    const auto xk = hn::Set(d, x[k]);
    const float* w = W + k * ldw;
    for (int64_t j = 0; j < nv; j += L) hn::StoreU(hn::MulAdd(xk, hn::LoadU(d, w + j), hn::LoadU(d, y + j)), d, y + j);
    for (int64_t j = nv; j < n; ++j) y[j] += x[k] * w[j];
  }
}

bool AllFiniteF32(const float* x, int64_t n) {
  const DF d;
  const hn::RebindToUnsigned<DF> du;
  const auto exp_mask = hn::Set(du, 0x7f800000u);
  const int64_t N = int64_t(hn::Lanes(d));
  auto acc = hn::Zero(du);
  int64_t i = 0;
  for (; i + N <= n; i += N) acc = hn::Max(acc, hn::And(hn::BitCast(du, hn::LoadU(d, x + i)), exp_mask));
  bool finite = hn::GetLane(hn::MaxOfLanes(du, acc)) != 0x7f800000u;
  for (; i < n; ++i) finite = finite && std::isfinite(x[i]);
  return finite;
}

const char* TargetName() { return hwy::TargetName(HWY_TARGET); }

double FmaPeakGflops(int64_t iters) {
  // Twelve independent FMA chains held in registers: enough in flight to cover FMA latency
  // on current x86 cores, so the loop runs at the FMA units' throughput. (The disassembly
  // must show twelve FMAs in the loop body.)
  const DF d;
  const auto b = hn::Set(d, 1.0000001f), c = hn::Set(d, 1e-7f);
  // Distinct starting values, or the compiler folds the identical chains into one.
  auto a0 = hn::Set(d, 0.0f), a1 = hn::Set(d, 1.0f), a2 = hn::Set(d, 2.0f), a3 = hn::Set(d, 3.0f);
  auto a4 = hn::Set(d, 4.0f), a5 = hn::Set(d, 5.0f), a6 = hn::Set(d, 6.0f), a7 = hn::Set(d, 7.0f);
  auto a8 = hn::Set(d, 8.0f), a9 = hn::Set(d, 9.0f), a10 = hn::Set(d, 10.0f), a11 = hn::Set(d, 11.0f);
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t k = 0; k < iters; ++k) {
    a0 = hn::MulAdd(a0, b, c); a1 = hn::MulAdd(a1, b, c); a2 = hn::MulAdd(a2, b, c);
    a3 = hn::MulAdd(a3, b, c); a4 = hn::MulAdd(a4, b, c); a5 = hn::MulAdd(a5, b, c);
    a6 = hn::MulAdd(a6, b, c); a7 = hn::MulAdd(a7, b, c); a8 = hn::MulAdd(a8, b, c);
    a9 = hn::MulAdd(a9, b, c); a10 = hn::MulAdd(a10, b, c); a11 = hn::MulAdd(a11, b, c);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto sum = hn::Add(hn::Add(hn::Add(a0, a1), hn::Add(a2, a3)), hn::Add(hn::Add(a4, a5), hn::Add(a6, a7)));
  // Every lane feeds the result, or the compiler may narrow the loop to the lanes it needs.
  volatile float sink = hn::GetLane(hn::SumOfLanes(d, hn::Add(sum, hn::Add(hn::Add(a8, a9), hn::Add(a10, a11)))));
  (void)sink;
  return double(iters) * 12 * 2 * double(hn::Lanes(d)) / secs / 1e9;
}

}  // namespace tb::kernels::cpu::simd::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tb::kernels::cpu::simd {

HWY_EXPORT(UnaryF32);
HWY_EXPORT(BinaryF32);
HWY_EXPORT(AccumulateF32);
HWY_EXPORT(SumF32);
HWY_EXPORT(MaxF32);
HWY_EXPORT(AdamF32);
HWY_EXPORT(SgdF32);
HWY_EXPORT(FmaPeakGflops);
HWY_EXPORT(TargetName);
HWY_EXPORT(AllFiniteF32);
HWY_EXPORT(GemvF32);
HWY_EXPORT(F32ToF16);
HWY_EXPORT(F16ToF32);
HWY_EXPORT(F32ToBF16);
HWY_EXPORT(BF16ToF32);

std::string target() { return HWY_DYNAMIC_DISPATCH(TargetName)(); }

double fma_peak_gflops() { return HWY_DYNAMIC_DISPATCH(FmaPeakGflops)(20'000'000); }

bool unary_f32(int op, const float* x, float* y, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(UnaryF32)(op, x, y, n);
}
bool binary_f32(int op, const float* a, bool as, const float* b, bool bs, float* y, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(BinaryF32)(op, a, as, b, bs, y, n);
}
void accumulate_f32(const float* x, float* y, int64_t n) {
  HWY_DYNAMIC_DISPATCH(AccumulateF32)(x, y, n);
}
float sum_f32(const float* x, int64_t n) { return HWY_DYNAMIC_DISPATCH(SumF32)(x, n); }
float max_f32(const float* x, int64_t n) { return HWY_DYNAMIC_DISPATCH(MaxF32)(x, n); }
void adam_f32(float* var, float* m, float* v, float* vhat, const float* g, int64_t n, float alpha,
              float beta1, float beta2, float epsilon, float lr_wd, float gscale) {
  HWY_DYNAMIC_DISPATCH(AdamF32)(var, m, v, vhat, g, n, alpha, beta1, beta2, epsilon, lr_wd, gscale);
}
void sgd_f32(float* var, float* mom, const float* g, int64_t n, float lr, float momentum,
             bool nesterov) {
  HWY_DYNAMIC_DISPATCH(SgdF32)(var, mom, g, n, lr, momentum, nesterov);
}

void gemv_f32(const float* x, const float* w, int64_t ldw, const float* bias, float* y, int64_t k, int64_t n) {
  HWY_DYNAMIC_DISPATCH(GemvF32)(x, w, ldw, bias, y, k, n);
}

bool all_finite_f32(const float* x, int64_t n) { return HWY_DYNAMIC_DISPATCH(AllFiniteF32)(x, n); }
void f32_to_f16(const float* x, uint16_t* y, int64_t n) { HWY_DYNAMIC_DISPATCH(F32ToF16)(x, y, n); }
void f16_to_f32(const uint16_t* x, float* y, int64_t n) { HWY_DYNAMIC_DISPATCH(F16ToF32)(x, y, n); }
void f32_to_bf16(const float* x, uint16_t* y, int64_t n) { HWY_DYNAMIC_DISPATCH(F32ToBF16)(x, y, n); }
void bf16_to_f32(const uint16_t* x, float* y, int64_t n) { HWY_DYNAMIC_DISPATCH(BF16ToF32)(x, y, n); }

}  // namespace tb::kernels::cpu::simd
#endif  // HWY_ONCE
