// Default callbacks: what every fit() adds by itself after the user's callbacks and History.
//
// The engine registers none. Whoever runs it registers what the environment wants: the Python
// package registers a MetricsPublisher when `tensorbox up` set TENSORBOX_METRICS_DIR, a C++
// program may register its own. A factory is called once per fit() and may return null (nothing
// to add this time). Registering a name again replaces its factory.
//
//   tb::keras::callbacks::register_default_callback("metrics", [] {
//     return std::make_shared<tb::keras::callbacks::MetricsPublisher>("/tmp/metrics");
//   });
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tensorbox/keras/callbacks/callback.h"

namespace tb::keras::callbacks {

using CallbackFactory = std::function<CallbackPtr()>;

void register_default_callback(const std::string& name, CallbackFactory factory);
// Returns whether `name` was registered.
bool unregister_default_callback(const std::string& name);
// One callback from each registered factory (those that returned one), in registration order.
std::vector<CallbackPtr> make_default_callbacks();

}  // namespace tb::keras::callbacks
