// Pooling: the base of Keras's windowed pooling layers, MaxPooling1D/2D and
// AveragePooling1D/2D (max_pooling.h, average_pooling.h). A rank-1 pooling runs as a height-1
// rank-2 one; channels_first input is transposed around the kernel. Average pooling with
// "same" padding divides by the number of real (unpadded) elements, as TensorFlow does.
//
//   MaxPooling2D p({.pool_size = {2, 2}});          // strides default to pool_size
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

struct PoolingOptions {
  std::vector<int64_t> pool_size{2};  // one value per spatial axis, or one value for all
  std::vector<int64_t> strides{};     // empty (Keras's None): pool_size
  std::string padding = "valid";
  std::string data_format = "channels_last";
  TB_LAYER_BASE_OPTIONS;
};

class Pooling : public Layer {
 public:
  Pooling(const std::string& class_name, int rank, bool max, const PoolingOptions& options);
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& input_shape) const override;
  nlohmann::ordered_json layer_config() const override;

 protected:
  static PoolingOptions options_from_config(const nlohmann::ordered_json& config, const std::string& class_name);

 private:
  int rank_;
  bool max_;
  PoolingOptions options_;
};

// Declares a pooling layer class `Name` of `rank` (max or average) with its from_config.
#define TB_POOLING_LAYER(Name, rank, max)                                                             \
  class Name : public Pooling {                                                                       \
   public:                                                                                            \
    explicit Name(const PoolingOptions& options = {}) : Pooling(#Name, rank, max, options) {}         \
    static std::shared_ptr<Name> from_config(const nlohmann::ordered_json& c) {                       \
      return std::make_shared<Name>(options_from_config(c, #Name));                                   \
    }                                                                                                 \
  }

}  // namespace tb::keras::layers
