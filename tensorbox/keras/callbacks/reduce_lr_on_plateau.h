// ReduceLROnPlateau: multiplies the learning rate by `factor` when the monitored quantity has
// not improved for `patience` epochs, then waits `cooldown` epochs (keras.callbacks.ReduceLROnPlateau).
#pragma once

#include "tensorbox/keras/callbacks/callback.h"
#include "tensorbox/keras/callbacks/monitor.h"

namespace tb::keras::callbacks {

struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;
  int patience = 10;
  int verbose = 0;
  std::string mode = "auto";
  double min_delta = 1e-4;
  int cooldown = 0;
  double min_lr = 0.0;
};

class ReduceLROnPlateau : public Callback {
 public:
  explicit ReduceLROnPlateau(const ReduceLROnPlateauOptions& o = {});
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  ReduceLROnPlateauOptions o_;
  Monitor monitor_;
  double best_ = 0;
  int wait_ = 0, cooldown_counter_ = 0;
};

}  // namespace tb::keras::callbacks
