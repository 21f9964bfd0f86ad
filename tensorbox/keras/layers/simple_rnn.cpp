#include "tensorbox/keras/layers/simple_rnn.h"

#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

std::vector<Tensor> SimpleRNN::step(const Tensor& x, const Tensor& dropped_h, const std::vector<Tensor>&,
                                    const std::vector<Tensor>& weights) {
  return {act_(ops::add(x, ops::matmul(dropped_h, weights[0])))};
}

std::shared_ptr<SimpleRNN> SimpleRNN::from_config(const nlohmann::ordered_json& c) {
  return from_rnn_config<SimpleRNN>(c, "SimpleRNN", [](ConfigReader&, RNNOptions&) {});
}

TB_REGISTER_LAYER(SimpleRNN);

}  // namespace tb::keras::layers
