// GradientTape: records the ops run on watched tensors and computes gradients by
// reverse-mode differentiation (tf.GradientTape).
//
// Recording starts when the tape is made and stops at stop_recording(), at the first
// gradient() call of a non-persistent tape, or when the tape is destroyed. The tape keeps the
// nodes of the ops it saw (core/node.h) and computes gradients by applying each op's gradient
// rule, which is made of ops: a tape that is still recording (an outer tape, or this one if
// persistent) records that backward pass too, so gradients of gradients work as in TensorFlow. Trainable
// variables are watched automatically (watch_accessed_variables). Sources the target does
// not depend on get an undefined Tensor (Python None), as in TensorFlow.
//
//   tb::GradientTape tape;
//   tb::Tensor loss = tb::ops::reduce_mean(tb::ops::square(w.value() * x - y));
//   auto grads = tape.gradient(loss, {w});   // one Tensor per variable
//
//   tb::GradientTape outer;                  // a second derivative
//   outer.watch(x);
//   tb::Tensor dy_dx;
//   { tb::GradientTape inner; inner.watch(x); dy_dx = inner.gradient(f(x), {x})[0]; }
//   tb::Tensor d2y_dx2 = outer.gradient(dy_dx, {x})[0];
#pragma once

#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tensorbox/autodiff/variable.h"
#include "tensorbox/ops/op.h"

namespace tb {

class GradientTape : public ops::Recorder {
 public:
  explicit GradientTape(bool persistent = false, bool watch_accessed_variables = true);
  ~GradientTape() override;
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  void watch(const Tensor& t);
  void watch(const Variable& v) { watch(v.value()); }
  void stop_recording();
  bool is_recording() const { return recording_; }

  // d(sum of target) / d(source) for each source; `output_gradient` (same shape as target)
  // replaces the implicit ones if given.
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Tensor>& sources,
                               const Tensor& output_gradient = Tensor());
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Variable>& sources,
                               const Tensor& output_gradient = Tensor());

  bool should_record(const std::vector<Tensor>& inputs) override;
  void record(const std::shared_ptr<const Node>& node) override;

 private:
  struct Entry {
    std::shared_ptr<const Node> node;
    std::vector<bool> traced;  // which inputs were watched or derived from watched tensors
  };
  bool persistent_;
  bool watch_variables_;
  bool recording_ = true;
  bool used_ = false;
  std::unordered_set<uint64_t> watched_;
  std::vector<Entry> entries_;
};

}  // namespace tb
