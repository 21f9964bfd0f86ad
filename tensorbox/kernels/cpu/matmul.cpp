#include "tensorbox/kernels/cpu/matmul.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/onednn.h"
#include "tensorbox/kernels/cpu/simd.h"

namespace tb::kernels::cpu {
namespace {

using onednn::engine;

struct Geometry {
  std::vector<int64_t> batch;  // broadcast batch dims of the output
  std::vector<int64_t> a_batch, b_batch;  // each operand's batch dims, padded to the same rank
  int64_t M, K, N;
};

Geometry geometry(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  Geometry g;
  g.M = ta ? a.dim(-1) : a.dim(-2);
  g.K = ta ? a.dim(-2) : a.dim(-1);
  g.N = tb ? b.dim(-2) : b.dim(-1);
  const int64_t ra = a.rank() - 2, rb = b.rank() - 2, r = std::max(ra, rb);
  for (int64_t i = 0; i < r; ++i) {
    const int64_t da = i < r - ra ? 1 : a.shape().dims()[size_t(i - (r - ra))];
    const int64_t db = i < r - rb ? 1 : b.shape().dims()[size_t(i - (r - rb))];
    g.a_batch.push_back(da);
    g.b_batch.push_back(db);
    g.batch.push_back(std::max(da, db));
  }
  return g;
}

// Dims and strides of an operand as oneDNN sees it: [batch..., rows, cols] with the
// transposed case expressed through strides, so no copy is made.
dnnl::memory::desc operand_md(const std::vector<int64_t>& batch, int64_t rows, int64_t cols,
                              bool transposed, DType t) {
  dnnl::memory::dims dims(batch.begin(), batch.end()), strides(batch.size() + 2);
  dims.push_back(rows);
  dims.push_back(cols);
  const int64_t n = int64_t(dims.size());
  strides[size_t(n - 1)] = transposed ? rows : 1;
  strides[size_t(n - 2)] = transposed ? 1 : cols;
  int64_t acc = rows * cols;
  for (int64_t i = n - 3; i >= 0; --i) {
    strides[size_t(i)] = acc;
    acc *= dims[size_t(i)];
  }
  return dnnl::memory::desc(dims, onednn::data_type(t), strides);
}

struct CachedPrimitive {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul prim;
};

std::string cache_key(const Geometry& g, bool ta, bool tb, DType t, bool bias, Epilogue e) {
  std::string k;
  for (auto v : g.a_batch) k += std::to_string(v) + ",";
  k += "|";
  for (auto v : g.b_batch) k += std::to_string(v) + ",";
  k += "|" + std::to_string(g.M) + "," + std::to_string(g.K) + "," + std::to_string(g.N) + "," +
       std::to_string(ta) + std::to_string(tb) + std::to_string(int(t)) + std::to_string(bias) +
       std::to_string(int(e));
  return k;
}

CachedPrimitive make_primitive(const Geometry& g, bool ta, bool tb, DType t, bool bias,
                            Epilogue e) {
  const auto a_md = operand_md(g.a_batch, g.M, g.K, ta, t);
  const auto b_md = operand_md(g.b_batch, g.K, g.N, tb, t);
  const auto c_md = operand_md(g.batch, g.M, g.N, false, t);
  dnnl::memory::dims bias_dims(g.batch.size() + 2, 1);
  bias_dims.back() = g.N;
  dnnl::memory::dims bias_strides(bias_dims.size(), g.N);
  bias_strides.back() = 1;
  const auto bias_md = dnnl::memory::desc(bias_dims, onednn::data_type(t), bias_strides);
  dnnl::primitive_attr attr;
  if (e != Epilogue::none) {
    dnnl::post_ops po;
    const auto alg = e == Epilogue::relu      ? dnnl::algorithm::eltwise_relu
                     : e == Epilogue::sigmoid ? dnnl::algorithm::eltwise_logistic
                                              : dnnl::algorithm::eltwise_tanh;
    po.append_eltwise(1.0f, alg, 0.0f, 0.0f);
    attr.set_post_ops(po);
  }
  const auto desc = bias ? dnnl::matmul::desc(a_md, b_md, bias_md, c_md)
                         : dnnl::matmul::desc(a_md, b_md, c_md);
  auto pd = dnnl::matmul::primitive_desc(desc, attr, engine());
  return CachedPrimitive{pd, dnnl::matmul(pd)};
}

// Reference loop for dtypes oneDNN does not multiply (float64, integers).
template <class T>
void naive_matmul(const Tensor& a, const Tensor& b, Tensor& c, const Geometry& g, bool ta,
                  bool tb) {
  using C = compute_t<T>;
  const T* pa = static_cast<const T*>(a.raw_data());
  const T* pb = static_cast<const T*>(b.raw_data());
  T* pc = static_cast<T*>(c.raw_data());
  int64_t batches = 1;
  for (auto v : g.batch) batches *= v;
  parallel_for_each(batches, batches * g.M * g.N * g.K, [&](int64_t bi) {
    int64_t oa = 0, ob = 0, rem = bi, sa = 1, sb = 1;
    for (int64_t i = int64_t(g.batch.size()) - 1; i >= 0; --i) {
      const int64_t idx = rem % g.batch[size_t(i)];
      rem /= g.batch[size_t(i)];
      if (g.a_batch[size_t(i)] != 1) oa += idx * sa;
      if (g.b_batch[size_t(i)] != 1) ob += idx * sb;
      sa *= g.a_batch[size_t(i)];
      sb *= g.b_batch[size_t(i)];
    }
    const T* A = pa + oa * g.M * g.K;
    const T* B = pb + ob * g.K * g.N;
    T* Cm = pc + bi * g.M * g.N;
    for (int64_t m = 0; m < g.M; ++m)
      for (int64_t n = 0; n < g.N; ++n) {
        C acc = 0;
        for (int64_t k = 0; k < g.K; ++k)
          acc += load_c(ta ? A[k * g.M + m] : A[m * g.K + k]) *
                 load_c(tb ? B[n * g.K + k] : B[k * g.N + n]);
        Cm[m * g.N + n] = store_c<T>(acc);
      }
  });
}

}  // namespace

bool native_bf16_gemm() {
  // oneDNN's bf16 matmul needs AVX-512 (native dot products with AVX512_BF16, emulated on plain
  // AVX-512); on AVX2-era CPUs it has no implementation at all.
  static const bool ok = [] {
    const auto isa = unsigned(dnnl::get_effective_cpu_isa());
    const auto need = unsigned(dnnl::cpu_isa::avx512_core);
    return (isa & need) == need;
  }();
  return ok;
}

namespace {

Tensor activation(const Tensor& c, Epilogue epilogue) {
  switch (epilogue) {
    case Epilogue::relu: return unary(UnaryOp::relu, c);
    case Epilogue::sigmoid: return unary(UnaryOp::sigmoid, c);
    case Epilogue::tanh: return unary(UnaryOp::tanh, c);
    case Epilogue::none: break;
  }
  return c;
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool ta, bool tb, const Tensor* bias,
              Epilogue epilogue) {
  ensure_runtime_initialized();
  // 16-bit inputs without a 16-bit GEMM on this CPU: compute in float32 (exact products of the
  // 16-bit values, float32 accumulation, one rounding of the result), never a slow reference path.
  if (a.dtype() == DType::float16 || (a.dtype() == DType::bfloat16 && !native_bf16_gemm())) {
    const Tensor fb = bias ? cast(*bias, DType::float32) : Tensor();
    return cast(matmul(cast(a, DType::float32), cast(b, DType::float32), ta, tb,
                       bias ? &fb : nullptr, epilogue),
                a.dtype());
  }
  const Geometry g = geometry(a, b, ta, tb);
  std::vector<int64_t> out_dims = g.batch;
  out_dims.push_back(g.M);
  out_dims.push_back(g.N);
  Tensor c = Tensor::empty(Shape(out_dims), a.dtype());
  if (c.size() == 0) return c;
  if (g.K == 0) {
    c = Tensor::zeros(c.shape(), c.dtype());
  } else if (a.dtype() == DType::float32 && g.M == 1 && g.batch.empty() && !tb && g.K * g.N >= 16384) {
    // One row (batch-1 inference) is a GEMV bound by streaming the weights: oneDNN's GEMM reads
    // them at about half the speed of a plain row-by-row stream (105 vs 54 us for 784x1024 on one
    // core). Threads take column blocks. a's K values are contiguous with or without ta.
    const float* x = static_cast<const float*>(a.raw_data());
    const float* w = static_cast<const float*>(b.raw_data());
    const float* bv = bias ? static_cast<const float*>(bias->raw_data()) : nullptr;
    float* y = static_cast<float*>(c.raw_data());
    const int64_t blocks = std::max<int64_t>(1, std::min<int64_t>(get_num_threads(), g.N / 256));
    const int64_t per = (g.N / blocks + 63) / 64 * 64;
    // The blocks were sized for the threads: split whenever there is more than one.
    parallel_for_each(blocks, blocks > 1 ? std::numeric_limits<int64_t>::max() : 0, [&](int64_t i) {
      const int64_t n0 = std::min(g.N, i * per), n1 = std::min(g.N, n0 + per);
      if (n1 > n0) simd::gemv_f32(x, w + n0, g.N, bv ? bv + n0 : nullptr, y + n0, g.K, n1 - n0);
    });
    return activation(c, epilogue);
  } else if (a.dtype() == DType::float32 || a.dtype() == DType::bfloat16) {
    const std::string key = cache_key(g, ta, tb, a.dtype(), bias != nullptr, epilogue);
    const auto p = onednn::cached<CachedPrimitive>("matmul|" + key, [&] {
      return make_primitive(g, ta, tb, a.dtype(), bias != nullptr, epilogue);
    });
    const auto& pd = p->pd;
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, onednn::memory(pd.src_desc(), a)},
        {DNNL_ARG_WEIGHTS, onednn::memory(pd.weights_desc(), b)},
        {DNNL_ARG_DST, onednn::memory(pd.dst_desc(), c)}};
    if (bias) args[DNNL_ARG_BIAS] = onednn::memory(pd.bias_desc(), *bias);
    onednn::execute(p->prim, args);
    return c;
  } else {
    visit_dtype(a.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (!std::is_same_v<T, bool>) naive_matmul<T>(a, b, c, g, ta, tb);
      else throw InternalError("matmul of bool reached the kernel");
    });
  }
  // Epilogue for the non-oneDNN path (and K == 0): bias add then activation.
  if (bias) c = binary(BinaryOp::add, c, *bias);
  return activation(c, epilogue);
}

std::string onednn_info() {
  const dnnl_version_t* v = dnnl_version();
  std::string isa;
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::avx2: isa = "avx2"; break;
    case dnnl::cpu_isa::avx512_core: isa = "avx512_core"; break;
    case dnnl::cpu_isa::avx512_core_vnni: isa = "avx512_core_vnni"; break;
    case dnnl::cpu_isa::avx512_core_bf16: isa = "avx512_core_bf16"; break;
    case dnnl::cpu_isa::avx512_core_amx: isa = "avx512_core_amx"; break;
    default: isa = "other"; break;
  }
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch) + " (" + isa + ")";
}

}  // namespace tb::kernels::cpu
