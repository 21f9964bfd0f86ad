#include "tensorbox/keras/data_adapter.h"

#include <algorithm>

#include "tensorbox/core/errors.h"
#include "tensorbox/core/random.h"
#include "tensorbox/ops/array_ops.h"

namespace tb::keras {

namespace {

TensorList gather_rows(const TensorList& ts, const std::vector<int64_t>& order, int64_t begin, int64_t end) {
  const Tensor idx = Tensor::from_vector<int64_t>(std::vector<int64_t>(order.begin() + begin, order.begin() + end),
                                                  {end - begin});
  TensorList out;
  for (const Tensor& t : ts) out.push_back(ops::gather(t, idx, 0));
  return out;
}

}  // namespace

TensorList take_rows(const TensorList& ts, int64_t begin, int64_t end) {
  TensorList out;
  for (const Tensor& t : ts) {
    std::vector<int64_t> b(size_t(t.rank()), 0), s = t.shape().dims();
    b[0] = begin;
    s[0] = end - begin;
    out.push_back(ops::slice(t, b, s));
  }
  return out;
}

TensorLikeDataAdapter::TensorLikeDataAdapter(TensorList x, TensorList y, int64_t batch_size, bool shuffle)
    : x_(std::move(x)), y_(std::move(y)), rows_(x_.empty() ? 0 : x_[0].dim(0)), batch_size_(batch_size),
      shuffle_(shuffle) {
  if (batch_size_ <= 0) throw InvalidArgumentError("TensorLikeDataAdapter: batch_size must be positive, got " + std::to_string(batch_size_));
}

void TensorLikeDataAdapter::begin_epoch() {
  cursor_ = 0;
  if (shuffle_) order_ = random::permutation(rows_);
}

std::optional<Batch> TensorLikeDataAdapter::next() {
  if (cursor_ >= rows_) return std::nullopt;
  const int64_t begin = cursor_, end = std::min(rows_, begin + batch_size_);
  cursor_ = end;
  if (shuffle_) return Batch{gather_rows(x_, order_, begin, end), gather_rows(y_, order_, begin, end)};
  return Batch{take_rows(x_, begin, end), take_rows(y_, begin, end)};
}

}  // namespace tb::keras
