#include "tensorbox/keras/layers/embedding.h"

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"

namespace tb::keras::layers {

Embedding::Embedding(int64_t input_dim, int64_t output_dim, const EmbeddingOptions& o)
    : Layer("Embedding", base_options(o)),
      input_dim_(input_dim),
      output_dim_(output_dim),
      options_(o),
      init_(initializers::get(o.embeddings_initializer)),
      embeddings_reg_(regularizers::from_config(o.embeddings_regularizer)),
      activity_reg_(regularizers::from_config(o.activity_regularizer)) {
  if (input_dim <= 0 || output_dim <= 0)
    throw ValueError("Both `input_dim` and `output_dim` should be positive, Received input_dim = " +
                     std::to_string(input_dim) + " and output_dim = " + std::to_string(output_dim));
}

void Embedding::build(const Shape&) {
  embeddings_ = add_weight("embeddings", {input_dim_, output_dim_}, init_);
  add_weight_regularizer(embeddings_, embeddings_reg_);
  built_ = true;
}

Tensor Embedding::call(const Tensor& x, bool) {
  const Tensor idx = x.dtype() == DType::int32 || x.dtype() == DType::int64 ? x : ops::cast(x, DType::int32);
  try {
    const Tensor out = ops::gather(read(embeddings_), idx, 0);  // checks every index against [0, input_dim)
    add_activity_regularization(out, activity_reg_);
    return out;
  } catch (const InvalidArgumentError& e) {
    throw InvalidArgumentError("Exception encountered when calling layer \"" + name() + "\": " + e.what());
  }
}

Tensor Embedding::compute_mask(const Tensor& x, const Tensor&) const {
  if (!options_.mask_zero) return Tensor();
  return ops::not_equal(x, Tensor::scalar(0, x.dtype()));
}

Shape Embedding::compute_output_shape(const Shape& s) const {
  std::vector<int64_t> d = s.dims();
  d.push_back(output_dim_);
  return Shape(d);
}

nlohmann::ordered_json Embedding::layer_config() const {
  return {{"input_dim", input_dim_},
          {"output_dim", output_dim_},
          {"embeddings_initializer", init_.get_config()},
          {"embeddings_regularizer", regularizers::serialize(embeddings_reg_)},
          {"activity_regularizer", regularizers::serialize(activity_reg_)},
          {"embeddings_constraint", nullptr},
          {"mask_zero", options_.mask_zero},
          {"input_length", options_.input_length ? nlohmann::ordered_json(*options_.input_length) : nlohmann::ordered_json(nullptr)}};
}

std::shared_ptr<Embedding> Embedding::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Embedding");
  const BaseOptions b = read_base_options(r, c);
  EmbeddingOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  int64_t input_dim = 0, output_dim = 0;
  r.read("input_dim", input_dim);
  r.read("output_dim", output_dim);
  r.read("mask_zero", o.mask_zero);
  r.read("input_length", o.input_length);
  r.allow("embeddings_initializer");
  r.read_if_set("embeddings_regularizer", o.embeddings_regularizer);
  r.read_if_set("activity_regularizer", o.activity_regularizer);
  r.ignore("embeddings_constraint", nullptr);
  r.finish();
  auto l = std::make_shared<Embedding>(input_dim, output_dim, o);
  if (c.contains("embeddings_initializer")) l->init_ = initializers::from_config(c["embeddings_initializer"]);
  return l;
}

TB_REGISTER_LAYER(Embedding);

}  // namespace tb::keras::layers
