#include "tensorbox/keras/callbacks/early_stopping.h"

#include "tensorbox/keras/utils/console.h"

#include "tensorbox/keras/model.h"

namespace tb::keras::callbacks {

EarlyStopping::EarlyStopping(const EarlyStoppingOptions& o) : o_(o), monitor_(o.monitor, o.mode, o.min_delta) {
  if (o.patience < 0) throw ValueError("EarlyStopping: patience must be >= 0, got " + std::to_string(o.patience));
}

void EarlyStopping::on_train_begin(Logs&) {
  wait_ = stopped_epoch_ = best_epoch_ = 0;
  best_ = monitor_.worst();
  best_weights_.clear();
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
  const auto current = logs.get(o_.monitor);
  if (!current) {
    utils::print_err(utils::format("Early stopping conditioned on metric `%s` which is not available. Available metrics are: %s\n",
                 o_.monitor.c_str(), logs.keys().c_str()));
    return;
  }
  if (o_.restore_best_weights && best_weights_.empty()) best_weights_ = model()->get_weights();
  ++wait_;
  if (monitor_.improved(*current, best_)) {
    best_ = *current;
    best_epoch_ = epoch;
    if (o_.restore_best_weights) best_weights_ = model()->get_weights();
    if (!o_.baseline || monitor_.improved(*current, *o_.baseline)) wait_ = 0;
  }
  if (wait_ >= o_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model()->stop_training = true;
    if (o_.restore_best_weights && !best_weights_.empty()) {
      if (o_.verbose) utils::print(utils::format("Restoring model weights from the end of the best epoch: %d.\n", best_epoch_ + 1));
      model()->set_weights(best_weights_);
    }
  }
}

void EarlyStopping::on_train_end(Logs&) {
  if (stopped_epoch_ > 0 && o_.verbose) utils::print(utils::format("Epoch %d: early stopping\n", stopped_epoch_ + 1));
}

}  // namespace tb::keras::callbacks
