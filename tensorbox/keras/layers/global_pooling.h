// GlobalAveragePooling1D/2D and GlobalMaxPooling1D/2D (keras.layers): the mean or maximum over
// all spatial axes, [N, spatial..., C] -> [N, C] ([N, 1..., C] with keepdims).
// GlobalAveragePooling1D given a mask averages over the unmasked steps only, as Keras does.
//
//   GlobalAveragePooling2D g;                        // [N, 7, 7, 64] -> [N, 64]
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct GlobalPoolingOptions {
  std::string data_format = "channels_last";
  bool keepdims = false;
  TB_LAYER_BASE_OPTIONS;
};

class GlobalPooling : public Layer {
 public:
  GlobalPooling(const std::string& class_name, int rank, bool max, const GlobalPoolingOptions& options);
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  nlohmann::ordered_json layer_config() const override;
  Tensor compute_mask(const Tensor&, const Tensor&) const override { return Tensor(); }

 protected:
  Tensor call_masked(const Tensor& inputs, bool training, const Tensor& mask) override;
  static GlobalPoolingOptions options_from_config(const nlohmann::ordered_json& config, const std::string& class_name);

 private:
  std::vector<int64_t> spatial_axes() const;
  int rank_;
  bool max_;
  GlobalPoolingOptions options_;
};

#define TB_GLOBAL_POOLING_LAYER(Name, rank, max)                                                           \
  class Name : public GlobalPooling {                                                                      \
   public:                                                                                                 \
    explicit Name(const GlobalPoolingOptions& options = {}) : GlobalPooling(#Name, rank, max, options) {}  \
    static std::shared_ptr<Name> from_config(const nlohmann::ordered_json& c) {                            \
      return std::make_shared<Name>(options_from_config(c, #Name));                                        \
    }                                                                                                      \
  }

TB_GLOBAL_POOLING_LAYER(GlobalAveragePooling1D, 1, false);
TB_GLOBAL_POOLING_LAYER(GlobalAveragePooling2D, 2, false);
TB_GLOBAL_POOLING_LAYER(GlobalMaxPooling1D, 1, true);
TB_GLOBAL_POOLING_LAYER(GlobalMaxPooling2D, 2, true);

}  // namespace tb::keras::layers
