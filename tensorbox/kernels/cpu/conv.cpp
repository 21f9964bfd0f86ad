#include "tensorbox/kernels/cpu/conv.h"

#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/onednn.h"
#include "tensorbox/kernels/cpu/reduce.h"

namespace tb::kernels::cpu {
namespace {

using dnnl::memory;
using tag = memory::format_tag;

memory::desc act_md(int64_t n, int64_t c, int64_t h, int64_t w) {
  return memory::desc({n, c, h, w}, memory::data_type::f32, tag::nhwc);
}
memory::desc src_md(const ConvGeometry& g) { return act_md(g.N, g.C, g.H, g.W); }
memory::desc dst_md(const ConvGeometry& g) { return act_md(g.N, g.O, g.OH, g.OW); }
memory::desc any_md(const memory::desc& md) {
  return memory::desc(md.dims(), memory::data_type::f32, tag::any);
}

// The Keras filter [KH, KW, Cg, O] as oneDNN dims ({O, Cg, KH, KW}, or {G, O/G, Cg, KH, KW}
// with groups) with the strides of that HWIO buffer.
memory::desc filter_md(const ConvGeometry& g) {
  const int64_t cg = g.C / g.groups, og = g.O / g.groups;
  if (g.groups == 1)
    return memory::desc({g.O, cg, g.KH, g.KW}, memory::data_type::f32,
                        memory::dims{1, g.O, g.KW * cg * g.O, cg * g.O});
  return memory::desc({g.groups, og, cg, g.KH, g.KW}, memory::data_type::f32,
                      memory::dims{og, 1, g.O, g.KW * cg * g.O, cg * g.O});
}
memory::desc bias_md(const ConvGeometry& g) { return memory::desc({g.O}, memory::data_type::f32, tag::x); }

memory::dims strides(const ConvGeometry& g) { return {g.sh, g.sw}; }
memory::dims dilates(const ConvGeometry& g) { return {g.dh - 1, g.dw - 1}; }  // oneDNN counts gaps
memory::dims pad_l(const ConvGeometry& g) { return {g.pt, g.pl}; }
memory::dims pad_r(const ConvGeometry& g) { return {g.pb, g.pr}; }

dnnl::convolution_forward::primitive_desc forward_pd(const ConvGeometry& g, bool bias, Epilogue e) {
  const dnnl::convolution_forward::desc d =
      bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                             src_md(g), any_md(filter_md(g)), bias_md(g), dst_md(g), strides(g),
                                             dilates(g), pad_l(g), pad_r(g))
           : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                             src_md(g), any_md(filter_md(g)), dst_md(g), strides(g), dilates(g),
                                             pad_l(g), pad_r(g));
  dnnl::primitive_attr attr;
  if (e != Epilogue::none) {
    dnnl::post_ops po;
    po.append_eltwise(1.0f,
                      e == Epilogue::relu      ? dnnl::algorithm::eltwise_relu
                      : e == Epilogue::sigmoid ? dnnl::algorithm::eltwise_logistic
                                               : dnnl::algorithm::eltwise_tanh,
                      0.0f, 0.0f);
    attr.set_post_ops(po);
  }
  return dnnl::convolution_forward::primitive_desc(d, attr, onednn::engine());
}

struct Forward {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward prim;
};
struct BackwardData {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data prim;
};
struct BackwardWeights {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights prim;
};

std::shared_ptr<Forward> forward(const ConvGeometry& g, bool bias, Epilogue e) {
  return onednn::cached<Forward>("conv_fwd|" + g.key() + std::to_string(bias) + std::to_string(int(e)), [&] {
    auto pd = forward_pd(g, bias, e);
    return Forward{pd, dnnl::convolution_forward(pd)};
  });
}
std::shared_ptr<BackwardData> backward_data(const ConvGeometry& g) {
  return onednn::cached<BackwardData>("conv_bwd_data|" + g.key(), [&] {
    const dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, src_md(g),
                                                  any_md(filter_md(g)), dst_md(g), strides(g), dilates(g),
                                                  pad_l(g), pad_r(g));
    dnnl::convolution_backward_data::primitive_desc pd(d, onednn::engine(), forward_pd(g, false, Epilogue::none));
    return BackwardData{pd, dnnl::convolution_backward_data(pd)};
  });
}
std::shared_ptr<BackwardWeights> backward_weights(const ConvGeometry& g, bool bias) {
  return onednn::cached<BackwardWeights>("conv_bwd_weights|" + g.key() + std::to_string(bias), [&] {
    const auto d = bias ? dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, src_md(g),
                                                                   any_md(filter_md(g)), bias_md(g), dst_md(g),
                                                                   strides(g), dilates(g), pad_l(g), pad_r(g))
                        : dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, src_md(g),
                                                                   any_md(filter_md(g)), dst_md(g), strides(g),
                                                                   dilates(g), pad_l(g), pad_r(g));
    dnnl::convolution_backward_weights::primitive_desc pd(d, onednn::engine(), forward_pd(g, bias, Epilogue::none));
    return BackwardWeights{pd, dnnl::convolution_backward_weights(pd)};
  });
}

// float64 loops: every (output pixel, filter tap) pair, visited in the same order by all three
// passes. `f(x_index, w_index, y_index)` gets flat offsets into the NHWC/HWIO/NHWC buffers.
// Parallel over `outer` so that passes which scatter (backward) never race: forward and
// backward-data split the batch, backward-weights splits output channels.
template <class F>
void for_each_tap(const ConvGeometry& g, int64_t n, int64_t o_begin, int64_t o_end, F&& f) {
  const int64_t cg = g.C / g.groups, og = g.O / g.groups;
  for (int64_t oh = 0; oh < g.OH; ++oh)
    for (int64_t ow = 0; ow < g.OW; ++ow)
      for (int64_t o = o_begin; o < o_end; ++o) {
        const int64_t grp = o / og, yi = ((n * g.OH + oh) * g.OW + ow) * g.O + o;
        for (int64_t kh = 0; kh < g.KH; ++kh) {
          const int64_t ih = oh * g.sh - g.pt + kh * g.dh;
          if (ih < 0 || ih >= g.H) continue;
          for (int64_t kw = 0; kw < g.KW; ++kw) {
            const int64_t iw = ow * g.sw - g.pl + kw * g.dw;
            if (iw < 0 || iw >= g.W) continue;
            for (int64_t ci = 0; ci < cg; ++ci)
              f(((n * g.H + ih) * g.W + iw) * g.C + grp * cg + ci, ((kh * g.KW + kw) * cg + ci) * g.O + o, yi);
          }
        }
      }
}

bool reduced_precision(DType t) { return t == DType::float16 || t == DType::bfloat16; }

}  // namespace

std::string ConvGeometry::key() const {
  std::string k;
  for (int64_t v : {N, H, W, C, KH, KW, O, groups, sh, sw, dh, dw, pt, pb, pl, pr, OH, OW}) k += std::to_string(v) + ",";
  return k;
}

Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor* bias, Epilogue e, const ConvGeometry& g) {
  ensure_runtime_initialized();
  if (reduced_precision(x.dtype())) {
    const Tensor fb = bias ? cast(*bias, DType::float32) : Tensor();
    return cast(conv2d(cast(x, DType::float32), cast(w, DType::float32), bias ? &fb : nullptr, e, g), x.dtype());
  }
  Tensor y = Tensor::empty({g.N, g.OH, g.OW, g.O}, x.dtype());
  if (y.size() == 0) return y;
  if (x.dtype() == DType::float64) {
    const double* px = x.data<double>();
    const double* pw = w.data<double>();
    double* py = y.data<double>();
    for (int64_t i = 0; i < y.size(); ++i) py[i] = bias ? bias->data<double>()[i % g.O] : 0.0;
    parallel_for_each(g.N, y.size() * g.KH * g.KW * (g.C / g.groups), [&](int64_t n) {
      for_each_tap(g, n, 0, g.O, [&](int64_t xi, int64_t wi, int64_t yi) { py[yi] += px[xi] * pw[wi]; });
    });
    switch (e) {
      case Epilogue::relu: return unary(UnaryOp::relu, y);
      case Epilogue::sigmoid: return unary(UnaryOp::sigmoid, y);
      case Epilogue::tanh: return unary(UnaryOp::tanh, y);
      case Epilogue::none: return y;
    }
  }
  const auto p = forward(g, bias != nullptr, e);
  const memory wm = onednn::reorder_to(onednn::memory(filter_md(g), w), p->pd.weights_desc());
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, onednn::memory(p->pd.src_desc(), x)},
                                       {DNNL_ARG_WEIGHTS, wm},
                                       {DNNL_ARG_DST, onednn::memory(p->pd.dst_desc(), y)}};
  if (bias) args[DNNL_ARG_BIAS] = onednn::memory(bias_md(g), *bias);
  onednn::execute(p->prim, args);
  return y;
}

Tensor conv2d_backward_data(const Tensor& dy, const Tensor& w, const ConvGeometry& g) {
  ensure_runtime_initialized();
  if (reduced_precision(dy.dtype()))
    return cast(conv2d_backward_data(cast(dy, DType::float32), cast(w, DType::float32), g), dy.dtype());
  const bool loops = dy.dtype() == DType::float64 || dy.size() == 0;  // the loops accumulate into zeros
  Tensor dx = loops ? Tensor::zeros({g.N, g.H, g.W, g.C}, dy.dtype()) : Tensor::empty({g.N, g.H, g.W, g.C}, dy.dtype());
  if (dx.size() == 0 || dy.size() == 0) return dx;
  if (loops) {
    const double* pdy = dy.data<double>();
    const double* pw = w.data<double>();
    double* pdx = dx.data<double>();
    parallel_for_each(g.N, dy.size() * g.KH * g.KW * (g.C / g.groups), [&](int64_t n) {
      for_each_tap(g, n, 0, g.O, [&](int64_t xi, int64_t wi, int64_t yi) { pdx[xi] += pdy[yi] * pw[wi]; });
    });
    return dx;
  }
  const auto p = backward_data(g);
  const memory wm = onednn::reorder_to(onednn::memory(filter_md(g), w), p->pd.weights_desc());
  onednn::execute(p->prim, {{DNNL_ARG_DIFF_DST, onednn::memory(p->pd.diff_dst_desc(), dy)},
                            {DNNL_ARG_WEIGHTS, wm},
                            {DNNL_ARG_DIFF_SRC, onednn::memory(p->pd.diff_src_desc(), dx)}});
  return dx;
}

std::pair<Tensor, Tensor> conv2d_backward_weights(const Tensor& x, const Tensor& dy, const ConvGeometry& g,
                                                  bool with_bias) {
  ensure_runtime_initialized();
  if (reduced_precision(x.dtype())) {
    auto [dw, db] = conv2d_backward_weights(cast(x, DType::float32), cast(dy, DType::float32), g, with_bias);
    return {cast(dw, x.dtype()), with_bias ? cast(db, x.dtype()) : Tensor()};
  }
  Tensor dw = Tensor::zeros({g.KH, g.KW, g.C / g.groups, g.O}, x.dtype());
  if (dy.size() == 0 || x.size() == 0 || x.dtype() == DType::float64) {
    if (dy.size() > 0 && x.size() > 0) {
      const double* px = x.data<double>();
      const double* pdy = dy.data<double>();
      double* pdw = dw.data<double>();
      parallel_for_each(g.O, dy.size() * g.KH * g.KW * (g.C / g.groups), [&](int64_t o) {
        for (int64_t n = 0; n < g.N; ++n)
          for_each_tap(g, n, o, o + 1, [&](int64_t xi, int64_t wi, int64_t yi) { pdw[wi] += px[xi] * pdy[yi]; });
      });
    }
    Tensor db = with_bias ? reduce(ReduceOp::sum, dy.reshape({-1, g.O}), {0}, false) : Tensor();
    return {dw, db};
  }
  const auto p = backward_weights(g, with_bias);
  Tensor db = with_bias ? Tensor::empty({g.O}, x.dtype()) : Tensor();
  const memory user_dw = onednn::memory(filter_md(g), dw);
  const bool same = p->pd.diff_weights_desc() == user_dw.get_desc();
  memory dw_mem = same ? user_dw : memory(p->pd.diff_weights_desc(), onednn::engine());
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, onednn::memory(p->pd.src_desc(), x)},
                                       {DNNL_ARG_DIFF_DST, onednn::memory(p->pd.diff_dst_desc(), dy)},
                                       {DNNL_ARG_DIFF_WEIGHTS, dw_mem}};
  if (with_bias) args[DNNL_ARG_DIFF_BIAS] = onednn::memory(bias_md(g), db);
  onednn::execute(p->prim, args);
  if (!same) {
    dnnl::reorder(dw_mem, user_dw).execute(onednn::stream(), dw_mem, const_cast<memory&>(user_dw));
    onednn::stream().wait();
  }
  return {dw, db};
}

std::string conv2d_impl_names(const ConvGeometry& g) {
  return onednn::impl_name(forward(g, true, Epilogue::relu)->pd) + " " +
         onednn::impl_name(backward_data(g)->pd) + " " + onednn::impl_name(backward_weights(g, true)->pd);
}

}  // namespace tb::kernels::cpu
