// MaxPooling1D and MaxPooling2D (keras.layers.MaxPooling1D/2D): the maximum of each window.
// Options and behaviour in pooling.h.
//
//   MaxPooling2D p({.pool_size = {2, 2}});
#pragma once

#include "tensorbox/keras/layers/pooling.h"

namespace tb::keras::layers {

TB_POOLING_LAYER(MaxPooling1D, 1, true);
TB_POOLING_LAYER(MaxPooling2D, 2, true);

}  // namespace tb::keras::layers
