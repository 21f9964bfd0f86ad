// EarlyStopping: stops training when a monitored quantity has stopped improving for
// `patience` epochs; can restore the best epoch's weights (keras.callbacks.EarlyStopping).
//
//   auto es = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "val_loss", .patience = 2,
//                                                                  .restore_best_weights = true});
#pragma once

#include <optional>
#include <vector>

#include "tensorbox/core/tensor.h"
#include "tensorbox/keras/callbacks/callback.h"
#include "tensorbox/keras/callbacks/monitor.h"

namespace tb::keras::callbacks {

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;
  int patience = 0;
  int verbose = 0;
  std::string mode = "auto";
  std::optional<double> baseline{};
  bool restore_best_weights = false;
};

class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(const EarlyStoppingOptions& o = {});
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;
  int stopped_epoch() const { return stopped_epoch_; }
  int best_epoch() const { return best_epoch_; }

 private:
  EarlyStoppingOptions o_;
  Monitor monitor_;
  int wait_ = 0, stopped_epoch_ = 0, best_epoch_ = 0;
  double best_ = 0;
  std::vector<Tensor> best_weights_;
};

}  // namespace tb::keras::callbacks
