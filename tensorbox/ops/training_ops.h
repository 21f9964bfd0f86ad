// Fused optimizer updates: one pass over memory per variable, in place, never recorded on a
// tape. The formulas are TensorFlow's kernels (ResourceApplyAdam, ResourceApplyKerasMomentum,
// RMSProp, AdagradV2), see keras-facts.md 1.3-1.5. Slots have the variable's shape and dtype.
//
//   tb::ops::apply_adam(kernel, m, v, nullptr, grad, {.lr = 1e-3}, /*step=*/1);
#pragma once

#include <vector>

#include "tensorbox/core/tensor.h"

namespace tb::ops {

struct AdamHyper {
  double lr = 1e-3, beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-7;
  double weight_decay = 0.0;  // AdamW's decoupled decay (var -= lr * wd * var first)
  double grad_scale = 1.0;    // the update uses grad * grad_scale (computed in the grad's dtype)
};
// step = iterations + 1 (Keras's t). vhat is non-null for amsgrad.
void apply_adam(Tensor& var, Tensor& m, Tensor& v, Tensor* vhat, const Tensor& grad,
                const AdamHyper& h, int64_t step);
// momentum == 0: var -= lr * g (mom may be null). Otherwise Keras momentum / Nesterov.
void apply_sgd(Tensor& var, Tensor* mom, const Tensor& grad, double lr, double momentum,
               bool nesterov);
struct RmspropHyper {
  double lr = 1e-3, rho = 0.9, momentum = 0.0, epsilon = 1e-7;
  bool centered = false;
};
// mom is non-null iff momentum > 0, mg non-null iff centered.
void apply_rmsprop(Tensor& var, Tensor& rms, Tensor* mom, Tensor* mg, const Tensor& grad,
                   const RmspropHyper& h);
void apply_adagrad(Tensor& var, Tensor& accum, const Tensor& grad, double lr, double epsilon);
// Whether every element of every defined floating tensor is finite (no Inf, no NaN): dynamic loss
// scaling's check of the gradients, one pass over each.
bool all_finite(const std::vector<Tensor>& tensors);

}  // namespace tb::ops
