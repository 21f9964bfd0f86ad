// The C++ Keras API in one include: layers, models, losses, metrics, optimizers, callbacks.
//
//   #include "tensorbox/keras/keras.h"
//   using namespace tb::keras;
//   using namespace tb::keras::layers;
//   Sequential model({Dense(1024, {.activation = "relu", .input_shape = {784}}), Dense(10)});
#pragma once

#include "tensorbox/keras/activations.h"
#include "tensorbox/keras/backend.h"
#include "tensorbox/keras/callbacks/callback.h"
#include "tensorbox/keras/callbacks/early_stopping.h"
#include "tensorbox/keras/callbacks/learning_rate_scheduler.h"
#include "tensorbox/keras/callbacks/model_checkpoint.h"
#include "tensorbox/keras/callbacks/reduce_lr_on_plateau.h"
#include "tensorbox/keras/callbacks/terminate_on_nan.h"
#include "tensorbox/keras/initializers.h"
#include "tensorbox/keras/layers/activation.h"
#include "tensorbox/keras/layers/average_pooling.h"
#include "tensorbox/keras/layers/conv1d.h"
#include "tensorbox/keras/layers/conv2d.h"
#include "tensorbox/keras/layers/dense.h"
#include "tensorbox/keras/layers/dropout.h"
#include "tensorbox/keras/layers/flatten.h"
#include "tensorbox/keras/layers/global_pooling.h"
#include "tensorbox/keras/layers/input_layer.h"
#include "tensorbox/keras/layers/max_pooling.h"
#include "tensorbox/keras/layers/reshape.h"
#include "tensorbox/keras/losses.h"
#include "tensorbox/keras/metrics.h"
#include "tensorbox/keras/mixed_precision/policy.h"
#include "tensorbox/keras/model.h"
#include "tensorbox/keras/optimizers/adagrad.h"
#include "tensorbox/keras/optimizers/adam.h"
#include "tensorbox/keras/optimizers/loss_scale_optimizer.h"
#include "tensorbox/keras/optimizers/rmsprop.h"
#include "tensorbox/keras/optimizers/schedules.h"
#include "tensorbox/keras/optimizers/sgd.h"
#include "tensorbox/keras/sequential.h"
