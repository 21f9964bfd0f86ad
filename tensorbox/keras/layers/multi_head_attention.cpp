#include "tensorbox/keras/layers/multi_head_attention.h"

#include <cmath>

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

namespace {
nlohmann::ordered_json shape_json(const Shape& s) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (int64_t d : s.dims()) j.push_back(d < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d));
  return j;
}
}  // namespace

MultiHeadAttention::MultiHeadAttention(int64_t num_heads, int64_t key_dim, const MultiHeadAttentionOptions& o)
    : AttentionLayer("MultiHeadAttention", base_options(o)),
      num_heads_(num_heads),
      key_dim_(key_dim),
      value_dim_(o.value_dim.value_or(key_dim)),
      options_(o),
      kernel_init_(initializers::get(o.kernel_initializer)),
      bias_init_(initializers::get(o.bias_initializer)),
      kernel_reg_(regularizers::from_config(o.kernel_regularizer)),
      bias_reg_(regularizers::from_config(o.bias_regularizer)) {
  supports_masking_ = true;
  if (num_heads <= 0 || key_dim <= 0 || value_dim_ <= 0)
    throw ValueError("Layer \"" + name() + "\": num_heads, key_dim and value_dim must be positive, got " +
                     std::to_string(num_heads) + ", " + std::to_string(key_dim) + ", " + std::to_string(value_dim_));
  if (o.output_shape && *o.output_shape <= 0)
    throw ValueError("Layer \"" + name() + "\": output_shape must be positive, got " + std::to_string(*o.output_shape));
  check_fraction(o.dropout, "dropout", name());
}

std::vector<Shape> MultiHeadAttention::check_shapes(const std::vector<Shape>& shapes) const {
  check_count(shapes.size());
  std::vector<Shape> s = shapes;
  if (s.size() == 2) s.push_back(s[1]);  // key defaults to value
  for (size_t i = 0; i < 3; ++i)
    if (s[i].rank() != 3 || s[i][2] <= 0)
      throw ValueError("Layer \"" + name() + "\": tensorbox's MultiHeadAttention attends over axis 1 of "
                       "[batch, T, dim] inputs; got " + std::string(i == 0 ? "query" : i == 1 ? "value" : "key") +
                       " of shape " + s[i].to_string());
  if (s[1][1] >= 0 && s[2][1] >= 0 && s[1][1] != s[2][1])
    throw ValueError("Layer \"" + name() + "\": key and value must have the same length, got " + s[2].to_string() +
                     " and " + s[1].to_string());
  return s;
}

MultiHeadAttention::Projection MultiHeadAttention::add_projection(const std::string& pname, const Shape& kernel,
                                                                   const Shape& bias) {
  Projection p;
  p.kernel = add_weight(pname + "/kernel", kernel, kernel_init_);
  add_weight_regularizer(p.kernel, kernel_reg_);
  if (options_.use_bias) {
    p.bias = add_weight(pname + "/bias", bias, bias_init_);
    add_weight_regularizer(p.bias, bias_reg_);
  }
  return p;
}

void MultiHeadAttention::build_list(const std::vector<Shape>& shapes) {
  const std::vector<Shape> s = check_shapes(shapes);
  const int64_t out = options_.output_shape.value_or(s[0][2]);
  query_ = add_projection("query", {s[0][2], num_heads_, key_dim_}, {num_heads_, key_dim_});
  key_ = add_projection("key", {s[2][2], num_heads_, key_dim_}, {num_heads_, key_dim_});
  value_ = add_projection("value", {s[1][2], num_heads_, value_dim_}, {num_heads_, value_dim_});
  output_ = add_projection("attention_output", {num_heads_, value_dim_, out}, {out});
  built_shapes_ = {s[0], s[1], s[2]};
  built_ = true;
}

std::vector<Shape> MultiHeadAttention::compute_output_shapes(const std::vector<Shape>& shapes) const {
  const std::vector<Shape> s = check_shapes(shapes);
  return {Shape({s[0][0], s[0][1], options_.output_shape.value_or(s[0][2])})};
}

Tensor MultiHeadAttention::project_heads(const Tensor& x, const Projection& p, int64_t size) {
  const int64_t b = x.dim(0), t = x.dim(1), d = x.dim(2);
  const Tensor kernel = ops::reshape(read(p.kernel), {d, num_heads_ * size});
  const Tensor bias = options_.use_bias ? ops::reshape(read(p.bias), {num_heads_ * size}) : Tensor();
  const Tensor y = ops::dense(ops::reshape(x, {b * t, d}), kernel, bias, "linear", name());
  return ops::transpose(ops::reshape(y, {b, t, num_heads_, size}), {0, 2, 1, 3});
}

AttentionOutput MultiHeadAttention::attend(const std::vector<Tensor>& in, const std::vector<Tensor>& masks,
                                           const Tensor& attention_mask, bool training, bool use_causal_mask) {
  std::vector<Shape> shapes;
  for (const Tensor& x : in) shapes.push_back(x.shape());
  const std::vector<Shape> s = check_shapes(shapes);
  if (!built_) build_list(shapes);
  for (size_t i = 0; i < 3; ++i)
    if (s[i][2] != built_shapes_[i][2])
      throw ValueError("Layer \"" + name() + "\" was built for inputs of last dimension " +
                       std::to_string(built_shapes_[i][2]) + ", got " + s[i].to_string());
  const Tensor& query = in[0];
  const Tensor& value = in[1];
  const Tensor& key = in.size() > 2 ? in[2] : value;
  const int64_t b = query.dim(0), tq = query.dim(1), tv = value.dim(1);
  if (attention_mask.defined() && attention_mask.rank() != 3)
    throw ValueError("Layer \"" + name() + "\": attention_mask must be [batch, Tq, Tv], got " +
                     attention_mask.shape().to_string());
  Tensor q = project_heads(query, query_, key_dim_);  // [B, H, Tq, K]
  q = ops::mul(q, ops::scalar_like(1.0 / std::sqrt(double(key_dim_)), q));
  const Tensor k = project_heads(key, key_, key_dim_);      // [B, H, Tv, K]
  const Tensor v = project_heads(value, value_, value_dim_);  // [B, H, Tv, V]
  const Tensor scores = ops::matmul(q, k, false, true);      // [B, H, Tq, Tv]
  Tensor allowed = combined_mask(masks, attention_mask, use_causal_mask, tq, tv, true);
  if (allowed.defined()) allowed = ops::expand_dims(allowed, 1);  // one mask for every head
  const Tensor w = masked_softmax(scores, allowed, options_.dropout, training);
  const Tensor ctx = ops::reshape(ops::transpose(ops::matmul(w, v), {0, 2, 1, 3}), {b * tq, num_heads_ * value_dim_});
  const int64_t out = output_.kernel.shape()[2];
  const Tensor y = ops::dense(ctx, ops::reshape(read(output_.kernel), {num_heads_ * value_dim_, out}),
                              options_.use_bias ? read(output_.bias) : Tensor(), "linear", name());
  return {ops::reshape(y, {b, tq, out}), w};
}

nlohmann::ordered_json MultiHeadAttention::layer_config() const {
  auto shape_or_null = [this](size_t i) {
    return built_shapes_.empty() ? nlohmann::ordered_json(nullptr) : shape_json(built_shapes_[i]);
  };
  return {{"num_heads", num_heads_},
          {"key_dim", key_dim_},
          {"value_dim", value_dim_},
          {"dropout", options_.dropout},
          {"use_bias", options_.use_bias},
          {"output_shape", options_.output_shape ? nlohmann::ordered_json(*options_.output_shape) : nlohmann::ordered_json(nullptr)},
          {"attention_axes", {1}},
          {"kernel_initializer", kernel_init_.get_config()},
          {"bias_initializer", bias_init_.get_config()},
          {"kernel_regularizer", regularizers::serialize(kernel_reg_)},
          {"bias_regularizer", regularizers::serialize(bias_reg_)},
          {"activity_regularizer", nullptr},
          {"kernel_constraint", nullptr},
          {"bias_constraint", nullptr},
          {"query_shape", shape_or_null(0)},
          {"key_shape", shape_or_null(2)},
          {"value_shape", shape_or_null(1)}};
}

std::shared_ptr<MultiHeadAttention> MultiHeadAttention::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer MultiHeadAttention");
  const BaseOptions b = read_base_options(r, c);
  MultiHeadAttentionOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  int64_t heads = 0, key_dim = 0;
  r.read("num_heads", heads);
  r.read("key_dim", key_dim);
  r.read("value_dim", o.value_dim);
  r.read("dropout", o.dropout);
  r.read("use_bias", o.use_bias);
  r.allow("output_shape");
  if (r.has("output_shape")) {
    const auto& v = r.at("output_shape");
    if (v.is_array() && v.size() != 1)
      throw UnimplementedError("layer MultiHeadAttention: output_shape of rank > 1 is not supported, got " + v.dump());
    o.output_shape = v.is_array() ? v[0].get<int64_t>() : v.get<int64_t>();
  }
  r.allow("attention_axes");
  if (r.has("attention_axes")) {
    const auto& v = r.at("attention_axes");
    const bool axis1 = (v.is_array() && v.size() == 1 && v[0] == 1) || v == 1;
    if (!axis1)
      throw UnimplementedError("layer MultiHeadAttention: tensorbox attends over axis 1 only, got attention_axes=" +
                               v.dump());
  }
  for (const char* k : {"kernel_initializer", "bias_initializer", "query_shape", "key_shape", "value_shape"}) r.allow(k);
  r.read_if_set("kernel_regularizer", o.kernel_regularizer);
  r.read_if_set("bias_regularizer", o.bias_regularizer);
  for (const char* k : {"activity_regularizer", "kernel_constraint", "bias_constraint"}) r.ignore(k, nullptr);
  r.finish();
  auto l = std::make_shared<MultiHeadAttention>(heads, key_dim, o);
  if (c.contains("kernel_initializer")) l->kernel_init_ = initializers::from_config(c["kernel_initializer"]);
  if (c.contains("bias_initializer")) l->bias_init_ = initializers::from_config(c["bias_initializer"]);
  return l;
}

TB_REGISTER_LAYER(MultiHeadAttention);

}  // namespace tb::keras::layers
