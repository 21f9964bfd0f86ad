#include "tensorbox/keras/callbacks/reduce_lr_on_plateau.h"

#include "tensorbox/keras/utils/console.h"

#include "tensorbox/keras/model.h"

namespace tb::keras::callbacks {

ReduceLROnPlateau::ReduceLROnPlateau(const ReduceLROnPlateauOptions& o)
    : o_(o), monitor_(o.monitor, o.mode, o.min_delta) {
  if (o.factor >= 1.0)
    throw ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Got " + std::to_string(o.factor));
}

void ReduceLROnPlateau::on_train_begin(Logs&) {
  best_ = monitor_.worst();
  wait_ = cooldown_counter_ = 0;
}

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
  auto& opt = model()->optimizer();
  logs.set("lr", opt.learning_rate());
  const auto current = logs.get(o_.monitor);
  if (!current) {
    utils::print_err(utils::format("Learning rate reduction is conditioned on metric `%s` which is not available. Available metrics are: %s\n",
                 o_.monitor.c_str(), logs.keys().c_str()));
    return;
  }
  const bool in_cooldown = cooldown_counter_ > 0;
  if (in_cooldown) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (monitor_.improved(*current, best_)) {
    best_ = *current;
    wait_ = 0;
  } else if (!in_cooldown) {
    if (++wait_ >= o_.patience) {
      const double old_lr = opt.learning_rate();
      if (old_lr > o_.min_lr) {
        const double new_lr = std::max(old_lr * o_.factor, o_.min_lr);
        opt.set_learning_rate(new_lr);
        if (o_.verbose) utils::print(utils::format("\nEpoch %d: ReduceLROnPlateau reducing learning rate to %g.\n", epoch + 1, new_lr));
        cooldown_counter_ = o_.cooldown;
        wait_ = 0;
      }
    }
  }
}

}  // namespace tb::keras::callbacks
