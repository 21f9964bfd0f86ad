// LearningRateScheduler: sets the optimizer's learning rate at the start of every epoch from
// schedule(epoch, current_lr), and logs it as "lr" (keras.callbacks.LearningRateScheduler).
//
//   auto s = std::make_shared<LearningRateScheduler>([](int e, double lr) { return e < 2 ? lr : lr * 0.1; });
#pragma once

#include <functional>

#include "tensorbox/keras/callbacks/callback.h"

namespace tb::keras::callbacks {

class LearningRateScheduler : public Callback {
 public:
  using Schedule = std::function<double(int epoch, double lr)>;
  explicit LearningRateScheduler(Schedule schedule, int verbose = 0);
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  Schedule schedule_;
  int verbose_;
};

}  // namespace tb::keras::callbacks
