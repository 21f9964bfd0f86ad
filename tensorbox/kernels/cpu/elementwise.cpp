#include "tensorbox/kernels/cpu/elementwise.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/broadcast.h"
#include "tensorbox/kernels/cpu/simd.h"

namespace tb::kernels::cpu {
namespace {

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

bool is_half(DType t) { return t == DType::float16 || t == DType::bfloat16; }

template <class C> C sigmoid_c(C x) { return C(1) / (C(1) + std::exp(-x)); }
template <class C> C gelu_c(C x) { return C(0.5) * x * (C(1) + std::erf(x * C(M_SQRT1_2))); }
template <class C> C gelu_grad_c(C x) {
  const C cdf = C(0.5) * (C(1) + std::erf(x * C(M_SQRT1_2)));
  const C pdf = std::exp(C(-0.5) * x * x) * C(0.3989422804014327);
  return cdf + x * pdf;
}
template <class C> C softplus_c(C x) {
  // log(1 + e^x) without overflow: x + log1p(e^-x) for large x.
  return x > C(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

template <class C, class Loop>
void with_unary(UnaryOp op, Loop&& loop) {
  if constexpr (std::is_floating_point_v<C>) {
    switch (op) {
      case UnaryOp::exp: return loop([](C x) { return std::exp(x); });
      case UnaryOp::log: return loop([](C x) { return std::log(x); });
      case UnaryOp::sqrt: return loop([](C x) { return std::sqrt(x); });
      case UnaryOp::rsqrt: return loop([](C x) { return C(1) / std::sqrt(x); });
      case UnaryOp::tanh: return loop([](C x) { return std::tanh(x); });
      case UnaryOp::sigmoid: return loop([](C x) { return sigmoid_c(x); });
      case UnaryOp::gelu: return loop([](C x) { return gelu_c(x); });
      case UnaryOp::elu: return loop([](C x) { return x > 0 ? x : std::expm1(x); });
      case UnaryOp::selu:
        return loop([](C x) { return C(kSeluScale) * (x > 0 ? x : C(kSeluAlpha) * std::expm1(x)); });
      case UnaryOp::softplus: return loop([](C x) { return softplus_c(x); });
      case UnaryOp::swish: return loop([](C x) { return x * sigmoid_c(x); });
      default: break;
    }
  }
  switch (op) {
    case UnaryOp::neg: return loop([](C x) { return C(-x); });
    case UnaryOp::abs: return loop([](C x) { return x < C(0) ? C(-x) : x; });
    case UnaryOp::square: return loop([](C x) { return C(x * x); });
    case UnaryOp::relu: return loop([](C x) { return x < C(0) ? C(0) : x; });  // NaN stays NaN
    case UnaryOp::sign: return loop([](C x) { return C((x > C(0)) - (x < C(0))); });
    case UnaryOp::logical_not: return loop([](C x) { return C(x == C(0)); });
    default:
      throw InternalError(std::string("unary kernel ") + unary_name(op) +
                          " has no integer version");
  }
}

template <class C, class Loop>
void with_binary(BinaryOp op, Loop&& loop) {
  if constexpr (std::is_floating_point_v<C>) {
    switch (op) {
      case BinaryOp::div: return loop([](C a, C b) { return a / b; });
      case BinaryOp::pow: return loop([](C a, C b) { return std::pow(a, b); });
      case BinaryOp::maximum:  // NaN propagates, as in TensorFlow
        return loop([](C a, C b) { return std::isnan(a) || a > b ? a : b; });
      case BinaryOp::minimum:
        return loop([](C a, C b) { return std::isnan(a) || a < b ? a : b; });
      case BinaryOp::sigmoid_grad: return loop([](C g, C y) { return g * y * (C(1) - y); });
      case BinaryOp::tanh_grad: return loop([](C g, C y) { return g * (C(1) - y * y); });
      case BinaryOp::rsqrt_grad: return loop([](C g, C y) { return C(-0.5) * g * y * y * y; });
      case BinaryOp::sqrt_grad: return loop([](C g, C y) { return C(0.5) * g / y; });
      case BinaryOp::gelu_grad: return loop([](C g, C x) { return g * gelu_grad_c(x); });
      case BinaryOp::elu_grad: return loop([](C g, C x) { return x > 0 ? g : g * std::exp(x); });
      case BinaryOp::selu_grad:
        return loop([](C g, C x) {
          return x > 0 ? g * C(kSeluScale) : g * C(kSeluScale * kSeluAlpha) * std::exp(x);
        });
      case BinaryOp::softplus_grad: return loop([](C g, C x) { return g * sigmoid_c(x); });
      case BinaryOp::swish_grad:
        return loop([](C g, C x) {
          const C s = sigmoid_c(x);
          return g * (s + x * s * (C(1) - s));
        });
      default: break;
    }
  } else {
    switch (op) {
      case BinaryOp::div:
        // The op rejects zero divisors before the (parallel) loop, where nothing may throw.
        return loop([](C a, C b) { return b == C(0) ? C(0) : C(a / b); });
      case BinaryOp::pow:
        return loop([](C a, C b) {
          C r = 1;
          for (C i = 0; i < b; ++i) r = C(r * a);
          return r;
        });
      case BinaryOp::maximum: return loop([](C a, C b) { return a > b ? a : b; });
      case BinaryOp::minimum: return loop([](C a, C b) { return a < b ? a : b; });
      default: break;
    }
  }
  switch (op) {
    case BinaryOp::add: return loop([](C a, C b) { return C(a + b); });
    case BinaryOp::sub: return loop([](C a, C b) { return C(a - b); });
    case BinaryOp::mul: return loop([](C a, C b) { return C(a * b); });
    case BinaryOp::relu_grad: return loop([](C g, C x) { return x > C(0) ? g : C(0); });
    default:
      throw InternalError(std::string("binary kernel ") + binary_name(op) +
                          " has no version for this dtype");
  }
}

template <class C, class Loop>
void with_compare(BinaryOp op, Loop&& loop) {
  switch (op) {
    case BinaryOp::equal: return loop([](C a, C b) { return a == b; });
    case BinaryOp::not_equal: return loop([](C a, C b) { return a != b; });
    case BinaryOp::less: return loop([](C a, C b) { return a < b; });
    case BinaryOp::less_equal: return loop([](C a, C b) { return a <= b; });
    case BinaryOp::greater: return loop([](C a, C b) { return a > b; });
    case BinaryOp::greater_equal: return loop([](C a, C b) { return a >= b; });
    case BinaryOp::logical_and: return loop([](C a, C b) { return a != C(0) && b != C(0); });
    case BinaryOp::logical_or: return loop([](C a, C b) { return a != C(0) || b != C(0); });
    default: throw InternalError("not a comparison");
  }
}

Tensor via_float32(const Tensor& x, DType out, auto&& f32_fn) {
  return cast(f32_fn(cast(x, DType::float32)), out);
}

}  // namespace

const char* unary_name(UnaryOp op) {
  static const char* names[] = {"Neg",  "Abs",     "Exp",  "Log",   "Sqrt",     "Rsqrt",
                                "Square", "Tanh",  "Sigmoid", "Relu", "Gelu",   "Sign",
                                "Elu",  "Selu",    "Softplus", "Swish", "LogicalNot"};
  return names[int(op)];
}

const char* binary_name(BinaryOp op) {
  static const char* names[] = {
      "AddV2", "Sub", "Mul", "RealDiv", "Pow", "Maximum", "Minimum", "Equal", "NotEqual",
      "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr", "ReluGrad",
      "SigmoidGrad", "TanhGrad", "RsqrtGrad", "SqrtGrad", "GeluGrad", "EluGrad", "SeluGrad",
      "SoftplusGrad", "SwishGrad"};
  return names[int(op)];
}

bool is_comparison(BinaryOp op) {
  return op >= BinaryOp::equal && op <= BinaryOp::logical_or;
}

Tensor unary(UnaryOp op, const Tensor& x) {
  ensure_runtime_initialized();
  if (is_half(x.dtype()))
    return via_float32(x, x.dtype(), [&](const Tensor& f) { return unary(op, f); });
  const DType out_dtype = op == UnaryOp::logical_not ? DType::bool_ : x.dtype();
  Tensor y = Tensor::empty(x.shape(), out_dtype);
  const int64_t n = x.size();
  if (x.dtype() == DType::float32) {
    const float* px = x.data<float>();
    float* py = y.data<float>();
    std::atomic<bool> done{true};
    parallel_for(n, [&](int64_t b, int64_t e) {
      if (!simd::unary_f32(int(op), px + b, py + b, e - b)) done.store(false, std::memory_order_relaxed);
    });
    if (done) return y;
  }
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    const T* px = static_cast<const T*>(x.raw_data());
    with_unary<C>(op, [&](auto f) {
      parallel_for(n, [&](int64_t b, int64_t e) {
        if (out_dtype == DType::bool_) {
          bool* py = static_cast<bool*>(y.raw_data());
          for (int64_t i = b; i < e; ++i) py[i] = f(load_c(px[i])) != C(0);
        } else {
          T* py = static_cast<T*>(y.raw_data());
          for (int64_t i = b; i < e; ++i) py[i] = store_c<T>(f(load_c(px[i])));
        }
      }, /*cost=*/4);  // the scalar path runs the transcendental functions
    });
  });
  return y;
}

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b) {
  ensure_runtime_initialized();
  const bool cmp = is_comparison(op);
  if (is_half(a.dtype())) {
    const Tensor fa = cast(a, DType::float32), fb = cast(b, DType::float32);
    const Tensor r = binary(op, fa, fb);
    return cmp ? r : cast(r, a.dtype());
  }
  const Shape out_shape = broadcast_shapes(a.shape(), b.shape(), binary_name(op));
  const DType out_dtype = cmp ? DType::bool_ : a.dtype();
  Tensor y = Tensor::empty(out_shape, out_dtype);
  if (y.size() == 0) return y;
  const auto plan = plan_broadcast<2>(out_shape, {&a.shape(), &b.shape()});
  const int64_t rows = plan.rows(), len = plan.row_len();
  const int64_t sa = plan.row_stride(0), sb = plan.row_stride(1);
  // Work items: (row, chunk of the row), so one long row still spreads over the threads.
  const int64_t chunk = std::min<int64_t>(len, kParallelGrain);
  const int64_t per_row = (len + chunk - 1) / chunk;
  auto run = [&](auto&& row_fn) {
    const int64_t items = rows * per_row;
    parallel_for_each(items, rows * len, [&](int64_t it) {
      const int64_t r = it / per_row, c0 = (it % per_row) * chunk;
      const auto off = plan.row_offsets(r);
      row_fn(off[0] + c0 * sa, off[1] + c0 * sb, r * len + c0, std::min(chunk, len - c0));
    });
  };
  if (a.dtype() == DType::float32 && !cmp) {
    const float* pa = a.data<float>();
    const float* pb = b.data<float>();
    float* py = y.data<float>();
    if (simd::binary_f32(int(op), pa, true, pb, true, py, 0)) {  // probe: has a SIMD version
      run([&](int64_t oa, int64_t ob, int64_t oy, int64_t n) {
        simd::binary_f32(int(op), pa + oa, sa == 0, pb + ob, sb == 0, py + oy, n);
      });
      return y;
    }
  }
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    const T* pa = static_cast<const T*>(a.raw_data());
    const T* pb = static_cast<const T*>(b.raw_data());
    auto body = [&](auto f, auto* py) {
      using P = std::remove_cvref_t<decltype(*py)>;
      run([&](int64_t oa, int64_t ob, int64_t oy, int64_t n) {
        for (int64_t i = 0; i < n; ++i)
          py[oy + i] = store_c<P>(f(load_c(pa[oa + i * sa]), load_c(pb[ob + i * sb])));
      });
    };
    if (cmp) {
      with_compare<C>(op, [&](auto f) { body(f, static_cast<bool*>(y.raw_data())); });
    } else if constexpr (!std::is_same_v<T, bool>) {
      with_binary<C>(op, [&](auto f) { body(f, static_cast<T*>(y.raw_data())); });
    } else {
      throw InternalError("arithmetic on bool tensors reached the kernel");
    }
  });
  return y;
}

Tensor where(const Tensor& cond, const Tensor& x, const Tensor& y) {
  const Shape out_shape =
      broadcast_shapes(broadcast_shapes(cond.shape(), x.shape(), "Select"), y.shape(), "Select");
  Tensor out = Tensor::empty(out_shape, x.dtype());
  if (out.size() == 0) return out;
  const auto plan = plan_broadcast<3>(out_shape, {&cond.shape(), &x.shape(), &y.shape()});
  const int64_t len = plan.row_len();
  const int64_t sc = plan.row_stride(0), sx = plan.row_stride(1), sy = plan.row_stride(2);
  const bool* pc = cond.data<bool>();
  const size_t es = dtype_size(x.dtype());
  const char* px = static_cast<const char*>(x.raw_data());
  const char* py = static_cast<const char*>(y.raw_data());
  char* po = static_cast<char*>(out.raw_data());
  const int64_t rows = plan.rows();
  parallel_for_each(rows, out.size(), [&](int64_t r) {
    const auto off = plan.row_offsets(r);
    for (int64_t i = 0; i < len; ++i) {
      const char* src = pc[off[0] + i * sc] ? px + size_t(off[1] + i * sx) * es
                                            : py + size_t(off[2] + i * sy) * es;
      std::memcpy(po + size_t(r * len + i) * es, src, es);
    }
  });
  return out;
}

Tensor cast(const Tensor& x, DType dtype) {
  if (x.dtype() == dtype) return x;
  Tensor y = Tensor::empty(x.shape(), dtype);
  const int64_t n = x.size();
  // The conversions mixed precision runs every step: vectorized.
  const DType from = x.dtype();
  if ((from == DType::float32 && is_half(dtype)) || (is_half(from) && dtype == DType::float32)) {
    const void* px = x.raw_data();
    void* py = y.raw_data();
    parallel_for(n, [&](int64_t b, int64_t e) {
      if (from == DType::float32) {
        auto* out = static_cast<uint16_t*>(py) + b;
        if (dtype == DType::float16) simd::f32_to_f16(static_cast<const float*>(px) + b, out, e - b);
        else simd::f32_to_bf16(static_cast<const float*>(px) + b, out, e - b);
      } else {
        const auto* in = static_cast<const uint16_t*>(px) + b;
        if (from == DType::float16) simd::f16_to_f32(in, static_cast<float*>(py) + b, e - b);
        else simd::bf16_to_f32(in, static_cast<float*>(py) + b, e - b);
      }
    });
    return y;
  }
  visit_dtype(x.dtype(), [&](auto in_tag) {
    using I = decltype(in_tag);
    const I* px = static_cast<const I*>(x.raw_data());
    visit_dtype(dtype, [&](auto out_tag) {
      using O = decltype(out_tag);
      O* py = static_cast<O*>(y.raw_data());
      parallel_for(n, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
          const auto v = load_c(px[i]);
          if constexpr (std::is_same_v<O, bool>) {
            py[i] = v != decltype(v)(0);
          } else if constexpr (std::is_integral_v<O> && std::is_floating_point_v<decltype(v)>) {
            // Float to integer truncates toward zero; NaN becomes 0 instead of undefined.
            py[i] = std::isnan(v) ? O(0) : static_cast<O>(v);
          } else {
            py[i] = store_c<O>(static_cast<compute_t<O>>(v));
          }
        }
      });
    });
  });
  return y;
}

Tensor scale(const Tensor& x, double factor) {
  return binary(BinaryOp::mul, x, Tensor::scalar(factor, x.dtype()));
}

}  // namespace tb::kernels::cpu
