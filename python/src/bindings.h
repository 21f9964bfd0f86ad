// Shared declarations of the nanobind module tensorbox._C. Each bind_* function registers
// one part of the engine; the Python package (python/tensorbox) builds TensorFlow's namespace
// on top. No numerics here: bindings convert, release the GIL, and call the engine.
#pragma once
#include <nanobind/nanobind.h>

#include <nlohmann/json.hpp>

#include "tensorbox/tensorbox.h"

namespace tbpy {

namespace nb = nanobind;
using json = nlohmann::ordered_json;

void bind_errors(nb::module_& m);
void bind_tensor(nb::module_& m);
void bind_device(nb::module_& m);
void bind_ops(nb::module_& m);
void bind_autodiff(nb::module_& m);
void bind_keras(nb::module_& m);
void bind_callbacks(nb::module_& m);
void bind_subclassing(nb::module_& m);

// Configs cross the boundary as JSON text (they are small; Python's json module reads them).
json parse_json(const std::string& text);

// Raises a pending KeyboardInterrupt (Ctrl-C) between batches of fit/evaluate/predict.
void check_signals();

}  // namespace tbpy
