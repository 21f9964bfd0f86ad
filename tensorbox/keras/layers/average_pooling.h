// AveragePooling1D and AveragePooling2D (keras.layers.AveragePooling1D/2D): the mean of each window's
// real (unpadded) elements.
// Options and behaviour in pooling.h.
//
//   AveragePooling2D p({.pool_size = {2, 2}});
#pragma once

#include "tensorbox/keras/layers/pooling.h"

namespace tb::keras::layers {

TB_POOLING_LAYER(AveragePooling1D, 1, false);
TB_POOLING_LAYER(AveragePooling2D, 2, false);

}  // namespace tb::keras::layers
