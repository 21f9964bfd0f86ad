#include "tensorbox/ops/epilogue.h"

#include "tensorbox/ops/math_ops.h"

namespace tb::ops {

Epilogue epilogue_of(const std::string& act, const std::string& layer) {
  if (act.empty() || act == "linear") return Epilogue::none;
  if (act == "relu") return Epilogue::relu;
  if (act == "sigmoid") return Epilogue::sigmoid;
  if (act == "tanh") return Epilogue::tanh;
  throw ValueError("Layer '" + layer + "': activation '" + act +
                   "' cannot be fused; apply it after (valid: linear, relu, sigmoid, tanh)");
}

Tensor epilogue_grad(Epilogue e, const Tensor& g, const Tensor& y) {
  switch (e) {
    case Epilogue::relu: return relu_grad(g, y);  // y > 0 exactly where the pre-activation is
    case Epilogue::sigmoid: return sigmoid_grad(g, y);
    case Epilogue::tanh: return tanh_grad(g, y);
    case Epilogue::none: break;
  }
  return g;
}

}  // namespace tb::ops
