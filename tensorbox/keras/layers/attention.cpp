#include "tensorbox/keras/layers/attention.h"

#include <algorithm>

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::layers {

void AttentionLayer::check_count(size_t n) const {
  if (n < 2 || n > 3)
    throw ValueError(class_name() + " layer accepts inputs list of length 2 or 3, namely [query, value] or "
                     "[query, value, key]. Received length: " + std::to_string(n) + " (layer \"" + name() + "\")");
}

void AttentionLayer::needs_list() const {
  throw ValueError(class_name() + " layer must be called on a list of inputs, namely [query, value] or "
                   "[query, value, key] (layer \"" + name() + "\")");
}

Shape AttentionLayer::compute_output_shape(const Shape&) const { needs_list(); }

Tensor AttentionLayer::call(const Tensor&, bool) { needs_list(); }

AttentionOutput AttentionLayer::call_attention(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks,
                                               const Tensor& attention_mask, bool training, bool use_causal_mask) {
  std::vector<Tensor> xs;
  for (const Tensor& x : inputs)
    xs.push_back(is_floating(x.dtype()) && x.dtype() != compute_dtype() ? ops::cast(x, compute_dtype()) : x);
  return attend(xs, masks, attention_mask, training, use_causal_mask);
}

std::vector<Tensor> AttentionLayer::call_list(const std::vector<Tensor>& inputs, bool training) {
  return {attend(inputs, {}, Tensor(), training, false).output};
}

std::vector<Tensor> AttentionLayer::call_list_masked(const std::vector<Tensor>& inputs, bool training,
                                                     const std::vector<Tensor>& masks) {
  return {attend(inputs, masks, Tensor(), training, false).output};
}

std::vector<Tensor> AttentionLayer::call_kwargs_extra(const std::vector<Tensor>& inputs, bool training,
                                                      const std::vector<Tensor>& masks,
                                                      const nlohmann::ordered_json& kwargs,
                                                      const std::map<std::string, Tensor>& tensors) {
  Tensor attention_mask;
  for (const auto& [key, t] : tensors) {
    if (key != "attention_mask")
      throw UnimplementedError("Layer \"" + name() + "\": the tensor call argument " + key +
                               " is not supported in a functional model");
    attention_mask = t;
  }
  bool causal = false;
  for (const auto& [key, value] : kwargs.items()) {
    if (key == "use_causal_mask" && value.is_boolean()) causal = value.get<bool>();
    else if (!(key == "return_attention_scores" && value == false))
      throw UnimplementedError("Layer \"" + name() + "\": the call argument " + key + "=" + value.dump() +
                               " is not supported in a functional model");
  }
  if (!built_) {
    std::vector<Shape> shapes;
    for (const Tensor& x : inputs) shapes.push_back(x.shape());
    build_list(shapes);
  }
  return {call_attention(inputs, masks, attention_mask, training, causal).output};
}

std::vector<Tensor> AttentionLayer::compute_masks(const std::vector<Tensor>&, const std::vector<Tensor>& masks) const {
  return {masks.empty() ? Tensor() : masks[0]};
}

Tensor AttentionLayer::combined_mask(const std::vector<Tensor>& masks, const Tensor& attention_mask,
                                     bool use_causal_mask, int64_t tq, int64_t tv, bool use_query_mask) {
  Tensor m;
  auto merge = [&m](const Tensor& part) {
    const Tensor b = part.dtype() == DType::bool_ ? part : ops::cast(part, DType::bool_);
    m = m.defined() ? ops::logical_and(m, b) : b;
  };
  if (use_query_mask && !masks.empty() && masks[0].defined()) merge(ops::expand_dims(masks[0], 2));  // [B, Tq, 1]
  for (size_t i = 1; i < masks.size(); ++i)
    if (masks[i].defined()) merge(ops::expand_dims(masks[i], 1));  // value, key: [B, 1, Tv]
  if (use_causal_mask) {
    Tensor causal = Tensor::empty({1, tq, tv}, DType::bool_);
    bool* p = static_cast<bool*>(causal.raw_data());
    for (int64_t i = 0; i < tq; ++i)
      for (int64_t j = 0; j < tv; ++j) p[i * tv + j] = j <= i;
    merge(causal);
  }
  if (attention_mask.defined()) merge(attention_mask);
  return m;
}

Tensor AttentionLayer::masked_softmax(const Tensor& scores, const Tensor& allowed, double dropout, bool training) {
  Tensor s = scores;
  if (allowed.defined()) {
    const double big = scores.dtype() == DType::float16 ? 65504.0 : 1e9;
    const Tensor blocked = ops::cast(ops::logical_not(allowed), scores.dtype());
    s = ops::sub(s, ops::mul(blocked, ops::scalar_like(big, s)));
  }
  Tensor w = ops::softmax(s, -1);
  if (training && dropout > 0) w = ops::dropout(w, dropout);
  return w;
}

Attention::Attention(const AttentionOptions& o) : AttentionLayer("Attention", base_options(o)), options_(o) {
  supports_masking_ = true;
  if (o.score_mode != "dot" && o.score_mode != "concat")
    throw ValueError("Received: score_mode=" + o.score_mode + ". Acceptable values are: [\"dot\", \"concat\"]");
  check_fraction(o.dropout, "dropout", name());
}

void Attention::build_list(const std::vector<Shape>& shapes) {
  check_count(shapes.size());
  if (options_.use_scale) scale_ = add_weight("scale", Shape(std::vector<int64_t>{}), initializers::Ones());
  if (options_.score_mode == "concat")
    concat_score_weight_ = add_weight("concat_score_weight", Shape(std::vector<int64_t>{}), initializers::Ones());
  built_ = true;
}

std::vector<Shape> Attention::compute_output_shapes(const std::vector<Shape>& shapes) const {
  check_count(shapes.size());
  return {shapes[0]};
}

AttentionOutput Attention::attend(const std::vector<Tensor>& in, const std::vector<Tensor>& masks,
                                  const Tensor& attention_mask, bool training, bool use_causal_mask) {
  check_count(in.size());
  if (!built_) {
    std::vector<Shape> shapes;
    for (const Tensor& x : in) shapes.push_back(x.shape());
    build_list(shapes);
  }
  const Tensor& q = in[0];
  const Tensor& v = in[1];
  const Tensor& k = in.size() > 2 ? in[2] : v;
  if (q.rank() != 3 || v.rank() != 3 || k.rank() != 3 || q.dim(-1) != k.dim(-1) || k.dim(1) != v.dim(1))
    throw ValueError("Layer \"" + name() + "\": expected query [batch, Tq, dim], value [batch, Tv, dim] and key "
                     "[batch, Tv, dim], got " + q.shape().to_string() + ", " + v.shape().to_string() + ", " +
                     k.shape().to_string());
  Tensor scores;
  if (options_.score_mode == "dot") {
    scores = ops::matmul(q, k, false, true);
    if (options_.use_scale) scores = ops::mul(scores, read(scale_));
  } else {
    Tensor sum = ops::add(ops::expand_dims(q, -2), ops::expand_dims(k, -3));  // [B, Tq, Tv, dim]
    if (options_.use_scale) sum = ops::mul(read(scale_), sum);
    scores = ops::mul(read(concat_score_weight_), ops::reduce_sum(ops::tanh(sum), {-1}));
  }
  // Keras's Attention: the query mask zeroes the result instead of masking scores.
  const std::vector<Tensor> qv(masks.begin(), masks.begin() + long(std::min<size_t>(masks.size(), 2)));  // Keras ignores a key mask here
  const Tensor allowed = combined_mask(qv, attention_mask, use_causal_mask, q.dim(1), k.dim(1), false);
  const Tensor w = masked_softmax(scores, allowed, options_.dropout, training);
  Tensor out = ops::matmul(w, v);
  if (!masks.empty() && masks[0].defined()) out = ops::mul(out, ops::expand_dims(ops::cast(masks[0], out.dtype()), -1));
  return {out, w};
}

nlohmann::ordered_json Attention::layer_config() const {
  return {{"dropout", options_.dropout}, {"use_scale", options_.use_scale}, {"score_mode", options_.score_mode}};
}

std::shared_ptr<Attention> Attention::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Attention");
  const BaseOptions b = read_base_options(r, c);
  AttentionOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  r.read("use_scale", o.use_scale);
  r.read("score_mode", o.score_mode);
  r.read("dropout", o.dropout);
  r.ignore("causal", false);
  r.finish();
  return std::make_shared<Attention>(o);
}

TB_REGISTER_LAYER(Attention);

}  // namespace tb::keras::layers
