#include "tensorbox/keras/callbacks/logs.h"

#include "tensorbox/core/errors.h"

namespace tb::keras::callbacks {

void Logs::set(const std::string& key, double value) {
  for (auto& [k, v] : items_)
    if (k == key) {
      v = value;
      return;
    }
  items_.emplace_back(key, value);
}

std::optional<double> Logs::get(const std::string& key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return v;
  return std::nullopt;
}

double Logs::at(const std::string& key) const {
  if (auto v = get(key)) return *v;
  throw ValueError("no log named '" + key + "'; available: " + keys());
}

std::string Logs::keys() const {
  std::string s;
  for (const auto& [k, v] : items_) s += (s.empty() ? "" : ",") + k;
  return s;
}

}  // namespace tb::keras::callbacks
