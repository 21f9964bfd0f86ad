#include "tensorbox/ops/training_ops.h"

#include <array>
#include <atomic>
#include <cmath>

#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/simd.h"
#include "tensorbox/ops/math_ops.h"

namespace tb::ops {
namespace simd = tb::kernels::cpu::simd;

namespace {

void check(const char* who, const Tensor& var, const Tensor& slot_or_grad, const char* what) {
  if (slot_or_grad.shape() != var.shape() || slot_or_grad.dtype() != var.dtype())
    throw InvalidArgumentError(std::string(who) + ": " + what + " of shape " +
                               slot_or_grad.shape().to_string() + " and dtype " +
                               std::string(dtype_name(slot_or_grad.dtype())) +
                               " does not match the variable of shape " +
                               var.shape().to_string() + " and dtype " +
                               std::string(dtype_name(var.dtype())));
  if (!is_floating(var.dtype()))
    throw InvalidArgumentError(std::string(who) + ": variables must be floating, got " +
                               std::string(dtype_name(var.dtype())));
}

// Applies f(var, slots) elementwise in double: float64 variables and the optimizers without
// a SIMD kernel. `others` holds at most four tensors (null entries read as 0).
template <class F>
void generic(Tensor& var, std::initializer_list<Tensor*> others, F&& f) {
  visit_dtype(var.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<compute_t<T>>) {
      std::vector<T*> p;  // at most 4 (checked by the callers' signatures)
      for (Tensor* t : others) p.push_back(t ? static_cast<T*>(t->raw_data()) : nullptr);
      T* pv = static_cast<T*>(var.raw_data());
      for (int64_t i = 0, n = var.size(); i < n; ++i) {
        std::array<double, 4> s{};
        for (size_t k = 0; k < p.size(); ++k) s[k] = p[k] ? double(load_c(p[k][i])) : 0.0;
        double w = double(load_c(pv[i]));
        f(w, s);
        pv[i] = store_c<T>(compute_t<T>(w));
        for (size_t k = 0; k < p.size(); ++k)
          if (p[k]) p[k][i] = store_c<T>(compute_t<T>(s[k]));
      }
    }
  });
}

}  // namespace

void apply_adam(Tensor& var, Tensor& m, Tensor& v, Tensor* vhat, const Tensor& grad,
                const AdamHyper& h, int64_t step) {
  check("apply_adam", var, grad, "gradient");
  check("apply_adam", var, m, "slot m");
  check("apply_adam", var, v, "slot v");
  if (vhat) check("apply_adam", var, *vhat, "slot vhat");
  const double t = double(step);
  const double alpha = h.lr * std::sqrt(1.0 - std::pow(h.beta_2, t)) / (1.0 - std::pow(h.beta_1, t));
  const double lr_wd = h.lr * h.weight_decay;
  if (var.dtype() == DType::float32) {
    float* pv = var.data<float>();
    float* pm = m.data<float>();
    float* ps = v.data<float>();
    float* ph = vhat ? vhat->data<float>() : nullptr;
    const float* pg = grad.data<float>();
    parallel_for(var.size(), [&](int64_t b, int64_t e) {
      const int64_t n = e - b;
      simd::adam_f32(pv + b, pm + b, ps + b, ph ? ph + b : nullptr, pg + b, n, float(alpha),
                      float(h.beta_1), float(h.beta_2), float(h.epsilon), float(lr_wd), float(h.grad_scale));
    });
    return;
  }
  Tensor g = h.grad_scale == 1.0 ? grad : mul(grad, Tensor::scalar(h.grad_scale, grad.dtype()));
  generic(var, {&m, &v, vhat, &g}, [&](double& w, std::array<double, 4>& s) {
    w -= lr_wd * w;
    s[0] += (s[3] - s[0]) * (1 - h.beta_1);
    s[1] += (s[3] * s[3] - s[1]) * (1 - h.beta_2);
    double den = s[1];
    if (vhat) den = s[2] = std::max(s[2], s[1]);
    w -= alpha * s[0] / (std::sqrt(den) + h.epsilon);
  });
}

void apply_sgd(Tensor& var, Tensor* mom, const Tensor& grad, double lr, double momentum,
               bool nesterov) {
  check("apply_sgd", var, grad, "gradient");
  if (momentum != 0.0) {
    if (!mom) throw InternalError("apply_sgd: momentum > 0 needs a momentum slot");
    check("apply_sgd", var, *mom, "slot momentum");
  }
  if (var.dtype() == DType::float32) {
    float* pv = var.data<float>();
    float* pm = momentum != 0.0 ? mom->data<float>() : nullptr;
    const float* pg = grad.data<float>();
    parallel_for(var.size(), [&](int64_t b, int64_t e) {
      const int64_t n = e - b;
      simd::sgd_f32(pv + b, pm ? pm + b : nullptr, pg + b, n, float(lr), float(momentum), nesterov);
    });
    return;
  }
  Tensor g = grad;
  generic(var, {momentum != 0.0 ? mom : nullptr, &g}, [&](double& w, std::array<double, 4>& s) {
    if (momentum == 0.0) { w -= lr * s[1]; return; }
    s[0] = momentum * s[0] - lr * s[1];
    w += nesterov ? momentum * s[0] - lr * s[1] : s[0];
  });
}

void apply_rmsprop(Tensor& var, Tensor& rms, Tensor* mom, Tensor* mg, const Tensor& grad,
                   const RmspropHyper& h) {
  check("apply_rmsprop", var, grad, "gradient");
  check("apply_rmsprop", var, rms, "slot rms");
  Tensor g = grad;
  generic(var, {&rms, mom, mg, &g}, [&](double& w, std::array<double, 4>& s) {
    const double gi = s[3];
    s[0] = h.rho * s[0] + (1 - h.rho) * gi * gi;
    double denom = s[0];
    if (h.centered) {
      s[2] = h.rho * s[2] + (1 - h.rho) * gi;
      denom = s[0] - s[2] * s[2];
    }
    if (h.momentum > 0) {  // TF's ApplyRMSProp kernel: epsilon inside the sqrt
      s[1] = h.momentum * s[1] + h.lr * gi / std::sqrt(denom + h.epsilon);
      w -= s[1];
    } else {               // Keras's Python path: epsilon outside
      w -= h.lr * gi / (std::sqrt(denom) + h.epsilon);
    }
  });
}

void apply_adagrad(Tensor& var, Tensor& accum, const Tensor& grad, double lr, double epsilon) {
  check("apply_adagrad", var, grad, "gradient");
  check("apply_adagrad", var, accum, "slot accumulator");
  Tensor g = grad;
  generic(var, {&accum, &g}, [&](double& w, std::array<double, 4>& s) {
    s[0] += s[1] * s[1];
    w -= lr * s[1] / (std::sqrt(s[0]) + epsilon);
  });
}

bool all_finite(const std::vector<Tensor>& tensors) {
  for (const Tensor& t : tensors) {
    if (!t.defined() || !is_floating(t.dtype())) continue;
    const Tensor f = t.dtype() == DType::float32 ? t : cast(t, DType::float32);
    const float* p = f.data<float>();
    std::atomic<bool> finite{true};
    parallel_for(f.size(), [&](int64_t b, int64_t e) {
      if (!simd::all_finite_f32(p + b, e - b)) finite.store(false, std::memory_order_relaxed);
    });
    if (!finite) return false;
  }
  return true;
}

}  // namespace tb::ops
