#include <gtest/gtest.h>
#include "tensorbox/core/tensor.h"
TEST(Tensor, Placeholder) { EXPECT_EQ(tb::Tensor::zeros({2, 3}).size(), 6); }
