#include "bindings.h"

namespace tbpy {

json parse_json(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw tb::InternalError(std::string("config JSON from Python did not parse: ") + e.what());
  }
}

void check_signals() {
  nb::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) throw nb::python_error();
}

}  // namespace tbpy

NB_MODULE(_C, m) {
  // Objects still alive at interpreter exit (module globals in a notebook) are not leaks worth a report.
  nanobind::set_leak_warnings(false);
  m.doc() = "tensorbox engine bindings (use `import tensorbox as tf`)";
  tbpy::bind_errors(m);
  tbpy::bind_tensor(m);
  tbpy::bind_device(m);
  tbpy::bind_ops(m);
  tbpy::bind_autodiff(m);
  tbpy::bind_keras(m);
  tbpy::bind_callbacks(m);
  tbpy::bind_subclassing(m);
}
