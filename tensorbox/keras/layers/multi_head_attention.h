// MultiHeadAttention (keras.layers.MultiHeadAttention) over sequences [batch, T, dim]: query,
// key and value are projected to `num_heads` heads (kernels [dim, heads, key_dim] and
// [dim, heads, value_dim] with biases [heads, key_dim]), scores = q @ k^T / sqrt(key_dim) per
// head, softmax with masked scores at -1e9, dropout in training, and the heads' results are
// projected back to the query's last dimension (or output_shape) by attention_output
// [heads, value_dim, out]. Masks: the query's, value's and key's masks, an explicit
// attention_mask [batch, Tq, Tv] and use_causal_mask combine with AND, as in Keras.
//
//   MultiHeadAttention mha(4, 16);
//   Tensor y = mha(std::vector<Tensor>{x, x})[0];                 // self-attention
//   auto [out, scores] = mha.call_attention({q, v}, {}, Tensor(), false, /*use_causal_mask=*/true);
#pragma once

#include "tensorbox/keras/layers/attention.h"

namespace tb::keras::layers {

struct MultiHeadAttentionOptions {
  std::optional<int64_t> value_dim{};             // default: key_dim
  double dropout = 0.0;
  bool use_bias = true;
  std::optional<int64_t> output_shape{};          // default: the query's last dimension
  std::string kernel_initializer = "glorot_uniform";
  std::string bias_initializer = "zeros";
  nlohmann::ordered_json kernel_regularizer = nullptr;
  nlohmann::ordered_json bias_regularizer = nullptr;
  TB_LAYER_BASE_OPTIONS;
};

class MultiHeadAttention : public AttentionLayer {
 public:
  MultiHeadAttention(int64_t num_heads, int64_t key_dim, const MultiHeadAttentionOptions& options = {});
  void build_list(const std::vector<Shape>& input_shapes) override;
  std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const override;
  AttentionOutput attend(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks,
                         const Tensor& attention_mask, bool training, bool use_causal_mask) override;
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<MultiHeadAttention> from_config(const nlohmann::ordered_json& config);

 private:
  struct Projection {
    Variable kernel, bias;
  };
  Projection add_projection(const std::string& name, const Shape& kernel, const Shape& bias);
  // x [B, T, dim] through a projection -> [B, heads, T, size].
  Tensor project_heads(const Tensor& x, const Projection& p, int64_t size);
  std::vector<Shape> check_shapes(const std::vector<Shape>& shapes) const;

  int64_t num_heads_, key_dim_, value_dim_;
  MultiHeadAttentionOptions options_;
  initializers::Initializer kernel_init_, bias_init_;
  std::optional<regularizers::Regularizer> kernel_reg_, bias_reg_;
  Projection query_, key_, value_, output_;
  std::vector<Shape> built_shapes_;  // query, value, key, as Keras's config records them
};

}  // namespace tb::keras::layers
