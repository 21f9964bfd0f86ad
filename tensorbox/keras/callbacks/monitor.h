// The "monitor a logged quantity" logic EarlyStopping, ModelCheckpoint and ReduceLROnPlateau
// share: mode "min" | "max" | "auto" (max for names containing "acc", else min) and a
// min_delta that an improvement must beat.
#pragma once

#include <cmath>
#include <string>

#include "tensorbox/core/errors.h"

namespace tb::keras::callbacks {

class Monitor {
 public:
  Monitor(std::string name, const std::string& mode, double min_delta = 0.0) : name_(std::move(name)) {
    if (mode != "min" && mode != "max" && mode != "auto")
      throw ValueError("mode '" + mode + "' is unknown; use 'auto', 'min' or 'max'");
    maximize_ = mode == "max" || (mode == "auto" && (name_.find("acc") != std::string::npos ||
                                                    name_.rfind("fmeasure", 0) == 0 || name_.find("auc") != std::string::npos));
    delta_ = maximize_ ? std::abs(min_delta) : -std::abs(min_delta);
  }
  const std::string& name() const { return name_; }
  bool maximize() const { return maximize_; }
  double worst() const { return maximize_ ? -INFINITY : INFINITY; }
  bool improved(double current, double reference) const {
    return maximize_ ? current - delta_ > reference : current - delta_ < reference;
  }

 private:
  std::string name_;
  bool maximize_;
  double delta_;
};

}  // namespace tb::keras::callbacks
