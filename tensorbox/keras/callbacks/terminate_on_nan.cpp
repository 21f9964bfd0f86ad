#include "tensorbox/keras/callbacks/terminate_on_nan.h"

#include <cmath>
#include "tensorbox/keras/utils/console.h"

#include "tensorbox/keras/model.h"

namespace tb::keras::callbacks {

void TerminateOnNaN::on_train_batch_end(int64_t batch, Logs& logs) {
  const auto loss = logs.get("loss");
  if (loss && !std::isfinite(*loss)) {
    utils::print(utils::format("Batch %lld: Invalid loss, terminating training\n", static_cast<long long>(batch)));
    terminated_batch_ = batch;
    model()->stop_training = true;
  }
}

}  // namespace tb::keras::callbacks
