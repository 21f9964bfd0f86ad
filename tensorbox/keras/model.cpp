#include "tensorbox/keras/model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "tensorbox/autodiff/gradient_tape.h"
#include "tensorbox/keras/backend.h"
#include "tensorbox/keras/callbacks/default_callbacks.h"
#include "tensorbox/keras/callbacks/progbar_logger.h"
#include "tensorbox/keras/optimizers/loss_scale_optimizer.h"
#include "tensorbox/keras/utils/weights_file.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras {

Model::Model(const std::string& class_name, const layers::BaseOptions& base) : Layer(class_name, base) {}

void Model::compile(const CompileOptions& o) {
  if (!o.optimizer) throw ValueError("compile: `optimizer` must be given");
  const std::vector<std::string> outs = output_names();
  const size_t n = outs.size();
  std::vector<std::shared_ptr<losses::Loss>> ls;
  if (!o.losses.empty()) {
    if (o.loss) throw ValueError("compile: give either `loss` or `losses`, not both");
    if (o.losses.size() != n)
      throw ValueError("compile: `loss` has " + std::to_string(o.losses.size()) + " entries but the model has " +
                       std::to_string(n) + " outputs (" + backend::join(outs) + ")");
    for (const auto& l : o.losses) ls.push_back(l.get());
  } else if (o.loss) {
    ls.assign(n, o.loss.get());  // Keras: one loss applies to every output
  }
  if (ls.empty() || std::all_of(ls.begin(), ls.end(), [](const auto& l) { return !l; }))
    throw ValueError("No loss to compute. Provide a `loss` argument in `compile()`.");
  if (!o.loss_weights.empty() && o.loss_weights.size() != n)
    throw ValueError("compile: `loss_weights` has " + std::to_string(o.loss_weights.size()) +
                     " entries but the model has " + std::to_string(n) + " outputs");
  std::vector<std::vector<std::string>> names = o.output_metrics;
  if (names.empty()) names.assign(n, o.metrics);
  else if (!o.metrics.empty()) throw ValueError("compile: give either `metrics` for all outputs or per output, not both");
  if (names.size() != n)
    throw ValueError("compile: metrics given for " + std::to_string(names.size()) + " outputs but the model has " +
                     std::to_string(n));
  for (const auto& per : names)
    for (const std::string& m : per)
      if (m != "accuracy" && m != "acc") metrics::Metric::get(m);  // unknown names fail here, not mid-fit
  optimizer_ = o.optimizer.get();
  // Keras wraps the optimizer for dynamic loss scaling under mixed_float16 only (bfloat16 has
  // float32's range and needs none).
  if (dtype_policy().name() == "mixed_float16" && !dynamic_cast<optimizers::LossScaleOptimizer*>(optimizer_.get()))
    optimizer_ = std::make_shared<optimizers::LossScaleOptimizer>(optimizer_);
  losses_ = ls;
  loss_weights_ = o.loss_weights.empty() ? std::vector<double>(n, 1.0) : o.loss_weights;
  metric_names_ = names;
  metric_objs_.assign(n, {});
  output_loss_trackers_.clear();
  if (n > 1)
    for (const std::string& out : outs) output_loss_trackers_.emplace_back(out + "_loss");
}

optimizers::Optimizer& Model::optimizer() const {
  check_compiled("optimizer");
  return *optimizer_;
}

void Model::check_compiled(const char* what) const {
  if (!optimizer_)
    throw FailedPreconditionError(std::string(what) + ": you must compile your model before training/testing. "
                                  "Use `model.compile(optimizer, loss)`.");
}

std::vector<std::string> Model::output_names() const {
  const auto ls = layers();
  return {ls.empty() ? name() : ls.back()->name()};
}

void Model::check_x(const TensorList& x, const char* what) const {
  if (x.empty()) throw ValueError(std::string(what) + ": no input data given");
  if (num_inputs() != 0 && x.size() != num_inputs())
    throw ValueError("Layer \"" + name() + "\" expects " + std::to_string(num_inputs()) + " input(s), but it received " +
                     std::to_string(x.size()) + " input tensors (" + what + ").");
  for (const Tensor& t : x)
    if (!t.defined() || t.rank() == 0)
      throw ValueError(std::string(what) + ": every input needs a batch axis, got " +
                       (t.defined() ? "shape " + t.shape().to_string() : std::string("None")));
  for (const Tensor& t : x)
    if (t.dim(0) != x[0].dim(0)) {
      std::string sizes;
      for (const Tensor& u : x) sizes += (sizes.empty() ? "" : ", ") + std::to_string(u.dim(0));
      throw ValueError("Data cardinality is ambiguous:\n  x sizes: " + sizes +
                       "\nMake sure all arrays contain the same number of samples.");
    }
  if (x[0].dim(0) == 0)
    throw ValueError(std::string(what) + ": the dataset is empty (x has shape " + x[0].shape().to_string() +
                     "); there is nothing to " + (std::string(what) == "fit" ? "train on" : "evaluate"));
}

void Model::check_xy(const TensorList& x, const TensorList& y, const char* what) const {
  const size_t outs = losses_.size();
  if (y.size() != outs)
    throw ValueError(std::string(what) + ": the model has " + std::to_string(outs) + " output(s) (" +
                     backend::join(output_names()) + ") but y has " + std::to_string(y.size()) + " array(s)");
  for (const Tensor& t : y)
    if (!t.defined() || t.rank() == 0)
      throw ValueError(std::string(what) + ": x and y need a batch axis, got y of " +
                       (t.defined() ? "shape " + t.shape().to_string() : std::string("None")));
  bool same = true;
  for (const Tensor& t : x) same &= !t.defined() || t.rank() == 0 || t.dim(0) == y[0].dim(0);
  for (const Tensor& t : y) same &= t.dim(0) == y[0].dim(0);
  if (!same) {
    auto sizes = [](const TensorList& l) {
      std::string s;
      for (const Tensor& u : l) s += (s.empty() ? "" : ", ") + (u.defined() && u.rank() ? std::to_string(u.dim(0)) : "?");
      return s;
    };
    throw ValueError("Data cardinality is ambiguous:\n  x sizes: " + sizes(x) + "\n  y sizes: " + sizes(y) +
                     "\nMake sure all arrays contain the same number of samples.");
  }
  check_x(x, what);
}

std::vector<Tensor> Model::losses() const {
  std::vector<Tensor> out = Layer::losses();
  for (const auto& l : layers()) {
    const auto ls = l->losses();
    out.insert(out.end(), ls.begin(), ls.end());
  }
  return out;
}

std::vector<Variable> Model::weights() const {
  std::vector<Variable> out;
  for (const auto& l : layers()) {
    const auto w = l->weights();
    out.insert(out.end(), w.begin(), w.end());
  }
  return out;
}

std::vector<Variable> Model::trainable_weights() const {
  std::vector<Variable> out;
  if (!trainable()) return out;
  for (const auto& l : layers()) for (const Variable& v : l->trainable_weights()) out.push_back(v);
  return out;
}

std::vector<Variable> Model::non_trainable_weights() const {
  std::vector<Variable> out;
  for (const auto& l : layers()) {
    const auto src = trainable() ? l->non_trainable_weights() : l->weights();
    out.insert(out.end(), src.begin(), src.end());
  }
  return out;
}

layers::LayerPtr Model::get_layer(const std::string& name) const {
  std::string names;
  for (const auto& l : layers()) {
    if (l->name() == name) return l;
    names += (names.empty() ? "" : ", ") + l->name();
  }
  throw ValueError("No such layer: " + name + ". Existing layers are: [" + names + "].");
}

std::vector<std::shared_ptr<metrics::Metric>> Model::metrics() const {
  std::vector<std::shared_ptr<metrics::Metric>> out;
  for (const auto& per : metric_objs_) out.insert(out.end(), per.begin(), per.end());
  return out;
}

std::vector<std::string> Model::metrics_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : metric_logs()) out.push_back(k);
  return out;
}

void Model::resolve_metrics(const TensorList& y, const TensorList& y_pred) {
  for (size_t i = 0; i < metric_names_.size(); ++i)
    if (metric_objs_[i].empty())
      for (const std::string& n : metric_names_[i]) metric_objs_[i].push_back(metrics::resolve(n, y[i].shape(), y_pred[i].shape()));
}

std::vector<Tensor> Model::mask_weights(size_t outputs) const {
  std::vector<Tensor> w(outputs);
  for (size_t i = 0; i < outputs && i < last_output_masks_.size(); ++i)
    if (last_output_masks_[i].defined()) w[i] = ops::cast(last_output_masks_[i], DType::float32);
  return w;
}

Tensor Model::compute_loss(const TensorList& y, const TensorList& y_pred, const std::vector<Tensor>& weights,
                           std::vector<double>* per_output) {
  if (y_pred.size() != losses_.size())
    throw ValueError("Model \"" + name() + "\" produced " + std::to_string(y_pred.size()) + " outputs for " +
                     std::to_string(losses_.size()) + " losses");
  resolve_metrics(y, y_pred);
  Tensor total;
  for (size_t i = 0; i < losses_.size(); ++i) {
    if (!losses_[i]) continue;  // an output without a loss (Keras's None in a loss list)
    Tensor sw = i < weights.size() ? weights[i] : Tensor();
    if (sw.defined()) {
      // Keras 2.12's apply_valid_mask: masked entries weigh 0 and the others total / valid,
      // so the loss is the mean over the unmasked entries (a fully masked batch gives 0).
      const double valid = ops::reduce_sum(sw).item();
      if (valid > 0) sw = ops::mul(sw, ops::scalar_like(double(sw.size()) / valid, sw));
    }
    Tensor l = (*losses_[i])(y[i], y_pred[i], sw);
    if (per_output) per_output->push_back(l.item());
    if (loss_weights_[i] != 1.0) l = ops::mul(l, ops::scalar_like(loss_weights_[i], l));
    total = total.defined() ? ops::add(total, l) : l;
  }
  // Keras adds the layers' regularization penalties to the total (not to per-output losses).
  for (const Tensor& p : losses()) total = ops::add(total, ops::cast(p, total.dtype()));
  return total;
}

void Model::update_metrics(const TensorList& y, const TensorList& y_pred, const std::vector<Tensor>& weights,
                           double loss, const std::vector<double>& per_output, int64_t batch) {
  loss_tracker_.update(loss, double(batch));
  for (size_t i = 0; i < output_loss_trackers_.size() && i < per_output.size(); ++i)
    output_loss_trackers_[i].update(per_output[i], double(batch));
  for (size_t i = 0; i < metric_objs_.size(); ++i)
    for (auto& m : metric_objs_[i]) m->update_state(y[i], y_pred[i], i < weights.size() ? weights[i] : Tensor());
}

Logs Model::metric_logs() const {
  Logs logs;
  logs.set("loss", loss_tracker_.result());
  for (const auto& t : output_loss_trackers_) logs.set(t.name(), t.result());
  const std::vector<std::string> outs = metric_objs_.size() > 1 ? output_names() : std::vector<std::string>{};
  for (size_t i = 0; i < metric_objs_.size(); ++i)
    for (const auto& m : metric_objs_[i]) logs.set(outs.empty() ? m->name() : outs[i] + "_" + m->name(), m->result());
  return logs;
}

void Model::reset_metrics() {
  loss_tracker_.reset_state();
  for (auto& t : output_loss_trackers_) t.reset_state();
  for (auto& per : metric_objs_)
    for (auto& m : per) m->reset_state();
}

Logs Model::train_on_batch(const TensorList& x, const TensorList& y, bool reset_metrics_) {
  check_compiled("train_on_batch");
  check_xy(x, y, "train_on_batch");
  return one_batch(reset_metrics_, [&] { return train_step(x, y); });
}

Logs Model::test_on_batch(const TensorList& x, const TensorList& y, bool reset_metrics_) {
  check_compiled("test_on_batch");
  check_xy(x, y, "test_on_batch");
  return one_batch(reset_metrics_, [&] { return test_step(x, y); });
}

Logs Model::one_batch(bool reset, const std::function<Logs()>& step) {
  // Keras's reset_metrics=True: the logs describe this batch alone.
  if (reset) reset_metrics();
  Logs logs = step();
  if (reset) reset_metrics();
  return logs;
}

TensorList Model::outputs_for(const TensorList& x, bool training) {
  if (x.size() == 1 && !takes_list()) return TensorList{(*this)(x[0], training)};
  return (*this)(static_cast<const std::vector<Tensor>&>(x), training);
}

Logs Model::train_step(const TensorList& x, const TensorList& y) {
  TensorList y_pred;
  Tensor loss;
  std::vector<double> per_output;
  std::vector<Tensor> grads;
  std::vector<Variable> vars;
  std::vector<Tensor> weights;
  {
    GradientTape tape;
    y_pred = outputs_for(x, true);
    weights = mask_weights(y_pred.size());
    loss = compute_loss(y, y_pred, weights, &per_output);
    vars = trainable_variables();
    grads = tape.gradient(optimizer_->scale_loss(loss), vars);
  }
  optimizer_->apply_loss_gradients(grads, vars);
  update_metrics(y, y_pred, weights, loss.item(), per_output, x[0].dim(0));
  return metric_logs();
}

Logs Model::test_step(const TensorList& x, const TensorList& y) {
  const TensorList y_pred = outputs_for(x, false);
  const std::vector<Tensor> weights = mask_weights(y_pred.size());
  std::vector<double> per_output;
  const Tensor loss = compute_loss(y, y_pred, weights, &per_output);
  update_metrics(y, y_pred, weights, loss.item(), per_output, x[0].dim(0));
  return metric_logs();
}

Tensor Model::predict_on_batch(const TensorList& x) {
  check_x(x, "predict_on_batch");
  const TensorList out = outputs_for(x, false);
  if (out.size() != 1)
    throw ValueError("Model \"" + name() + "\" has " + std::to_string(out.size()) + " outputs; use predict_all");
  return out[0];
}

namespace {

int64_t batch_size_of(const std::optional<int64_t>& b, const char* what) {
  const int64_t bs = b.value_or(32);
  if (bs <= 0)
    throw ValueError(std::string(what) + ": batch_size must be a positive integer, got " + std::to_string(bs));
  return bs;
}

}  // namespace

Logs Model::run_test(DataAdapter& data, int verbose, callbacks::CallbackList* cbs) {
  reset_metrics();
  std::unique_ptr<utils::Progbar> bar;
  if (verbose) bar = std::make_unique<utils::Progbar>(data.steps_per_epoch().value_or(-1), verbose);
  Logs logs;
  data.begin_epoch();
  for (int64_t s = 0;; ++s) {
    std::optional<Batch> batch = data.next();
    if (!batch) break;
    if (cbs) cbs->each([&](callbacks::Callback& c) { c.on_test_batch_begin(s, logs); });
    logs = test_step(batch->x, batch->y);
    if (cbs) cbs->each([&](callbacks::Callback& c) { c.on_test_batch_end(s, logs); });
    if (bar) bar->update(s + 1, {logs.begin(), logs.end()});
  }
  return logs;
}

std::shared_ptr<callbacks::History> Model::fit(const TensorList& x_in, const TensorList& y_in, const FitOptions& o) {
  check_compiled("fit");
  check_xy(x_in, y_in, "fit");
  const int64_t bs = batch_size_of(o.batch_size, "fit");
  if (o.epochs < 0) throw ValueError("fit: epochs must be >= 0, got " + std::to_string(o.epochs));
  if (o.validation_split < 0 || o.validation_split >= 1)
    throw ValueError("`validation_split` must be in [0, 1), got " + std::to_string(o.validation_split));
  TensorList x = x_in, y = y_in, x_val, y_val;
  if (o.validation_data) {
    x_val = o.validation_data->first;
    y_val = o.validation_data->second;
    check_xy(x_val, y_val, "fit(validation_data)");
  } else if (o.validation_split > 0) {
    // The last fraction, before any shuffling (Keras's train_validation_split).
    const int64_t n = x[0].dim(0);
    const int64_t split_at = int64_t(std::floor(double(n) * (1.0 - o.validation_split)));
    if (split_at == 0 || split_at == n)
      throw ValueError("Training data contains " + std::to_string(split_at) + " samples and validation data " +
                       std::to_string(n - split_at) + " samples after validation_split=" +
                       std::to_string(o.validation_split) + ", which is not sufficient to split.");
    x_val = take_rows(x, split_at, n);
    y_val = take_rows(y, split_at, n);
    x = take_rows(x, 0, split_at);
    y = take_rows(y, 0, split_at);
  }
  TensorLikeDataAdapter data(x, y, bs, o.shuffle);
  const int64_t steps = data.steps_per_epoch().value_or(-1);
  auto history = std::make_shared<callbacks::History>();
  std::vector<callbacks::CallbackPtr> all;
  if (o.verbose) all.push_back(std::make_shared<callbacks::ProgbarLogger>());
  all.insert(all.end(), o.callbacks.begin(), o.callbacks.end());
  all.push_back(history);
  for (callbacks::CallbackPtr& cb : callbacks::make_default_callbacks()) all.push_back(std::move(cb));
  callbacks::CallbackList cbs(all, this, {o.epochs, steps, o.verbose, data.batch_size(), data.num_samples()});
  stop_training = false;
  Logs logs;
  cbs.each([&](callbacks::Callback& c) { c.on_train_begin(logs); });
  for (int epoch = o.initial_epoch; epoch < o.epochs; ++epoch) {
    reset_metrics();
    Logs epoch_logs;
    cbs.each([&](callbacks::Callback& c) { c.on_epoch_begin(epoch, epoch_logs); });
    data.begin_epoch();
    for (int64_t s = 0;; ++s) {
      // The batch is taken first: the epoch ends where the data does, before any callback.
      std::optional<Batch> batch = data.next();
      if (!batch) break;
      Logs batch_logs;
      cbs.each([&](callbacks::Callback& c) { c.on_train_batch_begin(s, batch_logs); });
      logs = train_step(batch->x, batch->y);
      batch_logs = logs;
      cbs.each([&](callbacks::Callback& c) { c.on_train_batch_end(s, batch_logs); });
      if (stop_training) break;
    }
    epoch_logs = logs;
    if (!x_val.empty() && (epoch + 1) % std::max(1, o.validation_freq) == 0) {
      TensorLikeDataAdapter val_data(x_val, y_val, batch_size_of(o.validation_batch_size.value_or(bs), "fit"), false);
      const Logs val = run_test(val_data, 0, nullptr);
      for (const auto& [k, v] : val) epoch_logs.set("val_" + k, v);
    }
    cbs.each([&](callbacks::Callback& c) { c.on_epoch_end(epoch, epoch_logs); });
    if (stop_training) break;
  }
  cbs.each([&](callbacks::Callback& c) { c.on_train_end(logs); });
  return history;
}

Logs Model::evaluate(const TensorList& x, const TensorList& y, const EvaluateOptions& o) {
  check_compiled("evaluate");
  check_xy(x, y, "evaluate");
  const int64_t bs = batch_size_of(o.batch_size, "evaluate");
  TensorLikeDataAdapter data(x, y, bs, false);
  callbacks::CallbackList cbs(o.callbacks, this, {1, data.steps_per_epoch().value_or(-1), o.verbose});
  Logs logs;
  cbs.each([&](callbacks::Callback& c) { c.on_test_begin(logs); });
  logs = run_test(data, o.verbose, &cbs);
  cbs.each([&](callbacks::Callback& c) { c.on_test_end(logs); });
  return logs;
}

Tensor Model::predict(const TensorList& x, const PredictOptions& o) {
  TensorList out = predict_all(x, o);
  if (out.size() != 1)
    throw ValueError("Model \"" + name() + "\" has " + std::to_string(out.size()) + " outputs; use predict_all");
  return out[0];
}

TensorList Model::predict_all(const TensorList& x, const PredictOptions& o) {
  if (x.size() == 1 && x[0].defined() && x[0].rank() == 0) throw ValueError("predict: x needs a batch axis, got a scalar");
  if (x.size() == 1 && x[0].defined() && x[0].dim(0) == 0)
    throw ValueError("predict: the input is empty (shape " + x[0].shape().to_string() + ")");
  check_x(x, "predict");
  const int64_t bs = batch_size_of(o.batch_size, "predict");
  TensorLikeDataAdapter data(x, {}, bs, false);
  const int64_t steps = data.steps_per_epoch().value_or(-1);
  std::unique_ptr<utils::Progbar> bar;
  if (o.verbose) bar = std::make_unique<utils::Progbar>(steps, o.verbose);
  callbacks::CallbackList cbs(o.callbacks, this, {1, steps, o.verbose});
  Logs logs;
  cbs.each([&](callbacks::Callback& c) { c.on_predict_begin(logs); });
  std::vector<TensorList> batches;
  data.begin_epoch();
  for (int64_t s = 0;; ++s) {
    std::optional<Batch> batch = data.next();
    if (!batch) break;
    cbs.each([&](callbacks::Callback& c) { c.on_predict_batch_begin(s, logs); });
    batches.push_back(outputs_for(batch->x, false));
    cbs.each([&](callbacks::Callback& c) { c.on_predict_batch_end(s, logs); });
    if (bar) bar->update(s + 1, {});
  }
  cbs.each([&](callbacks::Callback& c) { c.on_predict_end(logs); });
  TensorList out;
  for (size_t k = 0; k < batches[0].size(); ++k) {
    std::vector<Tensor> parts;
    for (const auto& b : batches) parts.push_back(b[k]);
    out.push_back(parts.size() == 1 ? parts[0] : ops::concat(parts, 0));
  }
  return out;
}

Model::SummaryTable Model::summary_table() const {
  const auto in = model_input_shape();
  if (!in || !built())
    throw ValueError("This model has not yet been built. Build the model first by calling `build()` or by "
                     "calling the model on a batch of data.");
  SummaryTable t{{"Layer (type)", "Output Shape", "Param #"}, {29, 55, 65}, {}};
  Shape s = *in;
  for (const auto& l : layers()) {
    s = l->compute_output_shape(s);
    t.rows.push_back({l->name() + " (" + l->class_name() + ")", s.to_string(), std::to_string(l->count_params())});
  }
  return t;
}

void Model::summary(std::ostream& out) const {
  const SummaryTable t = summary_table();
  const std::vector<int>& positions = t.positions;
  const int line_length = positions.back();
  const size_t cols = positions.size();
  // Keras's print_row: a field wider than its column continues on the next line (breaking
  // after "),"-like tokens when one is in the part that fits), e.g. "max_pooling2d (MaxPooling2D" + ")".
  auto row = [&](std::vector<std::string> left) {
    auto pending = [&] { return std::any_of(left.begin(), left.end(), [](const std::string& f) { return !f.empty(); }); };
    while (pending()) {
      std::string line;
      for (size_t col = 0; col < cols; ++col) {
        const int start = col ? positions[col - 1] : 0, space = col + 1 != cols ? 2 : 0;
        size_t cutoff = size_t(positions[col] - start - space);
        std::string fit = left[col].substr(0, cutoff);
        size_t best = std::string::npos;
        for (const char* brk : {"),", "},", "],", "',"}) {
          const size_t at = fit.find(brk);
          if (at != std::string::npos) best = std::min(best, at + 2);
        }
        if (best != std::string::npos) fit = fit.substr(0, cutoff = best);
        if (col == 0) line += " ";  // Keras 2.9 indents every row by one space
        line += fit + std::string(size_t(space), ' ');
        left[col] = left[col].size() > cutoff ? left[col].substr(cutoff) : "";
        if (int(line.size()) < positions[col]) line += std::string(size_t(positions[col] - int(line.size())), ' ');
      }
      out << line << "\n";
    }
  };
  out << "Model: \"" << name() << "\"\n" << std::string(size_t(line_length), '_') << "\n";
  row(t.header);
  out << std::string(size_t(line_length), '=') << "\n";
  for (const auto& r : t.rows) {
    row(r);
    out << std::string(size_t(line_length), ' ') << "\n";
  }
  auto commas = [](int64_t v) {
    std::string d = std::to_string(v), r;
    for (size_t i = 0; i < d.size(); ++i) {
      if (i && (d.size() - i) % 3 == 0) r += ',';
      r += d[i];
    }
    return r;
  };
  int64_t trainable = 0, frozen = 0;
  for (const Variable& v : trainable_weights()) trainable += v.value().size();
  for (const Variable& v : non_trainable_weights()) frozen += v.value().size();
  out << std::string(size_t(line_length), '=') << "\n"
      << "Total params: " << commas(trainable + frozen) << "\n"
      << "Trainable params: " << commas(trainable) << "\n"
      << "Non-trainable params: " << commas(frozen) << "\n"
      << std::string(size_t(line_length), '_') << "\n";
}

void Model::save_weights(const std::string& path) const {
  std::vector<std::pair<std::string, Tensor>> named;
  for (const Variable& v : weights()) named.emplace_back(v.name(), v.value());
  utils::write_weights_file(path, named);
}

void Model::load_weights(const std::string& path) {
  const auto loaded = utils::read_weights_file(path);
  const auto w = weights();
  if (loaded.size() != w.size())
    throw ValueError("load_weights: " + path + " holds " + std::to_string(loaded.size()) +
                     " weights but model '" + name() + "' has " + std::to_string(w.size()) +
                     (built() ? "" : " (the model is not built yet: call it on data or build it first)"));
  std::vector<Tensor> values;
  for (size_t i = 0; i < w.size(); ++i) {
    if (loaded[i].second.shape() != w[i].shape())
      throw ValueError("load_weights: " + path + ": weight " + std::to_string(i) + " ('" + loaded[i].first +
                       "') has shape " + loaded[i].second.shape().to_string() + " but '" + w[i].name() +
                       "' has shape " + w[i].shape().to_string());
    values.push_back(loaded[i].second);
  }
  set_weights(values);
}

}  // namespace tb::keras
