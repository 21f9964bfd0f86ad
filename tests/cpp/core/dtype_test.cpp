#include "tensorbox/core/dtype.h"

#include <cmath>

#include <gtest/gtest.h>

#include "tensorbox/core/errors.h"

namespace tb {
namespace {

TEST(DType, NamesRoundTrip) {
  for (DType t : kAllDTypes) EXPECT_EQ(dtype_from_name(dtype_name(t)), t);
  EXPECT_EQ(dtype_from_name("half"), DType::float16);
  EXPECT_EQ(dtype_from_name("double"), DType::float64);
  EXPECT_EQ(dtype_size(DType::bfloat16), 2u);
}

TEST(DType, UnknownNameListsValidOnes) {
  try {
    dtype_from_name("float8");
    FAIL() << "expected InvalidArgumentError";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("float8"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("bfloat16"), std::string::npos);
  }
}

TEST(Float16, EveryBitPatternRoundTrips) {
  // to_float is exact, so from_float(to_float(h)) must give h back for every non-NaN pattern.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = float16::to_float(uint16_t(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(float16::to_float(float16::from_float(f))));
      continue;
    }
    ASSERT_EQ(float16::from_float(f), uint16_t(h)) << "pattern " << h;
  }
}

TEST(Float16, RoundsToNearestEven) {
  // 1 + 2^-11 is exactly halfway between 1 and the next float16 (1 + 2^-10): ties go to even (1).
  EXPECT_EQ(float16::from_float(1.0f + std::ldexp(1.0f, -11)), 0x3c00);
  // 1 + 3*2^-11 is halfway between 1+2^-10 (odd) and 1+2^-9 (even): goes up.
  EXPECT_EQ(float16::from_float(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_EQ(float16::from_float(65504.0f), 0x7bff);      // max finite
  EXPECT_EQ(float16::from_float(65520.0f), 0x7c00);      // rounds to inf
  EXPECT_EQ(float16::from_float(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(float16::from_float(std::ldexp(1.0f, -26)), 0x0000);  // below half of it: zero
  EXPECT_EQ(float16::from_float(-2.0f), 0xc000);
}

TEST(BFloat16, RoundsToNearestEven) {
  EXPECT_EQ(bfloat16::from_float(1.0f), 0x3f80);
  // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1).
  EXPECT_EQ(bfloat16::from_float(1.0f + std::ldexp(1.0f, -8)), 0x3f80);
  EXPECT_EQ(bfloat16::from_float(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3f82);
  EXPECT_TRUE(std::isnan(float(bfloat16(NAN))));
  EXPECT_EQ(float(bfloat16(3.0f)), 3.0f);
}

}  // namespace
}  // namespace tb
