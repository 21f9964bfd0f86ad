// ModelCheckpoint: saves the model's weights at the end of every epoch, or only when the
// monitored quantity improves (keras.callbacks.ModelCheckpoint). `filepath` may hold Keras
// placeholders: "{epoch}", "{epoch:02d}", "{val_loss:.2f}". Writes are atomic. Full-model
// files (.h5/.keras) come with the model-files work; until then weights are written in
// tensorbox's weights format whatever save_weights_only says.
#pragma once

#include "tensorbox/keras/callbacks/callback.h"
#include "tensorbox/keras/callbacks/monitor.h"

namespace tb::keras::callbacks {

struct ModelCheckpointOptions {
  std::string monitor = "val_loss";
  int verbose = 0;
  bool save_best_only = false;
  bool save_weights_only = true;
  std::string mode = "auto";
};

class ModelCheckpoint : public Callback {
 public:
  explicit ModelCheckpoint(std::string filepath, const ModelCheckpointOptions& o = {});
  void on_epoch_end(int epoch, Logs& logs) override;
  // Fills Keras-style placeholders; throws ValueError naming an unknown key.
  static std::string format_path(const std::string& pattern, int epoch, const Logs& logs);

 private:
  std::string filepath_;
  ModelCheckpointOptions o_;
  Monitor monitor_;
  double best_;
};

}  // namespace tb::keras::callbacks
