// tensorbox._C.PythonModel: the engine's side of a Python subclass of tf.keras.Model. The
// engine's training loop (fit/evaluate/predict) calls back into the subclass's `call` with
// the GIL taken; the layers the subclass assigns to attributes are tracked here so their
// weights are the model's weights. Ops inside `call` are engine ops, so GradientTape sees them.
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

}  // namespace

void bind_subclassing(nb::module_& m) {
  nb::class_<PythonModel, k::Model>(m, "PythonModel")
      .def("__init__", [](PythonModel* self, const std::string& name, nb::object forward) {
        new (self) PythonModel(name, std::move(forward));
      })
      .def("track", &PythonModel::track);
  m.def("unique_object_name", [](const std::string& prefix) { return k::backend::unique_object_name(prefix); });
}

}  // namespace tbpy
