// tensorbox's weights file: what Model::save_weights / ModelCheckpoint write until the Keras
// HDF5 and .keras formats arrive in io/. Layout: the line "TBWEIGHTS 1", one JSON line
// [{"name", "dtype", "shape", "offset", "bytes"}...], then the raw little-endian data.
// Writes are atomic (io::atomic_write), so a crash never leaves a half-written file. Reads
// check every field and size and name the file and the entry in any error.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::keras::utils {

void write_weights_file(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& weights);
std::vector<std::pair<std::string, Tensor>> read_weights_file(const std::string& path);

}  // namespace tb::keras::utils
