// The one-row matmul (batch-1 inference) takes the streaming GEMV path for float32 when the
// weights are large enough: it must agree with a float64 reference, with and without bias and
// activation, a transposed row, widths that are not a multiple of the vector length, depths not
// a multiple of 4, and on several threads (column blocks).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "tensorbox/core/random.h"
#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/matmul.h"

namespace tb::kernels::cpu {
namespace {

void expect_gemv_matches(int64_t K, int64_t N, bool with_bias, Epilogue epilogue, bool transposed_row) {
  random::set_seed(uint64_t(K * 131 + N));
  const Tensor a = random::uniform(transposed_row ? Shape{K, 1} : Shape{1, K}, -1, 1);
  const Tensor b = random::uniform({K, N}, -1, 1);
  const Tensor bias = random::uniform({N}, -1, 1);
  const Tensor c = matmul(a, b, transposed_row, false, with_bias ? &bias : nullptr, epilogue);
  ASSERT_EQ(c.shape(), Shape({1, N}));
  for (int64_t j = 0; j < N; ++j) {
    double ref = with_bias ? bias.element(j) : 0.0, mag = std::fabs(ref);
    for (int64_t k = 0; k < K; ++k) {
      ref += double(a.element(k)) * double(b.element(k * N + j));
      mag += std::fabs(double(a.element(k)) * double(b.element(k * N + j)));
    }
    if (epilogue == Epilogue::relu) ref = std::max(ref, 0.0);
    if (epilogue == Epilogue::tanh) ref = std::tanh(ref);
    // float32 accumulation over K terms: error bounded by K * eps * sum |terms|.
    EXPECT_NEAR(c.element(j), ref, 1e-6 * mag + 1e-6) << "K=" << K << " N=" << N << " column " << j;
  }
}

TEST(MatmulGemv, MatchesFloat64Reference) {
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    expect_gemv_matches(784, 1024, true, Epilogue::relu, false);   // the reference MLP's first layer
    expect_gemv_matches(1024, 10 * 16 + 3, true, Epilogue::none, false);
    expect_gemv_matches(1023, 77, false, Epilogue::none, false);   // K not a multiple of 4, N of the vector
    expect_gemv_matches(300, 1000, true, Epilogue::tanh, true);    // a transposed row
    expect_gemv_matches(129, 513, false, Epilogue::relu, false);
  }
  set_num_threads(2);
}

}  // namespace
}  // namespace tb::kernels::cpu
