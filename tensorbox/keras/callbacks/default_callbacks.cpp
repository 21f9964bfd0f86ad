#include "tensorbox/keras/callbacks/default_callbacks.h"

#include <mutex>
#include <utility>

namespace tb::keras::callbacks {
namespace {

struct Registry {
  std::mutex mu;
  std::vector<std::pair<std::string, CallbackFactory>> factories;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void register_default_callback(const std::string& name, CallbackFactory factory) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  for (auto& [n, f] : r.factories)
    if (n == name) {
      f = std::move(factory);
      return;
    }
  r.factories.emplace_back(name, std::move(factory));
}

bool unregister_default_callback(const std::string& name) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  for (auto it = r.factories.begin(); it != r.factories.end(); ++it)
    if (it->first == name) {
      r.factories.erase(it);
      return true;
    }
  return false;
}

std::vector<CallbackPtr> make_default_callbacks() {
  std::vector<CallbackFactory> factories;
  {
    // Called outside the lock: a factory may itself register or unregister.
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    for (const auto& entry : r.factories) factories.push_back(entry.second);
  }
  std::vector<CallbackPtr> out;
  for (const CallbackFactory& make : factories)
    if (make)
      if (CallbackPtr cb = make()) out.push_back(std::move(cb));
  return out;
}

}  // namespace tb::keras::callbacks
