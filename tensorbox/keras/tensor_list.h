// TensorList: x, y or predictions as Keras takes them, one tensor per model input or output.
#pragma once

#include <utility>
#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::keras {

// A single Tensor converts implicitly, so one-input one-output models read as before.
class TensorList : public std::vector<Tensor> {
 public:
  using std::vector<Tensor>::vector;
  TensorList() = default;
  TensorList(const Tensor& t) : std::vector<Tensor>{t} {}                   // NOLINT: implicit on purpose
  TensorList(std::vector<Tensor> v) : std::vector<Tensor>(std::move(v)) {}  // NOLINT
};

}  // namespace tb::keras
