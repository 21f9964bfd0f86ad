// Logs: the ordered name -> value dict Keras passes to callbacks ("loss", "accuracy",
// "val_loss", ...), kept in insertion order so the progress bar prints them as Keras does.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tb::keras::callbacks {

class Logs {
 public:
  void set(const std::string& key, double value);
  std::optional<double> get(const std::string& key) const;
  // Throws ValueError naming the key and the keys present.
  double at(const std::string& key) const;
  bool contains(const std::string& key) const { return get(key).has_value(); }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  std::string keys() const;

 private:
  std::vector<std::pair<std::string, double>> items_;
};

}  // namespace tb::keras::callbacks
