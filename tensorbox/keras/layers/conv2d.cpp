#include "tensorbox/keras/layers/conv2d.h"

namespace tb::keras::layers {

std::shared_ptr<Conv2D> Conv2D::from_config(const nlohmann::ordered_json& c) {
  const auto [filters, options] = options_from_config(c, "Conv2D");
  auto layer = std::make_shared<Conv2D>(filters, options);
  layer->set_initializers(c);
  return layer;
}

TB_REGISTER_LAYER(Conv2D);

}  // namespace tb::keras::layers
