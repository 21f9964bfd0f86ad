// Callback: hooks the training loop calls (keras.callbacks.Callback), and History, which
// fit() always adds and returns.
//
//   struct Printer : tb::keras::callbacks::Callback {
//     void on_epoch_end(int epoch, Logs& logs) override { std::printf("%d %f\n", epoch, logs.at("loss")); }
//   };
//   model.fit(x, y, {.callbacks = {std::make_shared<Printer>()}});
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tensorbox/keras/callbacks/logs.h"

namespace tb::keras {
class Model;
}

namespace tb::keras::callbacks {

struct Params {
  int epochs = 1;
  int64_t steps = 0;
  int verbose = 1;
  // Not in Keras's params dict: what fit() feeds per epoch, for callbacks that count samples.
  int64_t batch_size = 0;
  int64_t samples = 0;
};

class Callback {
 public:
  virtual ~Callback() = default;
  void set_model(Model* model) { model_ = model; }
  void set_params(const Params& params) { params_ = params; }
  Model* model() const { return model_; }
  const Params& params() const { return params_; }

  virtual void on_train_begin(Logs&) {}
  virtual void on_train_end(Logs&) {}
  virtual void on_epoch_begin(int, Logs&) {}
  virtual void on_epoch_end(int, Logs&) {}
  virtual void on_train_batch_begin(int64_t, Logs&) {}
  virtual void on_train_batch_end(int64_t, Logs&) {}
  virtual void on_test_begin(Logs&) {}
  virtual void on_test_end(Logs&) {}
  virtual void on_test_batch_begin(int64_t, Logs&) {}
  virtual void on_test_batch_end(int64_t, Logs&) {}
  virtual void on_predict_begin(Logs&) {}
  virtual void on_predict_end(Logs&) {}
  virtual void on_predict_batch_begin(int64_t, Logs&) {}
  virtual void on_predict_batch_end(int64_t, Logs&) {}

 private:
  Model* model_ = nullptr;
  Params params_;
};

using CallbackPtr = std::shared_ptr<Callback>;

// Records every epoch's logs: history["loss"][epoch], and the epoch numbers.
class History : public Callback {
 public:
  void on_epoch_end(int epoch, Logs& logs) override;
  std::map<std::string, std::vector<double>> history;
  std::vector<std::string> keys;  // history's keys in the order the logs gave them (Keras's order)
  std::vector<int> epoch;
};

// Calls a hook on every callback in order.
class CallbackList {
 public:
  CallbackList(std::vector<CallbackPtr> callbacks, Model* model, const Params& params);
  template <class F>
  void each(F&& f) {
    for (auto& c : callbacks_) f(*c);
  }

 private:
  std::vector<CallbackPtr> callbacks_;
};

}  // namespace tb::keras::callbacks
