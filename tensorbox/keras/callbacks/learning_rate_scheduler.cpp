#include "tensorbox/keras/callbacks/learning_rate_scheduler.h"

#include <cmath>
#include "tensorbox/keras/utils/console.h"

#include "tensorbox/keras/model.h"

namespace tb::keras::callbacks {

LearningRateScheduler::LearningRateScheduler(Schedule schedule, int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {
  if (!schedule_) throw ValueError("LearningRateScheduler: schedule must be a function");
}

void LearningRateScheduler::on_epoch_begin(int epoch, Logs&) {
  auto& opt = model()->optimizer();
  const double lr = schedule_(epoch, opt.learning_rate());
  if (!std::isfinite(lr))
    throw ValueError("The output of the \"schedule\" function should be a finite float, got " + std::to_string(lr));
  opt.set_learning_rate(lr);
  if (verbose_) utils::print(utils::format("\nEpoch %d: LearningRateScheduler setting learning rate to %g.\n", epoch + 1, lr));
}

void LearningRateScheduler::on_epoch_end(int, Logs& logs) { logs.set("lr", model()->optimizer().learning_rate()); }

}  // namespace tb::keras::callbacks
