// keras.datasets.mnist: load_data() returns MNIST as Keras does, x uint8 [N, 28, 28], y uint8
// [N], read from IDX files (raw or .gz, io/idx.h). Nothing is downloaded: the folder is `dir`,
// else $TB_MNIST_DIR, else the one fixed at build time.
//
//   auto d = tb::keras::datasets::mnist::load_data();
//   Tensor x = d.x_train;                         // uint8 (60000, 28, 28)
#pragma once

#include <string>

#include "tensorbox/core/tensor.h"

namespace tb::keras::datasets::mnist {

struct Dataset {
  Tensor x_train, y_train, x_test, y_test;
};

// The folder searched: `dir` if given, else $TB_MNIST_DIR, else the folder fixed at build time.
std::string default_dir();
// Looks for train-images-idx3-ubyte[.gz] etc. in the folder; NotFoundError names the folder
// and the file names it looked for when one is missing.
Dataset load_data(const std::string& dir = "");

}  // namespace tb::keras::datasets::mnist
