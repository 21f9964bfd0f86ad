// The IDX format (LeCun's MNIST files): magic 0x00000803 images / 0x00000801 labels, big-endian
// dims, unsigned bytes; raw or gzipped. A truncated or malformed file is rejected naming the file
// and what was wrong (DataLossError; NotFoundError when it cannot be opened).
//
//   Tensor labels = tb::io::read_idx("train-labels-idx1-ubyte.gz");   // uint8 (60000,)
#pragma once

#include <string>

#include "tensorbox/core/tensor.h"

namespace tb::io {

// Reads one IDX file; transparently gunzips when the file starts with the gzip magic.
Tensor read_idx(const std::string& path);

}  // namespace tb::io
