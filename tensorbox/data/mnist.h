// MNIST from IDX files (raw or .gz), as keras.datasets.mnist.load_data() returns it:
// x uint8 [N, 28, 28], y uint8 [N]. Truncated or malformed files are rejected with a message
// naming the file and what was wrong. Nothing is downloaded.
//
//   auto d = tb::data::mnist::load_data();        // from $TB_MNIST_DIR or the bundled copy
//   Tensor x = d.x_train;                         // uint8 (60000, 28, 28)
#pragma once

#include <string>

#include "tensorbox/core/tensor.h"

namespace tb::data {

// Reads one IDX file (magic 0x00000803 images / 0x00000801 labels, big-endian dims).
// Transparently gunzips when the file starts with the gzip magic.
Tensor read_idx(const std::string& path);

namespace mnist {

struct Dataset {
  Tensor x_train, y_train, x_test, y_test;
};

// The folder searched: `dir` if given, else $TB_MNIST_DIR, else the folder fixed at build time.
std::string default_dir();
// Looks for train-images-idx3-ubyte[.gz] etc. in the folder; NotFoundError names the folder
// and the file names it looked for when one is missing.
Dataset load_data(const std::string& dir = "");

}  // namespace mnist
}  // namespace tb::data
