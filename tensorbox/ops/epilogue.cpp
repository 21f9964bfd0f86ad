#include "tensorbox/ops/epilogue.h"

#include "tensorbox/kernels/cpu/elementwise.h"

namespace tb::ops {
namespace k = tb::kernels::cpu;

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
    case Epilogue::relu: return k::binary(k::BinaryOp::relu_grad, g, y);
    case Epilogue::sigmoid: return k::binary(k::BinaryOp::sigmoid_grad, g, y);
    case Epilogue::tanh: return k::binary(k::BinaryOp::tanh_grad, g, y);
    case Epilogue::none: break;
  }
  return g;
}

}  // namespace tb::ops
