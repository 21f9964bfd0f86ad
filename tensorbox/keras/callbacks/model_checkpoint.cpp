#include "tensorbox/keras/callbacks/model_checkpoint.h"

#include <cstdio>

#include "tensorbox/keras/model.h"
#include "tensorbox/keras/utils/console.h"

namespace tb::keras::callbacks {

ModelCheckpoint::ModelCheckpoint(std::string filepath, const ModelCheckpointOptions& o)
    : filepath_(std::move(filepath)), o_(o), monitor_(o.monitor, o.mode), best_(monitor_.worst()) {
  if (filepath_.empty()) throw ValueError("ModelCheckpoint: filepath must not be empty");
}

std::string ModelCheckpoint::format_path(const std::string& p, int epoch, const Logs& logs) {
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '{') {
      out += p[i];
      continue;
    }
    const size_t close = p.find('}', i);
    if (close == std::string::npos) throw ValueError("ModelCheckpoint: unbalanced '{' in filepath " + p);
    const std::string field = p.substr(i + 1, close - i - 1);
    const size_t colon = field.find(':');
    const std::string key = field.substr(0, colon);
    const std::string spec = colon == std::string::npos ? "" : field.substr(colon + 1);
    char buf[128];
    if (key == "epoch") {
      std::snprintf(buf, sizeof buf, ("%" + (spec.empty() ? std::string("d") : spec)).c_str(), epoch + 1);
    } else {
      const auto v = logs.get(key);
      if (!v)
        throw ValueError("Failed to format this callback filepath: \"" + p + "\". Reason: no log named '" + key +
                         "' (available: " + logs.keys() + ")");
      std::snprintf(buf, sizeof buf, ("%" + (spec.empty() ? std::string("g") : spec)).c_str(), *v);
    }
    out += buf;
    i = close;
  }
  return out;
}

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
  const std::string path = format_path(filepath_, epoch, logs);
  if (o_.save_best_only) {
    const auto current = logs.get(o_.monitor);
    if (!current) {
      utils::print_err(utils::format("Can save best model only with %s available, skipping.\n", o_.monitor.c_str()));
      return;
    }
    if (!monitor_.improved(*current, best_)) {
      if (o_.verbose) utils::print(utils::format("\nEpoch %d: %s did not improve from %.5f\n", epoch + 1, o_.monitor.c_str(), best_));
      return;
    }
    if (o_.verbose)
      utils::print(utils::format("\nEpoch %d: %s improved from %.5f to %.5f, saving model to %s\n", epoch + 1, o_.monitor.c_str(),
                  best_, *current, path.c_str()));
    best_ = *current;
  } else if (o_.verbose) {
    utils::print(utils::format("\nEpoch %d: saving model to %s\n", epoch + 1, path.c_str()));
  }
  model()->save_weights(path);
}

}  // namespace tb::keras::callbacks
