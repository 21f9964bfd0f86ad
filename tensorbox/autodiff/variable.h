// Variable: a named, mutable tensor that training updates in place (tf.Variable).
//
// A Variable's value keeps one identity across assigns, so a GradientTape can ask for
// gradients with respect to it. Trainable variables are watched by tapes automatically.
// Copies of a Variable share the same state (like Python references).
//
//   tb::Variable w(tb::random::normal({784, 10}), "dense/kernel:0");
//   w.assign_add(delta);
//   tb::Tensor v = w.value();      // use in ops
#pragma once

#include <memory>
#include <string>

#include "tensorbox/core/tensor.h"

namespace tb {

class Variable {
 public:
  Variable() = default;
  explicit Variable(const Tensor& initial_value, std::string name = "Variable",
                    bool trainable = true);

  bool defined() const { return state_ != nullptr; }
  // The live value: the same tensor identity for the variable's whole life.
  const Tensor& value() const;
  operator const Tensor&() const { return value(); }  // NOLINT: use a variable where a tensor goes
  const std::string& name() const;
  bool trainable() const;
  void set_trainable(bool trainable);
  const Shape& shape() const { return value().shape(); }
  DType dtype() const { return value().dtype(); }

  // Writes new values; the shape and dtype must match (tf.Variable.assign with validate_shape).
  void assign(const Tensor& value);
  void assign_add(const Tensor& delta);
  void assign_sub(const Tensor& delta);
  // A snapshot copy of the current value (what tf.Variable.numpy() returns).
  Tensor read_value() const { return value().clone(); }
  bool same_as(const Variable& o) const { return state_ == o.state_; }

 private:
  struct State {
    Tensor value;
    std::string name;
    bool trainable;
  };
  std::shared_ptr<State> state_;
  void check_compatible(const Tensor& t, const char* op) const;
};

}  // namespace tb
