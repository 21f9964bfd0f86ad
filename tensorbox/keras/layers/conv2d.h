// Conv2D (keras.layers.Conv2D): a convolution over [batch, height, width, channels]. See conv.h for the options.
//
//   Conv2D c(32, {.kernel_size = {3, 3}, .activation = "relu"});
#pragma once

#include "tensorbox/keras/layers/conv.h"

namespace tb::keras::layers {

class Conv2D : public Conv {
 public:
  explicit Conv2D(int64_t filters, const ConvOptions& options = {}) : Conv("Conv2D", 2, filters, options) {}
  static std::shared_ptr<Conv2D> from_config(const nlohmann::ordered_json& config);
};

}  // namespace tb::keras::layers
