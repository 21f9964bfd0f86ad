#include "tensorbox/core/tensor.h"

#include <gtest/gtest.h>

#include "tensorbox/core/allocator.h"

namespace tb {
namespace {

TEST(Tensor, CreationAndAccess) {
  Tensor t = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.dtype(), DType::float32);
  EXPECT_EQ(t.data<float>()[5], 6.0f);
  EXPECT_EQ(t.element(4), 5.0);
  EXPECT_EQ(Tensor::full({2}, 7, DType::int64).to_vector<int64_t>(), (std::vector<int64_t>{7, 7}));
  EXPECT_EQ(Tensor::zeros({3}, DType::bfloat16).element(2), 0.0);
  EXPECT_EQ(Tensor::scalar(2.5).item(), 2.5);
}

TEST(Tensor, StorageIs64ByteAligned) {
  for (int64_t n : {1, 3, 17, 1000, 100000}) {
    Tensor t = Tensor::empty({n}, DType::uint8);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.raw_data()) % 64, 0u) << n;
  }
}

TEST(Tensor, AllocatorReusesFreedBlocks) {
  void* first;
  {
    Tensor t = Tensor::empty({1 << 20});
    first = t.raw_data();
  }
  Tensor again = Tensor::empty({1 << 20});
  EXPECT_EQ(again.raw_data(), first);
  EXPECT_GE(CachingAllocator::round_size(5000), 5000u);
  // aligned_alloc needs sizes that are multiples of the alignment (64 B, or 2 MiB for huge blocks).
  for (size_t b : {size_t(1), size_t(100), size_t(5000), size_t(3211264), size_t(3) << 20, (size_t(7) << 20) + 1}) {
    const size_t r = CachingAllocator::round_size(b);
    EXPECT_GE(r, b);
    EXPECT_EQ(r % (r >= CachingAllocator::kHugePage ? CachingAllocator::kHugePage : CachingAllocator::kAlignment), 0u) << b;
  }
  EXPECT_LE(CachingAllocator::round_size(5000), 5000u * 5 / 4 + 64);
}

TEST(Tensor, ReshapeIsAViewWithItsOwnId) {
  Tensor t = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor r = t.reshape({3, -1});
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_EQ(r.raw_data(), t.raw_data());
  EXPECT_NE(r.id(), t.id());
  EXPECT_THROW(t.reshape({4, -1}), InvalidArgumentError);
  EXPECT_THROW(t.reshape({-1, -1}), InvalidArgumentError);
  EXPECT_THROW(t.reshape({7}), InvalidArgumentError);
}

TEST(Tensor, TypedAccessChecksTheDtype) {
  Tensor t = Tensor::zeros({2}, DType::int32);
  EXPECT_THROW(t.data<float>(), InvalidArgumentError);
  EXPECT_THROW(Tensor().shape(), InvalidArgumentError);
  EXPECT_THROW(Tensor::empty({-1}), InvalidArgumentError);
  EXPECT_THROW(Tensor::from_vector<float>({1, 2, 3}, {2, 2}), InvalidArgumentError);
  EXPECT_THROW(Tensor::zeros({2}).item(), InvalidArgumentError);
  Tensor a = Tensor::zeros({2});
  EXPECT_THROW(a.copy_from(Tensor::zeros({3})), InvalidArgumentError);
}

}  // namespace
}  // namespace tb
