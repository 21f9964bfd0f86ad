#include "tensorbox/keras/callbacks/progbar_logger.h"

#include "tensorbox/keras/utils/console.h"

namespace tb::keras::callbacks {

void ProgbarLogger::on_epoch_begin(int epoch, Logs&) {
  if (params().verbose && params().epochs > 1) utils::print(utils::format("Epoch %d/%d\n", epoch + 1, params().epochs));
  bar_ = std::make_unique<utils::Progbar>(params().steps, params().verbose);
  seen_ = 0;
}

void ProgbarLogger::on_train_batch_end(int64_t batch, Logs& logs) {
  seen_ = batch + 1;
  // The last batch's update is left to on_epoch_end, which adds the validation logs.
  if (bar_ && seen_ < params().steps) bar_->update(seen_, {logs.begin(), logs.end()});
}

void ProgbarLogger::on_epoch_end(int, Logs& logs) {
  if (bar_) bar_->update(seen_, {logs.begin(), logs.end()}, /*finalize=*/true);
}

}  // namespace tb::keras::callbacks
