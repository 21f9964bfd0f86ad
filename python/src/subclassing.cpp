// tensorbox._C.PythonModel and PythonLayer: the engine's side of Python subclasses of
// tf.keras.Model and tf.keras.layers.Layer. The engine (fit/evaluate/predict, functional and
// Sequential models) calls back into the subclass's `call` (and a layer's `build`) with the GIL
// taken; the layers the subclass assigns to attributes are tracked here so their weights are
// its weights. Ops inside `call` are engine ops, so GradientTape sees them.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"

namespace tbpy {

namespace k = tb::keras;
using tb::Tensor;

namespace {

class PythonModel : public k::Model {
 public:
  // `forward` is a Python callable (inputs: list[Tensor], training: bool) -> list[Tensor], which
  // holds the Python model weakly (the Python object owns this one).
  PythonModel(const std::string& name, nb::object forward)
      : Model("Model", k::layers::BaseOptions{{}, name, true, ""}), forward_(new nb::object(std::move(forward))) {
    built_ = true;
  }
  ~PythonModel() override {
    if (!Py_IsInitialized()) return;
    nb::gil_scoped_acquire gil;
    delete forward_;
  }

  bool takes_list() const override { return true; }
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override {
    std::vector<Tensor> out;
    {
      nb::gil_scoped_acquire gil;
      out = nb::cast<std::vector<Tensor>>((*forward_)(inputs, training));
    }
    if (!input_shape_ && !inputs.empty()) {
      std::vector<int64_t> d = inputs[0].shape().dims();
      if (!d.empty()) d[0] = -1;
      input_shape_ = tb::Shape(d);
    }
    outputs_ = out.size();
    return out;
  }
  Tensor call(const Tensor& x, bool training) override {
    const auto out = call_list({x}, training);
    if (out.size() != 1)
      throw tb::ValueError("Model \"" + name() + "\" returned " + std::to_string(out.size()) + " outputs");
    return out[0];
  }
  // A subclassed model's output shape is only known by running it (Keras prints "multiple").
  tb::Shape compute_output_shape(const tb::Shape& s) const override {
    throw tb::UnimplementedError("Model \"" + name() + "\" is a Python subclass; its output shape for " +
                                 s.to_string() + " is known only by calling it");
  }
  nlohmann::ordered_json layer_config() const override { return nlohmann::ordered_json::object(); }
  std::vector<k::layers::LayerPtr> layers() const override { return tracked_; }
  size_t num_inputs() const override { return 0; }  // whatever `call` takes
  std::vector<std::string> output_names() const override {
    std::vector<std::string> names;  // Keras names a subclassed model's outputs output_1, output_2, ...
    for (size_t i = 0; i < std::max<size_t>(outputs_, 1); ++i) names.push_back("output_" + std::to_string(i + 1));
    return names;
  }
  void track(const k::layers::LayerPtr& l) {
    for (const auto& t : tracked_)
      if (t == l) return;
    tracked_.push_back(l);
  }

 protected:
  std::optional<tb::Shape> model_input_shape() const override { return input_shape_; }
  SummaryTable summary_table() const override {
    if (!input_shape_)
      throw tb::ValueError("This model has not yet been built. Build the model first by calling `build()` or by "
                           "calling the model on a batch of data.");
    SummaryTable t{{"Layer (type)", "Output Shape", "Param #"}, {29, 55, 65}, {}};
    for (const auto& l : tracked_)
      t.rows.push_back({l->name() + " (" + l->class_name() + ")", "multiple", std::to_string(l->count_params())});
    return t;
  }

 private:
  nb::object* forward_;
  std::vector<k::layers::LayerPtr> tracked_;
  std::optional<tb::Shape> input_shape_;
  size_t outputs_ = 0;
};

// A Python object owned by the engine: methods run with the GIL, released with the GIL.
class PyOwner {
 public:
  explicit PyOwner(nb::object o) : o_(new nb::object(std::move(o))) {}
  PyOwner(const PyOwner&) = delete;
  PyOwner& operator=(const PyOwner&) = delete;
  ~PyOwner() {
    if (!Py_IsInitialized()) return;
    nb::gil_scoped_acquire gil;
    delete o_;
  }
  template <class R, class... A>
  R call(const char* method, A&&... args) const {
    nb::gil_scoped_acquire gil;
    return nb::cast<R>(o_->attr(method)(std::forward<A>(args)...));
  }
  nb::object get() const { return *o_; }

 private:
  nb::object* o_;
};

class PythonLayer : public k::layers::Layer {
 public:
  // `owner` is the Python layer, kept alive by this engine layer (a model holding only the
  // engine layer still runs it): owner._engine_forward(inputs: list[Tensor], training) ->
  // list[Tensor] runs its `call`, owner._engine_build(shapes: list[list[int]]) its `build`.
  PythonLayer(const std::string& class_name, const k::layers::BaseOptions& base, nb::object owner)
      : Layer(class_name, base), owner_(std::move(owner)) {}
  nb::object owner() const { return owner_.get(); }

  bool takes_list() const override { return true; }
  void build(const tb::Shape& s) override { build_list({s}); }
  void build_list(const std::vector<tb::Shape>& shapes) override {
    std::vector<std::vector<int64_t>> dims;
    for (const auto& s : shapes) dims.push_back(s.dims());
    owner_.call<nb::object>("_engine_build", dims);
    built_ = true;
  }
  std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override {
    return owner_.call<std::vector<Tensor>>("_engine_forward", inputs, training);
  }
  Tensor call(const Tensor& x, bool training) override {
    const auto out = call_list({x}, training);
    if (out.size() != 1)
      throw tb::ValueError("Layer \"" + name() + "\" returned " + std::to_string(out.size()) + " outputs; call it with a list");
    return out[0];
  }
  // Keras traces `call` on symbolic inputs; here `call` runs on zeros with the unknown
  // dimensions set to 2 and then to 3, and an output dimension that follows them is unknown.
  std::vector<tb::Shape> compute_output_shapes(const std::vector<tb::Shape>& shapes) const override {
    std::vector<std::vector<Tensor>> runs;
    for (int64_t unknown : {2, 3}) {
      std::vector<Tensor> zeros;
      for (const auto& s : shapes) {
        std::vector<int64_t> d = s.dims();
        for (int64_t& x : d) x = x < 0 ? unknown : x;
        zeros.push_back(Tensor::zeros(tb::Shape(d), compute_dtype()));
      }
      runs.push_back(owner_.call<std::vector<Tensor>>("_engine_forward", zeros, false));
    }
    std::vector<tb::Shape> out;
    for (size_t i = 0; i < runs[0].size(); ++i) {
      std::vector<int64_t> a = runs[0][i].shape().dims();
      const std::vector<int64_t>& b = runs[1].at(i).shape().dims();
      for (size_t j = 0; j < a.size() && j < b.size(); ++j) a[j] = a[j] == b[j] ? a[j] : -1;
      out.emplace_back(a);
    }
    return out;
  }
  tb::Shape compute_output_shape(const tb::Shape& s) const override { return compute_output_shapes({s}).at(0); }
  nlohmann::ordered_json layer_config() const override { return nlohmann::ordered_json::object(); }

  // Own weights first, then the tracked layers' in the order they were assigned (Keras's order).
  std::vector<tb::Variable> trainable_weights() const override {
    std::vector<tb::Variable> w = Layer::trainable_weights();
    if (!trainable()) return w;
    for (const auto& l : tracked_)
      for (const auto& v : l->trainable_weights()) w.push_back(v);
    return w;
  }
  std::vector<tb::Variable> non_trainable_weights() const override {
    std::vector<tb::Variable> w = Layer::non_trainable_weights();
    for (const auto& l : tracked_)
      for (const auto& v : trainable() ? l->non_trainable_weights() : l->weights()) w.push_back(v);
    return w;
  }
  std::vector<Tensor> losses() const override {
    std::vector<Tensor> out = Layer::losses();
    for (const auto& l : tracked_)
      for (const auto& t : l->losses()) out.push_back(t);
    return out;
  }
  tb::Variable new_weight(const std::string& wname, std::vector<int64_t> shape, const std::string& initializer,
                          bool trainable, const std::string& regularizer) {
    tb::Variable v = add_weight(wname, tb::Shape(std::move(shape)), k::initializers::from_config(parse_json(initializer)),
                                trainable);
    add_weight_regularizer(v, k::regularizers::from_config(parse_json(regularizer)));
    return v;
  }
  void track(const k::layers::LayerPtr& l) {
    for (const auto& t : tracked_)
      if (t == l) return;
    tracked_.push_back(l);
  }
  void mark_built() { built_ = true; }

 private:
  PyOwner owner_;
  std::vector<k::layers::LayerPtr> tracked_;
};

}  // namespace

void bind_subclassing(nb::module_& m) {
  nb::class_<PythonLayer, k::layers::Layer>(m, "PythonLayer")
      .def("__init__", [](PythonLayer* self, const std::string& class_name, const std::string& name, bool trainable,
                          const std::string& dtype, nb::object owner) {
        new (self) PythonLayer(class_name, k::layers::BaseOptions{{}, name, trainable, dtype}, std::move(owner));
      })
      .def_prop_ro("owner", &PythonLayer::owner)
      .def("add_weight", &PythonLayer::new_weight)
      .def("track", &PythonLayer::track)
      .def("mark_built", &PythonLayer::mark_built);
  nb::class_<PythonModel, k::Model>(m, "PythonModel")
      .def("__init__", [](PythonModel* self, const std::string& name, nb::object forward) {
        new (self) PythonModel(name, std::move(forward));
      })
      .def("track", &PythonModel::track);
  m.def("unique_object_name", [](const std::string& prefix) { return k::backend::unique_object_name(prefix); });
}

}  // namespace tbpy
