#include "tensorbox/keras/layers/max_pooling.h"

namespace tb::keras::layers {

TB_REGISTER_LAYER(MaxPooling1D);
TB_REGISTER_LAYER(MaxPooling2D);

}  // namespace tb::keras::layers
