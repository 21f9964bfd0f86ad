// tensorbox: the whole C++ engine in one include.
//
//   #include "tensorbox/tensorbox.h"
//   tb::random::set_seed(42);
//   auto d = tb::keras::datasets::mnist::load_data();
#pragma once

#include "tensorbox/autodiff/gradient_tape.h"
#include "tensorbox/autodiff/variable.h"
#include "tensorbox/core/device.h"
#include "tensorbox/core/random.h"
#include "tensorbox/core/tensor.h"
#include "tensorbox/core/threading.h"
#include "tensorbox/io/idx.h"
#include "tensorbox/keras/datasets/mnist.h"
#include "tensorbox/keras/keras.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"
#include "tensorbox/ops/reduce_ops.h"
