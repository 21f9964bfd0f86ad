#include "tensorbox/keras/callbacks/callback.h"

namespace tb::keras::callbacks {

void History::on_epoch_end(int e, Logs& logs) {
  epoch.push_back(e);
  for (const auto& [k, v] : logs) {
    if (!history.count(k)) keys.push_back(k);
    history[k].push_back(v);
  }
}

CallbackList::CallbackList(std::vector<CallbackPtr> callbacks, Model* model, const Params& params)
    : callbacks_(std::move(callbacks)) {
  for (auto& c : callbacks_) {
    c->set_model(model);
    c->set_params(params);
  }
}

}  // namespace tb::keras::callbacks
