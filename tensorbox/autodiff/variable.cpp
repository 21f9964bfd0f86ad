#include "tensorbox/autodiff/variable.h"

#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/op.h"

namespace tb {

Variable::Variable(const Tensor& initial_value, std::string name, bool trainable)
    : state_(std::make_shared<State>(State{initial_value.clone(), std::move(name), trainable})) {
  state_->value.impl().trainable_variable = trainable;
}

const Tensor& Variable::value() const {
  if (!state_) throw FailedPreconditionError("use of an uninitialized Variable");
  return state_->value;
}
const std::string& Variable::name() const {
  if (!state_) throw FailedPreconditionError("use of an uninitialized Variable");
  return state_->name;
}
bool Variable::trainable() const { return state_ && state_->trainable; }
void Variable::set_trainable(bool trainable) {
  value();
  state_->trainable = trainable;
  state_->value.impl().trainable_variable = trainable;
}

void Variable::check_compatible(const Tensor& t, const char* op) const {
  if (t.shape() != shape() || t.dtype() != dtype())
    throw InvalidArgumentError(std::string(op) + " on variable '" + name() + "' of shape " +
                               shape().to_string() + " and dtype " +
                               std::string(dtype_name(dtype())) + " got a value of shape " +
                               t.shape().to_string() + " and dtype " +
                               std::string(dtype_name(t.dtype())));
}

void Variable::assign(const Tensor& v) {
  check_compatible(v, "assign");
  state_->value.copy_from(v);
}

void Variable::assign_add(const Tensor& delta) {
  check_compatible(delta, "assign_add");
  ops::PauseRecording pause;
  state_->value.copy_from(ops::add(state_->value, delta));
}

void Variable::assign_sub(const Tensor& delta) {
  check_compatible(delta, "assign_sub");
  ops::PauseRecording pause;
  state_->value.copy_from(ops::sub(state_->value, delta));
}

}  // namespace tb
