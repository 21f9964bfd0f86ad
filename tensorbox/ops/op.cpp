#include "tensorbox/ops/op.h"

#include <algorithm>

namespace tb::ops {
namespace detail {
thread_local int t_active_recorders = 0;
}
namespace {
thread_local std::vector<Recorder*> t_recorders;
thread_local int t_paused = 0;
thread_local const std::vector<bool>* t_needed = nullptr;

void refresh() { detail::t_active_recorders = t_paused ? 0 : int(t_recorders.size()); }
}  // namespace

void push_recorder(Recorder* r) {
  t_recorders.push_back(r);
  refresh();
}

void remove_recorder(Recorder* r) {
  t_recorders.erase(std::remove(t_recorders.begin(), t_recorders.end(), r), t_recorders.end());
  refresh();
}

void record(const char* op, const std::vector<Tensor>& inputs,
            const std::vector<Tensor>& outputs, BackwardFn backward) {
  if (t_paused) return;
  for (Recorder* r : t_recorders)
    if (r->should_record(inputs)) r->record(op, inputs, outputs, backward);
}

bool input_needs_gradient(size_t i) { return !t_needed || i >= t_needed->size() || (*t_needed)[i]; }

NeededInputs::NeededInputs(const std::vector<bool>* needed) : saved_(t_needed) { t_needed = needed; }
NeededInputs::~NeededInputs() { t_needed = saved_; }

PauseRecording::PauseRecording() : saved_(t_paused) {
  ++t_paused;
  refresh();
}
PauseRecording::~PauseRecording() {
  t_paused = saved_;
  refresh();
}

}  // namespace tb::ops
