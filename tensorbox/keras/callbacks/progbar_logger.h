// ProgbarLogger: prints "Epoch e/E" and the progress bar during fit (added by fit when
// verbose > 0, as Keras does).
#pragma once

#include <memory>

#include "tensorbox/keras/callbacks/callback.h"
#include "tensorbox/keras/utils/progbar.h"

namespace tb::keras::callbacks {

class ProgbarLogger : public Callback {
 public:
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_train_batch_end(int64_t batch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  std::unique_ptr<utils::Progbar> bar_;
  int64_t seen_ = 0;
};

}  // namespace tb::keras::callbacks
