#include "tensorbox/keras/callbacks/metrics_publisher.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "tensorbox/core/errors.h"
#include "tensorbox/io/atomic_write.h"
#include "tensorbox/keras/utils/console.h"

namespace tb::keras::callbacks {

MetricsPublisher::MetricsPublisher(std::string folder) : folder_(std::move(folder)) {
  path_ = folder_ + "/" + std::to_string(::getpid()) + ".json";
}

void MetricsPublisher::on_train_begin(Logs&) {
  steps_ = samples_ = samples_at_last_ = 0;
  has_loss_ = false;
  last_ = Clock::now();
  publish(true);
}

void MetricsPublisher::on_epoch_begin(int epoch, Logs&) {
  epoch_ = epoch + 1;
  batch_in_epoch_ = 0;
}

void MetricsPublisher::on_train_batch_end(int64_t, Logs& logs) {
  ++steps_;
  ++batch_in_epoch_;
  // Every batch is full but the last of an epoch, which holds the remainder.
  const int64_t bs = params().batch_size, n = params().samples;
  samples_ += std::min(bs, std::max<int64_t>(0, n - (batch_in_epoch_ - 1) * bs));
  if (auto loss = logs.get("loss")) {
    loss_ = *loss;
    has_loss_ = true;
  }
  if (Clock::now() - last_ >= std::chrono::seconds(1)) publish(true);
}

void MetricsPublisher::on_epoch_end(int, Logs&) { publish(true); }
void MetricsPublisher::on_train_end(Logs&) { publish(false); }

void MetricsPublisher::publish(bool running) {
  if (failed_) return;
  const auto now = Clock::now();
  const double dt = std::chrono::duration<double>(now - last_).count();
  nlohmann::json j;
  j["pid"] = ::getpid();
  j["epoch"] = epoch_;
  j["epochs"] = params().epochs;
  j["steps"] = steps_;
  j["samples"] = samples_;
  j["samples_per_second"] = dt > 0 ? double(samples_ - samples_at_last_) / dt : 0.0;
  // A NaN loss is published as null: JSON has no NaN, and the scrape shows it as NaN.
  j["loss"] = has_loss_ && std::isfinite(loss_) ? nlohmann::json(loss_) : nlohmann::json();
  j["running"] = running;
  j["updated"] = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  samples_at_last_ = samples_;
  last_ = now;
  try {
    // Rewritten every second: no fsync (a reader needs atomicity, not durability).
    io::atomic_write(path_, j.dump(), {.sync = false});
  } catch (const Error& e) {
    failed_ = true;
    utils::print_err(std::string("MetricsPublisher: ") + e.what() + " (folder " + folder_ + "); training metrics are not published\n");
  }
}

}  // namespace tb::keras::callbacks
