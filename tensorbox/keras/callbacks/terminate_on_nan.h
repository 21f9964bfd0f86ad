// TerminateOnNaN: stops training as soon as a batch's loss is NaN or infinite, printing
// "Batch N: Invalid loss, terminating training" (keras.callbacks.TerminateOnNaN).
#pragma once

#include "tensorbox/keras/callbacks/callback.h"

namespace tb::keras::callbacks {

class TerminateOnNaN : public Callback {
 public:
  void on_train_batch_end(int64_t batch, Logs& logs) override;
  // The batch that stopped training, or -1.
  int64_t terminated_batch() const { return terminated_batch_; }

 private:
  int64_t terminated_batch_ = -1;
};

}  // namespace tb::keras::callbacks
