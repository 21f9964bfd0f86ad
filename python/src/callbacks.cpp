// Callbacks across the boundary: the engine's own (EarlyStopping, ModelCheckpoint,
// ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN, History), Python subclasses of
// keras.callbacks.Callback driven from the C++ loop, and the Ctrl-C check fit runs per batch.
#include <set>

#include <nanobind/stl/map.h>
#include <nanobind/stl/set.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"
#include "tensorbox/keras/config_reader.h"

namespace tbpy {

namespace k = tb::keras;
using k::callbacks::Callback;
using k::callbacks::Logs;

namespace {

nb::dict to_dict(const Logs& logs) {
  nb::dict d;
  for (const auto& [key, value] : logs) d[nb::str(key.c_str())] = value;
  return d;
}

// Values a Python hook put into (or changed in) the logs dict flow back, as Keras's dicts do.
void update_from(Logs& logs, nb::dict d) {
  for (auto [key, value] : d) {
    if (!nb::isinstance<nb::float_>(value) && !nb::isinstance<nb::int_>(value)) {
      try {
        logs.set(nb::cast<std::string>(key), nb::cast<double>(value.attr("__float__")()));
      } catch (...) {
        continue;  // non-numeric entries stay Python-only
      }
    } else {
      logs.set(nb::cast<std::string>(key), nb::cast<double>(value));
    }
  }
}

// Drives a Python keras.callbacks.Callback. Only the hooks the Python class overrides are
// called (`hooks`), so an epoch-level callback costs nothing per batch.
class PythonCallback : public Callback {
 public:
  PythonCallback(nb::object target, std::set<std::string> hooks)
      : target_(new nb::object(std::move(target))), hooks_(std::move(hooks)) {}
  ~PythonCallback() override {
    if (!Py_IsInitialized()) return;
    nb::gil_scoped_acquire gil;
    delete target_;
  }
  void on_train_begin(Logs& l) override { call("on_train_begin", l); }
  void on_train_end(Logs& l) override { call("on_train_end", l); }
  void on_epoch_begin(int e, Logs& l) override { call("on_epoch_begin", l, e); }
  void on_epoch_end(int e, Logs& l) override { call("on_epoch_end", l, e); }
  void on_train_batch_begin(int64_t b, Logs& l) override { call("on_train_batch_begin", l, b); }
  void on_train_batch_end(int64_t b, Logs& l) override { call("on_train_batch_end", l, b); }
  void on_test_begin(Logs& l) override { call("on_test_begin", l); }
  void on_test_end(Logs& l) override { call("on_test_end", l); }
  void on_test_batch_begin(int64_t b, Logs& l) override { call("on_test_batch_begin", l, b); }
  void on_test_batch_end(int64_t b, Logs& l) override { call("on_test_batch_end", l, b); }
  void on_predict_begin(Logs& l) override { call("on_predict_begin", l); }
  void on_predict_end(Logs& l) override { call("on_predict_end", l); }
  void on_predict_batch_begin(int64_t b, Logs& l) override { call("on_predict_batch_begin", l, b); }
  void on_predict_batch_end(int64_t b, Logs& l) override { call("on_predict_batch_end", l, b); }

 private:
  template <class... A>
  void call(const char* hook, Logs& logs, A... index) {
    if (!hooks_.count(hook)) return;
    nb::gil_scoped_acquire gil;
    nb::object target = *target_;
    nb::dict p;
    p["epochs"] = params().epochs;
    p["steps"] = params().steps;
    p["verbose"] = params().verbose;
    target.attr("params") = p;
    nb::dict d = to_dict(logs);
    target.attr(hook)(index..., d);
    update_from(logs, d);
  }
  nb::object* target_;
  std::set<std::string> hooks_;
};

// Lets Ctrl-C (a pending KeyboardInterrupt) stop the loop at the next batch boundary.
class InterruptCheck : public Callback {
 public:
  void on_train_batch_end(int64_t, Logs&) override { check_signals(); }
  void on_test_batch_end(int64_t, Logs&) override { check_signals(); }
  void on_predict_batch_end(int64_t, Logs&) override { check_signals(); }
};

double schedule_call(PyObject* fn, int epoch, double lr) {
  nb::gil_scoped_acquire gil;
  return nb::cast<double>(nb::handle(fn)(epoch, lr));
}

// Built-in callbacks from their Keras kwargs (as a JSON dict); unknown kwargs are TypeErrors.
k::callbacks::CallbackPtr make_callback(const std::string& cls, const std::string& kwargs_text) {
  const json kwargs = parse_json(kwargs_text);
  k::ConfigReader r(kwargs, cls);
  k::callbacks::CallbackPtr cb;
  if (cls == "EarlyStopping") {
    k::callbacks::EarlyStoppingOptions o;
    r.read("monitor", o.monitor);
    r.read("min_delta", o.min_delta);
    r.read("patience", o.patience);
    r.read("verbose", o.verbose);
    r.read("mode", o.mode);
    r.read("baseline", o.baseline);
    r.read("restore_best_weights", o.restore_best_weights);
    cb = std::make_shared<k::callbacks::EarlyStopping>(o);
  } else if (cls == "ReduceLROnPlateau") {
    k::callbacks::ReduceLROnPlateauOptions o;
    r.read("monitor", o.monitor);
    r.read("factor", o.factor);
    r.read("patience", o.patience);
    r.read("verbose", o.verbose);
    r.read("mode", o.mode);
    r.read("min_delta", o.min_delta);
    r.read("cooldown", o.cooldown);
    r.read("min_lr", o.min_lr);
    cb = std::make_shared<k::callbacks::ReduceLROnPlateau>(o);
  } else if (cls == "ModelCheckpoint") {
    k::callbacks::ModelCheckpointOptions o;
    std::string filepath;
    r.read("filepath", filepath);
    r.read("monitor", o.monitor);
    r.read("verbose", o.verbose);
    r.read("save_best_only", o.save_best_only);
    r.read("save_weights_only", o.save_weights_only);
    r.read("mode", o.mode);
    r.ignore("save_freq", "epoch");
    cb = std::make_shared<k::callbacks::ModelCheckpoint>(filepath, o);
  } else if (cls == "TerminateOnNaN") {
    cb = std::make_shared<k::callbacks::TerminateOnNaN>();
  } else {
    throw tb::ValueError("unknown built-in callback '" + cls + "'");
  }
  r.finish();
  return cb;
}

}  // namespace

std::vector<k::callbacks::CallbackPtr> with_interrupt_check(std::vector<k::callbacks::CallbackPtr> cbs) {
  cbs.push_back(std::make_shared<InterruptCheck>());
  return cbs;
}

void bind_callbacks(nb::module_& m) {
  nb::class_<Callback>(m, "Callback");
  // Every fit() from now on publishes its progress into `folder` (for tensorbox up's /metrics).
  m.def("publish_training_metrics", [](const std::string& folder) {
    k::callbacks::register_default_callback("tensorbox.metrics", [folder] {
      return std::make_shared<k::callbacks::MetricsPublisher>(folder);
    });
  }, nb::arg("folder"));
  nb::class_<k::callbacks::History, Callback>(m, "History")
      .def_ro("history", &k::callbacks::History::history)
      .def_ro("keys", &k::callbacks::History::keys)
      .def_ro("epoch", &k::callbacks::History::epoch);
  m.def("python_callback", [](nb::object target, std::set<std::string> hooks) -> k::callbacks::CallbackPtr {
    return std::make_shared<PythonCallback>(std::move(target), std::move(hooks));
  });
  m.def("make_callback", &make_callback, nb::arg("class_name"), nb::arg("kwargs"));
  m.def("learning_rate_scheduler", [](nb::object schedule, int verbose) -> k::callbacks::CallbackPtr {
    PyObject* fn = schedule.release().ptr();
    // The schedule lives as long as the callback; its reference is dropped with it.
    auto holder = std::shared_ptr<PyObject>(fn, [](PyObject* p) {
      if (!Py_IsInitialized()) return;
      nb::gil_scoped_acquire gil;
      Py_DECREF(p);
    });
    return std::make_shared<k::callbacks::LearningRateScheduler>(
        [holder](int epoch, double lr) { return schedule_call(holder.get(), epoch, lr); }, verbose);
  }, nb::arg("schedule"), nb::arg("verbose") = 0);
}

}  // namespace tbpy
