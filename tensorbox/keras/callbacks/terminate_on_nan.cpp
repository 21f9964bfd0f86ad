#include "tensorbox/keras/callbacks/terminate_on_nan.h"

#include <cmath>
#include <cstdio>

#include "tensorbox/keras/model.h"

namespace tb::keras::callbacks {

void TerminateOnNaN::on_train_batch_end(int64_t batch, Logs& logs) {
  const auto loss = logs.get("loss");
  if (loss && !std::isfinite(*loss)) {
    std::printf("Batch %lld: Invalid loss, terminating training\n", static_cast<long long>(batch));
    std::fflush(stdout);
    terminated_batch_ = batch;
    model()->stop_training = true;
  }
}

}  // namespace tb::keras::callbacks
