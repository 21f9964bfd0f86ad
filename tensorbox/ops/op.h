// The hook through which ops tell gradient tapes what they computed.
//
// Every differentiable op, after computing its outputs, calls `record` with its definition
// (core/node.h: name and gradient rule), inputs, outputs and attributes. Tapes
// (tensorbox/autodiff) register as Recorders and keep the Node; the gradient is the OpDef's rule
// applied to it, made of ops, so a tape that is recording while another computes a gradient
// records the backward pass too (higher-order gradients). With no tape recording,
// `recording()` is one thread-local load and the op builds no node: eager code pays nothing.
//
//   Tensor y = kernels::cpu::unary(UnaryOp::exp, x);
//   if (recording()) record(kExp, {x}, {y});   // kExp's rule: {mul(g[0], node.outputs[0])}
#pragma once

#include <memory>
#include <vector>

#include "tensorbox/core/node.h"
#include "tensorbox/core/tensor.h"

namespace tb::ops {

using tb::Grads;

class Recorder {
 public:
  virtual ~Recorder() = default;
  // Whether any input is being traced by this recorder.
  virtual bool should_record(const std::vector<Tensor>& inputs) = 0;
  virtual void record(const std::shared_ptr<const Node>& node) = 0;
};

namespace detail {
extern thread_local int t_active_recorders;
}

inline bool recording() { return detail::t_active_recorders > 0; }

// Inside a gradient rule: whether input i's gradient is wanted (it leads to a watched
// source). Expensive gradients (matmul, dense) skip the ones nobody asked for, e.g. the
// gradient with respect to the input batch of the first layer. True outside a tape's pass.
bool input_needs_gradient(size_t i);

// Set by a tape around each gradient rule it applies; see input_needs_gradient.
class NeededInputs {
 public:
  explicit NeededInputs(const std::vector<bool>* needed);
  ~NeededInputs();

 private:
  const std::vector<bool>* saved_;
};
void push_recorder(Recorder* r);
void remove_recorder(Recorder* r);
// Hands the node to every recorder that traces one of its inputs (built only if one does).
void record(const OpDef& op, std::vector<Tensor> inputs, std::vector<Tensor> outputs, Attrs attrs = {},
            std::vector<Tensor> saved = {});

// While alive, no op on this thread is recorded (tf.GradientTape.stop_recording).
class PauseRecording {
 public:
  PauseRecording();
  ~PauseRecording();
  PauseRecording(const PauseRecording&) = delete;
  PauseRecording& operator=(const PauseRecording&) = delete;

 private:
  int saved_;
};

}  // namespace tb::ops
