#include "tensorbox/kernels/cpu/pool.h"

#include <limits>

#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/onednn.h"

namespace tb::kernels::cpu {
namespace {

using dnnl::memory;

memory::desc act_md(int64_t n, int64_t c, int64_t h, int64_t w) {
  return memory::desc({n, c, h, w}, memory::data_type::f32, memory::format_tag::nhwc);
}

dnnl::algorithm algorithm(PoolKind k) {
  return k == PoolKind::max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
}

dnnl::pooling_forward::primitive_desc forward_pd(PoolKind k, const PoolGeometry& g, bool training) {
  const dnnl::pooling_forward::desc d(training ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference,
                                      algorithm(k), act_md(g.N, g.C, g.H, g.W), act_md(g.N, g.C, g.OH, g.OW),
                                      {g.sh, g.sw}, {g.KH, g.KW}, {g.pt, g.pl}, {g.pb, g.pr});
  return dnnl::pooling_forward::primitive_desc(d, onednn::engine());
}

struct Forward {
  dnnl::pooling_forward::primitive_desc pd;
  dnnl::pooling_forward prim;
};
struct Backward {
  dnnl::pooling_backward::primitive_desc pd;
  dnnl::pooling_backward prim;
};

std::string key_of(PoolKind k, const PoolGeometry& g) { return std::to_string(int(k)) + "|" + g.key(); }

std::shared_ptr<Forward> forward(PoolKind k, const PoolGeometry& g, bool training) {
  return onednn::cached<Forward>("pool_fwd|" + key_of(k, g) + std::to_string(training), [&] {
    auto pd = forward_pd(k, g, training);
    return Forward{pd, dnnl::pooling_forward(pd)};
  });
}

// The window of output (oh, ow), clipped to the input: [h0, h1) x [w0, w1).
struct Window {
  int64_t h0, h1, w0, w1;
};
Window window(const PoolGeometry& g, int64_t oh, int64_t ow) {
  const int64_t h0 = oh * g.sh - g.pt, w0 = ow * g.sw - g.pl;
  return {std::max<int64_t>(h0, 0), std::min(h0 + g.KH, g.H), std::max<int64_t>(w0, 0), std::min(w0 + g.KW, g.W)};
}

// float64 loops. `f(n, oh, ow, c, window)` once per output element; parallel over the batch.
template <class F>
void for_each_output(const PoolGeometry& g, F&& f) {
  parallel_for_each(g.N, g.N * g.OH * g.OW * g.C * g.KH * g.KW, [&](int64_t n) {
    for (int64_t oh = 0; oh < g.OH; ++oh)
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const Window win = window(g, oh, ow);
        for (int64_t c = 0; c < g.C; ++c) f(n, oh, ow, c, win);
      }
  });
}

int64_t at(const PoolGeometry& g, int64_t n, int64_t h, int64_t w, int64_t c) { return ((n * g.H + h) * g.W + w) * g.C + c; }

// The flat index of the window's first maximum (TensorFlow's MaxPoolGrad picks the first too).
int64_t argmax(const PoolGeometry& g, const double* x, int64_t n, int64_t c, const Window& win) {
  int64_t best = -1;
  for (int64_t h = win.h0; h < win.h1; ++h)
    for (int64_t w = win.w0; w < win.w1; ++w) {
      const int64_t i = at(g, n, h, w, c);
      if (best < 0 || x[i] > x[best]) best = i;
    }
  return best;
}

Tensor pool_loops(PoolKind k, const Tensor& x, const PoolGeometry& g) {
  Tensor y = Tensor::empty({g.N, g.OH, g.OW, g.C}, DType::float64);
  const double* px = x.data<double>();
  double* py = y.data<double>();
  for_each_output(g, [&](int64_t n, int64_t oh, int64_t ow, int64_t c, const Window& win) {
    double& out = py[((n * g.OH + oh) * g.OW + ow) * g.C + c];
    if (k == PoolKind::max) {
      const int64_t i = argmax(g, px, n, c, win);
      out = i < 0 ? -std::numeric_limits<double>::infinity() : px[i];
      return;
    }
    double s = 0;
    for (int64_t h = win.h0; h < win.h1; ++h)
      for (int64_t w = win.w0; w < win.w1; ++w) s += px[at(g, n, h, w, c)];
    out = s / double((win.h1 - win.h0) * (win.w1 - win.w0));
  });
  return y;
}

Tensor pool_backward_loops(PoolKind k, const Tensor& dy, const Tensor& x, const PoolGeometry& g) {
  Tensor dx = Tensor::zeros({g.N, g.H, g.W, g.C}, DType::float64);
  const double* px = x.data<double>();
  const double* pdy = dy.data<double>();
  double* pdx = dx.data<double>();
  for_each_output(g, [&](int64_t n, int64_t oh, int64_t ow, int64_t c, const Window& win) {
    const double d = pdy[((n * g.OH + oh) * g.OW + ow) * g.C + c];
    if (k == PoolKind::max) {
      const int64_t i = argmax(g, px, n, c, win);
      if (i >= 0) pdx[i] += d;
      return;
    }
    const double share = d / double((win.h1 - win.h0) * (win.w1 - win.w0));
    for (int64_t h = win.h0; h < win.h1; ++h)
      for (int64_t w = win.w0; w < win.w1; ++w) pdx[at(g, n, h, w, c)] += share;
  });
  return dx;
}

bool reduced_precision(DType t) { return t == DType::float16 || t == DType::bfloat16; }

}  // namespace

std::string PoolGeometry::key() const {
  std::string k;
  for (int64_t v : {N, H, W, C, KH, KW, sh, sw, pt, pb, pl, pr, OH, OW}) k += std::to_string(v) + ",";
  return k;
}

Tensor pool2d(PoolKind k, const Tensor& x, const PoolGeometry& g, Tensor* workspace) {
  ensure_runtime_initialized();
  if (reduced_precision(x.dtype())) return cast(pool2d(k, cast(x, DType::float32), g, workspace), x.dtype());
  if (x.dtype() == DType::float64 || x.size() == 0 || g.OH * g.OW == 0) {
    if (x.size() == 0 || g.OH * g.OW == 0) return Tensor::zeros({g.N, g.OH, g.OW, g.C}, x.dtype());
    return pool_loops(k, x, g);
  }
  Tensor y = Tensor::empty({g.N, g.OH, g.OW, g.C}, x.dtype());
  const bool training = workspace != nullptr && k == PoolKind::max;
  const auto p = forward(k, g, training);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, onednn::memory(p->pd.src_desc(), x)},
                                       {DNNL_ARG_DST, onednn::memory(p->pd.dst_desc(), y)}};
  if (training) {
    const auto ws_md = p->pd.workspace_desc();
    *workspace = Tensor::empty({int64_t(ws_md.get_size())}, DType::uint8);
    args[DNNL_ARG_WORKSPACE] = onednn::memory(ws_md, *workspace);
  }
  onednn::execute(p->prim, args);
  return y;
}

Tensor pool2d_backward(PoolKind k, const Tensor& dy, const Tensor& x, const Tensor& workspace, const PoolGeometry& g) {
  ensure_runtime_initialized();
  if (reduced_precision(dy.dtype()))
    return cast(pool2d_backward(k, cast(dy, DType::float32), cast(x, DType::float32), workspace, g), dy.dtype());
  if (dy.size() == 0 || x.size() == 0) return Tensor::zeros({g.N, g.H, g.W, g.C}, dy.dtype());
  if (dy.dtype() == DType::float64) return pool_backward_loops(k, dy, x, g);
  const auto p = onednn::cached<Backward>("pool_bwd|" + key_of(k, g), [&] {
    const dnnl::pooling_backward::desc d(algorithm(k), act_md(g.N, g.C, g.H, g.W), act_md(g.N, g.C, g.OH, g.OW),
                                         {g.sh, g.sw}, {g.KH, g.KW}, {g.pt, g.pl}, {g.pb, g.pr});
    dnnl::pooling_backward::primitive_desc pd(d, onednn::engine(), forward_pd(k, g, true));
    return Backward{pd, dnnl::pooling_backward(pd)};
  });
  Tensor dx = Tensor::empty({g.N, g.H, g.W, g.C}, dy.dtype());
  std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, onednn::memory(p->pd.diff_dst_desc(), dy)},
                                       {DNNL_ARG_DIFF_SRC, onednn::memory(p->pd.diff_src_desc(), dx)}};
  if (k == PoolKind::max) {
    if (!workspace.defined()) throw InternalError("max pooling backward without the forward pass's workspace");
    args[DNNL_ARG_WORKSPACE] = onednn::memory(p->pd.workspace_desc(), workspace);
  }
  onednn::execute(p->prim, args);
  return dx;
}

}  // namespace tb::kernels::cpu
