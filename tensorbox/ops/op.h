// The hook through which ops tell gradient tapes what they computed.
//
// Every differentiable op, after computing its outputs, calls `record` with its inputs,
// outputs and a backward function (gradients of the outputs -> gradients of the inputs).
// Tapes (tensorbox/autodiff) register as Recorders. With no tape recording, `recording()`
// is one thread-local load and the op builds no closure: eager code pays nothing for autodiff.
//
//   Tensor y = kernels::cpu::unary(UnaryOp::exp, x);
//   if (recording())
//     record("Exp", {x}, {y}, [y](const Grads& g) { return Grads{mul(g[0], y)}; });
#pragma once

#include <functional>
#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::ops {

using Grads = std::vector<Tensor>;
// Receives one gradient per output (a zero tensor for outputs no gradient reached) and
// returns one per input (undefined where the input gets none, e.g. integer labels).
using BackwardFn = std::function<Grads(const Grads& output_grads)>;

class Recorder {
 public:
  virtual ~Recorder() = default;
  // Whether any input is being traced by this recorder.
  virtual bool should_record(const std::vector<Tensor>& inputs) = 0;
  virtual void record(const char* op, const std::vector<Tensor>& inputs,
                      const std::vector<Tensor>& outputs, BackwardFn backward) = 0;
};

namespace detail {
extern thread_local int t_active_recorders;
}

inline bool recording() { return detail::t_active_recorders > 0; }

// Inside a backward function: whether input i's gradient is wanted (it leads to a watched
// source). Expensive gradients (matmul, dense) skip the ones nobody asked for, e.g. the
// gradient with respect to the input batch of the first layer. True outside a tape's pass.
bool input_needs_gradient(size_t i);

// Set by a tape around each backward call; see input_needs_gradient.
class NeededInputs {
 public:
  explicit NeededInputs(const std::vector<bool>* needed);
  ~NeededInputs();

 private:
  const std::vector<bool>* saved_;
};
void push_recorder(Recorder* r);
void remove_recorder(Recorder* r);
void record(const char* op, const std::vector<Tensor>& inputs,
            const std::vector<Tensor>& outputs, BackwardFn backward);

// While alive, no op on this thread is recorded (tf.GradientTape.stop_recording and the
// backward pass itself).
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
