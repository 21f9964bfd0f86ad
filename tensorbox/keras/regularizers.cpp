#include "tensorbox/keras/regularizers.h"

#include "tensorbox/keras/backend.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/reduce_ops.h"

namespace tb::keras::regularizers {

Regularizer::Regularizer(std::string class_name, double l1, double l2)
    : class_name_(std::move(class_name)), l1_(l1), l2_(l2) {
  if (!(l1 >= 0) || !(l2 >= 0))
    throw ValueError("Value of the regularization factors must be non-negative, got l1=" + std::to_string(l1) +
                     ", l2=" + std::to_string(l2));
}

Tensor Regularizer::operator()(const Tensor& x) const {
  Tensor total = Tensor::zeros({}, x.dtype());
  if (l1_ != 0) total = ops::add(total, ops::mul(ops::scalar_like(l1_, x), ops::reduce_sum(ops::abs(x))));
  if (l2_ != 0) total = ops::add(total, ops::mul(ops::scalar_like(l2_, x), ops::reduce_sum(ops::square(x))));
  return total;
}

nlohmann::ordered_json Regularizer::get_config() const {
  nlohmann::ordered_json c = nlohmann::ordered_json::object();
  if (class_name_ != "L2") c["l1"] = l1_;
  if (class_name_ != "L1") c["l2"] = l2_;
  return {{"class_name", class_name_}, {"config", c}};
}

Regularizer L1(double l1) { return Regularizer("L1", l1, 0.0); }
Regularizer L2(double l2) { return Regularizer("L2", 0.0, l2); }
Regularizer L1L2(double l1, double l2) { return Regularizer("L1L2", l1, l2); }

Regularizer get(const std::string& name) {
  const std::string n = backend::to_snake_case(name);
  if (n == "l1") return L1();
  if (n == "l2") return L2();
  if (n == "l1_l2") return L1L2(0.01, 0.01);  // Keras's l1_l2() defaults
  if (name == "L1L2") return L1L2();
  throw ValueError("Unknown regularizer: '" + name + "'. Valid regularizers: l1, l2, l1_l2");
}

std::optional<Regularizer> from_config(const nlohmann::ordered_json& c) {
  if (c.is_null()) return std::nullopt;
  if (c.is_string()) return get(c.get<std::string>());
  if (!c.is_object() || !c.contains("class_name"))
    throw ValueError("Could not interpret regularizer identifier: " + c.dump());
  const std::string cls = c["class_name"].get<std::string>();
  const nlohmann::ordered_json cfg = c.value("config", nlohmann::ordered_json::object());
  if (cls == "L1") return L1(cfg.value("l1", 0.01));
  if (cls == "L2") return L2(cfg.value("l2", 0.01));
  if (cls == "L1L2") return L1L2(cfg.value("l1", 0.0), cfg.value("l2", 0.0));
  return get(cls);
}

nlohmann::ordered_json serialize(const std::optional<Regularizer>& r) { return r ? r->get_config() : nlohmann::ordered_json(nullptr); }

}  // namespace tb::keras::regularizers
