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

void record(const OpDef& op, std::vector<Tensor> inputs, std::vector<Tensor> outputs, Attrs attrs,
            std::vector<Tensor> saved) {
  if (t_paused) return;
  std::shared_ptr<const Node> node;
  for (size_t i = 0; i < t_recorders.size(); ++i) {
    Recorder* r = t_recorders[i];
    if (!r->should_record(node ? node->inputs : inputs)) continue;
    if (!node)
      node = std::make_shared<const Node>(Node{&op, std::move(inputs), std::move(outputs), std::move(attrs),
                                               std::move(saved)});
    r->record(node);
  }
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
