#include "tensorbox/keras/layers/average_pooling.h"

namespace tb::keras::layers {

TB_REGISTER_LAYER(AveragePooling1D);
TB_REGISTER_LAYER(AveragePooling2D);

}  // namespace tb::keras::layers
