#include "tensorbox/core/shape.h"
#include "tensorbox/core/tensor.h"

#include <gtest/gtest.h>

#include "tensorbox/core/errors.h"

namespace tb {
namespace {

TEST(Shape, Basics) {
  Shape s{2, 3, 4};
  EXPECT_EQ(s.rank(), 3);
  EXPECT_EQ(s.num_elements(), 24);
  EXPECT_EQ(s[-1], 4);
  EXPECT_EQ(s.to_string(), "(2, 3, 4)");
  EXPECT_EQ(Shape{10}.to_string(), "(10,)");
  EXPECT_EQ(Shape{}.to_string(), "()");
  EXPECT_EQ(Shape{}.num_elements(), 1);
  EXPECT_EQ((std::vector<int64_t>{12, 4, 1}), contiguous_strides(s));
}

TEST(Shape, AnElementCountBeyond64BitsIsAnErrorNotAWrap) {
  EXPECT_THROW((Shape{int64_t(1) << 40, int64_t(1) << 40}).num_elements(), InvalidArgumentError);
  EXPECT_EQ((Shape{int64_t(1) << 40, int64_t(1) << 40, 0}).num_elements(), 0);  // a zero dim: empty
  EXPECT_EQ((Shape{int64_t(1) << 31, int64_t(1) << 31}).num_elements(), int64_t(1) << 62);
  EXPECT_THROW(Tensor::empty({int64_t(1) << 62}, DType::float64), InvalidArgumentError);  // bytes overflow
}

TEST(Shape, AxisOutOfRangeNamesTheShape) {
  try {
    Shape{2, 3}.normalize_axis(2);
    FAIL();
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("(2, 3)"), std::string::npos);
  }
}

TEST(Shape, Broadcasting) {
  EXPECT_EQ(broadcast_shapes({128, 10}, {10}), (Shape{128, 10}));
  EXPECT_EQ(broadcast_shapes({3, 1}, {1, 4}), (Shape{3, 4}));
  EXPECT_EQ(broadcast_shapes({}, {2, 2}), (Shape{2, 2}));
  EXPECT_EQ(broadcast_shapes({0, 4}, {4}), (Shape{0, 4}));
  EXPECT_THROW(broadcast_shapes({3}, {4}), InvalidArgumentError);
  try {
    broadcast_shapes({2, 3}, {4}, "AddV2");
  } catch (const InvalidArgumentError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("AddV2"), std::string::npos);
    EXPECT_NE(m.find("(2, 3)"), std::string::npos);
    EXPECT_NE(m.find("(4,)"), std::string::npos);
  }
}

}  // namespace
}  // namespace tb
