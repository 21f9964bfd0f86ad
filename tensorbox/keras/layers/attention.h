// Attention layers. AttentionLayer is what Attention and MultiHeadAttention share: a call on
// [query, value] or [query, value, key] with the inputs' masks (query [batch, Tq], value
// [batch, Tv]), an optional explicit attention_mask [batch, Tq, Tv] and a causal mask, giving
// the output and the attention scores. A masked-out score gets -1e9 (-65504 in float16) before
// the softmax, as Keras; the output keeps the query's mask.
//
// Attention (keras.layers.Attention, Luong-style): scores = query @ key^T (times a learned
// scalar with use_scale; score_mode "concat": sum(tanh(q + k)) times a learned scalar),
// output = softmax(scores) @ value, zeroed at masked query steps.
//
//   Attention att;
//   Tensor out = att(std::vector<Tensor>{query, value})[0];        // [batch, Tq, dim]
//   auto [o, scores] = att.call_attention({query, value}, {}, Tensor(), false, /*use_causal_mask=*/true);
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct AttentionOutput {
  Tensor output, scores;  // scores: [batch, (heads,) Tq, Tv], after the softmax
};

class AttentionLayer : public Layer {
 public:
  using Layer::Layer;
  bool takes_list() const override { return true; }
  Tensor call(const Tensor& inputs, bool training) override;
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  // The query's mask (Keras).
  std::vector<Tensor> compute_masks(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks) const override;
  // Keras's full call: casts floating inputs to the compute dtype (as every layer call does),
  // then attend().
  AttentionOutput call_attention(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks,
                                 const Tensor& attention_mask, bool training, bool use_causal_mask);
  // inputs [query, value(, key)]; masks empty or one per input (undefined = none).
  virtual AttentionOutput attend(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks,
                                 const Tensor& attention_mask, bool training, bool use_causal_mask) = 0;

 protected:
  std::vector<Tensor> call_list_masked(const std::vector<Tensor>& inputs, bool training,
                                       const std::vector<Tensor>& masks) override;
  // use_causal_mask and attention_mask from a functional model's node.
  std::vector<Tensor> call_kwargs_extra(const std::vector<Tensor>& inputs, bool training,
                                        const std::vector<Tensor>& masks, const nlohmann::ordered_json& kwargs,
                                        const std::map<std::string, Tensor>& tensors) override;
  // The ValueError of a call on one tensor.
  [[noreturn]] void needs_list() const;
  // ValueError unless `n` inputs is 2 or 3 ([query, value] or [query, value, key]).
  void check_count(size_t n) const;
  // The boolean [batch or 1, Tq, Tv] mask of allowed scores (undefined: all allowed) from the
  // query/value/key masks, the explicit mask and the causal mask.
  static Tensor combined_mask(const std::vector<Tensor>& masks, const Tensor& attention_mask, bool use_causal_mask,
                              int64_t tq, int64_t tv, bool use_query_mask);
  // softmax over the last axis after pushing disallowed scores to a large negative number,
  // then dropout when training.
  static Tensor masked_softmax(const Tensor& scores, const Tensor& allowed, double dropout, bool training);
};

struct AttentionOptions {
  bool use_scale = false;
  std::string score_mode = "dot";  // or "concat"
  double dropout = 0.0;            // of the attention scores, in training
  TB_LAYER_BASE_OPTIONS;
};

class Attention : public AttentionLayer {
 public:
  explicit Attention(const AttentionOptions& options = {});
  void build_list(const std::vector<Shape>& input_shapes) override;
  std::vector<Shape> compute_output_shapes(const std::vector<Shape>& input_shapes) const override;
  AttentionOutput attend(const std::vector<Tensor>& inputs, const std::vector<Tensor>& masks,
                         const Tensor& attention_mask, bool training, bool use_causal_mask) override;
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<Attention> from_config(const nlohmann::ordered_json& config);

 private:
  AttentionOptions options_;
  Variable scale_, concat_score_weight_;
};

}  // namespace tb::keras::layers
