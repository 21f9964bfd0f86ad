// MetricsPublisher: makes a running fit() visible to the environment's /metrics endpoint.
//
// `tensorbox up` sets TENSORBOX_METRICS_DIR for everything it starts (Jupyter and so every
// kernel); the Python package then registers this callback as a default callback
// (default_callbacks.h), so that every fit() adds it by itself, as it adds History. The engine
// reads no environment variable for it. It keeps one small JSON file per process,
// `<dir>/<pid>.json`, replaced atomically (temp file + rename) at most once a second and at
// every epoch end:
//
//   {"pid": 4242, "epoch": 2, "epochs": 5, "steps": 1290, "samples": 165120,
//    "samples_per_second": 51230.5, "loss": 0.0712, "running": true, "updated": 1795680000.1}
//
// `epoch` counts from 1 as the progress bar does; `steps` and `samples` count over the whole fit;
// `samples_per_second` is measured since the previous write. Writing never fails the training:
// an unwritable folder is reported once on the console and publishing stops.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "tensorbox/keras/callbacks/callback.h"

namespace tb::keras::callbacks {

class MetricsPublisher : public Callback {
 public:
  explicit MetricsPublisher(std::string folder);

  void on_train_begin(Logs& logs) override;
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_train_batch_end(int64_t batch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

  const std::string& path() const { return path_; }

 private:
  using Clock = std::chrono::steady_clock;
  void publish(bool running);

  std::string folder_, path_;
  bool failed_ = false;
  int epoch_ = 0;
  int64_t steps_ = 0, samples_ = 0, samples_at_last_ = 0, batch_in_epoch_ = 0;
  double loss_ = 0;
  bool has_loss_ = false;
  Clock::time_point last_;
};

}  // namespace tb::keras::callbacks
