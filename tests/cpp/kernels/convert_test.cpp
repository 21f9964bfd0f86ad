// The vectorized 16-bit float conversions agree bit for bit with the scalar reference
// (tb::float16 / tb::bfloat16, themselves tested against every f16 pattern in core).
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "tensorbox/core/dtype.h"
#include "tensorbox/kernels/cpu/simd.h"

namespace tb::kernels::cpu {
namespace {

std::vector<float> probe_values() {
  std::vector<float> v = {0.0f, -0.0f, 1.0f, -1.0f, 65504.0f, 65520.0f, 65519.99f, 1e-8f, 5.96e-8f, 6.1e-5f,
                          std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::denorm_min(),
                          3.4e38f, -3.4e38f, 1.00048828125f, 1.001953125f, 0.333333f};
  // Exact halfway points between neighbouring f16 and bf16 values: ties go to even.
  for (uint32_t h : {0x3c00u, 0x3c01u, 0x0001u, 0x7bfeu})
    v.push_back((float16::to_float(uint16_t(h)) + float16::to_float(uint16_t(h + 1))) / 2);
  for (uint32_t b : {0x3f80u, 0x3f81u, 0x0001u})
    v.push_back(bits_float(((b << 16) + (1u << 15))));
  std::mt19937 rng(7);
  std::uniform_int_distribution<uint32_t> bits;
  for (int i = 0; i < 20000; ++i) v.push_back(bits_float(bits(rng)));
  std::normal_distribution<float> normal(0.f, 100.f);
  for (int i = 0; i < 20000; ++i) v.push_back(normal(rng));
  return v;
}

TEST(Convert, Float32ToHalvesMatchesScalar) {
  const auto v = probe_values();
  std::vector<uint16_t> h(v.size()), b(v.size());
  simd::f32_to_f16(v.data(), h.data(), int64_t(v.size()));
  simd::f32_to_bf16(v.data(), b.data(), int64_t(v.size()));
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) {  // any quiet NaN will do
      EXPECT_TRUE(std::isnan(float16::to_float(h[i])));
      EXPECT_TRUE(std::isnan(bits_float(uint32_t(b[i]) << 16)));
      continue;
    }
    ASSERT_EQ(h[i], float16::from_float(v[i])) << "f16 of " << v[i] << " (index " << i << ")";
    ASSERT_EQ(b[i], bfloat16::from_float(v[i])) << "bf16 of " << v[i] << " (index " << i << ")";
  }
}

TEST(Convert, HalvesToFloat32AreExactForEveryPattern) {
  std::vector<uint16_t> all(65536);
  for (uint32_t i = 0; i < 65536; ++i) all[i] = uint16_t(i);
  std::vector<float> f(all.size()), g(all.size());
  simd::f16_to_f32(all.data(), f.data(), int64_t(all.size()));
  simd::bf16_to_f32(all.data(), g.data(), int64_t(all.size()));
  for (uint32_t i = 0; i < 65536; ++i) {
    const float want_f = float16::to_float(uint16_t(i));
    const float want_g = bits_float(i << 16);
    if (std::isnan(want_f)) EXPECT_TRUE(std::isnan(f[i]));
    else ASSERT_EQ(float_bits(f[i]), float_bits(want_f)) << i;
    if (std::isnan(want_g)) EXPECT_TRUE(std::isnan(g[i]));
    else ASSERT_EQ(float_bits(g[i]), float_bits(want_g)) << i;
  }
}

}  // namespace
}  // namespace tb::kernels::cpu
