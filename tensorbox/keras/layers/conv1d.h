// Conv1D (keras.layers.Conv1D): a convolution over [batch, steps, channels] (padding "causal"
// for sequence models). See conv.h for the options.
//
//   Conv1D c(32, {.kernel_size = {3}, .activation = "relu"});
#pragma once

#include "tensorbox/keras/layers/conv.h"

namespace tb::keras::layers {

class Conv1D : public Conv {
 public:
  explicit Conv1D(int64_t filters, const ConvOptions& options = {}) : Conv("Conv1D", 1, filters, options) {}
  static std::shared_ptr<Conv1D> from_config(const nlohmann::ordered_json& config);
};

}  // namespace tb::keras::layers
