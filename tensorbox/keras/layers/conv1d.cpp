#include "tensorbox/keras/layers/conv1d.h"

namespace tb::keras::layers {

std::shared_ptr<Conv1D> Conv1D::from_config(const nlohmann::ordered_json& c) {
  const auto [filters, options] = options_from_config(c, "Conv1D");
  auto layer = std::make_shared<Conv1D>(filters, options);
  layer->set_initializers(c);
  return layer;
}

TB_REGISTER_LAYER(Conv1D);

}  // namespace tb::keras::layers
