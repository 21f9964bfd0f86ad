// Gradient check for layers and models: the tape's gradient of a scalar float64 loss against
// central finite differences, perturbing each source element in place (sources are float64
// tensors the loss reads: inputs, or a layer's variables).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tensorbox/autodiff/gradient_tape.h"
#include "tests/cpp/testing/reference.h"

namespace tb::testing {

inline void expect_gradients_match_finite_differences(const std::function<Tensor()>& loss, std::vector<Tensor> sources,
                                                      double tol, const std::string& what) {
  std::vector<Tensor> analytic;
  {
    GradientTape tape;
    for (const Tensor& s : sources) tape.watch(s);
    analytic = tape.gradient(loss(), sources);
  }
  for (size_t k = 0; k < sources.size(); ++k) {
    double* p = sources[k].data<double>();
    std::vector<double> numeric;
    for (int64_t j = 0; j < sources[k].size(); ++j) {
      const double orig = p[j];
      p[j] = orig + 1e-6;
      const double lp = loss().item();
      p[j] = orig - 1e-6;
      const double lm = loss().item();
      p[j] = orig;
      numeric.push_back((lp - lm) / 2e-6);
    }
    ASSERT_TRUE(analytic[k].defined()) << what << ": no gradient for source " << k;
    expect_close(values(analytic[k]), numeric, tol, what + " source " + std::to_string(k));
  }
}

}  // namespace tb::testing
