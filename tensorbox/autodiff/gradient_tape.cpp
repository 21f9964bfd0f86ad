#include "tensorbox/autodiff/gradient_tape.h"

#include "tensorbox/ops/math_ops.h"

namespace tb {

GradientTape::GradientTape(bool persistent, bool watch_accessed_variables)
    : persistent_(persistent), watch_variables_(watch_accessed_variables) {
  ops::push_recorder(this);
}

GradientTape::~GradientTape() { stop_recording(); }

void GradientTape::stop_recording() {
  if (recording_) ops::remove_recorder(this);
  recording_ = false;
}

void GradientTape::watch(const Tensor& t) {
  if (!is_floating(t.dtype()))
    throw InvalidArgumentError("GradientTape.watch: only floating tensors can be watched, got " +
                               std::string(dtype_name(t.dtype())));
  watched_.insert(t.id());
}

bool GradientTape::should_record(const std::vector<Tensor>& inputs) {
  bool any = false;
  for (const Tensor& t : inputs) {
    if (!t.defined()) continue;
    if (watched_.count(t.id())) any = true;
    else if (watch_variables_ && t.is_trainable_variable()) {
      watched_.insert(t.id());
      any = true;
    }
  }
  return any;
}

void GradientTape::record(const std::shared_ptr<const Node>& node) {
  Entry e{node, {}};
  for (const Tensor& t : node->inputs) e.traced.push_back(t.defined() && watched_.count(t.id()) > 0);
  for (const Tensor& t : node->outputs) watched_.insert(t.id());
  entries_.push_back(std::move(e));
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Tensor>& sources,
                                           const Tensor& output_gradient) {
  if (used_ && !persistent_)
    throw FailedPreconditionError(
        "A non-persistent GradientTape can only be used to compute one set of gradients (or "
        "jacobians)");
  if (!persistent_) stop_recording();
  used_ = true;
  // The backward pass is not paused: tapes still recording (outer ones, or this one if it is
  // persistent) record its ops, as TensorFlow's do. Entries it appends to this tape come after
  // `end` and are not walked now.
  const size_t end = entries_.size();

  std::unordered_map<uint64_t, Tensor> grads;
  if (output_gradient.defined()) {
    if (output_gradient.shape() != target.shape())
      throw InvalidArgumentError("GradientTape.gradient: output_gradients of shape " +
                                 output_gradient.shape().to_string() +
                                 " does not match the target of shape " +
                                 target.shape().to_string());
    grads[target.id()] = output_gradient;
  } else {
    grads[target.id()] = ops::ones_like(target);
  }
  for (size_t k = end; k-- > 0;) {
    // Copies: recording may grow entries_ while this entry's rule runs.
    const std::shared_ptr<const Node> node = entries_[k].node;
    const std::vector<bool> traced = entries_[k].traced;
    bool reached = false;
    Grads out_grads;
    for (const Tensor& o : node->outputs) {
      auto g = grads.find(o.id());
      reached |= g != grads.end();
      out_grads.push_back(g != grads.end() ? g->second : Tensor());
    }
    if (!reached) continue;
    if (!node->op->grad)
      throw LookupError(std::string("No gradient defined for operation '") + node->op->name + "' (op type: " +
                        node->op->name + ")");
    for (size_t i = 0; i < out_grads.size(); ++i)
      if (!out_grads[i].defined()) out_grads[i] = ops::zeros_like(node->outputs[i]);
    Grads in_grads;
    {
      ops::NeededInputs needed(&traced);
      in_grads = node->op->grad(*node, out_grads);
    }
    for (size_t i = 0; i < node->inputs.size() && i < in_grads.size(); ++i) {
      // Only inputs that lead to watched tensors collect gradients (a frozen variable in a
      // product gets none).
      if (!in_grads[i].defined() || !node->inputs[i].defined() || !traced[i]) continue;
      auto [slot, fresh] = grads.try_emplace(node->inputs[i].id(), in_grads[i]);
      if (!fresh) slot->second = ops::add(slot->second, in_grads[i]);
    }
  }
  std::vector<Tensor> result;
  for (const Tensor& s : sources) {
    auto g = grads.find(s.id());
    result.push_back(g != grads.end() ? g->second : Tensor());
  }
  if (!persistent_) entries_.clear();
  return result;
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Variable>& sources,
                                           const Tensor& output_gradient) {
  std::vector<Tensor> values;
  for (const Variable& v : sources) values.push_back(v.value());
  return gradient(target, values, output_gradient);
}

}  // namespace tb
