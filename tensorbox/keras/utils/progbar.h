// Progbar: Keras's progress bar (keras.utils.Progbar), byte for byte: "12/469 [>....] - ETA: 3s
// - loss: 0.4321", rewritten in place with backspaces and a carriage return, finished with
// " - 3s 6ms/step - ..." (keras-facts.md 1.12). verbose=2 prints only the finished line.
// Text goes to the console (utils/console.h), which front ends may redirect.
//
//   Progbar bar(469);
//   bar.update(1, {{"loss", 2.3}});
//   bar.update(469, logs, /*finalize=*/true);
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace tb::keras::utils {

class Progbar {
 public:
  explicit Progbar(int64_t target, int verbose = 1, int width = 30,
                   double interval = 0.05, std::string unit_name = "step");
  // values: (name, value) pairs shown as given (Keras's stateful metrics).
  void update(int64_t current, const std::vector<std::pair<std::string, double>>& values,
              bool finalize = false);

  // Keras's time formats, exposed for tests.
  static std::string format_time(double time_per_unit, const std::string& unit);
  static std::string format_eta(double eta_seconds);
  static std::string format_value(double v);

 private:
  double now() const;
  int64_t target_;
  int verbose_;
  int width_;
  double interval_;
  std::string unit_;
  std::vector<std::pair<std::string, double>> values_;
  std::chrono::steady_clock::time_point start_;
  double last_update_ = -1e9;
  double time_after_first_step_ = -1;
  size_t total_width_ = 0;
};

}  // namespace tb::keras::utils
