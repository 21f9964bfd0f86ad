// DataAdapter: where fit, evaluate and predict get their batches from (Keras's DataAdapter in
// tf_keras/engine/data_adapter.py). The training loop knows only this interface, so a tf.data
// Dataset plugs in as one more adapter.
//
// TensorLikeDataAdapter serves in-memory tensors as Keras does (keras-facts.md 1.9): batches of
// batch_size in order with the last partial batch kept, and with shuffle a fresh permutation
// at the start of every epoch.
//
//   keras::TensorLikeDataAdapter data({x}, {y}, 32, /*shuffle=*/true);
//   for (int epoch = 0; epoch < 2; ++epoch) {
//     data.begin_epoch();
//     while (auto batch = data.next()) model.train_on_batch(batch->x, batch->y);
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "tensorbox/keras/tensor_list.h"

namespace tb::keras {

struct Batch {
  TensorList x, y;  // y is empty when the data has no targets (predict)
};

class DataAdapter {
 public:
  virtual ~DataAdapter() = default;
  // Batches per epoch; nullopt when unknown until the data runs out (a dataset of unknown size).
  virtual std::optional<int64_t> steps_per_epoch() const = 0;
  // Samples per epoch (0 when unknown) and the batch size (0 when the data comes batched).
  virtual int64_t num_samples() const = 0;
  virtual int64_t batch_size() const = 0;
  // Starts an epoch (reshuffling where asked); next() then serves it from its first batch.
  virtual void begin_epoch() = 0;
  // The epoch's next batch; nullopt at its end.
  virtual std::optional<Batch> next() = 0;
};

class TensorLikeDataAdapter final : public DataAdapter {
 public:
  // Every tensor of x and y has the same number of rows (Model::fit checks it first).
  TensorLikeDataAdapter(TensorList x, TensorList y, int64_t batch_size, bool shuffle);

  std::optional<int64_t> steps_per_epoch() const override { return (rows_ + batch_size_ - 1) / batch_size_; }
  int64_t num_samples() const override { return rows_; }
  int64_t batch_size() const override { return batch_size_; }
  void begin_epoch() override;
  std::optional<Batch> next() override;

 private:
  TensorList x_, y_;
  int64_t rows_, batch_size_;
  bool shuffle_;
  int64_t cursor_ = 0;
  std::vector<int64_t> order_;  // this epoch's permutation when shuffling
};

// Rows [begin, end) of each tensor (views where the tensor allows), e.g. validation_split's part.
TensorList take_rows(const TensorList& ts, int64_t begin, int64_t end);

}  // namespace tb::keras
