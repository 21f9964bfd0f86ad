// tensorbox._C keras classes: Layer (built from configs), Model/Sequential with the C++
// training loop, optimizers, losses (including Python functions used as losses), metrics,
// initializers, and the console that routes progress bars to Python's sys.stdout.
#include <sstream>

#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"
#include "tensorbox/keras/functional.h"
#include "tensorbox/keras/layers/attention.h"
#include "tensorbox/keras/layers/input_layer.h"
#include "tensorbox/keras/layers/preprocessing.h"
#include "tensorbox/keras/layers/time_distributed.h"
#include "tensorbox/keras/optimizers/deserialize.h"
#include "tensorbox/keras/utils/console.h"

namespace tbpy {

namespace k = tb::keras;
using tb::Tensor;
using namespace nb::literals;

namespace {

// A Python function (y_true, y_pred) -> per-sample loss tensor, used as a Keras loss. It runs
// with the GIL taken for the call; the ops it calls are engine ops, so gradients flow.
class FunctionLoss : public k::losses::Loss {
 public:
  FunctionLoss(nb::object fn, std::string name) : Loss(std::move(name)), fn_(new nb::object(std::move(fn))) {}
  ~FunctionLoss() override {
    if (!Py_IsInitialized()) return;
    nb::gil_scoped_acquire gil;
    delete fn_;
  }
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override {
    nb::gil_scoped_acquire gil;  // the engine calls this with the GIL released
    nb::object out = (*fn_)(y_true, y_pred);
    return nb::cast<Tensor>(nb::module_::import_("tensorbox").attr("convert_to_tensor")(out));
  }
  std::string class_name() const override { return "LossFunctionWrapper"; }

 private:
  nb::object* fn_;
};

std::string config_text(const json& j) { return j.dump(); }

void bind_console(nb::module_& m) {
  // The writer is a Python callable (stream: int, text: str) kept for the process's life:
  // engine threads may print until exit, after Python objects could otherwise be torn down.
  m.def("set_console_writer", [](nb::object writer) {
    if (writer.is_none()) {
      k::utils::set_console_writer(nullptr);
      return;
    }
    PyObject* fn = writer.release().ptr();  // deliberately never released
    k::utils::set_console_writer([fn](k::utils::Stream s, std::string_view text) {
      if (!Py_IsInitialized()) return;
      nb::gil_scoped_acquire gil;
      try {
        const nb::handle callable(fn);
        callable(int(s == k::utils::Stream::err), nb::str(text.data(), text.size()));
      } catch (nb::python_error& e) {
        e.discard_as_unraisable("tensorbox console writer");
      }
    });
  });
}

namespace {
std::vector<Tensor> from_optional(const std::vector<std::optional<Tensor>>& masks) {
  std::vector<Tensor> out;
  for (const auto& m : masks) out.push_back(m.value_or(Tensor()));
  return out;
}
}  // namespace

void bind_layers(nb::module_& m) {
  const auto nogil = nb::call_guard<nb::gil_scoped_release>();
  using k::layers::KerasTensor;
  nb::class_<KerasTensor>(m, "KerasTensor")
      .def_prop_ro("shape", [](const KerasTensor& t) { return t.shape().dims(); })
      .def_prop_ro("dtype", [](const KerasTensor& t) { return std::string(tb::dtype_name(t.dtype())); })
      .def_prop_ro("layer", [](const KerasTensor& t) { return t.layer(); })
      .def_prop_ro("index", &KerasTensor::index)
      // Identity of the producing call: equal for the same symbolic tensor seen twice.
      .def_prop_ro("key", [](const KerasTensor& t) { return std::make_pair(uintptr_t(t.node().get()), t.index()); });
  nb::class_<k::layers::Layer>(m, "Layer")
      .def("__call__", [](k::layers::Layer& l, const Tensor& x, bool training,
                          const std::optional<Tensor>& mask) { return l(x, training, mask.value_or(Tensor())); },
           nogil, nb::arg("inputs"), nb::arg("training") = false, nb::arg("mask") = nb::none())
      .def("call_list", [](k::layers::Layer& l, const std::vector<Tensor>& xs, bool training,
                           const std::vector<std::optional<Tensor>>& masks) { return l(xs, training, from_optional(masks)); },
           nogil, nb::arg("inputs"), nb::arg("training") = false, nb::arg("masks") = std::vector<std::optional<Tensor>>{})
      // The output masks of a call on `xs` with input masks `masks` (None where there is none).
      .def("compute_masks", [](const k::layers::Layer& l, const std::vector<Tensor>& xs,
                               const std::vector<std::optional<Tensor>>& masks) {
        std::vector<std::optional<Tensor>> out;
        for (const Tensor& m : l.compute_masks(xs, from_optional(masks)))
          out.push_back(m.defined() ? std::optional<Tensor>(m) : std::nullopt);
        return out;
      }, nogil)
      .def_prop_ro("supports_masking", &k::layers::Layer::supports_masking)
      .def("symbolic_call", [](const k::layers::LayerPtr& l, const std::vector<KerasTensor>& xs, const std::string& kwargs) {
        return l->symbolic_call(xs, parse_json(kwargs));
      }, nb::arg("inputs"), nb::arg("kwargs") = "{}")
      .def_prop_ro("takes_list", &k::layers::Layer::takes_list)
      .def("build", [](k::layers::Layer& l, std::vector<int64_t> s) { l.build(tb::Shape(std::move(s))); })
      .def("compute_output_shape", [](const k::layers::Layer& l, std::vector<int64_t> s) {
        return l.compute_output_shape(tb::Shape(std::move(s))).dims();
      })
      .def_prop_ro("name", &k::layers::Layer::name)
      .def_prop_ro("class_name", &k::layers::Layer::class_name)
      .def_prop_ro("built", &k::layers::Layer::built)
      .def_prop_rw("trainable", &k::layers::Layer::trainable, &k::layers::Layer::set_trainable)
      .def_prop_ro("dtype", [](const k::layers::Layer& l) { return std::string(tb::dtype_name(l.dtype())); })
      .def_prop_ro("compute_dtype", [](const k::layers::Layer& l) { return std::string(tb::dtype_name(l.compute_dtype())); })
      .def_prop_ro("policy_name", [](const k::layers::Layer& l) { return l.dtype_policy().name(); })
      .def_prop_ro("batch_input_shape", [](const k::layers::Layer& l) -> std::optional<std::vector<int64_t>> {
        if (!l.batch_input_shape()) return std::nullopt;
        return l.batch_input_shape()->dims();
      })
      .def_prop_ro("weights", &k::layers::Layer::weights)
      .def_prop_ro("trainable_weights", &k::layers::Layer::trainable_weights)
      .def_prop_ro("non_trainable_weights", &k::layers::Layer::non_trainable_weights)
      .def("count_params", &k::layers::Layer::count_params)
      .def_prop_ro("losses", &k::layers::Layer::losses)
      .def("get_weights", &k::layers::Layer::get_weights)
      .def("set_weights", &k::layers::Layer::set_weights)
      .def("get_config", [](const k::layers::Layer& l) { return config_text(l.get_config()); })
      .def("serialize", [](const k::layers::Layer& l) { return config_text(l.serialize()); });
  m.def("deserialize_layer", [](const std::string& config) { return k::layers::deserialize(parse_json(config)); });
  // An attention layer's call with everything Keras's call takes: [query, value(, key)], their
  // masks, attention_mask, use_causal_mask; returns [output, attention scores].
  m.def("attend", [](const k::layers::LayerPtr& l, const std::vector<Tensor>& xs,
                     const std::vector<std::optional<Tensor>>& masks, const std::optional<Tensor>& attention_mask,
                     bool training, bool use_causal_mask) {
    auto* a = dynamic_cast<k::layers::AttentionLayer*>(l.get());
    if (!a) throw tb::TypeError("attend: layer \"" + l->name() + "\" is not an attention layer");
    nb::gil_scoped_release nogil;
    const auto r = a->call_attention(xs, from_optional(masks), attention_mask.value_or(Tensor()), training, use_causal_mask);
    return std::vector<Tensor>{r.output, r.scores};
  }, nb::arg("layer"), nb::arg("inputs"), nb::arg("masks"), nb::arg("attention_mask").none(), nb::arg("training"),
        nb::arg("use_causal_mask"));
  // TimeDistributed around an existing layer object (Keras keeps the very layer it is given).
  m.def("time_distributed", [](const k::layers::LayerPtr& inner, const std::string& config) {
    const auto b = k::layers::base_options_from_config(parse_json(config));
    return k::layers::LayerPtr(std::make_shared<k::layers::TimeDistributed>(
        inner, k::layers::TimeDistributedOptions{.input_shape = b.input_shape, .name = b.name,
                                                 .trainable = b.trainable, .dtype = b.dtype}));
  });
  m.def("normalization_adapt", [](const k::layers::LayerPtr& l, const Tensor& data) {
    auto* n = dynamic_cast<k::layers::Normalization*>(l.get());
    if (!n) throw tb::TypeError("adapt: layer \"" + l->name() + "\" is not a Normalization layer");
    nb::gil_scoped_release nogil;
    n->adapt(data);
  });
  m.def("input_tensor", [](const k::layers::LayerPtr& l) {
    auto* in = dynamic_cast<k::layers::InputLayer*>(l.get());
    if (!in) throw tb::TypeError("input_tensor: layer \"" + l->name() + "\" is not an InputLayer");
    return in->output();
  });
}

void bind_optimizers_losses_metrics(nb::module_& m) {
  const auto nogil = nb::call_guard<nb::gil_scoped_release>();
  nb::class_<k::optimizers::Optimizer>(m, "Optimizer")
      .def("apply_gradients", [](k::optimizers::Optimizer& o, const std::vector<std::optional<Tensor>>& grads,
                                 const std::vector<tb::Variable>& vars) {
        std::vector<Tensor> g;
        for (const auto& t : grads) g.push_back(t.value_or(Tensor()));  // None: no gradient, skipped
        nb::gil_scoped_release nogil;
        o.apply_gradients(g, vars);
      })
      .def_prop_rw("iterations", &k::optimizers::Optimizer::iterations, &k::optimizers::Optimizer::set_iterations)
      .def_prop_rw("learning_rate", &k::optimizers::Optimizer::learning_rate,
                   &k::optimizers::Optimizer::set_learning_rate)
      .def_prop_ro("name", &k::optimizers::Optimizer::name)
      .def_prop_ro("class_name", &k::optimizers::Optimizer::class_name)
      .def("get_config", [](const k::optimizers::Optimizer& o) { return config_text(o.get_config()); });
  nb::class_<k::optimizers::LossScaleOptimizer, k::optimizers::Optimizer>(m, "LossScaleOptimizer")
      .def_prop_ro("loss_scale", &k::optimizers::LossScaleOptimizer::loss_scale)
      .def_prop_ro("dynamic_counter", &k::optimizers::LossScaleOptimizer::dynamic_counter)
      .def_prop_ro("dynamic_growth_steps", &k::optimizers::LossScaleOptimizer::dynamic_growth_steps)
      .def_prop_ro("dynamic", &k::optimizers::LossScaleOptimizer::dynamic)
      .def_prop_ro("inner_optimizer", &k::optimizers::LossScaleOptimizer::inner_optimizer)
      .def("get_scaled_loss", &k::optimizers::LossScaleOptimizer::get_scaled_loss, nogil)
      .def("get_unscaled_gradients", [](const k::optimizers::LossScaleOptimizer& o,
                                        const std::vector<std::optional<Tensor>>& grads) {
        std::vector<Tensor> g;
        for (const auto& t : grads) g.push_back(t.value_or(Tensor()));
        std::vector<std::optional<Tensor>> out;
        for (const Tensor& t : o.get_unscaled_gradients(g)) out.push_back(t.defined() ? std::optional(t) : std::nullopt);
        return out;
      });
  m.def("set_global_policy", [](const std::string& name) {
    k::mixed_precision::set_global_policy(k::mixed_precision::Policy(name));
  });
  m.def("policy_dtypes", [](const std::string& name) {
    const k::mixed_precision::Policy p(name);
    return nb::make_tuple(p.name(), std::string(tb::dtype_name(p.compute_dtype())),
                          std::string(tb::dtype_name(p.variable_dtype())));
  });
  m.def("deserialize_optimizer", [](const std::string& c) { return k::optimizers::deserialize(parse_json(c)); });
  m.def("schedule_value", [](const std::string& c, int64_t step) {
    return (*k::optimizers::deserialize_schedule(parse_json(c)))(step);
  });

  nb::class_<k::losses::Loss>(m, "Loss")
      .def("__call__", [](const k::losses::Loss& l, const Tensor& y_true, const Tensor& y_pred,
                          std::optional<Tensor> sw) { return l(y_true, y_pred, sw.value_or(Tensor())); },
           nogil, nb::arg("y_true"), nb::arg("y_pred"), nb::arg("sample_weight").none() = nb::none())
      .def("call", &k::losses::Loss::call, nogil)
      .def_prop_ro("name", &k::losses::Loss::name)
      .def_prop_ro("class_name", &k::losses::Loss::class_name)
      .def("get_config", [](const k::losses::Loss& l) { return config_text(l.get_config()); });
  m.def("deserialize_loss", [](const std::string& c) { return k::losses::Loss::deserialize(parse_json(c)); });
  m.def("function_loss", [](nb::object fn, const std::string& name) -> std::shared_ptr<k::losses::Loss> {
    return std::make_shared<FunctionLoss>(std::move(fn), name);
  });

  nb::class_<k::metrics::Metric>(m, "Metric")
      .def("update_state", [](k::metrics::Metric& mt, const Tensor& y_true, const Tensor& y_pred,
                              std::optional<Tensor> sw) { mt.update_state(y_true, y_pred, sw.value_or(Tensor())); },
           nogil, nb::arg("y_true"), nb::arg("y_pred"), nb::arg("sample_weight").none() = nb::none())
      .def("result", &k::metrics::Metric::result)
      .def("reset_state", &k::metrics::Metric::reset_state)
      .def_prop_ro("name", &k::metrics::Metric::name);
  m.def("get_metric", &k::metrics::Metric::get);
  m.def("mean_metric", [](const std::string& name) -> std::shared_ptr<k::metrics::Metric> {
    return std::make_shared<k::metrics::Mean>(name);
  });

  m.def("initializer", [](const std::string& config, std::vector<int64_t> shape, const std::string& dtype) {
    const auto init = k::initializers::from_config(parse_json(config));
    nb::gil_scoped_release nogil;
    return init(tb::Shape(std::move(shape)), tb::dtype_from_name(dtype));
  });
  m.def("initializer_config", [](const std::string& config) {
    return config_text(k::initializers::from_config(parse_json(config)).get_config());
  });
  m.def("activation_name", [](const std::string& name) {
    k::activations::validate(name);
    return k::activations::serialize(name);
  });
  m.def("clear_session", &k::backend::clear_session);
}

}  // namespace

std::vector<k::callbacks::CallbackPtr> with_interrupt_check(std::vector<k::callbacks::CallbackPtr> cbs);

void bind_models(nb::module_& m) {
  using k::Model;
  nb::class_<Model, k::layers::Layer>(m, "Model")
      .def("compile", [](Model& model, std::shared_ptr<k::optimizers::Optimizer> opt,
                         std::vector<std::shared_ptr<k::losses::Loss>> losses, std::vector<double> loss_weights,
                         std::vector<std::vector<std::string>> metrics) {
        k::CompileOptions o{.optimizer = opt, .loss_weights = std::move(loss_weights), .output_metrics = std::move(metrics)};
        for (auto& l : losses) o.losses.emplace_back(l);
        model.compile(o);
      })
      .def("fit", [](Model& model, const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                     std::optional<int64_t> batch_size, int epochs, int verbose,
                     std::vector<k::callbacks::CallbackPtr> callbacks, double validation_split,
                     std::optional<std::pair<std::vector<Tensor>, std::vector<Tensor>>> validation_data, bool shuffle,
                     int initial_epoch, std::optional<int64_t> validation_batch_size, int validation_freq) {
        k::FitOptions o{.batch_size = batch_size, .epochs = epochs, .verbose = verbose,
                        .callbacks = with_interrupt_check(std::move(callbacks)),
                        .validation_split = validation_split,
                        .shuffle = shuffle, .initial_epoch = initial_epoch,
                        .validation_batch_size = validation_batch_size, .validation_freq = validation_freq};
        if (validation_data) o.validation_data = std::make_pair(k::TensorList(validation_data->first),
                                                                k::TensorList(validation_data->second));
        nb::gil_scoped_release nogil;
        return model.fit(x, y, o);
      }, "x"_a, "y"_a, "batch_size"_a.none(), "epochs"_a, "verbose"_a, "callbacks"_a, "validation_split"_a,
         "validation_data"_a.none(), "shuffle"_a, "initial_epoch"_a, "validation_batch_size"_a.none(),
         "validation_freq"_a)
      .def("evaluate", [](Model& model, const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                          std::optional<int64_t> batch_size, int verbose, std::vector<k::callbacks::CallbackPtr> callbacks) {
        k::EvaluateOptions o{.batch_size = batch_size, .verbose = verbose,
                             .callbacks = with_interrupt_check(std::move(callbacks))};
        nb::gil_scoped_release nogil;
        auto logs = model.evaluate(x, y, o);
        return std::vector<std::pair<std::string, double>>(logs.begin(), logs.end());
      }, "x"_a, "y"_a, "batch_size"_a.none(), "verbose"_a, "callbacks"_a)
      .def("predict", [](Model& model, const std::vector<Tensor>& x, std::optional<int64_t> batch_size, int verbose,
                         std::vector<k::callbacks::CallbackPtr> callbacks) {
        k::PredictOptions o{.batch_size = batch_size, .verbose = verbose,
                            .callbacks = with_interrupt_check(std::move(callbacks))};
        nb::gil_scoped_release nogil;
        return static_cast<std::vector<Tensor>>(model.predict_all(x, o));
      }, "x"_a, "batch_size"_a.none(), "verbose"_a, "callbacks"_a)
      .def("train_on_batch", [](Model& model, const std::vector<Tensor>& x, const std::vector<Tensor>& y, bool reset) {
        nb::gil_scoped_release nogil;
        auto logs = model.train_on_batch(x, y, reset);
        return std::vector<std::pair<std::string, double>>(logs.begin(), logs.end());
      })
      .def("test_on_batch", [](Model& model, const std::vector<Tensor>& x, const std::vector<Tensor>& y, bool reset) {
        nb::gil_scoped_release nogil;
        auto logs = model.test_on_batch(x, y, reset);
        return std::vector<std::pair<std::string, double>>(logs.begin(), logs.end());
      })
      .def("predict_on_batch", [](Model& model, const std::vector<Tensor>& x) {
        nb::gil_scoped_release nogil;
        return static_cast<std::vector<Tensor>>(model.outputs_for(x, false));
      })
      .def_prop_ro("output_names", &Model::output_names)
      .def_prop_ro("num_inputs", &Model::num_inputs)
      .def_prop_ro("layers", &Model::layers)
      .def("get_layer", &Model::get_layer)
      .def("summary", [](const Model& model) {
        std::ostringstream s;
        model.summary(s);
        return s.str();
      })
      .def("save_weights", &Model::save_weights, nb::call_guard<nb::gil_scoped_release>())
      .def("load_weights", &Model::load_weights, nb::call_guard<nb::gil_scoped_release>())
      .def_prop_ro("compiled", &Model::compiled)
      .def_prop_ro("optimizer", &Model::optimizer_ptr)
      .def_prop_ro("metrics_names", &Model::metrics_names)
      .def_rw("stop_training", &Model::stop_training);

  nb::class_<k::Sequential, Model>(m, "Sequential")
      .def("__init__", [](k::Sequential* self, std::vector<k::layers::LayerPtr> layers, const std::string& name) {
        std::vector<k::layers::LayerRef> refs(layers.begin(), layers.end());
        new (self) k::Sequential(std::move(refs), {.name = name});
      }, nb::arg("layers"), nb::arg("name") = "")
      .def("add", [](k::Sequential& s, k::layers::LayerPtr l) { s.add(std::move(l)); })
      .def("pop", &k::Sequential::pop);
  m.def("sequential_from_config", [](const std::string& c) { return k::Sequential::from_config(parse_json(c)); });
  nb::class_<k::Functional, Model>(m, "Functional")
      .def("__init__", [](k::Functional* self, std::vector<k::layers::KerasTensor> inputs,
                          std::vector<k::layers::KerasTensor> outputs, const std::string& name) {
        new (self) k::Functional(std::move(inputs), std::move(outputs), {.name = name});
      }, nb::arg("inputs"), nb::arg("outputs"), nb::arg("name") = "")
      .def_prop_ro("inputs", &k::Functional::inputs)
      .def_prop_ro("outputs", &k::Functional::outputs);
  m.def("functional_from_config", [](const std::string& c) { return k::Functional::from_config(parse_json(c)); });
}

void bind_keras(nb::module_& m) {
  bind_console(m);
  bind_layers(m);
  bind_optimizers_losses_metrics(m);
  bind_models(m);
}

}  // namespace tbpy
