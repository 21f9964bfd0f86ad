// Embedding (keras.layers.Embedding): integer indices [batch, ...] -> rows of a learned
// [input_dim, output_dim] table, [batch, ..., output_dim]. Float indices are cast to int32 as
// Keras does; an index outside [0, input_dim) is an error naming it. With mask_zero index 0 is
// padding: the output's mask (compute_mask) is `inputs != 0`, which models hand to the next
// layers (recurrent layers skip the padded steps).
//
//   Embedding e(10000, 64);
//   Tensor v = e(token_ids);
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct EmbeddingOptions {
  std::string embeddings_initializer = "uniform";
  bool mask_zero = false;
  std::optional<int64_t> input_length{};
  nlohmann::ordered_json embeddings_regularizer = nullptr;  // a regularizer name or config; null: none
  nlohmann::ordered_json activity_regularizer = nullptr;
  TB_LAYER_BASE_OPTIONS;
};

class Embedding : public Layer {
 public:
  Embedding(int64_t input_dim, int64_t output_dim, const EmbeddingOptions& options = {});
  void build(const Shape& input_shape) override;
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<Embedding> from_config(const nlohmann::ordered_json& c);

 private:
  int64_t input_dim_, output_dim_;
  EmbeddingOptions options_;
  initializers::Initializer init_;
  std::optional<regularizers::Regularizer> embeddings_reg_, activity_reg_;
  Variable embeddings_;
};

}  // namespace tb::keras::layers
