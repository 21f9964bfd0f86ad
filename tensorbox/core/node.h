// Ops as data: an op's definition (OpDef) and one application of it (Node).
//
// An OpDef is registered once, beside the op it defines (tensorbox/ops): TensorFlow's name and
// the op's gradient rule, written in terms of other ops, so that the backward pass is itself
// made of recorded ops and can be differentiated again. A Node is what a call of the op leaves
// behind for the tape (and, later, a graph): the definition, the inputs and outputs, the
// attributes (axes, transposes, padding, ...) and any tensors the forward computed for the
// gradient (a pooling argmax, a fused loss's backprop).
//
//   std::vector<Tensor> add_grad(const Node& n, const std::vector<Tensor>& g) {
//     return {unbroadcast(g[0], n.inputs[0].shape()), unbroadcast(g[0], n.inputs[1].shape())};
//   }
//   TB_DEFINE_OP(kAddV2, "AddV2", add_grad);   // const OpDef kAddV2, registered
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tensorbox/core/errors.h"
#include "tensorbox/core/tensor.h"

namespace tb {

using AttrValue = std::variant<bool, int64_t, double, DType, std::vector<int64_t>, Shape, std::string>;

// An op's attributes by name, in the order the op sets them (few per op: a small vector).
class Attrs {
 public:
  Attrs() = default;
  Attrs(std::initializer_list<std::pair<const char*, AttrValue>> items) : items_(items) {}

  // The attribute's value as T; InternalError naming the attribute if it is missing or of
  // another type (an op and its gradient rule disagree: a bug).
  template <class T>
  const T& get(std::string_view name) const {
    for (const auto& [n, v] : items_)
      if (name == n) {
        if (const T* p = std::get_if<T>(&v)) return *p;
        throw InternalError("attribute '" + std::string(name) + "' has another type than asked for");
      }
    throw InternalError("no attribute '" + std::string(name) + "'");
  }
  void add(const char* name, AttrValue value) { items_.emplace_back(name, std::move(value)); }
  bool has(std::string_view name) const {
    for (const auto& item : items_)
      if (name == item.first) return true;
    return false;
  }
  const std::vector<std::pair<const char*, AttrValue>>& items() const { return items_; }

 private:
  std::vector<std::pair<const char*, AttrValue>> items_;
};

struct Node;
using Grads = std::vector<Tensor>;
// Gradients of the outputs (a zero tensor where none arrived) -> gradients of the inputs
// (undefined where an input gets none, e.g. integer labels). Written in ops only.
using GradFn = Grads (*)(const Node& node, const Grads& output_grads);

struct OpDef {
  const char* name;       // TensorFlow's op name: "AddV2", "BatchMatMulV3", "Conv2D"
  GradFn grad = nullptr;  // null: the op has no gradient (differentiating through it is an error)
};

struct Node {
  const OpDef* op = nullptr;
  std::vector<Tensor> inputs;
  std::vector<Tensor> outputs;
  Attrs attrs;
  std::vector<Tensor> saved;  // what the forward kept for the gradient rule
};

// The registry of every op, by name. Registration happens before main (TB_REGISTER_OP); a
// second OpDef under a taken name is a bug and stops start-up with the name.
void register_op(const OpDef& def);
const OpDef* find_op(std::string_view name);
std::vector<const OpDef*> registered_ops();

struct OpRegistration {
  explicit OpRegistration(const OpDef& def) { register_op(def); }
};

#define TB_OP_CONCAT_INNER(a, b) a##b
#define TB_OP_CONCAT(a, b) TB_OP_CONCAT_INNER(a, b)
#define TB_REGISTER_OP(def) static const ::tb::OpRegistration TB_OP_CONCAT(tb_op_registration_, __LINE__)(def)
// Defines `const OpDef var{name, grad}` in this file and registers it.
#define TB_DEFINE_OP(var, name, grad) \
  const ::tb::OpDef var{name, grad};  \
  TB_REGISTER_OP(var)

}  // namespace tb
