// tensorbox._C.Variable and GradientTape (tf.Variable, tf.GradientTape).
#include <optional>

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"

namespace tbpy {

namespace {
// tape.stop_recording() as a context: ops inside are not recorded.
struct Pause {
  std::optional<tb::ops::PauseRecording> pause;
};

std::vector<std::optional<tb::Tensor>> as_optional(const std::vector<tb::Tensor>& ts) {
  std::vector<std::optional<tb::Tensor>> out;
  for (const auto& t : ts) out.push_back(t.defined() ? std::optional(t) : std::nullopt);
  return out;
}
}  // namespace

void bind_autodiff(nb::module_& m) {
  const auto nogil = nb::call_guard<nb::gil_scoped_release>();
  nb::class_<tb::Variable>(m, "Variable")
      .def(nb::init<const tb::Tensor&, std::string, bool>(), nb::arg("initial_value"), nb::arg("name"),
           nb::arg("trainable"))
      .def_prop_ro("value", &tb::Variable::value)
      .def_prop_ro("name", &tb::Variable::name)
      .def_prop_rw("trainable", &tb::Variable::trainable, &tb::Variable::set_trainable)
      .def("assign", &tb::Variable::assign, nogil)
      .def("assign_add", &tb::Variable::assign_add, nogil)
      .def("assign_sub", &tb::Variable::assign_sub, nogil)
      .def("read_value", &tb::Variable::read_value, nogil)
      .def("same_as", &tb::Variable::same_as);

  nb::class_<tb::GradientTape>(m, "GradientTape")
      .def(nb::init<bool, bool>(), nb::arg("persistent") = false, nb::arg("watch_accessed_variables") = true)
      .def("watch", nb::overload_cast<const tb::Tensor&>(&tb::GradientTape::watch))
      .def("stop_recording", &tb::GradientTape::stop_recording)
      .def_prop_ro("is_recording", &tb::GradientTape::is_recording)
      .def("gradient", [](tb::GradientTape& tape, const tb::Tensor& target, const std::vector<tb::Tensor>& sources,
                          std::optional<tb::Tensor> output_gradient) {
        nb::gil_scoped_release nogil;
        return as_optional(tape.gradient(target, sources, output_gradient.value_or(tb::Tensor())));
      }, nb::arg("target"), nb::arg("sources"), nb::arg("output_gradient").none() = nb::none());

  nb::class_<Pause>(m, "PauseRecording")
      .def(nb::init<>())
      .def("__enter__", [](Pause& p) { p.pause.emplace(); })
      .def("__exit__", [](Pause& p, nb::args) { p.pause.reset(); });
}

}  // namespace tbpy
