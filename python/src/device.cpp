// Devices for tf.device and tf.config: the engine's device registry, its placement and the
// thread's device scope, as TensorFlow's Python API reads them.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>

#include "bindings.h"

namespace tbpy {

namespace {

// `with tf.device(...)`: the scope is entered on __enter__ (where TensorFlow places it) and left
// on __exit__, on the same thread as a with-block is.
class DeviceContext {
 public:
  explicit DeviceContext(std::string spec) : spec_(std::move(spec)) { tb::DeviceSpec::parse(spec_); }
  void enter() {
    if (scope_) throw tb::FailedPreconditionError("tf.device('" + spec_ + "') is already entered");
    scope_ = std::make_unique<tb::DeviceScope>(tb::DeviceSpec::parse(spec_));
  }
  void exit() { scope_.reset(); }
  const std::string& spec() const { return spec_; }

 private:
  std::string spec_;
  std::unique_ptr<tb::DeviceScope> scope_;
};

std::optional<tb::DeviceType> type_filter(const std::optional<std::string>& type) {
  if (!type) return std::nullopt;
  const tb::DeviceSpec s = tb::DeviceSpec::parse(*type);
  if (!s.type || s.index) throw tb::InvalidArgumentError("'" + *type + "' is not a device type (CPU or GPU)");
  return s.type;
}

}  // namespace

void bind_device(nb::module_& m) {
  nb::class_<DeviceContext>(m, "DeviceContext")
      .def(nb::init<std::string>())
      .def("__enter__", [](DeviceContext& c) { c.enter(); })
      .def("__exit__", [](DeviceContext& c, nb::args) { c.exit(); })
      .def_prop_ro("spec", &DeviceContext::spec);
  // (name, device_type) of each present device, e.g. ("CPU:0", "CPU").
  m.def("list_devices", [](const std::optional<std::string>& type) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const tb::Device& d : tb::list_devices(type_filter(type)))
      out.emplace_back(d.name(), tb::device_type_name(d.type));
    return out;
  }, nb::arg("device_type").none() = nb::none());
  m.def("current_device", [] { return tb::current_device().full_name(); });
  m.def("set_soft_device_placement", &tb::set_soft_device_placement);
  m.def("get_soft_device_placement", &tb::soft_device_placement);
}

}  // namespace tbpy
